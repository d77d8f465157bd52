"""Which keys a caller may list: LiteLLM 1.108.7's `validate_key_list_check` for `/key/list`.

The master key and `proxy_admin`/`proxy_admin_viewer` keys list everything and may filter by any
`user_id`. Any other key lists only its own user's keys (live and `status=deleted` alike, under
every other filter): a `user_id=` naming someone else is a 403, and a key without a user is a 403
whatever it asks (docs/litellm-contract.md, "Visibility"; bodies: fixture `error-403.json`).
"""

from __future__ import annotations

from dataclasses import replace

from starlette.responses import JSONResponse

from keydash_fakes.litellm.callers import Caller
from keydash_fakes.litellm.errors import litellm_error
from keydash_fakes.litellm.query import KeyListQuery

NO_USER = (
    "You are not authorized to access this endpoint. No 'user_id' is associated with your API key."
)
OTHER_USER = "You are not authorized to check another user's keys"


def _forbidden(message: str) -> JSONResponse:
    return litellm_error(403, message, error_type="bad_request_error", param="user_id")


def scoped(caller: Caller, query: KeyListQuery) -> KeyListQuery | JSONResponse:
    """`query` as LiteLLM runs it for `caller`, or the 403 it answers instead."""
    if caller.scoped is None or caller.scoped.sees_all:
        return query
    own = caller.scoped.user_id
    if own is None:
        return _forbidden(NO_USER)
    if query.user_id is not None and query.user_id != own:
        return _forbidden(OTHER_USER)
    # Forced in as an exact match, whatever `substring_matching` does to a given `user_id`.
    return replace(query, owner_id=own)

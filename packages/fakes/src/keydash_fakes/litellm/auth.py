"""LiteLLM's credential check, with its three distinct 401 answers.

The master key and the registered scoped keys (`FakeLiteLLM.api_keys`, see `callers`) pass;
anything else is refused as LiteLLM refuses it.
"""

from __future__ import annotations

import hashlib
import hmac

from starlette.datastructures import Headers
from starlette.responses import JSONResponse

from keydash_fakes.litellm.callers import Caller, ScopedCaller
from keydash_fakes.litellm.errors import litellm_error

_BEARER = "Bearer "


def _presented_key(headers: Headers) -> str | JSONResponse:
    # `x-litellm-api-key` wins over `Authorization` and may carry the prefix or not;
    # `Authorization` alone must carry it.
    custom = headers.get("x-litellm-api-key")
    if custom:
        return custom.removeprefix(_BEARER)
    authorization = headers.get("authorization")
    if authorization is None:
        return ""
    if not authorization.startswith(_BEARER):
        return _auth_error("Malformed API Key passed in. Ensure Key has `Bearer ` prefix.")
    return authorization.removeprefix(_BEARER)


def _auth_error(detail: str) -> JSONResponse:
    return litellm_error(401, f"Authentication Error, {detail}", error_type="auth_error")


def _abbreviated(key: str) -> str:
    return "sk-..." + key[-4:] if len(key) >= 16 else "sk-..."


def check(headers: Headers, master_key: str) -> JSONResponse | None:
    """None when the master key was presented, else the 401 LiteLLM would send."""
    identified = identify(headers, master_key, {})
    return identified if isinstance(identified, JSONResponse) else None


def identify(
    headers: Headers, master_key: str, api_keys: dict[str, ScopedCaller]
) -> Caller | JSONResponse:
    """The caller of an accepted credential, else the 401 LiteLLM would send."""
    presented = _presented_key(headers)
    if isinstance(presented, JSONResponse):
        return presented
    if not presented:
        return _auth_error("No api key passed in.")
    if hmac.compare_digest(presented.encode(), master_key.encode()):
        return Caller(presented, None)
    scoped = api_keys.get(presented)
    if scoped is not None:
        return Caller(presented, scoped)
    # Like LiteLLM, name the key only by its abbreviation and hash, never in full.
    token = hashlib.sha256(presented.encode()).hexdigest()
    return _auth_error(
        f"Invalid proxy server token passed. Received API Key = {_abbreviated(presented)}, "
        f"Key Hash (Token) ={token}. Unable to find token in cache or "
        "`LiteLLM_VerificationTokenTable`"
    )

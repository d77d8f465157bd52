"""`GET /v2/user/info` and `GET /key/info`: who a credential is, as LiteLLM 1.108.7 answers.

Both take the same credentials as `/key/list` (same 401s); faults and counters do not touch them.

- `/v2/user/info` (no params) answers the caller's user row: `{user_id, user_email, user_alias,
  user_role, spend, max_budget, ..., teams, ...}` (fixtures `whoami-*.json`). The row is the
  `user` of any of the user's keys (live first, then archived), else one made up from the caller;
  `user_role` is the registered role. For the master key it is LiteLLM's stand-in user
  `default_user_id` with `user_role: "internal_user"`, although the master key acts as admin. A
  key without a user gets a 400 (its message is unverified beyond "user_id is required").
- `/key/info` (no params) answers the caller's own key row (see `key_info`), or 404 `Key not
  found in database` for the master key or a key whose row is gone. `?key=` (a secret or a token)
  reads a live key, else its newest archive row; a caller that cannot list every key may only
  read its own user's keys (the 403 text is unverified).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from keydash_fakes.litellm import auth, key_info, keymaking, timestamps
from keydash_fakes.litellm.callers import Caller
from keydash_fakes.litellm.errors import litellm_error
from keydash_fakes.litellm.records import Record
from keydash_fakes.litellm.state import FakeLiteLLM

MASTER_USER_ID = keymaking.ADMIN_USER_ID
# The role of the `default_user_id` row LiteLLM made when the master key created a team.
MASTER_USER_ROLE = "internal_user"


def _fake(request: Request) -> FakeLiteLLM:
    fake: FakeLiteLLM = request.app.state.fake
    return fake


def _user_row(fake: FakeLiteLLM, user_id: str) -> Record | None:
    for table in (fake.keys, fake.deleted):
        for record in table:
            row = record.get("user")
            if record.get("user_id") == user_id and isinstance(row, dict):
                return row
    return None


def _earliest_created_at(fake: FakeLiteLLM) -> str:
    moments = [m for r in fake.keys if (m := timestamps.parse(r.get("created_at")))]
    return timestamps.iso(min(moments, default=fake.now()))


def user_body(row: Record, user_id: str, role: str) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "user_email": row.get("user_email"),
        "user_alias": row.get("user_alias"),
        "user_role": role,
        "spend": row.get("spend", 0.0),
        "max_budget": row.get("max_budget"),
        "tpm_limit": row.get("tpm_limit"),
        "rpm_limit": row.get("rpm_limit"),
        "models": row.get("models", []),
        "budget_duration": row.get("budget_duration"),
        "budget_reset_at": row.get("budget_reset_at"),
        "metadata": row.get("metadata", {}),
        "created_at": row.get("created_at"),
        "updated_at": row.get("updated_at"),
        "sso_user_id": row.get("sso_user_id"),
        "teams": row.get("teams", []),
        "object_permission": row.get("object_permission"),
        "model_max_budget": row.get("model_max_budget", {}),
        "model_max_budget_usage": {},
    }


async def user_info(request: Request) -> Response:
    fake = _fake(request)
    caller = auth.identify(request.headers, fake.master_key, fake.api_keys)
    if isinstance(caller, JSONResponse):
        return caller
    if caller.scoped is None:
        row = _user_row(fake, MASTER_USER_ID)
        if row is None:
            stamp = _earliest_created_at(fake)
            row = {"spend": 0.0, "created_at": stamp, "updated_at": stamp}
        return JSONResponse(user_body(row, MASTER_USER_ID, MASTER_USER_ROLE))
    user_id = caller.scoped.user_id
    if user_id is None:
        return litellm_error(
            400,
            "user_id is required: pass it, or use a key that belongs to a user.",
            error_type="bad_request_error",
            param="user_id",
        )
    row = _user_row(fake, user_id) or {}
    return JSONResponse(user_body(row, user_id, caller.scoped.role))


def _token(secret_or_token: str) -> str:
    if secret_or_token.startswith("sk-"):
        return keymaking.identity(secret_or_token)["token"]
    return secret_or_token


def _find(fake: FakeLiteLLM, token: str) -> tuple[Record, bool] | None:
    """The live row with `token`, else its newest archive row; and whether it is archived."""
    for record in fake.keys:
        if record.get("token") == token:
            return record, False
    for record in reversed(fake.deleted):
        if record.get("token") == token:
            return record, True
    return None


def _readable(caller: Caller, record: Record) -> bool:
    if caller.sees_all or record.get("token") == _token(caller.secret):
        return True
    own = caller.scoped.user_id if caller.scoped is not None else None
    return own is not None and record.get("user_id") == own


def _not_found() -> JSONResponse:
    return litellm_error(
        404, "Key not found in database", error_type="not_found_error", param="key"
    )


async def key_info_route(request: Request) -> Response:
    fake = _fake(request)
    caller = auth.identify(request.headers, fake.master_key, fake.api_keys)
    if isinstance(caller, JSONResponse):
        return caller
    wanted = request.query_params.get("key")
    if not wanted and caller.scoped is None:
        return _not_found()  # the master key has no row
    found = _find(fake, _token(wanted or caller.secret))
    if found is None:
        return _not_found()
    record, archived = found
    if not _readable(caller, record):
        role = caller.scoped.role if caller.scoped is not None else None
        return litellm_error(
            403,
            f"You are not allowed to access this key's info. Your role={role}",
            error_type="auth_error",
            param="key",
        )
    return JSONResponse(key_info.body(record, fake.now(), archived=archived))


def routes() -> list[Route]:
    return [
        Route("/v2/user/info", user_info, methods=["GET"]),
        Route("/key/info", key_info_route, methods=["GET"]),
    ]

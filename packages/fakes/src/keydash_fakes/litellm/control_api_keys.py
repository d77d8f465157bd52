"""`/_fake/api-keys`: register scoped credentials over HTTP (see `callers`), loopback only.

- `POST /_fake/api-keys` body `{"key": "sk-...", "user_id": "..." or null, "role": "..."}`
  (`key` and `user_id` required, `user_id` null being a key without a user; `role` one of
  `callers.ROLES`, default `internal_user`) -> 201 when new,
  200 when it changed an existing registration (user or role, effective at once):
  `{"token", "key_name", "user_id", "role"}`. Refusals: 400 `{"error": "invalid api key",
  "problems": [...]}`.
- `GET /_fake/api-keys` -> `{"api_keys": [{"token", "key_name", "user_id", "role"}, ...]}`.

Secrets are never echoed back, only LiteLLM's token and abbreviated `key_name`.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from keydash_fakes.litellm import keymaking
from keydash_fakes.litellm.callers import ScopedCaller
from keydash_fakes.litellm.state import FakeLiteLLM

_FIELDS = frozenset({"key", "user_id", "role"})


def _fake(request: Request) -> FakeLiteLLM:
    fake: FakeLiteLLM = request.app.state.fake
    return fake


def _refused(*problems: str) -> JSONResponse:
    return JSONResponse({"error": "invalid api key", "problems": list(problems)}, 400)


def _described(secret: str, caller: ScopedCaller) -> dict[str, Any]:
    return {**keymaking.identity(secret), "user_id": caller.user_id, "role": caller.role}


async def add(request: Request) -> Response:
    fake = _fake(request)
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return _refused("body must be a JSON object")
    unknown = [f"unknown field: {name}" for name in body if name not in _FIELDS]
    if unknown:
        return _refused(*unknown)
    missing = [f"{name} is required" for name in ("key", "user_id") if name not in body]
    if missing:
        return _refused(*missing)
    secret = body["key"]
    known = isinstance(secret, str) and secret in fake.api_keys
    try:
        caller = fake.add_api_key(secret, body.get("user_id"), body.get("role", "internal_user"))
    except ValueError as invalid:
        return _refused(*str(invalid).split("; "))
    return JSONResponse(_described(secret, caller), 200 if known else 201)


async def listed(request: Request) -> Response:
    registered = _fake(request).api_keys.items()
    return JSONResponse({"api_keys": [_described(s, c) for s, c in registered]})


def routes() -> list[Route]:
    return [
        Route("/_fake/api-keys", add, methods=["POST"]),
        Route("/_fake/api-keys", listed, methods=["GET"]),
    ]

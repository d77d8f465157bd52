"""`/_fake/keys...` write routes and `GET /_fake/truth`.

Their shapes are documented in `key_writes` and `FakeLiteLLM.truth`.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from keydash_fakes.litellm import keymaking
from keydash_fakes.litellm.records import Record
from keydash_fakes.litellm.state import FakeLiteLLM
from keydash_fakes.litellm.writes import DuplicateKey, UnknownKey

Write = Callable[[FakeLiteLLM, str, Any], Record]


def _fake(request: Request) -> FakeLiteLLM:
    fake: FakeLiteLLM = request.app.state.fake
    return fake


def _refused(*problems: str) -> JSONResponse:
    return JSONResponse({"error": "invalid key write", "problems": list(problems)}, 400)


async def _body(request: Request) -> Any:
    try:
        return json.loads(await request.body() or b"{}")
    except ValueError:
        return None


def _answer(write: Callable[[], Record], status: int = 200) -> Response:
    try:
        return JSONResponse(write(), status)
    except UnknownKey as missing:
        return JSONResponse({"error": "unknown key", "token": str(missing.args[0])}, 404)
    except DuplicateKey as duplicate:
        return JSONResponse({"error": "duplicate key", "token": str(duplicate.args[0])}, 409)
    except ValueError as invalid:
        return _refused(*str(invalid).split("; "))


async def create(request: Request) -> Response:
    body = await _body(request)
    if not isinstance(body, dict):
        return _refused("body must be a JSON object")
    return _answer(lambda: _fake(request).create_key(body), 201)


def _keyed(write: Write) -> Callable[[Request], Awaitable[Response]]:
    async def route(request: Request) -> Response:
        body = await _body(request)
        if not isinstance(body, dict):
            return _refused("body must be a JSON object")
        token = request.path_params["token"]
        return _answer(lambda: write(_fake(request), token, body))

    return route


def _amount(body: dict[str, Any]) -> Any:
    if "amount" not in body:
        raise ValueError("amount must be a number > 0")
    return body["amount"]


def _regenerate(fake: FakeLiteLLM, token: str, body: dict[str, Any]) -> Record:
    unknown = [f"unknown field: {name}" for name in body if name != "key"]
    if unknown:
        raise ValueError("; ".join(unknown))
    return fake.regenerate_key(token, body.get("key"))


async def delete(request: Request) -> Response:
    fake = _fake(request)
    deleted_by = request.query_params.get("deleted_by") or keymaking.ADMIN_USER_ID
    return _answer(lambda: fake.delete_key(request.path_params["token"], deleted_by))


async def truth(request: Request) -> Response:
    return JSONResponse(_fake(request).truth())


def routes() -> list[Route]:
    keyed: dict[str, Write] = {
        "update": lambda fake, token, body: fake.update_key(token, body),
        "block": lambda fake, token, body: fake.block_key(token),
        "unblock": lambda fake, token, body: fake.unblock_key(token),
        "spend": lambda fake, token, body: fake.spend_key(token, _amount(body)),
        "regenerate": _regenerate,
    }
    return [
        Route("/_fake/keys", create, methods=["POST"]),
        *(
            Route(f"/_fake/keys/{{token}}/{name}", _keyed(write), methods=["POST"])
            for name, write in keyed.items()
        ),
        Route("/_fake/keys/{token}", delete, methods=["DELETE"]),
        Route("/_fake/truth", truth, methods=["GET"]),
    ]

"""Test-only routes under `/_fake/`, so browser tests can read counters and flip faults over HTTP.

They need no LiteLLM credential: the fake only ever listens on loopback and holds made-up data.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from keydash_adapters.fakes.litellm.faults import apply_update
from keydash_adapters.fakes.litellm.state import FakeLiteLLM


def _fake(request: Request) -> FakeLiteLLM:
    fake: FakeLiteLLM = request.app.state.fake
    return fake


def _faults(fake: FakeLiteLLM) -> dict[str, Any]:
    return dataclasses.asdict(fake.faults)


def _refused(*problems: str) -> JSONResponse:
    return JSONResponse({"error": "invalid fault update", "problems": list(problems)}, 400)


async def stats(request: Request) -> Response:
    fake = _fake(request)
    return JSONResponse({**fake.stats(), "faults": _faults(fake)})


async def get_faults(request: Request) -> Response:
    return JSONResponse(_faults(_fake(request)))


async def set_faults(request: Request) -> Response:
    """Sets only the fields given; the others keep their current values."""
    fake = _fake(request)
    try:
        update = json.loads(await request.body() or b"{}")
    except ValueError:
        return _refused("body must be a JSON object")
    if not isinstance(update, dict):
        return _refused("body must be a JSON object")
    problems = apply_update(fake.faults, update)
    if problems:
        return _refused(*problems)
    return JSONResponse(_faults(fake))


async def reset(request: Request) -> Response:
    fake = _fake(request)
    fake.reset()
    return JSONResponse({**fake.stats(), "faults": _faults(fake)})


def routes() -> list[Route]:
    return [
        Route("/_fake/stats", stats, methods=["GET"]),
        Route("/_fake/faults", get_faults, methods=["GET"]),
        Route("/_fake/faults", set_faults, methods=["POST"]),
        Route("/_fake/reset", reset, methods=["POST"]),
    ]

"""Test-only routes under `/_fake/`, so browser tests can read counters and flip faults over HTTP.

They need no LiteLLM credential: the fake only ever listens on loopback and holds made-up data.
Here: `GET /_fake/stats` (`FakeLiteLLM.stats()` plus `"faults"` and `"latency"`; its
`"requests_by_kind"` is `{"default", "updated_at", "deleted", "other"}`, see `accounting`),
`POST /_fake/stats/reset` (zeroes the counters only; answers the stats), `GET|POST /_fake/faults`,
`GET|POST /_fake/latency` (see `latency`) and `POST /_fake/reset`. Key writes and the truth are in
`control_keys`, churn in `control_churn`.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from keydash_fakes.litellm import latency
from keydash_fakes.litellm.faults import apply_update
from keydash_fakes.litellm.state import FakeLiteLLM


def _fake(request: Request) -> FakeLiteLLM:
    fake: FakeLiteLLM = request.app.state.fake
    return fake


def _faults(fake: FakeLiteLLM) -> dict[str, Any]:
    return dataclasses.asdict(fake.faults)


def _refused(*problems: str, error: str = "invalid fault update") -> JSONResponse:
    return JSONResponse({"error": error, "problems": list(problems)}, 400)


def _stats(fake: FakeLiteLLM) -> dict[str, Any]:
    return {**fake.stats(), "faults": _faults(fake), "latency": dataclasses.asdict(fake.latency)}


async def stats(request: Request) -> Response:
    return JSONResponse(_stats(_fake(request)))


async def reset_stats(request: Request) -> Response:
    fake = _fake(request)
    fake.reset_stats()
    return JSONResponse(_stats(fake))


async def _json_object(request: Request) -> dict[str, Any] | None:
    try:
        update = json.loads(await request.body() or b"{}")
    except ValueError:
        return None
    return update if isinstance(update, dict) else None


async def get_latency(request: Request) -> Response:
    return JSONResponse(dataclasses.asdict(_fake(request).latency))


async def set_latency(request: Request) -> Response:
    """Sets only the fields given, like `/_fake/faults`."""
    fake = _fake(request)
    update = await _json_object(request)
    if update is None:
        return _refused("body must be a JSON object", error="invalid latency update")
    problems = latency.apply_update(fake.latency, update)
    if problems:
        return _refused(*problems, error="invalid latency update")
    return JSONResponse(dataclasses.asdict(fake.latency))


async def get_faults(request: Request) -> Response:
    return JSONResponse(_faults(_fake(request)))


async def set_faults(request: Request) -> Response:
    """Sets only the fields given; the others keep their current values."""
    fake = _fake(request)
    update = await _json_object(request)
    if update is None:
        return _refused("body must be a JSON object")
    problems = apply_update(fake.faults, update)
    if problems:
        return _refused(*problems)
    return JSONResponse(_faults(fake))


async def reset(request: Request) -> Response:
    fake = _fake(request)
    fake.reset()
    return JSONResponse(_stats(fake))


def routes() -> list[Route]:
    return [
        Route("/_fake/stats", stats, methods=["GET"]),
        Route("/_fake/stats/reset", reset_stats, methods=["POST"]),
        Route("/_fake/latency", get_latency, methods=["GET"]),
        Route("/_fake/latency", set_latency, methods=["POST"]),
        Route("/_fake/faults", get_faults, methods=["GET"]),
        Route("/_fake/faults", set_faults, methods=["POST"]),
        Route("/_fake/reset", reset, methods=["POST"]),
    ]

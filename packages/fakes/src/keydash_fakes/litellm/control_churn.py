"""`/_fake/churn` (at once) and `/_fake/churn/rate` (over time); shapes in `churn`, `churn_rate`."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from keydash_fakes.litellm import churn_rate
from keydash_fakes.litellm.churn import mix_problems
from keydash_fakes.litellm.state import FakeLiteLLM


def _fake(request: Request) -> FakeLiteLLM:
    fake: FakeLiteLLM = request.app.state.fake
    return fake


def _refused(*problems: str) -> JSONResponse:
    return JSONResponse({"error": "invalid churn", "problems": list(problems)}, 400)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _problems(body: Any, count_field: str) -> list[str]:
    if not isinstance(body, dict):
        return ["body must be a JSON object"]
    allowed = {count_field, "seed", "mix"}
    found = [f"unknown field: {name}" for name in body if name not in allowed]
    count: Any = body.get(count_field)
    if count_field == "operations" and (not _is_int(count) or count < 0):
        found.append("operations must be an integer >= 0")
    if count_field == "per_minute" and (
        isinstance(count, bool) or not isinstance(count, int | float) or count < 0
    ):
        found.append("per_minute must be a number >= 0")
    if not _is_int(body.get("seed", 0)):
        found.append("seed must be an integer")
    if body.get("mix") is not None:
        found += mix_problems(body["mix"])
    return found


async def _body(request: Request) -> Any:
    try:
        return json.loads(await request.body() or b"{}")
    except ValueError:
        return None


async def churn(request: Request) -> Response:
    body = await _body(request)
    problems = _problems(body, "operations")
    if problems:
        return _refused(*problems)
    summary = _fake(request).churn(body["operations"], body.get("seed", 0), body.get("mix"))
    return JSONResponse(summary)


def _rate(fake: FakeLiteLLM) -> dict[str, Any]:
    if fake.churn_rate is None:
        return churn_rate.ChurnRate(per_minute=0).describe()
    return fake.churn_rate.describe()


async def get_rate(request: Request) -> Response:
    return JSONResponse(_rate(_fake(request)))


async def set_rate(request: Request) -> Response:
    body = await _body(request)
    problems = _problems(body, "per_minute")
    if problems:
        return _refused(*problems)
    fake = _fake(request)
    per_minute = float(body["per_minute"])
    if per_minute == 0:
        stopped = _rate(fake)
        fake.churn_rate = None  # the running task notices and ends
        return JSONResponse({**stopped, "per_minute": 0})
    fake.churn_rate = churn_rate.ChurnRate(per_minute, body.get("seed", 0), body.get("mix"))
    tasks: set[asyncio.Task[None]] = request.app.state.churn_tasks
    churn_rate.start(fake, tasks)
    return JSONResponse(_rate(fake))


def routes() -> list[Route]:
    return [
        Route("/_fake/churn", churn, methods=["POST"]),
        Route("/_fake/churn/rate", get_rate, methods=["GET"]),
        Route("/_fake/churn/rate", set_rate, methods=["POST"]),
    ]

"""`GET /user/daily/activity?api_key=&start_date=&end_date=`: one key's usage per day.

Shaped as LiteLLM 1.108.7 answers it (`results[]` of `{date, metrics, breakdown}` with
`breakdown.models` and `breakdown.model_groups`, and a `metadata` of totals and paging). The
figures are made up per key and day from the key's token, so they are stable, and only for days
between the key's creation and its last use: a key never used has none. As in LiteLLM, they need
not add up to the key's `spend` (#37144).
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from keydash_fakes.litellm import auth, timestamps
from keydash_fakes.litellm.records import Record
from keydash_fakes.litellm.state import FakeLiteLLM

MAX_DAYS = 366
_FALLBACK_MODEL = "gpt-4o-mini"


def _fake(request: Request) -> FakeLiteLLM:
    fake: FakeLiteLLM = request.app.state.fake
    return fake


def _detail(status: int, error: str) -> JSONResponse:
    return JSONResponse({"detail": {"error": error}}, status_code=status)


async def daily_activity(request: Request) -> Response:
    fake = _fake(request)
    fake.daily_activity_calls += 1
    if fake.faults.no_daily_activity:
        return JSONResponse({"detail": "Not Found"}, status_code=404)
    caller = auth.identify(request.headers, fake.master_key, fake.api_keys)
    if isinstance(caller, JSONResponse):
        return caller
    if not caller.sees_all:
        return _detail(403, "Only proxy admins may read another key's daily activity.")
    params = request.query_params
    try:
        start = date.fromisoformat(params["start_date"])
        end = date.fromisoformat(params["end_date"])
    except (KeyError, ValueError):
        return _detail(400, "Please provide start_date and end_date")
    token = params.get("api_key")
    key = next((k for k in fake.keys if token and k.get("token") == token), None)
    days = [start + timedelta(days=n) for n in range(min((end - start).days + 1, MAX_DAYS))]
    results = [entry for day in days if (entry := _day(key, day)) is not None]
    return JSONResponse({"results": results, "metadata": _metadata(results)})


def _models(key: Record) -> list[str]:
    named = [m for m in key.get("models") or [] if isinstance(m, str) and not m.startswith("all-")]
    return named[:3] or [_FALLBACK_MODEL]


def _day(key: Record | None, day: date) -> dict[str, Any] | None:
    if key is None:
        return None
    created = timestamps.parse(key.get("created_at"))
    last = timestamps.parse(key.get("last_active"))
    if last is None or day > last.date() or (created is not None and day < created.date()):
        return None
    seed = hashlib.sha256(f"{key['token']}:{day.isoformat()}".encode()).hexdigest()
    rng = random.Random(seed)
    if day != last.date() and rng.random() < 0.35:
        return None  # not every day has traffic; the day of the last use always does
    by_model = {model: _metrics(rng) for model in _models(key)}
    return {
        "date": day.isoformat(),
        "metrics": _sum(list(by_model.values())),
        "breakdown": {
            "models": {f"openai/{m}": {"metrics": v, "metadata": {}} for m, v in by_model.items()},
            "model_groups": {m: {"metrics": v, "metadata": {}} for m, v in by_model.items()},
            "providers": {},
            "api_keys": {},
            "mcp_servers": {},
            "endpoints": {},
            "entities": {},
        },
    }


def _metrics(rng: random.Random) -> dict[str, Any]:
    requests = rng.randint(1, 400)
    failed = rng.randint(0, requests // 20)
    prompt = requests * rng.randint(50, 900)
    completion = requests * rng.randint(20, 400)
    return {
        "spend": round((prompt * 0.15 + completion * 0.6) / 1_000_000, 8),
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "api_requests": requests,
        "successful_requests": requests - failed,
        "failed_requests": failed,
    }


def _sum(parts: list[dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {}
    for part in parts:
        for name, value in part.items():
            total[name] = total.get(name, 0) + value
    total["spend"] = round(total.get("spend", 0.0), 8)
    return total


def _metadata(results: list[dict[str, Any]]) -> dict[str, Any]:
    totals = _sum([entry["metrics"] for entry in results]) if results else {}
    return {
        "total_spend": totals.get("spend", 0.0),
        "total_api_requests": totals.get("api_requests", 0),
        "total_tokens": totals.get("total_tokens", 0),
        "page": 1,
        "total_pages": 1 if results else 0,
        "has_more": False,
    }


def routes() -> list[Route]:
    return [Route("/user/daily/activity", daily_activity, methods=["GET"])]

"""One key's daily activity from LiteLLM's `GET /user/daily/activity` (BETA in LiteLLM).

One request per drawer opened: the window is bounded, many viewers of one key share one request
in flight, and an answer is kept briefly. A LiteLLM without the endpoint, or refusing it, gives
"not available", not an error: the rest of the dashboard does not depend on it.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import httpx
from keydash_core.errors import (
    UpstreamBadResponse,
    UpstreamHttpError,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from keydash_core.key_usage import DayUsage, UsageFigures, UsageReport
from keydash_core.ports import Clock

from keydash_adapters.litellm.errors import error_detail, transport_words

DAILY_ACTIVITY_PATH = "/user/daily/activity"
# Days of a window fit one page: LiteLLM pages by day-and-entity rows.
_PAGE_SIZE = "1000"
_Window = tuple[str, date, date]


class LiteLLMUsageSource:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        api_key: str,
        clock: Clock,
        deadline_seconds: float,
        remember_seconds: float = 60.0,
        max_remembered: int = 256,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._headers = {"x-litellm-api-key": api_key, "accept": "application/json"}
        self._clock = clock
        self._deadline = deadline_seconds
        self._remember = remember_seconds
        self._max_remembered = max_remembered
        self._monotonic = monotonic
        self._answers: OrderedDict[_Window, tuple[float, UsageReport]] = OrderedDict()
        self._in_flight: dict[_Window, asyncio.Task[UsageReport]] = {}

    async def daily_usage(self, key_id: str, start: date, end: date) -> UsageReport:
        window = (key_id, start, end)
        remembered = self._answers.get(window)
        if remembered is not None and self._monotonic() - remembered[0] < self._remember:
            return remembered[1]
        task = self._in_flight.get(window)
        if task is None:
            task = asyncio.ensure_future(self._ask(key_id, start, end))
            self._in_flight[window] = task
            task.add_done_callback(lambda _: self._in_flight.pop(window, None))
        # Shielded: one viewer leaving must not cancel the answer the others wait for.
        report = await asyncio.shield(task)
        self._answers[window] = (self._monotonic(), report)
        self._answers.move_to_end(window)
        while len(self._answers) > self._max_remembered:
            self._answers.popitem(last=False)
        return report

    async def _ask(self, key_id: str, start: date, end: date) -> UsageReport:
        params = {
            "api_key": key_id,
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "page": "1",
            "page_size": _PAGE_SIZE,
        }
        try:
            async with asyncio.timeout(self._deadline):
                response = await self._http.get(
                    DAILY_ACTIVITY_PATH, params=params, headers=self._headers
                )
        except (TimeoutError, httpx.TimeoutException):
            raise UpstreamTimeout("LiteLLM did not answer in time") from None
        except httpx.TransportError as error:
            raise UpstreamUnavailable(transport_words(error)) from None
        return self._report(response)

    def _report(self, response: httpx.Response) -> UsageReport:
        status = response.status_code
        if status in (404, 405):
            return self._unavailable(
                "This LiteLLM has no per-key daily activity (/user/daily/activity)."
            )
        if status in (400, 401, 403, 422):
            detail = error_detail(response.content) or f"HTTP {status}"
            return self._unavailable(f"LiteLLM refused the daily activity: {detail}")
        if status != 200:
            raise UpstreamHttpError(status, error_detail(response.content))
        try:
            body = response.json()
        except ValueError:
            raise UpstreamBadResponse("daily activity is not JSON") from None
        return UsageReport(days=parse_days(body), fetched_at=self._clock.now())

    def _unavailable(self, reason: str) -> UsageReport:
        return UsageReport(
            days=(), fetched_at=self._clock.now(), available=False, unavailable_reason=reason
        )


def parse_days(body: Any) -> tuple[DayUsage, ...]:
    results = body.get("results") if isinstance(body, dict) else None
    if not isinstance(results, list):
        raise UpstreamBadResponse("daily activity without a results list")
    days: list[DayUsage] = []
    for entry in results:
        if not isinstance(entry, dict):
            raise UpstreamBadResponse("a daily activity entry is not an object")
        try:
            day = date.fromisoformat(str(entry.get("date")))
        except ValueError:
            raise UpstreamBadResponse("a daily activity entry without a date") from None
        breakdown = entry.get("breakdown")
        breakdown = breakdown if isinstance(breakdown, dict) else {}
        # Model groups are the names keys are granted; providers' model names otherwise.
        by_model = breakdown.get("model_groups") or breakdown.get("models") or {}
        models = {
            str(name): figures(value.get("metrics"))
            for name, value in (by_model.items() if isinstance(by_model, dict) else ())
            if isinstance(value, dict)
        }
        days.append(DayUsage(day, figures(entry.get("metrics")), models))
    return tuple(days)


def figures(metrics: Any) -> UsageFigures:
    found: Mapping[str, Any] = metrics if isinstance(metrics, dict) else {}
    return UsageFigures(
        spend=_number(found.get("spend")),
        requests=int(_number(found.get("api_requests"))),
        successful_requests=int(_number(found.get("successful_requests"))),
        failed_requests=int(_number(found.get("failed_requests"))),
        prompt_tokens=int(_number(found.get("prompt_tokens"))),
        completion_tokens=int(_number(found.get("completion_tokens"))),
        total_tokens=int(_number(found.get("total_tokens"))),
    )


def _number(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and value == value:
        return float(value)
    return 0.0

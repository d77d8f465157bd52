"""Use case: one key's spend, requests and tokens per day, from LiteLLM's daily activity.

One question per drawer opened, over a bounded window (never LiteLLM's unbounded aggregate,
BerriAI/litellm #16276). The daily records are LiteLLM's spend logs, which can differ from the
key's budget counter (#37144): the answer says which one it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from keydash_core.errors import InvalidQuery, KeyNotFound, MirrorLoading
from keydash_core.ports import Clock, KeyRepository

USAGE_DAYS = 30
MAX_USAGE_DAYS = 90
TOP_MODELS = 5
# LiteLLM's key ids are SHA-256 hex digests: anything else is not a key it could know.
_KEY_ID = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class UsageFigures:
    spend: float = 0.0
    requests: int = 0
    successful_requests: int = 0
    failed_requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0

    def __add__(self, other: UsageFigures) -> UsageFigures:
        return UsageFigures(
            spend=self.spend + other.spend,
            requests=self.requests + other.requests,
            successful_requests=self.successful_requests + other.successful_requests,
            failed_requests=self.failed_requests + other.failed_requests,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            total_tokens=self.total_tokens + other.total_tokens,
        )


@dataclass(frozen=True)
class DayUsage:
    day: date
    figures: UsageFigures
    # Per model name, that day.
    models: dict[str, UsageFigures]


@dataclass(frozen=True)
class UsageReport:
    """What LiteLLM answered for one key and window; `available` False when it cannot say."""

    days: tuple[DayUsage, ...]
    fetched_at: datetime
    available: bool = True
    unavailable_reason: str | None = None


class UsageSource(Protocol):
    async def daily_usage(self, key_id: str, start: date, end: date) -> UsageReport:
        """The days LiteLLM has records for (any order, gaps allowed) in [start, end]."""
        ...


@dataclass(frozen=True)
class ModelShare:
    model: str
    figures: UsageFigures


@dataclass(frozen=True)
class KeyUsage:
    key_id: str
    start: date
    end: date
    # One entry per day of the window, oldest first; days without records are zeros.
    days: tuple[DayUsage, ...]
    totals: UsageFigures
    top_models: tuple[ModelShare, ...]
    fetched_at: datetime
    available: bool = True
    unavailable_reason: str | None = None


class GetKeyUsage:
    def __init__(self, repository: KeyRepository, source: UsageSource, clock: Clock) -> None:
        self._repository = repository
        self._source = source
        self._clock = clock

    async def __call__(self, key_id: str, days: int = USAGE_DAYS) -> KeyUsage:
        if not 1 <= days <= MAX_USAGE_DAYS:
            raise InvalidQuery("days", f"must be between 1 and {MAX_USAGE_DAYS}")
        await self._check_known(key_id)
        end = self._clock.now().date()
        start = end - timedelta(days=days - 1)
        report = await self._source.daily_usage(key_id, start, end)
        by_day = {entry.day: entry for entry in report.days if start <= entry.day <= end}
        window = tuple(
            by_day.get(day) or DayUsage(day, UsageFigures(), {})
            for day in (start + timedelta(days=offset) for offset in range(days))
        )
        return KeyUsage(
            key_id=key_id,
            start=start,
            end=end,
            days=window,
            totals=sum((entry.figures for entry in window), UsageFigures()),
            top_models=_top_models(window),
            fetched_at=report.fetched_at,
            available=report.available,
            unavailable_reason=report.unavailable_reason,
        )

    async def _check_known(self, key_id: str) -> None:
        if not _KEY_ID.match(key_id):
            raise KeyNotFound(key_id)
        try:
            snapshot = await self._repository.snapshot()
        except MirrorLoading:
            return  # the mirror cannot tell yet; LiteLLM answers an unknown id with no records
        if not any(key.id == key_id for key in snapshot.keys):
            raise KeyNotFound(key_id)


def _top_models(days: tuple[DayUsage, ...]) -> tuple[ModelShare, ...]:
    totals: dict[str, UsageFigures] = {}
    for entry in days:
        for model, figures in entry.models.items():
            totals[model] = totals.get(model, UsageFigures()) + figures
    ranked = sorted(totals.items(), key=lambda item: (-item[1].spend, -item[1].requests, item[0]))
    return tuple(ModelShare(model, figures) for model, figures in ranked[:TOP_MODELS])

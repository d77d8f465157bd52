"""A key's last use, rotation and budget window as docs/api.md defines the insight filters,
written from that text (not from Keydash's code): used / never / unknown, unused for N days,
zombie, rotation overdue, no rotation policy, budget at risk."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

DAY = timedelta(days=1)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800, "mo": 30 * 86_400}


@dataclass(frozen=True)
class Insights:
    last_used_at: datetime | None = None
    auto_rotate: bool = False
    next_rotation_at: datetime | None = None
    budget_duration: str | None = None
    budget_reset_at: datetime | None = None
    # The earliest last_active of all keys (set by rows_from): LiteLLM recorded use from then on.
    recorded_since: datetime | None = None

    def last_use(self, created_at: datetime | None) -> str:
        if self.last_used_at is not None:
            return "used"
        since = self.recorded_since
        if since is not None and created_at is not None and created_at >= since:
            return "never"
        return "unknown"

    def unused_since(self, created_at: datetime | None) -> datetime | None:
        state = self.last_use(created_at)
        return {"used": self.last_used_at, "never": created_at}.get(state)

    def rotation_overdue(self, now: datetime) -> bool:
        return (
            self.auto_rotate and self.next_rotation_at is not None and self.next_rotation_at <= now
        )

    def window_seconds(self) -> float | None:
        found = re.fullmatch(r"(\d+)(mo|s|m|h|d|w)", (self.budget_duration or "").strip())
        return int(found.group(1)) * _UNITS[found.group(2)] if found else None


def insights_from(record: Mapping[str, Any], moment: Callable[[Any], datetime | None]) -> Insights:
    duration = record.get("budget_duration")
    return Insights(
        last_used_at=moment(record.get("last_active")),
        auto_rotate=record.get("auto_rotate") is True,
        next_rotation_at=moment(record.get("key_rotation_at")),
        budget_duration=duration if isinstance(duration, str) else None,
        budget_reset_at=moment(record.get("budget_reset_at")),
    )

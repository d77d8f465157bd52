"""The insight fields Keydash should serve for a LiteLLM `/key/list` record (docs/api.md):
LiteLLM's last use, rotation and budget window under Keydash's names, read as sent."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

# LiteLLM's field -> Keydash's, for the timestamps.
INSIGHT_DATES = {
    "last_used_at": "last_active",
    "last_rotated_at": "last_rotation_at",
    "next_rotation_at": "key_rotation_at",
    "budget_reset_at": "budget_reset_at",
}
INSIGHT_TEXTS = ("created_by", "updated_by", "rotation_interval", "budget_duration")
INSIGHT_FIELDS = (*INSIGHT_DATES, *INSIGHT_TEXTS, "auto_rotate", "rotation_count")


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _moment(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def expected_insights(record: Mapping[str, Any]) -> dict[str, Any]:
    count = record.get("rotation_count")
    return {
        **{mine: _moment(record.get(theirs)) for mine, theirs in INSIGHT_DATES.items()},
        **{name: _text(record.get(name)) for name in INSIGHT_TEXTS},
        "auto_rotate": bool(record.get("auto_rotate")),
        "rotation_count": count if isinstance(count, int) and not isinstance(count, bool) else None,
    }

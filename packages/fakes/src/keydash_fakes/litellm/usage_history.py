"""Last use, scheduled rotation and budget windows for generated keys, as a real proxy holds them.

LiteLLM added `last_active` late: keys older than the field carry null even when used (#21545),
while newer keys carry it from their first request. Scheduled rotation runs late when the proxy's
job fails, so some auto-rotating keys are overdue; a budget window resets at its own moment.
A random stream of its own, so every other field stays what the seed always gave.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from keydash_fakes.litellm import timestamps
from keydash_fakes.litellm.records import Record

# When this fake's LiteLLM began recording `last_active`: keys used only before have null.
LAST_ACTIVE_RECORDED_FOR_DAYS = 240
_WINDOW_DAYS = {"1d": 1, "7d": 7, "30d": 30}
_ROTATION_INTERVALS = ("7d", "30d", "30d", "90d")
_ROTATION_DAYS = {"7d": 7, "30d": 30, "90d": 90}


def settle_usage_history(keys: list[Record], seed: int, now: datetime) -> None:
    rng = random.Random(f"usage-history-{seed}")
    recording_since = now - timedelta(days=LAST_ACTIVE_RECORDED_FOR_DAYS)
    for key in keys:
        created = timestamps.parse(key["created_at"])
        key["last_active"] = _last_active(rng, key, created, recording_since, now)
        if key.get("auto_rotate"):
            _schedule_rotation(rng, key, now)
        if key.get("budget_duration") in _WINDOW_DAYS:
            _place_window(rng, key, now)


def _last_active(
    rng: random.Random,
    key: Record,
    created: datetime | None,
    recording_since: datetime,
    now: datetime,
) -> str | None:
    if float(key.get("spend") or 0.0) == 0.0 and rng.random() < 0.7:
        return None  # never used: no spend, no last use
    start = max(created or recording_since, recording_since)
    if created is not None and created < recording_since and rng.random() < 0.35:
        return None  # used, but only before LiteLLM recorded last use
    span = max(int((now - start).total_seconds()), 1)
    # Skewed towards recent use, with a long tail of keys idle for months.
    back = int(span * rng.random() ** 2.5)
    return timestamps.iso(now - timedelta(seconds=back, milliseconds=rng.randrange(1, 1000)))


def _schedule_rotation(rng: random.Random, key: Record, now: datetime) -> None:
    interval = rng.choice(_ROTATION_INTERVALS)
    days = _ROTATION_DAYS[interval]
    key["rotation_interval"] = interval
    # About a quarter overdue: the proxy's rotation job did not run (or is not licensed).
    late = rng.random() < 0.25
    offset = -rng.uniform(0.1, days) if late else rng.uniform(0.1, days)
    next_rotation = now + timedelta(days=offset)
    key["key_rotation_at"] = timestamps.iso(next_rotation)
    if key.get("rotation_count"):
        key["last_rotation_at"] = timestamps.iso(next_rotation - timedelta(days=days))


def _place_window(rng: random.Random, key: Record, now: datetime) -> None:
    days = _WINDOW_DAYS[str(key["budget_duration"])]
    reset = now + timedelta(days=rng.uniform(0.01, days))
    key["budget_reset_at"] = timestamps.iso(reset.replace(microsecond=0))

"""What an admin asks of a key beyond its fields: is it used, is its rotation overdue, will its
budget run out before the reset, should it be revoked first. Pure functions of a key and `now`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum

from keydash_core.filters import reaches_every_model, spend_share
from keydash_core.keys import ApiKey, KeyStatus

DAY_SECONDS = 86_400.0
# A key nobody used for this long, that never expires or reaches every model: revoke it first.
ZOMBIE_DAYS = 90
# Keys older than this without a rotation policy are worth a look.
ROTATION_POLICY_AGE_DAYS = 90
# On pace to run out: this share of the budget spent with more than this share of the window left.
BUDGET_RISK_SHARE = 0.8
BUDGET_RISK_WINDOW_LEFT = 0.25


class LastUse(StrEnum):
    USED = "used"
    # Provably unused: created while LiteLLM already recorded last use, and no use recorded.
    NEVER = "never"
    # No record, and no proof either way (the key may predate LiteLLM's `last_active`).
    UNKNOWN = "unknown"


def last_use_recorded_since(keys: Iterable[ApiKey]) -> datetime | None:
    """The earliest use LiteLLM recorded on any key: it recorded last use from then on at least.

    LiteLLM says nothing of when it began recording `last_active` (null for keys older than
    the field); the earliest value it holds is the proof that it did from that moment.
    """
    return min((key.last_used_at for key in keys if key.last_used_at is not None), default=None)


def last_use(key: ApiKey, recorded_since: datetime | None) -> LastUse:
    if key.last_used_at is not None:
        return LastUse.USED
    created = key.created_at
    if recorded_since is not None and created is not None and created >= recorded_since:
        return LastUse.NEVER
    return LastUse.UNKNOWN


def unused_since(key: ApiKey, state: LastUse) -> datetime | None:
    """Since when the key has provably not been used: its last use, or its creation if never
    used; None when unknown."""
    if state is LastUse.USED:
        return key.last_used_at
    if state is LastUse.NEVER:
        return key.created_at
    return None


def is_zombie(key: ApiKey, since: datetime | None, now: datetime) -> bool:
    """Active, unused for ZOMBIE_DAYS (or never, and that old), and never expiring or reaching
    every model: the keys an admin should revoke first."""
    return (
        key.status is KeyStatus.ACTIVE
        and since is not None
        and since <= now - timedelta(days=ZOMBIE_DAYS)
        and (key.expires_at is None or reaches_every_model(key))
    )


def rotation_overdue(key: ApiKey, now: datetime) -> bool:
    """An auto-rotating key whose scheduled rotation is in the past."""
    return key.auto_rotate and key.next_rotation_at is not None and key.next_rotation_at <= now


def rotation_missing(key: ApiKey, now: datetime) -> bool:
    """No rotation policy, and older than ROTATION_POLICY_AGE_DAYS."""
    return (
        not key.auto_rotate
        and key.created_at is not None
        and key.created_at <= now - timedelta(days=ROTATION_POLICY_AGE_DAYS)
    )


# LiteLLM's durations: "30s", "30m", "12h", "7d", "2w", "1mo" (a month taken as 30 days here).
_DURATION = re.compile(r"^\s*(\d+)\s*(s|m|h|d|w|mo)\s*$")
_UNIT_SECONDS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": DAY_SECONDS, "w": 7 * DAY_SECONDS}
_MONTH_SECONDS = 30 * DAY_SECONDS


def duration_seconds(duration: str | None) -> float | None:
    """A LiteLLM duration string in seconds; None when absent or not one LiteLLM writes."""
    if not duration:
        return None
    found = _DURATION.match(duration)
    if found is None:
        return None
    count, unit = int(found.group(1)), found.group(2)
    seconds = count * (_MONTH_SECONDS if unit == "mo" else _UNIT_SECONDS[unit])
    return seconds if seconds > 0 else None


def budget_at_risk(key: ApiKey, now: datetime) -> bool:
    """On pace to run out before the reset: BUDGET_RISK_SHARE of the budget spent in this
    window with more than BUDGET_RISK_WINDOW_LEFT of the window still to go."""
    share = spend_share(key)
    window = duration_seconds(key.budget_duration)
    reset = key.budget_reset_at
    if share is None or window is None or reset is None or share < BUDGET_RISK_SHARE:
        return False
    return (reset - now).total_seconds() > window * BUDGET_RISK_WINDOW_LEFT

"""Last use, rotation and budget windows: what each filter means, key by key, and in the table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from keydash_core.filters import KeyFilters
from keydash_core.key_insights import (
    LastUse,
    budget_at_risk,
    duration_seconds,
    is_zombie,
    last_use,
    last_use_recorded_since,
    rotation_missing,
    rotation_overdue,
    unused_since,
)
from keydash_core.keys import ApiKey, KeyStatus
from keydash_core.list_keys import ListKeys
from keydash_core.query import KeyQuery, SortField, SortOrder
from memory_fakes import FixedClock, InMemoryKeyRepository

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
RECORDING = NOW - 200 * DAY  # the earliest last_active of the keys below


def key(name: str, **fields: object) -> ApiKey:
    fields.setdefault("created_at", NOW - 300 * DAY)
    return ApiKey(id=name.ljust(64, "0"), masked_key=None, alias=name, **fields)  # type: ignore[arg-type]


USED_LONG_AGO = key("used-long-ago", last_used_at=RECORDING, allowed_models=("gpt-4o",))
USED_TODAY = key("used-today", last_used_at=NOW - timedelta(hours=1))
NEVER = key("never", created_at=NOW - 120 * DAY)  # created while LiteLLM recorded use
UNKNOWN = key("unknown", created_at=NOW - 400 * DAY)  # older than the first recorded use
NEW_NEVER = key("new-never", created_at=NOW - 2 * DAY)
KEYS = (USED_LONG_AGO, USED_TODAY, NEVER, UNKNOWN, NEW_NEVER)


def test_recording_since_is_the_earliest_recorded_use() -> None:
    assert last_use_recorded_since(KEYS) == RECORDING
    assert last_use_recorded_since([NEVER, UNKNOWN]) is None


@pytest.mark.parametrize(
    ("subject", "state"),
    [
        (USED_LONG_AGO, LastUse.USED),
        (NEVER, LastUse.NEVER),
        (UNKNOWN, LastUse.UNKNOWN),
        (NEW_NEVER, LastUse.NEVER),
    ],
    ids=lambda value: getattr(value, "alias", None) or str(value),
)
def test_never_is_only_said_when_provable(subject: ApiKey, state: LastUse) -> None:
    assert last_use(subject, RECORDING) is state


def test_without_any_recorded_use_nothing_is_provably_unused() -> None:
    assert last_use(NEVER, None) is LastUse.UNKNOWN
    assert last_use(key("undated", created_at=None), RECORDING) is LastUse.UNKNOWN


def test_unused_since_is_the_last_use_or_the_creation_of_a_never_used_key() -> None:
    assert unused_since(USED_LONG_AGO, LastUse.USED) == RECORDING
    assert unused_since(NEVER, LastUse.NEVER) == NEVER.created_at
    assert unused_since(UNKNOWN, LastUse.UNKNOWN) is None


def test_zombies_are_active_idle_and_wide_open() -> None:
    idle = NOW - 100 * DAY
    open_ended = key("open", allowed_models=("gpt-4o",))  # never expires
    every_model = key("every", expires_at=NOW + 10 * DAY)  # no model list: every model
    narrow = key("narrow", expires_at=NOW + 10 * DAY, allowed_models=("gpt-4o",))
    blocked = key("blocked", status=KeyStatus.BLOCKED)
    assert is_zombie(open_ended, idle, NOW)
    assert is_zombie(every_model, idle, NOW)
    assert not is_zombie(narrow, idle, NOW)
    assert not is_zombie(blocked, idle, NOW)
    assert not is_zombie(open_ended, NOW - 89 * DAY, NOW)
    assert not is_zombie(open_ended, None, NOW)  # unknown last use proves nothing


def test_rotation_overdue_and_missing() -> None:
    overdue = key("overdue", auto_rotate=True, next_rotation_at=NOW - DAY)
    on_time = key("on-time", auto_rotate=True, next_rotation_at=NOW + DAY)
    stale_schedule = key("off", auto_rotate=False, next_rotation_at=NOW - DAY)
    assert rotation_overdue(overdue, NOW)
    assert not rotation_overdue(on_time, NOW)
    assert not rotation_overdue(stale_schedule, NOW)  # no policy: nothing is due
    assert rotation_missing(stale_schedule, NOW)
    assert not rotation_missing(on_time, NOW)
    assert not rotation_missing(key("young", created_at=NOW - 30 * DAY), NOW)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30), ("15m", 900), ("12h", 43_200), ("7d", 604_800), ("2w", 1_209_600)],
)
def test_litellm_durations(text: str, seconds: float) -> None:
    assert duration_seconds(text) == seconds


def test_months_and_nonsense() -> None:
    assert duration_seconds("1mo") == 30 * 86_400
    for text in (None, "", "30", "d", "0d", "thirty days", "-1d"):
        assert duration_seconds(text) is None


def test_budget_at_risk_needs_the_spend_and_the_time_left() -> None:
    def window(spend: float, resets_in_days: float, duration: str | None = "30d") -> ApiKey:
        return key(
            "budget",
            spend=spend,
            max_budget=100.0,
            budget_duration=duration,
            budget_reset_at=NOW + resets_in_days * DAY,
        )

    assert budget_at_risk(window(85, 20), NOW)  # 85% spent, two thirds of the window left
    assert not budget_at_risk(window(85, 5), NOW)  # resets soon enough
    assert not budget_at_risk(window(50, 20), NOW)
    assert not budget_at_risk(window(85, 20, duration=None), NOW)  # no window: no pace
    assert not budget_at_risk(key("no-budget", spend=85.0, budget_duration="30d"), NOW)


async def _table(**filters: object) -> list[str]:
    repository = InMemoryKeyRepository(KEYS, clock=FixedClock(NOW))
    query = KeyQuery(filters=KeyFilters.parse(**filters), size=100)
    return [found.alias or "" for found in (await ListKeys(repository)(query)).items]


async def test_the_table_filters_by_last_use() -> None:
    assert sorted(await _table(never_used=True)) == ["never", "new-never"]
    assert await _table(last_use_unknown=True) == ["unknown"]
    # Unused for 90 days: used that long ago, or never used and created that long ago.
    assert sorted(await _table(unused_for_days=90)) == ["never", "used-long-ago"]
    assert sorted(await _table(zombie=True)) == ["never", "used-long-ago"]


async def test_last_used_sorts_with_unknown_last() -> None:
    repository = InMemoryKeyRepository(KEYS, clock=FixedClock(NOW))
    query = KeyQuery(sort_by=SortField.LAST_USED_AT, sort_order=SortOrder.DESC)
    page = await ListKeys(repository)(query)
    assert [k.alias for k in page.items][:2] == ["used-today", "used-long-ago"]
    assert page.last_use_since == RECORDING

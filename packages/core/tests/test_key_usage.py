"""One key's usage per day: the window, the gaps, the totals and the top models."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from keydash_core.errors import InvalidQuery, KeyNotFound
from keydash_core.key_usage import DayUsage, GetKeyUsage, UsageFigures, UsageReport
from keydash_core.keys import ApiKey
from memory_fakes import FixedClock, InMemoryKeyRepository

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
KEY_ID = "a" * 64


class RecordedSource:
    def __init__(self, report: UsageReport) -> None:
        self.report = report
        self.asked: list[tuple[str, date, date]] = []

    async def daily_usage(self, key_id: str, start: date, end: date) -> UsageReport:
        self.asked.append((key_id, start, end))
        return self.report


def figures(spend: float, requests: int) -> UsageFigures:
    return UsageFigures(spend=spend, requests=requests, successful_requests=requests)


def _use_case(report: UsageReport, *, ready: bool = True) -> tuple[GetKeyUsage, RecordedSource]:
    repository = InMemoryKeyRepository(
        [ApiKey(id=KEY_ID, masked_key=None)], clock=FixedClock(NOW), snapshot_ready=ready
    )
    source = RecordedSource(report)
    return GetKeyUsage(repository, source, FixedClock(NOW)), source


async def test_every_day_of_the_window_comes_back_oldest_first() -> None:
    days = (
        DayUsage(date(2026, 11, 20), figures(1.5, 10), {"gpt-4o": figures(1.0, 4)}),
        DayUsage(date(2026, 11, 23), figures(0.5, 5), {"gpt-4o-mini": figures(0.5, 5)}),
        DayUsage(date(2026, 9, 1), figures(99.0, 1), {}),  # outside the window: ignored
    )
    use_case, source = _use_case(UsageReport(days=days, fetched_at=NOW))
    usage = await use_case(KEY_ID)
    assert source.asked == [(KEY_ID, date(2026, 10, 25), date(2026, 11, 23))]
    assert len(usage.days) == 30
    assert usage.days[0].day == date(2026, 10, 25)
    assert usage.days[-1].day == date(2026, 11, 23)
    assert usage.days[0].figures == UsageFigures()
    assert usage.totals.spend == pytest.approx(2.0)
    assert usage.totals.requests == 15
    assert [share.model for share in usage.top_models] == ["gpt-4o", "gpt-4o-mini"]


async def test_unknown_or_malformed_ids_are_refused_before_asking_litellm() -> None:
    use_case, source = _use_case(UsageReport(days=(), fetched_at=NOW))
    for key_id in ("b" * 64, "../key/list", "A" * 64):
        with pytest.raises(KeyNotFound):
            await use_case(key_id)
    assert source.asked == []


async def test_while_the_mirror_loads_a_well_formed_id_is_asked() -> None:
    use_case, source = _use_case(UsageReport(days=(), fetched_at=NOW), ready=False)
    usage = await use_case("c" * 64)
    assert len(source.asked) == 1
    assert usage.totals == UsageFigures()


async def test_unavailable_is_passed_on() -> None:
    report = UsageReport(days=(), fetched_at=NOW, available=False, unavailable_reason="no")
    use_case, _ = _use_case(report)
    usage = await use_case(KEY_ID)
    assert (usage.available, usage.unavailable_reason) == (False, "no")


@pytest.mark.parametrize("days", [0, 91])
async def test_the_window_is_bounded(days: int) -> None:
    use_case, _ = _use_case(UsageReport(days=(), fetched_at=NOW))
    with pytest.raises(InvalidQuery):
        await use_case(KEY_ID, days)

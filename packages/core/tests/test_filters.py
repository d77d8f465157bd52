"""Structured filters: each one alone, combined with each other and with search, and bad values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from keydash_core.errors import InvalidQuery, MirrorLoading
from keydash_core.filters import NO_FILTERS, FilterName, KeyFilters, reaches_every_model
from keydash_core.keys import ApiKey, KeyStatus
from keydash_core.list_keys import ListKeys
from keydash_core.query import KeyQuery, SortField, SortOrder
from keyfactory import make_key
from memory_fakes import FixedClock, InMemoryKeyRepository

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _keys() -> list[ApiKey]:
    return [
        make_key(
            alias="prod-billing",
            owner_username="Dana",
            team_id="finance",
            tags=("prod", "finance"),
            allowed_models=("gpt-4o",),
            spend=95.0,
            max_budget=100.0,
            expires_at=NOW + timedelta(days=5),
        ),
        make_key(
            alias="expired",
            owner_email="kai@example.org",
            status=KeyStatus.EXPIRED,
            expires_at=NOW - timedelta(days=1),
            allowed_models=("all-proxy-models",),
            tags=("staging",),
        ),
        make_key(
            alias="blocked",
            owner_id="u-9",
            team_id="research",
            status=KeyStatus.BLOCKED,
            expires_at=NOW + timedelta(days=60),
            allowed_models=("claude-sonnet-4", "gpt-4o-mini"),
            spend=10.0,
            max_budget=10.0,
        ),
        make_key(alias="orphan", tags=("prod",), spend=3.0, max_budget=None),
        make_key(
            alias="team-wide",
            owner_username="Lee",
            team_id="finance",
            allowed_models=("all-team-models",),
            expires_at=NOW + timedelta(days=30),
            spend=40.0,
            max_budget=100.0,
        ),
        make_key(
            alias="exactly-30-days-and-a-second",
            owner_username="Lee",
            allowed_models=("no-default-models",),
            expires_at=NOW + timedelta(days=30, seconds=1),
            spend=5.0,
            max_budget=0.0,
        ),
    ]


async def _aliases(**filters: object) -> list[str | None]:
    repository = InMemoryKeyRepository(_keys(), clock=FixedClock(NOW))
    query = KeyQuery(
        filters=KeyFilters.parse(**filters),
        sort_by=SortField.ALIAS,
        sort_order=SortOrder.ASC,
        size=100,
    )
    page = await ListKeys(repository)(query)
    return [key.alias for key in page.items]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            {"status": ["active"]},
            ["exactly-30-days-and-a-second", "orphan", "prod-billing", "team-wide"],
        ),
        ({"status": ["expired", "BLOCKED"]}, ["blocked", "expired"]),
        ({"expires_within_days": 7}, ["prod-billing"]),
        # Inclusive at the edge, measured from the snapshot's read time; expired keys never count.
        ({"expires_within_days": 30}, ["prod-billing", "team-wide"]),
        (
            {"expires_within_days": 90},
            ["blocked", "exactly-30-days-and-a-second", "prod-billing", "team-wide"],
        ),
        ({"never_expires": True}, ["orphan"]),
        # Empty model list or an all-* entry; no-default-models is not all models.
        ({"all_models": True}, ["expired", "orphan", "team-wide"]),
        ({"owner_missing": True}, ["orphan"]),
        ({"team_missing": True}, ["exactly-30-days-and-a-second", "expired", "orphan"]),
        ({"tag": ["prod"]}, ["orphan", "prod-billing"]),
        ({"tag": ["staging", "finance"]}, ["expired", "prod-billing"]),
        ({"tag": ["Prod"]}, []),  # tags are exact values, as the facets list them
        ({"model": ["gpt-4o-mini"]}, ["blocked"]),
        ({"model": ["gpt-4o", "claude-sonnet-4"]}, ["blocked", "prod-billing"]),
        ({"team": ["finance"]}, ["prod-billing", "team-wide"]),
        ({"owner": ["Lee"]}, ["exactly-30-days-and-a-second", "team-wide"]),
        ({"owner": ["kai@example.org", "u-9"]}, ["blocked", "expired"]),
        ({"spend_share_at_least": 0.9}, ["blocked", "prod-billing"]),
        # Used up means spend reached the budget; no budget (or a zero one) never matches.
        ({"spend_share_at_least": 1.0}, ["blocked"]),
        ({"spend_share_at_least": 0.4}, ["blocked", "prod-billing", "team-wide"]),
    ],
)
async def test_each_filter_alone(filters: dict[str, object], expected: list[str]) -> None:
    assert await _aliases(**filters) == expected


async def test_filters_combine_with_and_values_within_one_with_or() -> None:
    assert await _aliases(team=["finance"], expires_within_days=7) == ["prod-billing"]
    assert await _aliases(tag=["prod", "staging"], status=["active"]) == ["orphan", "prod-billing"]
    assert await _aliases(never_expires=True, expires_within_days=7) == []


async def test_filters_combine_with_search_and_keep_the_sort() -> None:
    repository = InMemoryKeyRepository(_keys(), clock=FixedClock(NOW))
    query = KeyQuery(
        search="lee",
        filters=KeyFilters.parse(expires_within_days=90),
        sort_by=SortField.EXPIRES_AT,
        sort_order=SortOrder.DESC,
    )
    page = await ListKeys(repository)(query)
    assert [key.alias for key in page.items] == ["exactly-30-days-and-a-second", "team-wide"]
    assert (page.total, page.total_keys) == (2, 6)


async def test_a_filtered_default_sort_reads_the_snapshot_not_one_store_page() -> None:
    repository = InMemoryKeyRepository(_keys(), clock=FixedClock(NOW), snapshot_ready=False)
    query = KeyQuery(filters=KeyFilters.parse(tag=["prod"]))
    with pytest.raises(MirrorLoading):
        await ListKeys(repository)(query)
    assert repository.page_reads == []
    repository.snapshot_ready = True
    page = await ListKeys(repository)(query)
    assert page.total == 2
    assert not page.from_store_page
    assert repository.page_reads == []


async def test_paging_through_a_filter_never_overlaps() -> None:
    many = [make_key(alias=f"k{i:03d}", tags=("bulk",) if i % 3 else ()) for i in range(100)]
    use_case = ListKeys(InMemoryKeyRepository(many))
    filters = KeyFilters.parse(tag=["bulk"])
    seen: list[str] = []
    for number in (1, 2, 3):
        page = await use_case(KeyQuery(filters=filters, page=number, size=25))
        seen += [key.id for key in page.items]
    assert len(seen) == len(set(seen)) == 66


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"status": ["revoked"]}, "status"),
        ({"expires_within_days": 0}, "expires_within_days"),
        ({"expires_within_days": 3651}, "expires_within_days"),
        ({"spend_share_at_least": 0.0}, "spend_share_at_least"),
        ({"spend_share_at_least": float("nan")}, "spend_share_at_least"),
        ({"spend_share_at_least": float("inf")}, "spend_share_at_least"),
        ({"tag": ["  "]}, "tag"),
        ({"model": ["x" * 257]}, "model"),
        ({"team": [f"t{i}" for i in range(51)]}, "team"),
        ({"owner": [""]}, "owner"),
    ],
)
def test_bad_filter_values_name_the_filter(raw: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidQuery) as raised:
        KeyFilters.parse(**raw)
    assert raised.value.field == field


def test_active_filters_and_lifting_one() -> None:
    filters = KeyFilters.parse(status=["active"], tag=["prod"], never_expires=True)
    assert filters.active == (FilterName.STATUS, FilterName.NEVER_EXPIRES, FilterName.TAG)
    lifted = filters.without(FilterName.TAG)
    assert lifted.active == (FilterName.STATUS, FilterName.NEVER_EXPIRES)
    assert (
        filters.without(FilterName.STATUS).without(FilterName.NEVER_EXPIRES).without(FilterName.TAG)
        == NO_FILTERS
    )
    assert NO_FILTERS.is_empty
    assert not filters.is_empty


@pytest.mark.parametrize(
    ("models", "expected"),
    [
        ((), True),
        (("all-proxy-models",), True),
        (("gpt-4o", "all-team-models"), True),
        (("no-default-models",), False),
        (("gpt-4o",), False),
    ],
)
def test_reaches_every_model(models: tuple[str, ...], expected: bool) -> None:
    assert reaches_every_model(make_key(allowed_models=models)) is expected

"""Facets: counts per chip for the current search and filters, each facet lifting its own filter."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest
from keydash_core.errors import InvalidQuery
from keydash_core.facets import CountFacets, FacetQuery, top_values
from keydash_core.filter_table import FILTERS
from keydash_core.filters import FilterName, KeyFilters
from keydash_core.key_index import KeyIndexes, SnapshotIndex, narrow
from keydash_core.keys import ApiKey, KeyStatus
from keydash_core.list_keys import ListKeys
from keydash_core.query import KeyQuery, KeySnapshot
from keyfactory import make_key
from memory_fakes import FixedClock, InMemoryKeyRepository
from test_filters import NOW, _keys

# One set of keys for facets and table alike: make_key dates each new key a day later, and
# the rotation and last-use filters read creation dates.
_KEYS = _keys()


def _use_case() -> tuple[CountFacets, InMemoryKeyRepository]:
    repository = InMemoryKeyRepository(_KEYS, clock=FixedClock(NOW))
    return CountFacets(repository), repository


async def _table_total(**filters: object) -> int:
    repository = InMemoryKeyRepository(_KEYS, clock=FixedClock(NOW))
    page = await ListKeys(repository)(KeyQuery(filters=KeyFilters.parse(**filters)))
    return page.total


async def test_unfiltered_facets_count_every_key() -> None:
    use_case, _ = _use_case()
    facets = await use_case(FacetQuery())
    assert facets.total == facets.total_keys == 6
    assert facets.statuses == {KeyStatus.ACTIVE: 4, KeyStatus.EXPIRED: 1, KeyStatus.BLOCKED: 1}
    assert facets.chips[FilterName.EXPIRES_WITHIN_DAYS] == {7: 1, 30: 2, 90: 4}
    flags = (FilterName.NEVER_EXPIRES, FilterName.ALL_MODELS, FilterName.OWNER_MISSING)
    assert [facets.flag(name) for name in flags] == [1, 3, 1]
    assert facets.flag(FilterName.TEAM_MISSING) == 3
    assert facets.chips[FilterName.SPEND_SHARE_AT_LEAST] == {0.5: 2, 0.8: 2, 1.0: 1}
    assert facets.total_spend == pytest.approx(153.0)
    assert [(c.value, c.count) for c in facets.tags.values] == [
        ("prod", 2),
        ("finance", 1),
        ("staging", 1),
    ]
    assert facets.tags.distinct == 3
    assert [(c.value, c.count) for c in facets.teams.values] == [("finance", 2), ("research", 1)]
    assert next((c.value, c.count) for c in facets.owners.values) == ("Lee", 2)
    assert facets.models.distinct == 6
    assert not facets.truncated


async def test_a_facet_counts_with_its_own_filter_lifted() -> None:
    use_case, _ = _use_case()
    facets = await use_case(FacetQuery(filters=KeyFilters.parse(status=["expired"], tag=["prod"])))
    # Nothing is both expired and tagged prod...
    assert facets.total == 0
    # ...but each chip says what the table would hold with that chip alone changed.
    assert facets.statuses == {KeyStatus.ACTIVE: 2, KeyStatus.EXPIRED: 0, KeyStatus.BLOCKED: 0}
    assert [(c.value, c.count) for c in facets.tags.values] == [("staging", 1), ("prod", 0)]
    assert facets.flag(FilterName.NEVER_EXPIRES) == 0


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"status": ["active"]},
        {"team": ["finance"]},
        {"tag": ["prod"], "all_models": True},
        {"expires_within_days": 90, "status": ["active", "blocked"]},
    ],
)
async def test_every_chip_count_is_what_the_table_then_holds(filters: dict[str, object]) -> None:
    use_case, _ = _use_case()
    base = KeyFilters.parse(**filters)
    facets = await use_case(FacetQuery(filters=base))
    assert facets.total == await _table_total(**filters)
    for status, count in facets.statuses.items():
        assert count == await _table_total(**{**filters, "status": [status.value]})
    # Every declared chip: a flag's one (True), the presets of expires_within_days and spend.
    for spec in FILTERS:
        for preset in spec.presets:
            count = facets.chips[FilterName(spec.name)][preset]
            assert count == await _table_total(**{**filters, spec.name: preset}), spec.name
    for listed, name in ((facets.tags, "tag"), (facets.teams, "team"), (facets.owners, "owner")):
        for entry in listed.values:
            assert entry.count == await _table_total(**{**filters, name: [entry.value]})


async def test_facets_follow_the_search() -> None:
    use_case, _ = _use_case()
    facets = await use_case(FacetQuery(search="lee"))
    assert facets.total == 2
    assert facets.total_spend == pytest.approx(45.0)
    assert facets.statuses[KeyStatus.ACTIVE] == 2


async def test_answers_are_reused_until_the_snapshot_changes() -> None:
    use_case, repository = _use_case()
    first = await use_case(FacetQuery(search="lee"))
    assert await use_case(FacetQuery(search="lee")) is first
    repository.keys.append(make_key(alias="new"))
    assert await use_case(FacetQuery(search="lee")) is not first


async def test_list_and_facets_share_one_index() -> None:
    repository = InMemoryKeyRepository(_keys(), clock=FixedClock(NOW))
    indexes = KeyIndexes()
    await ListKeys(repository, indexes)(KeyQuery(search="prod"))
    index = indexes.for_snapshot(await repository.snapshot())
    await CountFacets(repository, indexes)(FacetQuery(search="prod"))
    assert indexes.for_snapshot(await repository.snapshot()) is index


def test_top_values_ranks_by_count_then_name_and_keeps_selected_values() -> None:
    counts = Counter({"b": 3, "a": 3, "c": 1, "d": 5})
    ranked = top_values(counts, 2, selected={"c", "zz"})
    assert [(c.value, c.count) for c in ranked.values] == [("d", 5), ("a", 3), ("c", 1), ("zz", 0)]
    assert ranked.distinct == 4


@pytest.mark.parametrize("limit", [0, 1001])
def test_limit_is_bounded(limit: int) -> None:
    with pytest.raises(InvalidQuery):
        FacetQuery(limit=limit)


def _random_keys(count: int) -> list[ApiKey]:
    rng = random.Random(5)
    statuses = list(KeyStatus)
    return [
        make_key(
            alias=f"key-{i}",
            owner_username=rng.choice([None, "ana", "bo", "cy"]),
            team_id=rng.choice([None, "t1", "t2"]),
            tags=tuple(rng.sample(["prod", "dev", "ml", "ops"], rng.randrange(3))),
            allowed_models=tuple(
                rng.sample(["gpt-4o", "claude", "all-team-models"], rng.randrange(3))
            ),
            status=rng.choice(statuses),
            expires_at=rng.choice([None, NOW + timedelta(days=rng.randrange(-5, 120))]),
            spend=rng.choice([None, 0.0, 40.0, 90.0]),
            max_budget=rng.choice([None, 50.0, 100.0]),
        )
        for i in range(count)
    ]


def _brute_force(
    keys: list[ApiKey], filters: KeyFilters, lifted: FilterName | None
) -> list[ApiKey]:
    applied = filters.without(lifted) if lifted else filters
    index = SnapshotIndex.build(KeySnapshot(keys=tuple(keys), fetched_at=NOW))
    return [keys[i] for i in narrow(index.columns, range(len(keys)), applied, NOW.timestamp())]


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"status": ["active"]},
        {"status": ["active", "expired"]},  # two thirds: counted as all minus the rest
        {"status": ["blocked"], "tag": ["ml"]},
        {"never_expires": True},
        {"team_missing": True, "status": ["active"]},
        {"team": ["t1", "t2"], "expires_within_days": 30},
        {"owner": ["ana"], "spend_share_at_least": 0.8},
    ],
)
async def test_counts_over_broad_and_narrow_views_match_a_plain_count(
    filters: dict[str, object],
) -> None:
    # Views holding most keys are counted as "all minus the rest": check it against plain loops.
    keys = _random_keys(400)
    parsed = KeyFilters.parse(**filters)
    facets = await CountFacets(InMemoryKeyRepository(keys, clock=FixedClock(NOW)))(
        FacetQuery(filters=parsed)
    )
    assert facets.total == len(_brute_force(keys, parsed, None))
    by_status = Counter(key.status for key in _brute_force(keys, parsed, FilterName.STATUS))
    assert facets.statuses == {status: by_status[status] for status in KeyStatus}
    tags = Counter(tag for key in _brute_force(keys, parsed, FilterName.TAG) for tag in key.tags)
    assert {c.value: c.count for c in facets.tags.values if c.count} == dict(tags)
    owners = Counter(key.owner for key in _brute_force(keys, parsed, FilterName.OWNER) if key.owner)
    assert {c.value: c.count for c in facets.owners.values if c.count} == dict(owners)
    never = [
        key for key in _brute_force(keys, parsed, FilterName.NEVER_EXPIRES) if not key.expires_at
    ]
    assert facets.flag(FilterName.NEVER_EXPIRES) == len(never)
    no_team = [
        key for key in _brute_force(keys, parsed, FilterName.TEAM_MISSING) if not key.team_id
    ]
    assert facets.flag(FilterName.TEAM_MISSING) == len(no_team)
    shares = _brute_force(keys, parsed, FilterName.SPEND_SHARE_AT_LEAST)
    for least, count in facets.chips[FilterName.SPEND_SHARE_AT_LEAST].items():
        assert count == sum(
            1 for key in shares if key.max_budget and (key.spend or 0) / key.max_budget >= least
        )


async def test_a_prepared_index_is_the_one_every_use_case_then_uses() -> None:
    repository = InMemoryKeyRepository(_keys(), clock=FixedClock(NOW))
    snapshot = await repository.snapshot()
    indexes = KeyIndexes()
    await indexes.prepare(snapshot)
    index = indexes.for_snapshot(snapshot)
    # Built in the worker thread with the default order and filter columns already derived.
    assert index.orders
    assert "columns" in vars(index)
    page = await ListKeys(repository, indexes)(KeyQuery(search="lee"))
    assert page.total == 2
    assert indexes.for_snapshot(snapshot) is index

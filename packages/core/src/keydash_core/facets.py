"""Use case: how many keys each filter would select, for the current search and filters.

Each facet counts over the keys matching the search and every *other* active filter (its own
filter lifted), so a chip's count is what the table will hold once that chip alone changes;
`total` and `total_spend` describe the current view with every filter applied.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import chain
from typing import Any

from keydash_core.errors import InvalidQuery
from keydash_core.filter_kinds import Positions
from keydash_core.filter_table import FILTERS, FilterName
from keydash_core.filters import NO_FILTERS, KeyFilters
from keydash_core.freshness import Freshness
from keydash_core.key_index import FilterColumns, KeyIndexes, SnapshotIndex
from keydash_core.keys import KeyStatus
from keydash_core.ports import KeyRepository

DEFAULT_FACET_LIMIT = 100
MAX_FACET_LIMIT = 1000
# Facet answers kept per snapshot: the filter bar asks again on every view change and back.
FACET_CACHE_SIZE = 32


@dataclass(frozen=True)
class FacetQuery:
    search: str = ""
    filters: KeyFilters = NO_FILTERS
    # Values listed per facet (tags, models, teams, owners), the most frequent first.
    limit: int = DEFAULT_FACET_LIMIT

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_FACET_LIMIT:
            raise InvalidQuery("limit", f"must be between 1 and {MAX_FACET_LIMIT}")

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(term for term in self.search.casefold().split() if term)


@dataclass(frozen=True)
class ValueCount:
    value: str
    count: int


@dataclass(frozen=True)
class ValueCounts:
    values: tuple[ValueCount, ...]
    # How many different values there are, listed or not.
    distinct: int


@dataclass(frozen=True)
class KeyFacets:
    total: int
    total_spend: float
    statuses: dict[KeyStatus, int]
    # Per filter with chips to count (`Filter.presets`): the keys each chip would select. A flag
    # has one chip (True); expires_within_days and spend_share_at_least one per preset.
    chips: dict[FilterName, dict[Any, int]]
    tags: ValueCounts
    models: ValueCounts
    teams: ValueCounts
    owners: ValueCounts
    total_keys: int
    store_total: int
    fetched_at: datetime
    freshness: Freshness | None = None

    @property
    def truncated(self) -> bool:
        return self.store_total > self.total_keys

    def flag(self, name: FilterName) -> int:
        """A yes/no filter's one count (never_expires, owner_missing, ...)."""
        return self.chips[name][True]


def top_values(counts: Counter[str], limit: int, selected: Iterable[str]) -> ValueCounts:
    """The `limit` most frequent values (ties by name), plus any selected value left out."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    listed = ranked[:limit]
    shown = {value for value, _ in listed}
    listed += sorted((value, counts[value]) for value in selected if value not in shown)
    return ValueCounts(
        values=tuple(ValueCount(value, count) for value, count in listed), distinct=len(counts)
    )


class CountFacets:
    def __init__(self, repository: KeyRepository, indexes: KeyIndexes | None = None) -> None:
        self._repository = repository
        self._indexes = indexes or KeyIndexes()
        self._answers: OrderedDict[FacetQuery, KeyFacets] = OrderedDict()
        self._answers_for: SnapshotIndex | None = None

    async def __call__(self, query: FacetQuery) -> KeyFacets:
        snapshot = await self._repository.snapshot()
        index = self._indexes.for_snapshot(snapshot)
        if index is not self._answers_for:
            self._answers.clear()
            self._answers_for = index
        found = self._answers.get(query)
        if found is None:
            found = _Counter(index, query).facets()
            self._answers[query] = found
            if len(self._answers) > FACET_CACHE_SIZE:
                self._answers.popitem(last=False)
        else:
            self._answers.move_to_end(query)
        # Counts stay valid for the snapshot; how fresh the snapshot is changes by the minute.
        freshness = self._repository.freshness()
        if found.freshness != freshness:
            as_of = freshness.as_of or found.fetched_at
            found = replace(found, freshness=freshness, fetched_at=as_of)
            self._answers[query] = found
        return found


_Column = tuple[object, ...]


class _Counter:
    """Counts over the prepared columns with C-level loops (map, chain, Counter). A view holding
    most keys is counted as all keys (counted once per snapshot) minus the few it leaves out."""

    def __init__(self, index: SnapshotIndex, query: FacetQuery) -> None:
        self._index = index
        self._query = query
        self._columns = index.columns
        self._size = len(index.snapshot.keys)
        if index.all_positions is None:
            index.all_positions = frozenset(index.positions)
        self._all: frozenset[int] = index.all_positions
        self._complements: dict[int, frozenset[int]] = {}
        # One pass per view and column (chips without a filter to lift share a view), holding
        # the view too, so its id is not reused while the entry lives.
        self._tallies: dict[tuple[str, int], tuple[Positions, Counter[Any]]] = {}

    def base(self, lifted: FilterName | None = None) -> Positions:
        """Keys matching the search and the filters, with `lifted` left out."""
        filters = self._query.filters
        if lifted is not None and lifted in filters.active:
            filters = filters.without(lifted)
        return self._index.select(None, self._query.terms, filters)

    def tally(self, name: str, column: _Column, positions: Positions, many: bool) -> Counter[Any]:
        """How often each value occurs in `column` over `positions`; do not modify the answer."""
        memo = (name, id(positions))  # selections are cached objects: one view, one identity
        found = self._tallies.get(memo)
        if found is None:
            found = self._tallies[memo] = (positions, self._tally(name, column, positions, many))
        return found[1]

    def _tally(self, name: str, column: _Column, positions: Positions, many: bool) -> Counter[Any]:
        if len(positions) * 2 <= self._size:
            return _count(column, positions, many)
        every = self._index.full_counts.get(name)
        if every is None:
            every = self._index.full_counts[name] = _count(column, range(self._size), many)
        counts: Counter[Any] = Counter(every)
        counts.subtract(_count(column, self._complement(positions), many))
        return counts

    def _complement(self, positions: Positions) -> Iterable[int]:
        """The keys a view leaves out (in any order), once per view: every tally reuses it."""
        key = id(positions)  # selections are cached objects: one view, one identity
        found = self._complements.get(key)
        if found is None:
            found = self._complements[key] = self._all.difference(positions)
        return found

    def flags(self) -> tuple[tuple[str, ...], ...]:
        if self._index.flag_rows is None:
            self._index.flag_rows = _flags(self._columns, self._index.now)
        return self._index.flag_rows

    def facets(self) -> KeyFacets:
        columns, filters, limit = self._columns, self._query.filters, self._query.limit
        snapshot = self._index.snapshot
        selected = self.base()
        flags = self.flags()

        def chip_count(lifted: FilterName, flag: str) -> int:
            return int(self.tally("flags", flags, self.base(lifted), many=True)[flag])

        def listing(name: str, lifted: FilterName, column: _Column, many: bool) -> Counter[str]:
            counts = +self.tally(name, column, self.base(lifted), many)  # only values present
            counts.pop(None, None)
            return counts

        statuses = self.tally("statuses", columns.statuses, self.base(FilterName.STATUS), False)
        return KeyFacets(
            total=len(selected),
            total_spend=round(sum(map(columns.spends.__getitem__, selected)), 6),
            statuses={status: int(statuses[status]) for status in KeyStatus},
            chips={
                FilterName(spec.name): {
                    preset: chip_count(FilterName(spec.name), spec.flag_of(preset))
                    for preset in spec.presets
                }
                for spec in FILTERS
                if spec.presets
            },
            tags=top_values(
                listing("tags", FilterName.TAG, columns.tags, True), limit, filters.tags
            ),
            models=top_values(
                listing("models", FilterName.MODEL, columns.models, True), limit, filters.models
            ),
            teams=top_values(
                listing("teams", FilterName.TEAM, columns.teams, False), limit, filters.teams
            ),
            owners=top_values(
                listing("owners", FilterName.OWNER, columns.owners, False), limit, filters.owners
            ),
            total_keys=len(snapshot.keys),
            store_total=snapshot.store_total,
            fetched_at=snapshot.fetched_at,
        )


def _count(column: _Column, positions: Iterable[int], many: bool) -> Counter[Any]:
    values: Iterator[Any] = map(column.__getitem__, positions)
    return Counter(chain.from_iterable(values) if many else values)


def _flags(columns: FilterColumns, now: float) -> tuple[tuple[str, ...], ...]:
    """Per key, the chips it counts towards (`Filter.flag_of`), so one pass counts them all.

    Each chip's keys come from its filter's own narrowing over all keys: chip and table agree.
    """
    keys = range(len(columns.statuses))
    found: list[list[str]] = [[] for _ in keys]
    for spec in FILTERS:
        column = getattr(columns, spec.column)
        for preset in spec.presets:
            flag = spec.flag_of(preset)
            for i in spec.narrow(column, keys, preset, now):
                found[i].append(flag)
    return tuple(tuple(flags) for flags in found)

"""Use case: how many keys each filter would select, for the current search and filters.

Each facet counts over the keys matching the search and every *other* active filter (its own
filter lifted), so a chip's count is what the table will hold once that chip alone changes;
`total` and `total_spend` describe the current view with every filter applied.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import chain

from keydash_core.errors import InvalidQuery
from keydash_core.filters import NO_FILTERS, FilterName, KeyFilters
from keydash_core.key_index import KeyIndexes, Positions, SnapshotIndex, expires_within
from keydash_core.keys import KeyStatus
from keydash_core.ports import KeyRepository

EXPIRES_WITHIN_PRESETS = (7, 30, 90)
SPEND_SHARE_PRESETS = (0.5, 0.8, 1.0)
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
    expires_within_days: dict[int, int]
    never_expires: int
    all_models: int
    owner_missing: int
    spend_share_at_least: dict[float, int]
    tags: ValueCounts
    models: ValueCounts
    teams: ValueCounts
    owners: ValueCounts
    total_keys: int
    store_total: int
    fetched_at: datetime

    @property
    def truncated(self) -> bool:
        return self.store_total > self.total_keys


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
        return found


class _Counter:
    def __init__(self, index: SnapshotIndex, query: FacetQuery) -> None:
        self._index = index
        self._query = query
        self._columns = index.columns

    def base(self, lifted: FilterName | None = None) -> Positions:
        """Keys matching the search and the filters, with `lifted` left out."""
        filters = self._query.filters
        if lifted is not None and lifted in filters.active:
            filters = filters.without(lifted)
        return self._index.select(None, self._query.terms, filters)

    def facets(self) -> KeyFacets:
        columns, filters, limit = self._columns, self._query.filters, self._query.limit
        snapshot, now = self._index.snapshot, self._index.now
        selected = self.base()
        statuses = Counter(map(columns.statuses.__getitem__, self.base(FilterName.STATUS)))
        within = self.base(FilterName.EXPIRES_WITHIN_DAYS)
        expiry = columns.expires_at
        shares_base = self.base(FilterName.SPEND_SHARE_AT_LEAST)
        shares = columns.spend_shares
        owners = columns.owners
        return KeyFacets(
            total=len(selected),
            total_spend=round(sum(map(columns.spends.__getitem__, selected)), 6),
            statuses={status: statuses[status] for status in KeyStatus},
            expires_within_days={
                days: len(expires_within(columns, within, now, days))
                for days in EXPIRES_WITHIN_PRESETS
            },
            never_expires=sum(1 for i in self.base(FilterName.NEVER_EXPIRES) if expiry[i] is None),
            all_models=sum(map(columns.every_model.__getitem__, self.base(FilterName.ALL_MODELS))),
            owner_missing=sum(1 for i in self.base(FilterName.OWNER_MISSING) if owners[i] is None),
            spend_share_at_least={
                least: sum(1 for i in shares_base if (s := shares[i]) is not None and s >= least)
                for least in SPEND_SHARE_PRESETS
            },
            tags=top_values(
                Counter(
                    chain.from_iterable(map(columns.tags.__getitem__, self.base(FilterName.TAG)))
                ),
                limit,
                filters.tags,
            ),
            models=top_values(
                Counter(
                    chain.from_iterable(
                        map(columns.models.__getitem__, self.base(FilterName.MODEL))
                    )
                ),
                limit,
                filters.models,
            ),
            teams=top_values(
                _present(columns.teams, self.base(FilterName.TEAM)), limit, filters.teams
            ),
            owners=top_values(_present(owners, self.base(FilterName.OWNER)), limit, filters.owners),
            total_keys=len(snapshot.keys),
            store_total=snapshot.store_total,
            fetched_at=snapshot.fetched_at,
        )


def _present(column: tuple[str | None, ...], positions: Positions) -> Counter[str]:
    counts: Counter[str | None] = Counter(map(column.__getitem__, positions))
    counts.pop(None, None)
    return counts  # type: ignore[return-value]

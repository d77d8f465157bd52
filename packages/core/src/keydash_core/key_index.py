"""Work derived from one snapshot (search text, sort orders, filter columns), kept until it changes.

Sorting every key and lower-casing every field per request would make a warm request cost as much
as a cold one; a snapshot is immutable, so what is derived from it can be kept with it. The use
cases share one `KeyIndexes`, so the table, the facets and the export build it once between them.
"""

from __future__ import annotations

import asyncio
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from keydash_core.filter_kinds import Positions as Positions
from keydash_core.filter_table import FILTERS
from keydash_core.filters import KeyFilters, reaches_every_model, spend_share
from keydash_core.key_insights import (
    LastUse,
    budget_at_risk,
    is_zombie,
    last_use,
    rotation_missing,
    rotation_overdue,
    unused_since,
)
from keydash_core.keys import KeyStatus
from keydash_core.query import KeySnapshot, SortField, SortOrder
from keydash_core.search import clean_terms, haystack
from keydash_core.sorting import sort_positions, tie_break_positions

# (sort or None for "any order", search terms, filters): the selections recently asked for.
_SelectionKey = tuple[tuple[SortField, SortOrder] | None, tuple[str, ...], KeyFilters]
SELECTION_CACHE_SIZE = 32


@dataclass(frozen=True)
class FilterColumns:
    """One value per key, by position: filters and facets read these instead of the keys.

    A filter names the column it reads (`Filter.column`).
    """

    statuses: tuple[KeyStatus, ...]
    expires_at: tuple[float | None, ...]  # POSIX seconds
    tags: tuple[tuple[str, ...], ...]
    models: tuple[tuple[str, ...], ...]
    teams: tuple[str | None, ...]
    owners: tuple[str | None, ...]
    every_model: tuple[bool, ...]
    spend_shares: tuple[float | None, ...]
    spends: tuple[float, ...]
    unused_since: tuple[float | None, ...]  # POSIX seconds (`key_insights.unused_since`)
    never_used: tuple[bool, ...]
    last_use_unknown: tuple[bool, ...]
    zombies: tuple[bool, ...]
    rotation_overdue: tuple[bool, ...]
    rotation_missing: tuple[bool, ...]
    budget_at_risk: tuple[bool, ...]

    @classmethod
    def build(cls, snapshot: KeySnapshot) -> FilterColumns:
        keys = snapshot.keys
        now = snapshot.fetched_at
        states = [last_use(key, snapshot.last_use_since) for key in keys]
        since = [unused_since(key, state) for key, state in zip(keys, states, strict=True)]
        return cls(
            statuses=tuple(key.status for key in keys),
            expires_at=tuple(
                key.expires_at.timestamp() if key.expires_at is not None else None for key in keys
            ),
            tags=tuple(key.tags for key in keys),
            models=tuple(key.allowed_models for key in keys),
            teams=tuple(key.team_id for key in keys),
            owners=tuple(key.owner for key in keys),
            every_model=tuple(reaches_every_model(key) for key in keys),
            spend_shares=tuple(spend_share(key) for key in keys),
            spends=tuple(key.spend or 0.0 for key in keys),
            unused_since=tuple(at.timestamp() if at is not None else None for at in since),
            never_used=tuple(state is LastUse.NEVER for state in states),
            last_use_unknown=tuple(state is LastUse.UNKNOWN for state in states),
            zombies=tuple(is_zombie(key, at, now) for key, at in zip(keys, since, strict=True)),
            rotation_overdue=tuple(rotation_overdue(key, now) for key in keys),
            rotation_missing=tuple(rotation_missing(key, now) for key in keys),
            budget_at_risk=tuple(budget_at_risk(key, now) for key in keys),
        )


def narrow(
    columns: FilterColumns, positions: Positions, filters: KeyFilters, now: float
) -> Positions:
    """The positions, in their order, of the keys every active filter accepts.

    Each active filter (`filter_table.FILTERS`, in its order) runs one comprehension over the
    survivors of the previous one, reading its prepared column: no call per key, so filtering
    100,000 keys stays in milliseconds.
    """
    found = positions
    for spec in FILTERS:
        value = getattr(filters, spec.field)
        if spec.is_active(value):
            found = spec.narrow(getattr(columns, spec.column), found, value, now)
    return found


@dataclass
class SnapshotIndex:
    snapshot: KeySnapshot
    haystacks: tuple[str, ...]
    partial_count: int
    orders: dict[tuple[SortField, SortOrder], tuple[int, ...]] = field(default_factory=dict)
    # The created_at/id order every sort falls back on, computed once for all sort fields.
    tie_break: tuple[int, ...] | None = None
    selections: OrderedDict[_SelectionKey, Positions] = field(default_factory=OrderedDict)
    # What the facets derive from this snapshot once (facets.py): every position, the counts of
    # all keys per facet, and each key's flags.
    all_positions: frozenset[int] | None = None
    full_counts: dict[str, Counter[Any]] = field(default_factory=dict)
    flag_rows: tuple[tuple[str, ...], ...] | None = None

    @classmethod
    def build(cls, snapshot: KeySnapshot) -> SnapshotIndex:
        return cls(
            snapshot=snapshot,
            haystacks=tuple(haystack(key) for key in snapshot.keys),
            partial_count=snapshot.partial_count,
        )

    @cached_property
    def positions(self) -> tuple[int, ...]:
        """Every position, in key order: selections share these int objects instead of each
        holding its own (28 bytes an entry of every cached selection)."""
        return tuple(range(len(self.snapshot.keys)))

    @cached_property
    def columns(self) -> FilterColumns:
        # Built on the first filter or facet: a table that is only searched never pays for it.
        return FilterColumns.build(self.snapshot)

    @property
    def now(self) -> float:
        """The instant relative filters are measured from: when the keys were read."""
        return self.snapshot.fetched_at.timestamp()

    def order(self, sort_by: SortField, sort_order: SortOrder) -> tuple[int, ...]:
        cached = self.orders.get((sort_by, sort_order))
        if cached is None:
            keys = self.snapshot.keys
            if self.tie_break is None:
                self.tie_break = tuple(tie_break_positions(keys))
            cached = tuple(sort_positions(keys, self.tie_break, sort_by, sort_order))
            self.orders[(sort_by, sort_order)] = cached
        return cached

    def select(
        self,
        sort: tuple[SortField, SortOrder] | None,
        terms: tuple[str, ...],
        filters: KeyFilters,
    ) -> Positions:
        """Positions of the keys matching search and filters, sorted (or in any order for None).

        Recent selections are kept, so paging through a search or a filter does not redo it.
        """
        cache_key = (sort, terms, filters)
        found = self.selections.get(cache_key)
        if found is not None:
            self.selections.move_to_end(cache_key)
            return found
        if sort is not None:
            found = self.order(*sort)
        elif terms or not filters.is_empty:
            found = self.positions
        else:
            found = range(len(self.snapshot.keys))
        found = self._search(found, clean_terms(terms))
        if not filters.is_empty:
            found = narrow(self.columns, found, filters, self.now)
        self.selections[cache_key] = found
        if len(self.selections) > SELECTION_CACHE_SIZE:
            self.selections.popitem(last=False)
        return found

    def _search(self, order: Positions, terms: tuple[str, ...]) -> Positions:
        """Positions of `order` whose haystack holds every term (`search.matches`), in order."""
        haystacks = self.haystacks
        found = order
        for term in terms:
            found = [i for i in found if term in haystacks[i]]
        return found


def build_ready(snapshot: KeySnapshot) -> SnapshotIndex:
    """An index with what nearly every request needs already derived: search text, the default
    order and the filter columns."""
    index = SnapshotIndex.build(snapshot)
    index.order(SortField.CREATED_AT, SortOrder.DESC)
    _ = index.columns
    return index


class KeyIndexes:
    """Holds the index of the latest snapshot; shared by every use case that reads keys."""

    def __init__(self) -> None:
        self._index: SnapshotIndex | None = None

    def for_snapshot(self, snapshot: KeySnapshot) -> SnapshotIndex:
        if self._index is None or self._index.snapshot is not snapshot:
            self._index = SnapshotIndex.build(snapshot)
        return self._index

    async def prepare(self, snapshot: KeySnapshot) -> None:
        """Index a new snapshot in a worker thread before anyone asks for it.

        At 100,000 keys the index takes about a second of CPU; built on the event loop by the
        first request after a refresh, it would stall every request for that second. In a
        thread, the loop keeps answering from the previous snapshot meanwhile.
        """
        index = await asyncio.to_thread(build_ready, snapshot)
        self._index = index

"""Use case: every key matching a query, in its sort order, for an admin to take away."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from keydash_core.freshness import Freshness
from keydash_core.key_index import KeyIndexes, Positions
from keydash_core.keys import ApiKey
from keydash_core.ports import KeyRepository
from keydash_core.query import KeyQuery, KeySnapshot


@dataclass(frozen=True)
class KeyExport:
    """The matching keys of one snapshot; iterate `keys()` to stream them without copying."""

    snapshot: KeySnapshot
    positions: Positions
    freshness: Freshness | None = None

    @property
    def total(self) -> int:
        return len(self.positions)

    @property
    def fetched_at(self) -> datetime:
        as_of = self.freshness.as_of if self.freshness is not None else None
        return as_of or self.snapshot.fetched_at

    @property
    def truncated(self) -> bool:
        return self.snapshot.truncated

    def keys(self) -> Iterator[ApiKey]:
        every_key = self.snapshot.keys
        return (every_key[i] for i in self.positions)


class ExportKeys:
    def __init__(self, repository: KeyRepository, indexes: KeyIndexes | None = None) -> None:
        self._repository = repository
        self._indexes = indexes or KeyIndexes()

    async def __call__(self, query: KeyQuery) -> KeyExport:
        """All keys matching the query's search and filters, in its sort order (pages ignored)."""
        snapshot = await self._repository.snapshot()
        index = self._indexes.for_snapshot(snapshot)
        positions = index.select(query.sort, query.terms, query.filters)
        return KeyExport(snapshot, positions, self._repository.freshness())

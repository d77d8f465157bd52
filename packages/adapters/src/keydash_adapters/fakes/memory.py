"""In-memory stand-ins for the core's ports, for unit tests: they record what happened."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from keydash_core.errors import KeydashError
from keydash_core.keys import ApiKey
from keydash_core.query import KeySnapshot, StorePage
from keydash_core.sorting import tie_break_order


class FixedClock:
    def __init__(self, at: datetime | None = None) -> None:
        self.current = at or datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)


class InMemoryKeyRepository:
    def __init__(
        self,
        keys: Iterable[ApiKey] = (),
        *,
        clock: FixedClock | None = None,
        snapshot_ready: bool = True,
    ) -> None:
        self.keys = list(keys)
        self.clock = clock or FixedClock()
        self.snapshot_ready = snapshot_ready
        self.reads = 0
        self.page_reads: list[tuple[int, int]] = []
        self.failure: KeydashError | None = None
        self._snapshot: KeySnapshot | None = None

    async def snapshot(self) -> KeySnapshot:
        self.reads += 1
        if self.failure is not None:
            raise self.failure
        current = tuple(self.keys)
        # Same object while nothing changed, like a cached real repository.
        if self._snapshot is None or self._snapshot.keys != current:
            self._snapshot = KeySnapshot(keys=current, fetched_at=self.clock.now())
        return self._snapshot

    def has_snapshot(self) -> bool:
        return self.snapshot_ready

    async def natural_page(self, page: int, size: int) -> StorePage:
        self.page_reads.append((page, size))
        if self.failure is not None:
            raise self.failure
        ordered = tie_break_order(self.keys)
        start = (page - 1) * size
        return StorePage(
            keys=tuple(ordered[start : start + size]),
            total=len(ordered),
            fetched_at=self.clock.now(),
        )

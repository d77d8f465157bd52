"""In-memory stand-ins for the core's ports, for its unit tests: they record what happened."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from keydash_core.errors import KeydashError, MirrorLoading
from keydash_core.freshness import AnswerSource, Freshness
from keydash_core.keys import ApiKey
from keydash_core.query import KeySnapshot, StorePage, StoreView
from ordering import sort_keys


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
        self.views: list[StoreView] = []
        self.failure: KeydashError | None = None
        self.stale = False
        self._snapshot: KeySnapshot | None = None

    async def snapshot(self) -> KeySnapshot:
        if not self.snapshot_ready:
            raise MirrorLoading(0, len(self.keys), None)
        self.reads += 1  # snapshots served
        if self.failure is not None:
            raise self.failure
        current = tuple(self.keys)
        # Same object while nothing changed, like a cached real repository.
        if self._snapshot is None or self._snapshot.keys != current:
            self._snapshot = KeySnapshot(keys=current, fetched_at=self.clock.now())
        return self._snapshot

    async def store_page(self, view: StoreView) -> StorePage:
        self.page_reads.append((view.page, view.size))
        self.views.append(view)
        if self.failure is not None:
            raise self.failure
        chosen = [k for k in self.keys if view.status is None or k.status is view.status]
        ordered = sort_keys(chosen, view.sort_by, view.sort_order)
        start = (view.page - 1) * view.size
        now = self.clock.now()
        return StorePage(
            keys=tuple(ordered[start : start + view.size]),
            total=len(ordered),
            fetched_at=now,
            freshness=Freshness(as_of=now, source=AnswerSource.LITELLM_PAGE),
        )

    def freshness(self) -> Freshness:
        as_of = self._snapshot.fetched_at if self._snapshot else self.clock.now()
        return Freshness(as_of=as_of, stale=self.stale)

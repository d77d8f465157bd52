"""KeyRepository over LiteLLM: reads every page, keeps a short-lived snapshot, shares reads.

Search and sort over tags, models and owner cannot be delegated to LiteLLM, so a snapshot holds
every key (up to a configured bound). The snapshot is a cache, not state: losing it loses
nothing, the next request reads LiteLLM again.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from typing import Any

from keydash_core.errors import UpstreamBadResponse
from keydash_core.keys import ApiKey
from keydash_core.ports import Clock
from keydash_core.query import KeySnapshot, StorePage

from keydash_adapters.litellm.client import KeyListPage, LiteLLMKeyListClient
from keydash_adapters.litellm.mapping import to_api_key, unreadable_record
from keydash_adapters.litellm.observer import NullObserver, UpstreamObserver

LITELLM_MAX_PAGE_SIZE = 100
# Default-view pages remembered for the cache TTL; a handful covers everyone paging the newest keys.
_MAX_REMEMBERED_PAGES = 64


class LiteLLMKeyRepository:
    def __init__(
        self,
        client: LiteLLMKeyListClient,
        clock: Clock,
        *,
        concurrency: int = 4,
        cache_ttl_seconds: float = 10.0,
        stale_seconds: float = 0.0,
        max_keys: int = 200_000,
        page_size: int = LITELLM_MAX_PAGE_SIZE,
        observer: UpstreamObserver | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        prepare: Callable[[KeySnapshot], Awaitable[None]] | None = None,
    ) -> None:
        self._client = client
        self._clock = clock
        self._concurrency = max(1, concurrency)
        self._ttl = cache_ttl_seconds
        # A TTL of 0 turns the cache off, and with it the stale window: every answer reads anew.
        self._stale = stale_seconds if cache_ttl_seconds > 0 else 0.0
        self._max_keys = max_keys
        self._page_size = page_size
        self._observer = observer or NullObserver()
        self._monotonic = monotonic
        # Work to do on a new snapshot before it is served (indexing it off the event loop).
        self._prepare = prepare
        self._cached: tuple[float, KeySnapshot] | None = None
        self._inflight: asyncio.Task[KeySnapshot] | None = None
        self._pages: dict[tuple[int, int], tuple[float, StorePage]] = {}
        self._page_reads: dict[tuple[int, int], asyncio.Task[StorePage]] = {}
        # One bound for every call this replica makes to LiteLLM, full reads and single pages alike.
        self._limit = asyncio.Semaphore(self._concurrency)

    def _age(self) -> float:
        return math.inf if self._cached is None else self._monotonic() - self._cached[0]

    def has_snapshot(self) -> bool:
        return self._age() < self._ttl + self._stale

    async def snapshot(self) -> KeySnapshot:
        age = self._age()
        if self._cached is not None and age < self._ttl + self._stale:
            if age >= self._ttl:
                # Stale but usable: answer now, refresh behind the user's back.
                self._start_refresh()
            self._observer.snapshot_served(from_cache=True)
            return self._cached[1]
        self._observer.snapshot_served(from_cache=False)
        # Shielded: one impatient client hanging up must not cancel the read others wait for.
        return await asyncio.shield(self._start_refresh())

    async def natural_page(self, page: int, size: int) -> StorePage:
        remembered = self._pages.get((page, size))
        if remembered is not None:
            age = self._monotonic() - remembered[0]
            if age < self._ttl + self._stale:
                if age >= self._ttl:
                    # Stale but usable, like the snapshot: answer now, re-read behind the user.
                    self._read_page_once(page, size)
                self._observer.snapshot_served(from_cache=True)
                return remembered[1]
        self._observer.snapshot_served(from_cache=False)
        return await asyncio.shield(self._read_page_once(page, size))

    def _read_page_once(self, page: int, size: int) -> asyncio.Task[StorePage]:
        task = self._page_reads.get((page, size))
        if task is None:
            # Single flight per page: a burst of dashboards opening at once costs one read.
            task = asyncio.ensure_future(self._read_natural_page(page, size))
            self._page_reads[(page, size)] = task
            task.add_done_callback(lambda done: self._finish_page_read(page, size, done))
        return task

    def _finish_page_read(self, page: int, size: int, task: asyncio.Task[StorePage]) -> None:
        self._page_reads.pop((page, size), None)
        # Marks a failure retrieved when nobody awaited a background re-read; the stale page
        # stays until its window ends, then the next request reads (and fails) in the open.
        if not task.cancelled():
            task.exception()

    async def _read_natural_page(self, page: int, size: int) -> StorePage:
        async with self._limit:
            result = await self._fetch(page, size)
        now = self._clock.now()
        keys = _dedupe(_to_api_keys(result.records, now=now))
        found = StorePage(keys=keys, total=result.total_count, fetched_at=now)
        if self._ttl > 0:
            if len(self._pages) >= _MAX_REMEMBERED_PAGES:
                self._pages.clear()
            self._pages[(page, size)] = (self._monotonic(), found)
        return found

    def _start_refresh(self) -> asyncio.Task[KeySnapshot]:
        if self._inflight is None:
            self._inflight = asyncio.ensure_future(self._load())
            self._inflight.add_done_callback(self._finish_refresh)
        return self._inflight

    def _finish_refresh(self, task: asyncio.Task[KeySnapshot]) -> None:
        if self._inflight is task:
            self._inflight = None
        # Reading the exception also marks it retrieved when nobody awaited a background refresh.
        if not task.cancelled() and task.exception() is None and self._ttl + self._stale > 0:
            self._cached = (self._monotonic(), task.result())

    async def _load(self) -> KeySnapshot:
        started = self._monotonic()
        keys, upstream_total = await self._read_all_keys(self._clock.now())
        now = self._clock.now()
        unique = _dedupe(keys)[: self._max_keys]
        self._observer.snapshot_loaded(len(unique), self._monotonic() - started)
        snapshot = KeySnapshot(keys=unique, fetched_at=now, upstream_total=upstream_total)
        if self._prepare is not None:
            await self._prepare(snapshot)
        return snapshot

    async def _read_all_keys(self, now: datetime) -> tuple[list[ApiKey], int]:
        """Every page's keys in page order, each record mapped at its place in the whole read.

        Pages are mapped as soon as every page before them has arrived, while later pages are
        still in flight: LiteLLM's records (several KB each, with the owner's user row) are
        dropped at once instead of all being held until the last page (at 100,000 keys that
        was most of the API's memory), and the mapping overlaps the waiting.
        """
        size = self._page_size
        async with self._limit:
            first = await self._fetch(1, size)
        keys = list(_to_api_keys(first.records, now=now))
        # Beyond the bound only the newest keys are read; the API says so instead of hiding it.
        page_cap = max(1, -(-self._max_keys // size))
        pages_known, next_page = min(first.total_pages, page_cap), 2
        upstream_total = first.total_count
        arrived: dict[int, KeyListPage] = {}
        cursor = [2, len(first.records)]  # next page to map, records mapped so far
        del first

        def map_arrived() -> None:
            while cursor[0] in arrived:
                records = arrived.pop(cursor[0]).records
                keys.extend(_to_api_keys(records, now=now, start=cursor[1]))
                cursor[0] += 1
                cursor[1] += len(records)

        async def worker() -> None:
            nonlocal next_page, pages_known, upstream_total
            # Keys created while we read can grow the page count; read until it stops growing.
            while next_page <= pages_known:
                page, next_page = next_page, next_page + 1
                # A page at a time per worker, not every page queued at once on the bound: a
                # default-view page asked for meanwhile waits for one slot, not the whole read.
                async with self._limit:
                    found = await self._fetch(page, size)
                pages_known = min(max(pages_known, found.total_pages), page_cap)
                upstream_total = max(upstream_total, found.total_count)
                arrived[page] = found
                del found
                map_arrived()

        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(self._concurrency):
                    group.create_task(worker())
        except ExceptionGroup as failures:
            # The first failure explains the read; the rest were cancelled by the group.
            raise failures.exceptions[0] from None
        return keys, upstream_total

    async def _fetch(self, page: int, size: int) -> KeyListPage:
        result = await self._client.fetch_page(page, size)
        if any(isinstance(record, str) for record in result.records):
            # An older LiteLLM ignores expand=user and sends bare hashes: ask for full objects.
            result = await self._client.fetch_page(page, size, full_object=True)
            if any(isinstance(record, str) for record in result.records):
                raise UpstreamBadResponse("LiteLLM sent bare key hashes instead of key objects")
        return result


def _to_api_keys(records: Iterable[Any], *, now: datetime, start: int = 0) -> Iterable[ApiKey]:
    for position, record in enumerate(records, start):
        if isinstance(record, dict):
            yield to_api_key(record, now=now, position=position)
        else:
            yield unreadable_record(record, position=position)


def _dedupe(keys: Iterable[ApiKey]) -> tuple[ApiKey, ...]:
    # Pages read while keys are created shift by one; the same key can arrive twice.
    unique: dict[str, ApiKey] = {}
    for key in keys:
        unique.setdefault(key.id, key)
    return tuple(unique.values())

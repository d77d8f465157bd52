"""KeyRepository over LiteLLM: reads every page, keeps a short-lived snapshot, shares reads.

Search and sort over tags, models and owner cannot be delegated to LiteLLM, so a snapshot holds
every key. The snapshot is a cache, not state: losing it loses nothing, the next request reads
LiteLLM again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from keydash_core.errors import UpstreamBadResponse
from keydash_core.keys import ApiKey
from keydash_core.ports import Clock
from keydash_core.query import KeySnapshot

from keydash_adapters.litellm.client import KeyListPage, LiteLLMKeyListClient
from keydash_adapters.litellm.mapping import to_api_key, unreadable_record
from keydash_adapters.litellm.observer import NullObserver, UpstreamObserver

LITELLM_MAX_PAGE_SIZE = 100


class LiteLLMKeyRepository:
    def __init__(
        self,
        client: LiteLLMKeyListClient,
        clock: Clock,
        *,
        concurrency: int = 4,
        cache_ttl_seconds: float = 10.0,
        page_size: int = LITELLM_MAX_PAGE_SIZE,
        observer: UpstreamObserver | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._clock = clock
        self._concurrency = max(1, concurrency)
        self._ttl = cache_ttl_seconds
        self._page_size = page_size
        self._observer = observer or NullObserver()
        self._monotonic = monotonic
        self._cached: tuple[float, KeySnapshot] | None = None
        self._inflight: asyncio.Task[KeySnapshot] | None = None

    async def snapshot(self) -> KeySnapshot:
        if self._cached is not None and self._monotonic() - self._cached[0] < self._ttl:
            self._observer.snapshot_served(from_cache=True)
            return self._cached[1]
        self._observer.snapshot_served(from_cache=False)
        if self._inflight is None:
            self._inflight = asyncio.ensure_future(self._load())
            self._inflight.add_done_callback(self._forget_inflight)
        # Shielded: one impatient client hanging up must not cancel the read others wait for.
        return await asyncio.shield(self._inflight)

    def _forget_inflight(self, task: asyncio.Task[KeySnapshot]) -> None:
        if self._inflight is task:
            self._inflight = None
        if not task.cancelled() and task.exception() is None and self._ttl > 0:
            self._cached = (self._monotonic(), task.result())

    async def _load(self) -> KeySnapshot:
        started = self._monotonic()
        records = await self._read_all_records()
        now = self._clock.now()
        keys = _dedupe(_to_api_key(record, now=now) for record in records)
        self._observer.snapshot_loaded(len(keys), self._monotonic() - started)
        return KeySnapshot(keys=keys, fetched_at=now)

    async def _read_all_records(self) -> list[Any]:
        first = await self._fetch(1)
        records = list(first.records)
        pages_known, next_page = first.total_pages, 2
        limit = asyncio.Semaphore(self._concurrency)

        async def fetch_bounded(page: int) -> KeyListPage:
            async with limit:
                return await self._fetch(page)

        # Keys created while we read can grow the page count; keep reading until it stops growing.
        while next_page <= pages_known:
            batch = range(next_page, pages_known + 1)
            try:
                async with asyncio.TaskGroup() as group:
                    tasks = [group.create_task(fetch_bounded(page)) for page in batch]
            except ExceptionGroup as failures:
                # The first failure explains the read; the rest were cancelled by the group.
                raise failures.exceptions[0] from None
            for task in tasks:
                page = task.result()
                records.extend(page.records)
                pages_known = max(pages_known, page.total_pages)
            next_page = batch.stop
        return records

    async def _fetch(self, page: int) -> KeyListPage:
        result = await self._client.fetch_page(page, self._page_size)
        if any(isinstance(record, str) for record in result.records):
            # An older LiteLLM ignores expand=user and sends bare hashes: ask for full objects.
            result = await self._client.fetch_page(page, self._page_size, full_object=True)
            if any(isinstance(record, str) for record in result.records):
                raise UpstreamBadResponse("LiteLLM sent bare key hashes instead of key objects")
        return result


def _to_api_key(record: Any, *, now: datetime) -> ApiKey:
    return to_api_key(record, now=now) if isinstance(record, dict) else unreadable_record(record)


def _dedupe(keys: Iterable[ApiKey]) -> tuple[ApiKey, ...]:
    # Pages read while keys are created shift by one; the same key can arrive twice.
    unique: dict[str, ApiKey] = {}
    for key in keys:
        unique.setdefault(key.id, key)
    return tuple(unique.values())

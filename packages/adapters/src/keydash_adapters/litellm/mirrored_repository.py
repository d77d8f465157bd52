"""KeyRepository over the sync's mirror; single LiteLLM pages for the views LiteLLM answers alone.

Nothing here reads every page: the sync does that in the background. Before its first load ends,
views that need every key raise MirrorLoading (with progress) at once, or the sync's last
failure when LiteLLM is failing, so the admin learns why rather than waiting.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from keydash_core.errors import MirrorLoading
from keydash_core.freshness import AnswerSource, Freshness
from keydash_core.query import KeySnapshot, SortField, StorePage, StoreView

from keydash_adapters.litellm.key_list import KeyListRequest
from keydash_adapters.litellm.reader import PageReader
from keydash_adapters.litellm.sync import KeySync

# LiteLLM's names for the sorts and statuses a store view may carry.
_SORT_COLUMNS = {SortField.CREATED_AT: "created_at", SortField.SPEND: "spend"}
_STATUSES = {"active": "active", "expired": "expired", "blocked": "revoked"}
_MAX_REMEMBERED_PAGES = 64


class MirroredKeyRepository:
    def __init__(
        self,
        sync: KeySync,
        reader: PageReader,
        *,
        page_ttl_seconds: float = 10.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sync = sync
        self._reader = reader
        self._ttl = page_ttl_seconds
        self._monotonic = monotonic
        self._pages: dict[StoreView, tuple[float, StorePage]] = {}
        self._reads: dict[StoreView, asyncio.Task[StorePage]] = {}
        self._every_key: tuple[float, int] | None = None

    async def snapshot(self) -> KeySnapshot:
        found = self._sync.snapshot()
        if found is not None:
            return found
        progress = self._sync.progress()
        cause = self._sync.last_failure
        raise MirrorLoading(progress.loaded, progress.total, progress.eta_seconds, cause)

    def freshness(self) -> Freshness:
        return self._sync.freshness()

    async def store_page(self, view: StoreView) -> StorePage:
        remembered = self._pages.get(view)
        if remembered is not None and self._monotonic() - remembered[0] < self._ttl:
            return remembered[1]
        task = self._reads.get(view)
        if task is None:
            # Single flight per view: a burst of dashboards opening at once costs one read.
            task = asyncio.ensure_future(self._read(view))
            self._reads[view] = task
            task.add_done_callback(lambda _: self._reads.pop(view, None))
        # Shielded: one impatient client hanging up must not cancel the read others wait for.
        return await asyncio.shield(task)

    async def _store_total(self) -> int:
        known = self._every_key
        if known is not None and self._monotonic() - known[0] < self._ttl:
            return known[1]
        total = (await self._reader.read(1, 1)).total_count
        self._every_key = (self._monotonic(), total)
        return total

    async def _read(self, view: StoreView) -> StorePage:
        newest_first = view.sort_by is SortField.CREATED_AT and view.sort_order.value == "desc"
        request = KeyListRequest(
            # Without sort_by LiteLLM orders newest first with a tie-breaker; with it, none.
            sort_by=None if newest_first else _SORT_COLUMNS[view.sort_by],
            sort_order=view.sort_order.value,
            status=_STATUSES[view.status.value] if view.status is not None else None,
        )
        start = (view.page - 1) * view.size
        found = await self._reader.read(view.page, view.size, request, start=start)
        every_key = None
        if view.status is not None:
            # A filtered page counts its filter's keys. Every key: what the first load saw, or
            # (before it has) LiteLLM's own count, from the smallest unfiltered page.
            every_key = self._sync.progress().total
            if every_key is None:
                every_key = await self._store_total()
        page = StorePage(
            keys=found.keys,
            total=found.total_count,
            store_total=every_key,
            fetched_at=found.received_at,
            freshness=Freshness(as_of=found.received_at, source=AnswerSource.LITELLM_PAGE),
        )
        if self._ttl > 0:
            if len(self._pages) >= _MAX_REMEMBERED_PAGES:
                self._pages.clear()
            self._pages[view] = (self._monotonic(), page)
        return page

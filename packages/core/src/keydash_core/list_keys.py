"""Use case: list keys with search, filters, sort and pagination over every key LiteLLM holds."""

from __future__ import annotations

from keydash_core.errors import MirrorLoading
from keydash_core.freshness import AnswerSource, Freshness
from keydash_core.key_index import KeyIndexes
from keydash_core.keys import ApiKey
from keydash_core.ports import KeyRepository
from keydash_core.query import KeyQuery, Page, StoreView


class ListKeys:
    def __init__(self, repository: KeyRepository, indexes: KeyIndexes | None = None) -> None:
        self._repository = repository
        self._indexes = indexes or KeyIndexes()

    async def __call__(self, query: KeyQuery) -> Page:
        try:
            snapshot = await self._repository.snapshot()
        except MirrorLoading:
            view = query.store_view
            if view is None:
                raise
            # Until every key is mirrored, what LiteLLM can answer alone is one page read.
            return await self._store_page(query, view)
        freshness = self._repository.freshness()
        index = self._indexes.for_snapshot(snapshot)
        found = index.select(query.sort, query.terms, query.filters)
        start = (query.page - 1) * query.size
        items: tuple[ApiKey, ...] = tuple(
            snapshot.keys[i] for i in found[start : start + query.size]
        )
        return Page(
            items=items,
            page=query.page,
            size=query.size,
            total=len(found),
            total_keys=len(snapshot.keys),
            partial_count=index.partial_count,
            fetched_at=freshness.as_of or snapshot.fetched_at,
            store_total=snapshot.store_total,
            freshness=freshness,
            last_use_since=snapshot.last_use_since,
        )

    async def _store_page(self, query: KeyQuery, view: StoreView) -> Page:
        found = await self._repository.store_page(view)
        items = found.keys[: query.size]
        freshness = found.freshness or Freshness(
            as_of=found.fetched_at, source=AnswerSource.LITELLM_PAGE
        )
        every_key = found.store_total if found.store_total is not None else found.total
        return Page(
            items=items,
            page=query.page,
            size=query.size,
            total=found.total,
            total_keys=every_key,
            partial_count=sum(1 for key in items if key.partial),
            fetched_at=found.fetched_at,
            store_total=every_key,
            from_store_page=True,
            freshness=freshness,
        )

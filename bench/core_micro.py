"""In-process measurements of the core, beside the naive code each optimisation replaces.

- ListKeys over a snapshot (per-snapshot index: sort orders and lower-cased search text kept
  with the snapshot) against re-sorting and re-lower-casing every key on every request.
- Memory per key: Keydash's ApiKey (slots) against keeping LiteLLM's records as parsed JSON.
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from keydash_adapters.litellm.mapping import to_api_key
from keydash_core.freshness import Freshness
from keydash_core.keys import ApiKey
from keydash_core.list_keys import ListKeys
from keydash_core.query import KeyQuery, KeySnapshot, SortField, SortOrder, StorePage, StoreView
from keydash_core.search import clean_terms, haystack
from keydash_core.sorting import sort_positions, tie_break_positions
from loadgen import LoadResult


class _FixedRepository:
    """A repository that always has the same snapshot: what a warm API holds."""

    def __init__(self, snapshot: KeySnapshot) -> None:
        self._snapshot = snapshot

    async def snapshot(self) -> KeySnapshot:
        return self._snapshot

    async def store_page(self, view: StoreView) -> StorePage:  # pragma: no cover
        raise AssertionError("a warm snapshot answers every query")

    def freshness(self) -> Freshness:
        return Freshness(as_of=self._snapshot.fetched_at)


def fetch_records(fake_url: str, master_key: str) -> list[dict[str, Any]]:
    """Every record the fake holds, as Keydash reads them (expand=user), page after page."""
    records: list[dict[str, Any]] = []
    headers = {"x-litellm-api-key": master_key}
    with httpx.Client(base_url=fake_url, headers=headers, timeout=60) as client:
        page, pages = 1, 1
        while page <= pages:
            body = client.get("/key/list", params={"page": page, "size": 100, "expand": "user"})
            body.raise_for_status()
            data = body.json()
            records.extend(data["keys"])
            pages = data["total_pages"]
            page += 1
    return records


def to_snapshot(records: Sequence[dict[str, Any]]) -> KeySnapshot:
    now = datetime.now(UTC)
    keys = tuple(to_api_key(record, now=now) for record in records)
    return KeySnapshot(keys=keys, fetched_at=now, upstream_total=len(keys))


def _naive(keys: Sequence[ApiKey], query: KeyQuery) -> tuple[ApiKey, ...]:
    """Per request: sort every key, lower-case every key's fields, filter, slice."""
    positions = sort_positions(keys, tie_break_positions(keys), query.sort_by, query.sort_order)
    ordered = [keys[i] for i in positions]
    terms = clean_terms(query.terms)
    if terms:
        ordered = [key for key in ordered if all(term in haystack(key) for term in terms)]
    start = (query.page - 1) * query.size
    return tuple(ordered[start : start + query.size])


def _timed(call: Callable[[], object], budget_s: float, max_runs: int) -> LoadResult:
    result = LoadResult()
    started = time.perf_counter()
    while result.count < max_runs and time.perf_counter() - started < budget_s:
        before = time.perf_counter()
        call()
        result.latencies_ms.append((time.perf_counter() - before) * 1000)
        result.statuses[200] += 1
    result.wall_s = time.perf_counter() - started
    return result


@dataclass
class CoreFigures:
    view: str
    indexed: LoadResult
    naive: LoadResult
    index_build_ms: float


def compare_list_keys(
    snapshot: KeySnapshot, views: dict[str, list[KeyQuery]], budget_s: float
) -> list[CoreFigures]:
    figures = []
    for view, queries in views.items():
        use_case = ListKeys(_FixedRepository(snapshot))
        loop = asyncio.new_event_loop()
        try:
            # The first calls build the index (lower-cased text, sort orders): measured apart.
            before = time.perf_counter()
            for query in queries:
                loop.run_until_complete(use_case(query))
            build_ms = (time.perf_counter() - before) * 1000
            turn = [0]

            def indexed(
                use_case: ListKeys = use_case,
                loop: Any = loop,
                queries: list[KeyQuery] = queries,
                turn: list[int] = turn,
            ) -> None:
                turn[0] += 1
                loop.run_until_complete(use_case(queries[turn[0] % len(queries)]))

            def naive(queries: list[KeyQuery] = queries, turn: list[int] = turn) -> None:
                turn[0] += 1
                _naive(snapshot.keys, queries[turn[0] % len(queries)])

            fast = _timed(indexed, budget_s, 5000)
            slow = _timed(naive, budget_s, 200)
        finally:
            loop.close()
        figures.append(CoreFigures(view, fast, slow, build_ms))
    return figures


@dataclass
class MemoryFigures:
    api_key_bytes: float
    raw_record_bytes: float
    raw_json_bytes: float


def memory_per_key(records: Sequence[dict[str, Any]], sample: int = 2000) -> MemoryFigures:
    """Bytes per key held as ApiKey vs as LiteLLM's parsed record (tracemalloc, same sample)."""
    chosen = list(records[:sample])
    text = json.dumps(chosen)
    now = datetime.now(UTC)
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        parsed = json.loads(text)
        raw_bytes = tracemalloc.get_traced_memory()[0] - base
        keys = [to_api_key(record, now=now) for record in parsed]
        # ApiKey shares some strings with the records: count what is left once they are gone.
        del parsed
        gc.collect()
        key_bytes = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    del keys
    return MemoryFigures(
        api_key_bytes=key_bytes / len(chosen),
        raw_record_bytes=raw_bytes / len(chosen),
        raw_json_bytes=len(text.encode()) / len(chosen),
    )


def default_views() -> dict[str, list[KeyQuery]]:
    return {
        "default view": [KeyQuery(page=p, size=25) for p in (1, 2, 3)],
        "search": [
            KeyQuery(search=s, size=25)
            for s in ("prod", "alice gpt-4o", "finance", "zz-no-such-key")
        ],
        "sort by tags": [
            KeyQuery(sort_by=SortField.TAGS, sort_order=o, page=p, size=25)
            for o, p in ((SortOrder.ASC, 1), (SortOrder.DESC, 3))
        ],
    }

"""A full read maps pages as they arrive and leaves room for a default-view page in the meantime."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
from litellm_stub import PagedLiteLLM, make_repository, record


def _records(count: int) -> list[dict[str, Any]]:
    return [
        record(f"{i:064x}", created_at=f"2026-01-01T{i // 3600:02d}:{i // 60 % 60:02d}:00Z")
        for i in range(count)
    ]


async def test_a_default_view_page_waits_for_one_slot_not_for_the_whole_read() -> None:
    # 30 pages, 2 at a time, 20 ms each: the full read takes ~0.3 s.
    litellm = PagedLiteLLM(_records(3000), delay=0.02)
    repository = make_repository(litellm, concurrency=2)
    full = asyncio.ensure_future(repository.snapshot())
    await asyncio.sleep(0.05)
    started = time.monotonic()
    page = await repository.natural_page(1, 25)
    waited = time.monotonic() - started
    snapshot = await full
    assert len(page.keys) == 25
    assert len(snapshot.keys) == 3000
    assert waited < 0.15, f"the default-view page waited {waited:.2f} s behind the full read"
    assert litellm.peak == 2


async def test_pages_are_kept_in_order_whatever_order_they_arrive_in() -> None:
    records = _records(1000)

    class Jittery(PagedLiteLLM):
        async def __call__(self, request: httpx.Request) -> httpx.Response:
            # Later pages answer first.
            self.delay = 0.03 / int(request.url.params["page"])
            return await super().__call__(request)

    snapshot = await make_repository(Jittery(records), concurrency=4).snapshot()
    assert [key.id for key in snapshot.keys] == [r["token"] for r in records]


async def test_token_less_records_keep_their_place_in_the_whole_read() -> None:
    records = _records(250)
    for index in (5, 150, 240):
        del records[index]["token"]
    snapshot = await make_repository(PagedLiteLLM(records), concurrency=3).snapshot()
    ids = [key.id for key in snapshot.keys]
    assert len(set(ids)) == 250
    assert [ids[i].rsplit("-", 1)[1] for i in (5, 150, 240)] == ["5", "150", "240"]

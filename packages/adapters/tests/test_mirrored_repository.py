"""Requests over the mirror: the single LiteLLM pages served while it loads, and what the
views that need every key get meanwhile."""

import asyncio
from typing import Any

import pytest
from keydash_core.errors import MirrorLoading, UpstreamHttpError
from keydash_core.freshness import AnswerSource
from keydash_core.keys import KeyStatus
from keydash_core.query import SortField, SortOrder, StoreView
from litellm_stub import PagedLiteLLM, json_response, make_repository, record, scripted


def _records(count: int) -> list[dict[str, Any]]:
    return [record(f"{i:064x}") for i in range(count)]


async def test_views_needing_every_key_say_how_far_the_load_is() -> None:
    repository = make_repository(PagedLiteLLM(_records(10)))
    with pytest.raises(MirrorLoading) as loading:
        await repository.snapshot()
    assert loading.value.loaded == 0


async def test_the_sync_failure_is_told_instead_of_loading_forever() -> None:
    handler, _ = scripted(json_response(500, {"error": {"message": "Database not connected"}}))
    repository = make_repository(handler)
    with pytest.raises(UpstreamHttpError):
        await repository._sync.run_once()
    # Still loading, and why it cannot: the answer carries LiteLLM's failure as its cause.
    with pytest.raises(MirrorLoading) as loading:
        await repository.snapshot()
    assert isinstance(loading.value.cause, UpstreamHttpError)
    assert "Database not connected" in str(loading.value.cause)


async def test_a_store_page_asks_litellm_in_its_own_words() -> None:
    litellm = PagedLiteLLM(_records(30))
    repository = make_repository(litellm)
    await repository.store_page(StoreView(2, 10))
    await repository.store_page(StoreView(1, 10, SortField.CREATED_AT, SortOrder.ASC))
    await repository.store_page(StoreView(1, 10, SortField.SPEND, SortOrder.DESC))
    await repository.store_page(StoreView(1, 10, status=KeyStatus.BLOCKED))
    params = [dict(call.url.params) for call in litellm.calls]
    assert (params[0]["page"], params[0]["size"], "sort_by" in params[0]) == ("2", "10", False)
    assert (params[1]["sort_by"], params[1]["sort_order"]) == ("created_at", "asc")
    assert (params[2]["sort_by"], params[2]["sort_order"]) == ("spend", "desc")
    # Newest first with a status keeps LiteLLM's default order (it has a tie-breaker).
    assert ("sort_by" in params[3], params[3]["status"]) == (False, "revoked")


async def test_store_pages_are_shared_and_remembered_for_the_ttl() -> None:
    litellm = PagedLiteLLM(_records(30), delay=0.05)
    now = [0.0]
    repository = make_repository(litellm, page_ttl_seconds=10)
    repository._monotonic = lambda: now[0]
    pages = await asyncio.gather(*(repository.store_page(StoreView(1, 10)) for _ in range(20)))
    assert len(litellm.calls) == 1
    assert all(page is pages[0] for page in pages)
    assert pages[0].freshness is not None
    assert pages[0].freshness.source is AnswerSource.LITELLM_PAGE
    now[0] = 9.9
    await repository.store_page(StoreView(1, 10))
    assert len(litellm.calls) == 1
    now[0] = 10.1
    await repository.store_page(StoreView(1, 10))
    assert len(litellm.calls) == 2


async def test_a_caller_giving_up_does_not_cancel_the_shared_read() -> None:
    litellm = PagedLiteLLM(_records(3), delay=0.1)
    repository = make_repository(litellm)
    impatient = asyncio.ensure_future(repository.store_page(StoreView(1, 10)))
    await asyncio.sleep(0.01)
    impatient.cancel()
    page = await repository.store_page(StoreView(1, 10))
    assert len(page.keys) == 3
    assert len(litellm.calls) == 1


async def test_a_failed_page_is_not_remembered() -> None:
    handler, calls = scripted(
        json_response(400, {"error": {"message": "nope"}}),
        json_response(200, {"keys": [record("a")], "total_count": 1, "total_pages": 1}),
    )
    repository = make_repository(handler)
    with pytest.raises(UpstreamHttpError):
        await repository.store_page(StoreView(1, 10))
    assert len((await repository.store_page(StoreView(1, 10))).keys) == 1
    assert len(calls) == 2


async def test_a_default_view_page_waits_for_one_slot_not_for_the_whole_load() -> None:
    litellm = PagedLiteLLM(_records(2_000), delay=0.05)
    repository = make_repository(litellm, concurrency=2)
    load = asyncio.ensure_future(repository._sync.run_once())
    await asyncio.sleep(0.06)
    started = asyncio.get_running_loop().time()
    await repository.store_page(StoreView(1, 25))
    waited = asyncio.get_running_loop().time() - started
    assert waited < 0.5  # the whole load takes 20 pages / 2 x 50 ms = 0.5 s and more
    assert not load.done()
    await load

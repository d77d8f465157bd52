"""The sync's first load over a scripted LiteLLM: bounds, odd pages, failures, the cap."""

import asyncio
from typing import Any

import httpx
import pytest
from keydash_core.errors import UpstreamBadResponse, UpstreamHttpError
from keydash_core.query import KeySnapshot
from litellm_stub import PagedLiteLLM, json_response, make_sync, page_body, record, scripted


def _records(count: int) -> list[dict[str, Any]]:
    return [
        record(f"{i:064x}", created_at=f"2026-01-01T00:{i // 60 % 60:02d}:{i % 60:02d}Z")
        for i in range(count)
    ]


async def _load(handler: Any, **options: Any) -> KeySnapshot:
    sync, _ = make_sync(handler, **options)
    await sync.run_once()
    snapshot = sync.snapshot()
    assert snapshot is not None
    return snapshot


async def test_reads_every_page_concurrently_within_the_bound() -> None:
    litellm = PagedLiteLLM(_records(950), delay=0.02)
    snapshot = await _load(litellm, concurrency=3)
    assert len(snapshot.keys) == 950
    assert len(litellm.calls) == 10
    assert all(call.url.params["size"] == "100" for call in litellm.calls)
    assert "sort_by" not in litellm.calls[0].url.params  # LiteLLM's own order, with tie-break
    assert litellm.peak == 3


async def test_single_page_needs_a_single_call_and_no_keys_is_an_empty_mirror() -> None:
    litellm = PagedLiteLLM(_records(7))
    assert len((await _load(litellm)).keys) == 7
    assert len(litellm.calls) == 1
    assert (await _load(PagedLiteLLM([]))).keys == ()


async def test_bare_token_pages_are_fetched_again_as_full_objects() -> None:
    handler, calls = scripted(
        json_response(200, page_body(["a", "b"], 2, 100)),
        json_response(200, page_body([record("a"), record("b")], 2, 100)),
    )
    snapshot = await _load(handler)
    assert [key.id for key in snapshot.keys] == ["a", "b"]
    assert calls[1].url.params["return_full_object"] == "true"


async def test_bare_tokens_even_with_full_objects_is_a_bad_response() -> None:
    handler, _ = scripted(json_response(200, page_body(["a"], 1, 100)))
    sync, _ = make_sync(handler)
    with pytest.raises(UpstreamBadResponse):
        await sync.run_once()


async def test_duplicates_across_pages_and_a_growing_page_count_are_followed() -> None:
    records = _records(250)

    def respond(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        # Page 2 repeats page 1's last key (a key created while reading shifted the pages),
        # and LiteLLM's count grows to four pages once page 2 is read.
        chunk = records[(page - 1) * 100 - (1 if page == 2 else 0) : page * 100]
        total = 250 if page == 1 else 330
        extra = [record(f"late-{i}") for i in range(80)] if page == 4 else []
        return json_response(200, page_body(chunk + extra, total, 100, page))

    snapshot = await _load(respond, concurrency=1)
    ids = [key.id for key in snapshot.keys]
    assert len(ids) == len(set(ids)) == 330


async def test_a_failing_page_fails_the_load_and_a_retry_reads_only_what_is_missing() -> None:
    records = _records(300)
    failures = {"left": 1}
    calls: list[str] = []

    def respond(request: httpx.Request) -> httpx.Response:
        page = request.url.params["page"]
        calls.append(page)
        if page == "3" and failures["left"]:
            failures["left"] -= 1
            return json_response(400, {"error": {"message": "bad page"}})
        start = (int(page) - 1) * 100
        return json_response(200, page_body(records[start : start + 100], 300, 100, int(page)))

    sync, _ = make_sync(respond, concurrency=1)
    with pytest.raises(UpstreamHttpError, match="bad page"):
        await sync.run_once()
    assert sync.snapshot() is None
    await sync.run_once()
    snapshot = sync.snapshot()
    assert snapshot is not None
    assert len(snapshot.keys) == 300
    assert calls == ["1", "2", "3", "3"]


async def test_non_object_records_are_kept_as_partial_rows() -> None:
    handler, _ = scripted(json_response(200, page_body([record("a"), 42, None], 3, 100)))
    snapshot = await _load(handler)
    assert len(snapshot.keys) == 3
    assert snapshot.partial_count == 2


async def test_the_mirror_is_capped_at_max_keys_and_says_how_many_exist() -> None:
    litellm = PagedLiteLLM(_records(450))
    snapshot = await _load(litellm, max_keys=200)
    assert len(snapshot.keys) == 200
    assert (snapshot.store_total, snapshot.truncated) == (450, True)
    assert len(litellm.calls) == 2


async def test_a_new_snapshot_is_prepared_before_anyone_is_served_it() -> None:
    prepared: list[int] = []
    litellm = PagedLiteLLM(_records(120))
    sync, _ = make_sync(litellm)

    async def prepare(snapshot: KeySnapshot) -> None:
        assert sync.snapshot() is None  # not published yet
        await asyncio.sleep(0)
        prepared.append(len(snapshot.keys))

    sync._prepare = prepare
    await sync.run_once()
    assert prepared == [120]
    assert sync.snapshot() is not None

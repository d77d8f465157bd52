import asyncio
from typing import Any

import httpx
import pytest
from keydash_core.errors import UpstreamBadResponse, UpstreamUnavailable
from litellm_stub import PagedLiteLLM, json_response, make_repository, page_body, record, scripted


def _records(count: int) -> list[dict[str, Any]]:
    return [
        record(f"{i:064x}", created_at=f"2026-01-01T00:{i // 60 % 60:02d}:{i % 60:02d}Z")
        for i in range(count)
    ]


async def test_reads_every_page_concurrently_within_the_bound() -> None:
    litellm = PagedLiteLLM(_records(950), delay=0.02)
    snapshot = await make_repository(litellm, concurrency=3).snapshot()
    assert len(snapshot.keys) == 950
    assert len(litellm.calls) == 10
    assert all(call.url.params["size"] == "100" for call in litellm.calls)
    assert litellm.peak == 3


async def test_single_page_needs_a_single_call() -> None:
    litellm = PagedLiteLLM(_records(7))
    snapshot = await make_repository(litellm).snapshot()
    assert len(snapshot.keys) == 7
    assert len(litellm.calls) == 1


async def test_no_keys_is_an_empty_snapshot() -> None:
    snapshot = await make_repository(PagedLiteLLM([])).snapshot()
    assert snapshot.keys == ()


async def test_concurrent_requests_share_one_upstream_read() -> None:
    litellm = PagedLiteLLM(_records(250), delay=0.05)
    repository = make_repository(litellm)
    snapshots = await asyncio.gather(*(repository.snapshot() for _ in range(20)))
    assert len(litellm.calls) == 3
    assert all(snapshot is snapshots[0] for snapshot in snapshots)


async def test_cache_serves_within_ttl_and_rereads_after() -> None:
    litellm = PagedLiteLLM(_records(5))
    now = [0.0]
    repository = make_repository(litellm, cache_ttl_seconds=10, monotonic=lambda: now[0])
    await repository.snapshot()
    now[0] = 9.9
    await repository.snapshot()
    assert len(litellm.calls) == 1
    now[0] = 10.1
    await repository.snapshot()
    assert len(litellm.calls) == 2


async def test_ttl_zero_disables_the_cache() -> None:
    litellm = PagedLiteLLM(_records(5))
    repository = make_repository(litellm, cache_ttl_seconds=0)
    await repository.snapshot()
    await repository.snapshot()
    assert len(litellm.calls) == 2


async def test_a_failed_read_is_not_cached_and_recovery_needs_no_restart() -> None:
    handler, calls = scripted(
        httpx.ConnectError("down"),
        httpx.ConnectError("down"),
        httpx.ConnectError("down"),
        json_response(200, page_body([record("a")], 1, 100)),
    )
    repository = make_repository(handler)
    with pytest.raises(UpstreamUnavailable):
        await repository.snapshot()
    snapshot = await repository.snapshot()
    assert [key.id for key in snapshot.keys] == ["a"]
    assert len(calls) == 4


async def test_bare_token_pages_are_fetched_again_as_full_objects() -> None:
    full = page_body([record("a" * 64)], 1, 100)
    handler, calls = scripted(
        json_response(200, page_body(["a" * 64], 1, 100)), json_response(200, full)
    )
    snapshot = await make_repository(handler).snapshot()
    assert snapshot.keys[0].masked_key == "sk-****aaaa"
    assert calls[1].url.params["return_full_object"] == "true"


async def test_bare_tokens_even_with_full_objects_is_a_bad_response() -> None:
    handler, _ = scripted(json_response(200, page_body(["a" * 64], 1, 100)))
    with pytest.raises(UpstreamBadResponse):
        await make_repository(handler).snapshot()


async def test_duplicates_across_pages_are_kept_once() -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        records = [record("x"), record("dup")] if page == 1 else [record("dup"), record("y")]
        return json_response(200, page_body(records, 4, 2, page))

    snapshot = await make_repository(respond, page_size=2).snapshot()
    assert [key.id for key in snapshot.keys] == ["x", "dup", "y"]


async def test_growing_page_count_is_followed() -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        # Page 1 says 2 pages; page 2 says 3 (a key was created meanwhile).
        total = 4 if page == 1 else 5
        return json_response(200, page_body([record(f"p{page}")], total, 2, page))

    snapshot = await make_repository(respond, page_size=2).snapshot()
    assert [key.id for key in snapshot.keys] == ["p1", "p2", "p3"]


async def test_one_failing_page_fails_the_read_with_its_own_error() -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        if request.url.params["page"] == "2":
            return json_response(200, {"no": "keys"})
        return json_response(200, page_body([record("a")], 300, 100))

    with pytest.raises(UpstreamBadResponse):
        await make_repository(respond).snapshot()


async def test_non_object_records_are_kept_as_partial_rows() -> None:
    handler, _ = scripted(json_response(200, page_body([record("a"), 42, None], 3, 100)))
    snapshot = await make_repository(handler).snapshot()
    assert len(snapshot.keys) == 3
    assert snapshot.partial_count == 2


async def test_a_caller_giving_up_does_not_cancel_the_shared_read() -> None:
    litellm = PagedLiteLLM(_records(3), delay=0.1)
    repository = make_repository(litellm)
    impatient = asyncio.ensure_future(repository.snapshot())
    await asyncio.sleep(0.01)
    impatient.cancel()
    snapshot = await repository.snapshot()
    assert len(snapshot.keys) == 3
    assert len(litellm.calls) == 1


async def test_the_snapshot_is_capped_at_max_keys_and_says_how_many_exist() -> None:
    litellm = PagedLiteLLM(_records(450))
    snapshot = await make_repository(litellm, max_keys=200).snapshot()
    assert len(snapshot.keys) == 200
    assert (snapshot.store_total, snapshot.truncated) == (450, True)
    assert len(litellm.calls) == 2
    assert [key.id for key in snapshot.keys] == [r["token"] for r in litellm.records[:200]]


async def test_stale_snapshot_is_served_at_once_while_one_refresh_runs() -> None:
    litellm = PagedLiteLLM(_records(5), delay=0.05)
    now = [0.0]
    repository = make_repository(
        litellm, cache_ttl_seconds=10, stale_seconds=60, monotonic=lambda: now[0]
    )
    first = await repository.snapshot()
    now[0] = 30.0
    litellm.records = _records(6)
    # Served from the stale snapshot without waiting, while a refresh starts behind it.
    served = await asyncio.gather(*(repository.snapshot() for _ in range(5)))
    assert all(snapshot is first for snapshot in served)
    await asyncio.sleep(0.1)
    assert len(litellm.calls) == 2
    assert len((await repository.snapshot()).keys) == 6


async def test_past_the_stale_window_requests_wait_for_fresh_keys() -> None:
    litellm = PagedLiteLLM(_records(5))
    now = [0.0]
    repository = make_repository(
        litellm, cache_ttl_seconds=10, stale_seconds=60, monotonic=lambda: now[0]
    )
    await repository.snapshot()
    now[0] = 71.0
    litellm.records = _records(7)
    assert len((await repository.snapshot()).keys) == 7


async def test_a_failed_background_refresh_keeps_the_stale_snapshot() -> None:
    responses: list[Any] = [json_response(200, page_body([record("a")], 1, 100))]
    responses.append(httpx.ConnectError("down"))
    handler, calls = scripted(*responses)
    now = [0.0]
    repository = make_repository(
        handler, cache_ttl_seconds=10, stale_seconds=60, monotonic=lambda: now[0]
    )
    first = await repository.snapshot()
    now[0] = 20.0
    assert await repository.snapshot() is first
    await asyncio.sleep(0.05)
    assert await repository.snapshot() is first
    assert len(calls) >= 2


async def test_default_view_pages_are_read_directly_and_remembered() -> None:
    litellm = PagedLiteLLM(_records(120))
    repository = make_repository(litellm)
    assert not repository.has_snapshot()
    page = await repository.natural_page(2, 25)
    await repository.natural_page(2, 25)
    assert len(litellm.calls) == 1
    assert (litellm.calls[0].url.params["page"], litellm.calls[0].url.params["size"]) == ("2", "25")
    assert (page.total, len(page.keys)) == (120, 25)


async def test_a_zero_ttl_turns_the_stale_window_off_too() -> None:
    # CACHE_TTL_SECONDS=0 means "cache off": a stale window must not bring a snapshot back.
    litellm = PagedLiteLLM(_records(5))
    repository = make_repository(litellm, cache_ttl_seconds=0, stale_seconds=300)
    await repository.snapshot()
    litellm.records = _records(6)
    assert len((await repository.snapshot()).keys) == 6
    assert not repository.has_snapshot()
    assert len(litellm.calls) == 2


async def test_a_stale_default_view_page_is_served_at_once_while_one_re_read_runs() -> None:
    litellm = PagedLiteLLM(_records(30), delay=0.05)
    now = [0.0]
    repository = make_repository(
        litellm, cache_ttl_seconds=10, stale_seconds=60, monotonic=lambda: now[0]
    )
    first = await repository.natural_page(1, 25)
    now[0] = 30.0
    litellm.records = _records(31)
    served = await asyncio.gather(*(repository.natural_page(1, 25) for _ in range(5)))
    assert all(page is first for page in served)
    await asyncio.sleep(0.2)
    assert len(litellm.calls) == 2
    assert (await repository.natural_page(1, 25)).total == 31


async def test_past_its_stale_window_a_default_view_page_is_read_again() -> None:
    litellm = PagedLiteLLM(_records(30))
    now = [0.0]
    repository = make_repository(
        litellm, cache_ttl_seconds=10, stale_seconds=60, monotonic=lambda: now[0]
    )
    await repository.natural_page(1, 25)
    now[0] = 71.0
    litellm.records = _records(32)
    assert (await repository.natural_page(1, 25)).total == 32
    assert len(litellm.calls) == 2


async def test_a_failed_background_page_re_read_keeps_the_stale_page() -> None:
    handler, calls = scripted(
        json_response(200, page_body([record("a")], 1, 25)), httpx.ConnectError("down")
    )
    now = [0.0]
    repository = make_repository(
        handler, cache_ttl_seconds=10, stale_seconds=60, monotonic=lambda: now[0]
    )
    first = await repository.natural_page(1, 25)
    now[0] = 20.0
    assert await repository.natural_page(1, 25) is first
    await asyncio.sleep(0.05)
    assert await repository.natural_page(1, 25) is first
    assert len(calls) >= 2


async def test_a_new_snapshot_is_prepared_before_anyone_is_served_it() -> None:
    litellm = PagedLiteLLM(_records(5))
    now = [0.0]
    prepared: list[int] = []
    gate = asyncio.Event()

    async def prepare(snapshot: Any) -> None:
        await gate.wait()
        prepared.append(len(snapshot.keys))

    repository = make_repository(
        litellm,
        cache_ttl_seconds=10,
        stale_seconds=60,
        monotonic=lambda: now[0],
        prepare=prepare,
    )
    first_read = asyncio.ensure_future(repository.snapshot())
    await asyncio.sleep(0.05)
    assert not first_read.done()  # the first load waits for its preparation...
    gate.set()
    first = await first_read
    assert prepared == [5]
    # ...and a refresh keeps serving the old snapshot until the new one is prepared.
    gate.clear()
    now[0] = 20.0
    litellm.records = _records(6)
    assert await repository.snapshot() is first
    await asyncio.sleep(0.05)
    assert await repository.snapshot() is first
    gate.set()
    await asyncio.sleep(0.05)
    assert len((await repository.snapshot()).keys) == 6
    assert prepared == [5, 6]

"""Before the sync's first load ends: the views LiteLLM answers alone are one LiteLLM page,
matching what the mirror will serve; the views needing every key say the mirror is loading, with
its progress; concurrent dashboards share reads within the concurrency bound.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest
from api_support import PASSWORD, USERNAME, make_app
from keydash_api.sync_task import start_sync, stop_sync
from keydash_fakes.litellm import FakeLiteLLM
from keys_integration_support import KEY_COUNT, all_items, get_json, ids_of
from litellm_support import AppClients, wait_for, wait_until_ready


def test_before_the_first_load_the_default_view_is_one_litellm_page_sized_to_the_view(
    fake: FakeLiteLLM, clients: AppClients
) -> None:
    client = clients.unsynced()
    body = get_json(client, page=3, size=25)
    assert [(call["page"], call["size"]) for call in fake.requests] == [("3", "25")]
    assert "sort_by" not in fake.requests[0]  # LiteLLM's own order, which has a tie-breaker
    assert (body["total"], body["total_keys"], len(body["items"])) == (250, 250, 25)
    assert body["freshness"]["source"] == "litellm_page"
    assert (body["freshness"]["stale"], body["freshness"]["last_error"]) == (False, None)
    # The same page again within the cache TTL is not read again.
    assert ids_of(get_json(client, page=3, size=25)["items"]) == ids_of(body["items"])
    assert fake.key_list_calls == 1
    first = get_json(client, size=10)["items"]
    # It is the page the mirror gives: LiteLLM's order is Keydash's created_at desc, and keys
    # without created_at come first in both (PostgreSQL puts nulls first when descending).
    mirrored = all_items(clients.synced())
    assert ids_of(body["items"]) == ids_of(mirrored[50:75])
    assert ids_of(first) == ids_of(mirrored[:10])
    undated = [item for item in mirrored if item["created_at"] is None]
    assert undated, "the fake should hold keys without created_at"
    assert mirrored[: len(undated)] == undated
    assert [item["created_at"] for item in first[: len(undated)]] == [None] * len(undated)


@pytest.mark.parametrize(
    ("sort_by", "sort_order"), [("created_at", "asc"), ("spend", "desc"), ("spend", "asc")]
)
def test_before_the_first_load_litellm_sorts_by_created_at_and_spend_as_the_mirror(
    fake: FakeLiteLLM, clients: AppClients, sort_by: str, sort_order: str
) -> None:
    client = clients.unsynced()
    store = all_items(client, sort_by=sort_by, sort_order=sort_order)
    asked = {(call["sort_by"], call["sort_order"], call["size"]) for call in fake.requests}
    assert asked == {(sort_by, sort_order, "100")}
    assert fake.key_list_calls == 3
    assert get_json(client, sort_by=sort_by, sort_order=sort_order)["freshness"]["source"] == (
        "litellm_page"
    )
    mirrored = all_items(clients.synced(), sort_by=sort_by, sort_order=sort_order)
    assert len(store) == len(mirrored) == KEY_COUNT
    # LiteLLM breaks no ties for these sorts: the values, in order, are what must agree.
    assert [item[sort_by] for item in store] == [item[sort_by] for item in mirrored]
    assert set(ids_of(store)) == set(ids_of(mirrored))


@pytest.mark.parametrize(
    ("keydash_status", "litellm_status"),
    [("blocked", "revoked"), ("expired", "expired"), ("active", "active")],
)
def test_before_the_first_load_one_status_filter_is_read_from_litellm(
    fake: FakeLiteLLM, clients: AppClients, keydash_status: str, litellm_status: str
) -> None:
    client = clients.unsynced()
    store = all_items(client, status=keydash_status)
    assert store
    filtered = [call for call in fake.requests if "status" in call]
    assert {call["status"] for call in filtered} == {litellm_status}
    assert all("sort_by" not in call for call in fake.requests)
    # Besides the filtered pages, one smallest unfiltered page: how many keys LiteLLM holds.
    assert [call["size"] for call in fake.requests if "status" not in call] == ["1"]
    every_key = client.get("/api/keys", params={"status": keydash_status}).json()
    assert every_key["store_total_keys"] == len(fake.keys) > every_key["total"]
    assert {item["status"] for item in store} == {keydash_status}
    mirrored = all_items(clients.synced(), status=keydash_status)
    assert ids_of(store) == ids_of(mirrored)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        pytest.param("/api/keys", {"search": "prod"}, id="search"),
        pytest.param("/api/keys", {"status": ["active", "blocked"]}, id="two-statuses"),
        pytest.param("/api/keys", {"tag": "prod"}, id="tag"),
        pytest.param("/api/keys", {"sort_by": "owner"}, id="sort-owner"),
        pytest.param("/api/keys/facets", {}, id="facets"),
        pytest.param("/api/keys/export", {"format": "csv"}, id="export-csv"),
        pytest.param("/api/keys/export", {"format": "json"}, id="export-json"),
    ],
)
def test_views_needing_every_key_answer_mirror_loading_before_the_first_load(
    fake: FakeLiteLLM, clients: AppClients, path: str, params: dict[str, Any]
) -> None:
    client = clients.unsynced()
    response = client.get(path, params=params)
    assert response.status_code == 503, response.text
    assert 2 <= int(response.headers["retry-after"]) <= 10
    error = response.json()["error"]
    assert error["code"] == "mirror_loading"
    progress = error["progress"]
    assert progress["loaded"] == 0
    # Not known yet: null, as the schema says.
    assert (progress["total"], progress["eta_seconds"]) == (None, None)
    assert error["request_id"] == response.headers["x-request-id"]
    assert error["message"].startswith("Keydash is still loading keys from LiteLLM (0")
    # Answered at once from what the sync knows: the request itself asks LiteLLM nothing.
    assert fake.key_list_calls == 0


def test_mirror_loading_progress_has_every_field_its_schema_requires(
    clients: AppClients,
) -> None:
    response = clients.unsynced().get("/api/keys/facets")
    assert response.status_code == 503
    assert response.json()["error"]["progress"] == {
        "loaded": 0,
        "total": None,
        "eta_seconds": None,
    }


def test_while_the_first_load_runs_views_needing_every_key_report_its_progress(
    fake: FakeLiteLLM, clients: AppClients
) -> None:
    fake.faults.latency_ms = 400  # each page of the first load takes 0.4 s
    client = clients.started()

    def loading_past_page_one() -> dict[str, Any] | None:
        response = client.get("/api/keys/facets")
        assert response.status_code == 503, "the load ended before its progress was seen"
        error: dict[str, Any] = response.json()["error"]
        return error if error["progress"]["loaded"] else None

    error = wait_for(loading_past_page_one, "the first page of the first load")
    assert error["code"] == "mirror_loading"
    progress = error["progress"]
    assert (progress["loaded"], progress["total"]) == (100, KEY_COUNT)
    assert isinstance(progress["eta_seconds"], float)
    assert progress["eta_seconds"] >= 0
    assert "(100 of 250" in error["message"]
    fake.faults.latency_ms = 0
    wait_until_ready(client)
    assert get_json(client, "/api/keys/facets")["total"] == KEY_COUNT


async def test_concurrent_dashboards_share_one_read_within_the_concurrency_bound(
    fake: FakeLiteLLM,
) -> None:
    fake.reset()
    app, container = make_app(litellm_base_url=fake.url, upstream_concurrency=2)  # type: ignore[attr-defined]
    fake.faults.latency_ms = 100
    # httpx's ASGI transport runs no lifespan: the sync starts only when this test starts it.
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://keydash.test") as client:
            login = await client.post(
                "/api/auth/login", json={"username": USERNAME, "password": PASSWORD}
            )
            assert login.status_code == 200
            # Twenty dashboards opening at once before the mirror exists: one LiteLLM read.
            opened = await asyncio.gather(*(client.get("/api/keys") for _ in range(20)))
            assert {response.status_code for response in opened} == {200}
            assert fake.key_list_calls == 1
            # Different pages are different reads, never more than the bound at once...
            pages = (client.get("/api/keys", params={"page": n, "size": 5}) for n in range(1, 9))
            assert {response.status_code for response in await asyncio.gather(*pages)} == {200}
            assert fake.key_list_calls == 1 + 8
            # ...and the sync's first load shares that bound with them.
            fake.reset_stats()
            sync = start_sync(container)
            assert sync is not None
            try:
                during = await asyncio.gather(
                    *(client.get("/api/keys", params={"page": n, "size": 7}) for n in range(1, 9))
                )
                deadline = time.monotonic() + 10
                while not container.key_sync().ready:
                    assert time.monotonic() < deadline, "the first load did not end"
                    await asyncio.sleep(0.02)
            finally:
                await stop_sync(container, sync)
            assert {response.status_code for response in during} == {200}
            assert fake.requests_by_kind["default"] == 8 + 3
            assert fake.max_concurrent_seen <= 2
    finally:
        await container.http_client().aclose()
        fake.reset()

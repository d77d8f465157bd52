"""The API with its real LiteLLM adapter and sync, against the fake LiteLLM over real HTTP.

Two ways in (see litellm_support): `clients.synced()` starts the app's sync and waits for the
mirror; `clients.unsynced()` never starts it, for the one-LiteLLM-page path and the answers
given before any mirror exists.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import httpx
import pytest
from api_support import JWT_SECRET, LITELLM_KEY, PASSWORD, USERNAME, make_app
from fastapi.testclient import TestClient
from keydash_api.sync_task import start_sync, stop_sync
from keydash_fakes.litellm import FakeLiteLLM
from litellm_support import (
    FAST_FAILURE,
    LONG_INTERVAL,
    SHORT_INTERVAL,
    AppClients,
    container_of,
    fresh_pass,
    json_lines,
    key_sync,
    run_pass,
    serving_fake,
    wait_for,
    wait_until_ready,
    wake,
)
from litellm_support import status as api_status

KEY_COUNT = 250
MESSAGE_500 = (
    "LiteLLM answered with an error (HTTP 500: Authentication Error, Database not connected)."
)
MESSAGE_503 = "LiteLLM answered with an error (HTTP 503: Database unavailable)."
MESSAGE_401 = "LiteLLM rejected Keydash's API key (HTTP 401); check LITELLM_API_KEY."
MESSAGE_403 = "LiteLLM rejected Keydash's API key (HTTP 403); check LITELLM_API_KEY."
MESSAGE_NOT_JSON = (
    "LiteLLM sent an answer Keydash cannot read: LiteLLM's /key/list answer is not JSON."
)
MESSAGE_NO_KEYS = (
    "LiteLLM sent an answer Keydash cannot read: LiteLLM's /key/list answer has no 'keys' list."
)
MESSAGE_TIMEOUT = "LiteLLM did not answer in time."
MESSAGE_REFUSED = "LiteLLM is not reachable (connection refused)."

# (faults, HTTP status, code, message, LiteLLM calls one read makes: retried or not)
FAULTS = [
    pytest.param({"fail_status": 500}, 502, "upstream_error", MESSAGE_500, 3, id="500"),
    pytest.param({"fail_status": 503}, 502, "upstream_error", MESSAGE_503, 3, id="503"),
    pytest.param({"fail_status": 401}, 502, "upstream_auth_failed", MESSAGE_401, 1, id="401"),
    pytest.param({"fail_status": 403}, 502, "upstream_auth_failed", MESSAGE_403, 1, id="403"),
    pytest.param(
        {"malformed": "not_json"}, 502, "upstream_bad_response", MESSAGE_NOT_JSON, 1, id="not_json"
    ),
    pytest.param(
        {"malformed": "no_keys"}, 502, "upstream_bad_response", MESSAGE_NO_KEYS, 1, id="no_keys"
    ),
    pytest.param(
        {"malformed": "keys_not_list"},
        502,
        "upstream_bad_response",
        MESSAGE_NO_KEYS,
        1,
        id="keys_not_list",
    ),
    pytest.param({"hang": True}, 504, "upstream_timeout", MESSAGE_TIMEOUT, None, id="hang"),
]


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeLiteLLM]:
    with serving_fake(KEY_COUNT, seed=11, master_key=LITELLM_KEY) as litellm:
        yield litellm


@pytest.fixture
def clients(fake: FakeLiteLLM) -> Iterator[AppClients]:
    fake.reset()
    apps = AppClients(fake)
    try:
        yield apps
    finally:
        fake.reset()  # release held requests first, so no shutdown waits on a hang
        apps.close()
        fake.reset()


def _get(client: TestClient, path: str = "/api/keys", **params: Any) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _all_items(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        body = _get(client, **{**params, "page": page, "size": 100})
        items += body["items"]
        if page >= body["total_pages"]:
            return items
        page += 1


def _ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


def _tokens(fake: FakeLiteLLM) -> set[str]:
    return {str(key["token"]) for key in fake.keys}


def _requests_logged(output: str) -> list[dict[str, Any]]:
    return [line for line in json_lines(output) if line["event"] == "request"]


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


# The mirror ----------------------------------------------------------------------------------


def test_every_key_is_served_once_across_pages_from_the_mirror(
    fake: FakeLiteLLM, clients: AppClients, capsys: pytest.CaptureFixture[str]
) -> None:
    client = clients.synced()
    capsys.readouterr()
    items = _all_items(client, sort_by="alias")
    assert len(items) == KEY_COUNT
    assert set(_ids(items)) == _tokens(fake)
    # 250 keys in pages of 100: the first load read three pages, in LiteLLM's own order...
    assert fake.requests_by_kind["default"] == 3
    sync_calls = [call for call in fake.requests if "user_id" not in call]
    assert all(call["size"] == "100" and call["expand"] == "user" for call in sync_calls)
    # ...and the table's pages came from the mirror: no request of the dashboard read LiteLLM.
    logged = _requests_logged(capsys.readouterr().out)
    assert [line["route"] for line in logged] == ["/api/keys"] * 3
    assert all(line["upstream_calls"] == 0 for line in logged)
    freshness = _get(client, sort_by="alias")["freshness"]
    assert (freshness["source"], freshness["stale"], freshness["last_error"]) == (
        "mirror",
        False,
        None,
    )
    assert freshness["as_of"] is not None


def test_search_matches_what_the_records_hold(fake: FakeLiteLLM, clients: AppClients) -> None:
    client = clients.synced()
    tagged = [
        key
        for key in fake.keys
        if isinstance(key.get("metadata"), dict) and key["metadata"].get("tags") == ["prod"]
    ]
    model_keys = [key for key in fake.keys if "gpt-4o-mini" in (key.get("models") or [])]
    assert model_keys
    found = _all_items(client, search="gpt-4o-mini")
    assert set(_ids(found)) >= {key["token"] for key in model_keys}
    assert all(
        any("gpt-4o-mini" in text.casefold() for text in _searchable(item)) for item in found
    )
    assert tagged == [] or _all_items(client, search="prod")


def _searchable(item: dict[str, Any]) -> list[str]:
    fields = [item["owner_username"], item["owner_email"], item["owner_id"], item["description"]]
    fields += [item["alias"], *item["tags"], *item["allowed_models"]]
    return [field for field in fields if field]


def test_sort_by_owner_is_case_insensitive_with_empty_owners_last(clients: AppClients) -> None:
    client = clients.synced()
    for order in ("asc", "desc"):
        owners = [item["owner"] for item in _all_items(client, sort_by="owner", sort_order=order)]
        assert len(owners) == KEY_COUNT
        present = [owner for owner in owners if owner]
        assert owners[: len(present)] == present
        folded = [owner.casefold() for owner in present]
        assert folded == sorted(folded, reverse=order == "desc")


def test_masked_keys_never_show_more_than_four_characters(clients: AppClients) -> None:
    client = clients.synced()
    items = _all_items(client)
    assert len(items) == KEY_COUNT
    assert any(item["masked_key"] is not None for item in items)
    for item in items:
        masked = item["masked_key"]
        if masked is not None:
            assert masked.startswith("sk-****")
            assert len(masked) <= len("sk-****") + 4


def test_nothing_secret_leaks_into_responses_or_logs(
    fake: FakeLiteLLM, clients: AppClients, capsys: pytest.CaptureFixture[str]
) -> None:
    client = clients.synced(sync_interval_seconds=LONG_INTERVAL, **FAST_FAILURE)
    bodies = [json.dumps(_all_items(client))]
    bodies.append(client.get("/api/keys", params={"search": LITELLM_KEY}).text)
    bodies.append(client.get("/api/keys/export", params={"format": "json"}).text)
    # A failing LiteLLM: its words reach the freshness, the status page and the logs.
    fake.faults.fail_status = 401
    wake(client)
    wait_for(lambda: key_sync(client).freshness().stale, "the failed pass")
    bodies.append(client.get("/api/keys").text)
    bodies.append(client.get("/api/status").text)
    # And the error answers given before any mirror exists.
    early = clients.unsynced(**FAST_FAILURE)
    bodies.append(early.get("/api/keys").text)
    bodies.append(early.get("/api/keys", params={"search": "x"}).text)
    logs = capsys.readouterr().out
    assert "sync_failed" in logs
    assert all("upstream_auth_failed" in body for body in bodies[-4:-1])
    password_hashes = [
        key["user"]["password"] for key in fake.keys if (key.get("user") or {}).get("password")
    ]
    assert password_hashes, "the fake should give some users a password hash"
    for text in [*bodies, logs]:
        for secret in (LITELLM_KEY, JWT_SECRET, PASSWORD, *password_hashes):
            assert secret not in text


def test_wrong_types_are_reported_as_partial_not_hidden(
    fake: FakeLiteLLM, clients: AppClients
) -> None:
    fake.faults.malformed = "wrong_types"
    client = clients.synced()
    body = _get(client, size=100, sort_by="owner")
    assert body["partial_count"] > 0
    items = _all_items(client, sort_by="owner")
    assert body["partial_count"] == sum(1 for item in items if item["partial"])
    # One page read straight from LiteLLM counts the partial keys of that page.
    page = _get(clients.unsynced(), size=50)
    assert page["freshness"]["source"] == "litellm_page"
    assert 0 < page["partial_count"] == sum(1 for item in page["items"] if item["partial"])


def test_an_old_litellm_answering_bare_hashes_is_asked_for_full_objects(
    fake: FakeLiteLLM, clients: AppClients
) -> None:
    fake.faults.bare_tokens_only = True
    client = clients.synced()
    items = _all_items(client)
    assert len(items) == KEY_COUNT
    assert set(_ids(items)) == _tokens(fake)
    assert all(item["masked_key"] is None or item["masked_key"].startswith("sk-") for item in items)
    assert any(call.get("return_full_object") == "true" for call in fake.requests)


def test_keys_repeated_across_pages_never_double_count(
    fake: FakeLiteLLM, clients: AppClients
) -> None:
    fake.faults.duplicate_across_pages = True
    client = clients.synced()
    items = _all_items(client, sort_by="owner")
    assert len(set(_ids(items))) == len(items) == KEY_COUNT


def test_pages_growing_while_read_are_followed(fake: FakeLiteLLM, clients: AppClients) -> None:
    fake.faults.shifting_total = True  # one new newest key per LiteLLM call
    client = clients.synced(sync_interval_seconds=LONG_INTERVAL)
    fake.faults.shifting_total = False
    fresh_pass(client)  # a whole pass after the last key was added
    items = _all_items(client, sort_by="owner")
    assert len(set(_ids(items))) == len(items) > KEY_COUNT
    assert set(_ids(items)) == _tokens(fake)


# One LiteLLM page while the mirror loads -----------------------------------------------------


def test_before_the_first_load_the_default_view_is_one_litellm_page_sized_to_the_view(
    fake: FakeLiteLLM, clients: AppClients
) -> None:
    client = clients.unsynced()
    body = _get(client, page=3, size=25)
    assert [(call["page"], call["size"]) for call in fake.requests] == [("3", "25")]
    assert "sort_by" not in fake.requests[0]  # LiteLLM's own order, which has a tie-breaker
    assert (body["total"], body["total_keys"], len(body["items"])) == (250, 250, 25)
    assert body["freshness"]["source"] == "litellm_page"
    assert (body["freshness"]["stale"], body["freshness"]["last_error"]) == (False, None)
    # The same page again within the cache TTL is not read again.
    assert _ids(_get(client, page=3, size=25)["items"]) == _ids(body["items"])
    assert fake.key_list_calls == 1
    first = _get(client, size=10)["items"]
    # It is the page the mirror gives: LiteLLM's order is Keydash's created_at desc, and keys
    # without created_at come first in both (PostgreSQL puts nulls first when descending).
    mirrored = _all_items(clients.synced())
    assert _ids(body["items"]) == _ids(mirrored[50:75])
    assert _ids(first) == _ids(mirrored[:10])
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
    store = _all_items(client, sort_by=sort_by, sort_order=sort_order)
    asked = {(call["sort_by"], call["sort_order"], call["size"]) for call in fake.requests}
    assert asked == {(sort_by, sort_order, "100")}
    assert fake.key_list_calls == 3
    assert _get(client, sort_by=sort_by, sort_order=sort_order)["freshness"]["source"] == (
        "litellm_page"
    )
    mirrored = _all_items(clients.synced(), sort_by=sort_by, sort_order=sort_order)
    assert len(store) == len(mirrored) == KEY_COUNT
    # LiteLLM breaks no ties for these sorts: the values, in order, are what must agree.
    assert [item[sort_by] for item in store] == [item[sort_by] for item in mirrored]
    assert set(_ids(store)) == set(_ids(mirrored))


@pytest.mark.parametrize(
    ("keydash_status", "litellm_status"),
    [("blocked", "revoked"), ("expired", "expired"), ("active", "active")],
)
def test_before_the_first_load_one_status_filter_is_read_from_litellm(
    fake: FakeLiteLLM, clients: AppClients, keydash_status: str, litellm_status: str
) -> None:
    client = clients.unsynced()
    store = _all_items(client, status=keydash_status)
    assert store
    filtered = [call for call in fake.requests if "status" in call]
    assert {call["status"] for call in filtered} == {litellm_status}
    assert all("sort_by" not in call for call in fake.requests)
    # Besides the filtered pages, one smallest unfiltered page: how many keys LiteLLM holds.
    assert [call["size"] for call in fake.requests if "status" not in call] == ["1"]
    every_key = client.get("/api/keys", params={"status": keydash_status}).json()
    assert every_key["store_total_keys"] == len(fake.keys) > every_key["total"]
    assert {item["status"] for item in store} == {keydash_status}
    mirrored = _all_items(clients.synced(), status=keydash_status)
    assert _ids(store) == _ids(mirrored)


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
    assert _get(client, "/api/keys/facets")["total"] == KEY_COUNT


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


# Failures --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("faults", "status", "code", "message", "calls"), FAULTS)
def test_before_the_first_load_litellm_faults_are_clear_errors_with_bounded_retries(
    fake: FakeLiteLLM,
    clients: AppClients,
    faults: dict[str, Any],
    status: int,
    code: str,
    message: str,
    calls: int | None,
) -> None:
    client = clients.unsynced(**FAST_FAILURE)
    for name, value in faults.items():
        setattr(fake.faults, name, value)
    response = client.get("/api/keys")  # the default view: one LiteLLM page
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert (error["code"], error["message"]) == (code, message)
    if calls is not None:
        assert fake.key_list_calls == calls
    else:
        assert 1 <= fake.key_list_calls <= 3
    # The process survives and serves again once LiteLLM recovers, without a restart.
    fake.reset()
    assert client.get("/api/keys").status_code == 200


@pytest.mark.parametrize(("faults", "status", "code", "message", "calls"), FAULTS)
def test_a_failing_first_load_is_the_answer_of_views_needing_every_key(
    fake: FakeLiteLLM,
    clients: AppClients,
    faults: dict[str, Any],
    status: int,
    code: str,
    message: str,
    calls: int | None,
) -> None:
    for name, value in faults.items():
        setattr(fake.faults, name, value)
    client = clients.started(**FAST_FAILURE)

    def failed() -> httpx.Response | None:
        response = client.get("/api/keys", params={"search": "a"})
        return response if response.status_code != 503 else None

    response = wait_for(failed, "the first load to fail")
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert (error["code"], error["message"]) == (code, message)
    facets = client.get("/api/keys/facets")
    assert (facets.status_code, facets.json()["error"]["code"]) == (status, code)
    sync = api_status(client)["sync"]
    assert sync["state"] == "loading"
    assert (sync["last_error"]["code"], sync["last_error"]["message"]) == (code, message)
    # Once LiteLLM answers again the next attempt loads everything.
    fake.reset()
    wake(client)
    wait_until_ready(client)
    assert _get(client, search="a")["freshness"]["last_error"] is None


@pytest.mark.parametrize(("faults", "status", "code", "message", "calls"), FAULTS)
def test_after_the_first_load_a_failing_litellm_leaves_the_mirror_served_and_stale(
    fake: FakeLiteLLM,
    clients: AppClients,
    faults: dict[str, Any],
    status: int,
    code: str,
    message: str,
    calls: int | None,
) -> None:
    client = clients.synced(sync_interval_seconds=LONG_INTERVAL, **FAST_FAILURE)
    healthy = _get(client)["freshness"]
    for name, value in faults.items():
        setattr(fake.faults, name, value)
    wake(client)
    body = wait_for(
        lambda: (found := _get(client))["freshness"]["stale"] and found, "the failed pass"
    )
    assert body["total"] == KEY_COUNT
    freshness = body["freshness"]
    assert freshness["as_of"] == healthy["as_of"]
    assert (freshness["last_error"]["code"], freshness["last_error"]["message"]) == (code, message)
    fake.reset()
    fresh_pass(client)
    recovered = _get(client)["freshness"]
    assert (recovered["stale"], recovered["last_error"]) == (False, None)
    assert _moment(recovered["as_of"]) > _moment(healthy["as_of"])


def test_wrong_litellm_key_is_reported_not_retried(fake: FakeLiteLLM, clients: AppClients) -> None:
    wrong = {"litellm_api_key": "sk-not-the-master-key", **FAST_FAILURE}
    response = clients.unsynced(**wrong).get("/api/keys")
    assert response.status_code == 502
    assert response.json()["error"]["code"] == "upstream_auth_failed"
    assert fake.key_list_calls == 1
    # The sync meets the same refusal, and says so on every view and on the status page.
    client = clients.started(**wrong)
    failed = wait_for(
        lambda: (
            (found := client.get("/api/keys", params={"sort_by": "owner"})).status_code != 503
            and found
        ),
        "the first load to fail",
    )
    assert failed.status_code == 502
    assert failed.json()["error"] == {
        "code": "upstream_auth_failed",
        "message": MESSAGE_401,
        "request_id": failed.headers["x-request-id"],
    }
    current = api_status(client)
    assert current["sync"]["state"] == "loading"
    assert current["sync"]["last_error"]["code"] == "upstream_auth_failed"
    assert current["key_scope"]["scope"] == "unknown"
    ready = client.get("/api/readyz")
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "sync": "loading", "key_scope": "unknown"}


def test_transient_failures_recover_within_one_read(fake: FakeLiteLLM, clients: AppClients) -> None:
    client = clients.unsynced()
    fake.faults.fail_status, fake.faults.fail_count = 502, 1
    assert _get(client)["total"] == KEY_COUNT
    assert fake.key_list_calls == 2
    # A sync pass meeting one transient failure retries it and stays fresh.
    synced = clients.synced(sync_interval_seconds=LONG_INTERVAL)
    fake.faults.fail_status, fake.faults.fail_count = 502, 1
    run_pass(synced)
    assert fake.faults.fail_count == 0
    assert _get(synced)["freshness"]["stale"] is False


def test_rate_limit_with_retry_after_is_waited_out(fake: FakeLiteLLM, clients: AppClients) -> None:
    client = clients.unsynced()
    fake.faults.rate_limit_count, fake.faults.retry_after_seconds = 1, 1
    started = time.monotonic()
    body = _get(client)
    assert time.monotonic() - started >= 1.0
    assert body["total_keys"] == KEY_COUNT
    assert fake.key_list_calls == 2


def test_an_unreachable_litellm_is_named_as_such(clients: AppClients) -> None:
    # 127.0.0.1:9 (discard) has nothing listening: the connection is refused.
    client = clients.unsynced(litellm_base_url="http://127.0.0.1:9", upstream_max_attempts=1)
    response = client.get("/api/keys")
    assert response.status_code == 502
    assert response.json()["error"]["code"] == "upstream_unavailable"
    assert response.json()["error"]["message"] == MESSAGE_REFUSED


def test_upstream_failures_are_told_in_distinct_words_each_said_once() -> None:
    by_code: dict[str, set[str]] = {}
    for param in FAULTS:
        _, _, code, message, _ = param.values
        by_code.setdefault(str(code), set()).add(str(message))
    by_code["upstream_unavailable"] = {MESSAGE_REFUSED}
    every = [message for messages in by_code.values() for message in messages]
    assert len(set(every)) == len(every)  # no two codes share a sentence
    for message in every:
        # One sentence, said once: no "HTTP 500: HTTP 500", no "(... (...))", no "..".
        assert message.endswith(".")
        assert not message.endswith("..")
        assert message.count("(") <= 1
        head = message.split(" (")[0].split(":")[0]
        assert message.count(head) == 1, message
        assert message.count("HTTP") <= 1


# The sync seen through the API ---------------------------------------------------------------


def test_after_a_failed_pass_keys_facets_and_export_say_how_stale_they_are(
    fake: FakeLiteLLM, clients: AppClients
) -> None:
    client = clients.synced(sync_interval_seconds=LONG_INTERVAL, **FAST_FAILURE)
    healthy = _get(client)["freshness"]
    fake.faults.fail_status = 500
    wake(client)
    keys = wait_for(
        lambda: (found := _get(client))["freshness"]["stale"] and found, "the failed pass"
    )
    freshness = keys["freshness"]
    assert keys["total"] == KEY_COUNT
    assert freshness["source"] == "mirror"
    assert freshness["as_of"] == healthy["as_of"]
    assert freshness["last_error"]["code"] == "upstream_error"
    assert freshness["last_error"]["message"] == MESSAGE_500
    assert _moment(freshness["last_error"]["at"]) > _moment(freshness["as_of"])
    assert _get(client, "/api/keys/facets")["freshness"] == freshness
    assert _get(client, search="a")["freshness"] == freshness

    exported = client.get("/api/keys/export", params={"format": "json"})
    assert exported.status_code == 200
    assert exported.json()["freshness"] == freshness
    assert len(exported.json()["items"]) == KEY_COUNT
    table = client.get("/api/keys/export", params={"format": "csv"})
    assert len(list(csv.DictReader(io.StringIO(table.text)))) == KEY_COUNT
    for response in (exported, table):
        assert response.headers["x-keydash-stale"] == "true"
        assert response.headers["x-keydash-last-error"] == "upstream_error"
        assert _moment(response.headers["x-keydash-as-of"]) == _moment(freshness["as_of"])

    sync = api_status(client)["sync"]
    assert sync["state"] == "ready"
    assert sync["last_error"] == freshness["last_error"]
    assert sync["last_success_at"] == freshness["as_of"]
    assert sync["mirrored_keys"] == KEY_COUNT
    assert api_status(client)["freshness"] == freshness

    # A successful pass clears it all.
    fake.reset()
    fresh_pass(client)
    recovered = _get(client)["freshness"]
    assert (recovered["stale"], recovered["last_error"]) == (False, None)
    assert _get(client, "/api/keys/facets")["freshness"] == recovered
    table = client.get("/api/keys/export", params={"format": "csv"})
    assert table.headers["x-keydash-stale"] == "false"
    assert "x-keydash-last-error" not in table.headers
    assert _moment(table.headers["x-keydash-as-of"]) == _moment(recovered["as_of"])
    assert api_status(client)["sync"]["last_error"] is None


def test_status_reports_the_sync_and_the_key_scope(fake: FakeLiteLLM, clients: AppClients) -> None:
    client = clients.synced(sync_interval_seconds=LONG_INTERVAL)
    current = api_status(client)
    sync = current["sync"]
    assert sync["state"] == "ready"
    assert sync["progress"] == {"loaded": KEY_COUNT, "total": KEY_COUNT, "eta_seconds": 0.0}
    assert (sync["mirrored_keys"], sync["interval_seconds"]) == (KEY_COUNT, LONG_INTERVAL)
    assert sync["last_error"] is None
    assert sync["last_success_at"] is not None
    # The master key may list another user's keys: it sees every key.
    scope = current["key_scope"]
    assert (scope["scope"], scope["role"], scope["warning"]) == ("all", "proxy_admin", None)
    assert scope["visible_keys"] == KEY_COUNT
    probes = [call for call in fake.requests if call.get("user_id") == "keydash-scope-probe"]
    assert [(call["page"], call["size"]) for call in probes] == [("1", "1")]
    assert current["freshness"]["source"] == "mirror"
    assert current["freshness"]["as_of"] == sync["last_success_at"]
    # Asked once, then remembered: the status page is no load on LiteLLM.
    api_status(client)
    assert len([call for call in fake.requests if call.get("user_id")]) == 1


def test_readyz_says_litellm_answers_with_the_sync_state_and_key_scope(
    fake: FakeLiteLLM, clients: AppClients
) -> None:
    client = clients.synced(**FAST_FAILURE)
    response = client.get("/api/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "sync": "ready", "key_scope": "all"}
    fake.faults.fail_status = 503
    container_of(client).readiness.reset()  # forget the remembered answer
    response = client.get("/api/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "sync": "ready", "key_scope": "all"}


def test_keys_created_blocked_and_deleted_in_litellm_show_within_an_interval() -> None:
    with serving_fake(40, seed=5, master_key=LITELLM_KEY) as fake:
        apps = AppClients(fake)
        try:
            client = apps.synced(sync_interval_seconds=SHORT_INTERVAL)
            within = SHORT_INTERVAL + 1.0

            def found(**params: Any) -> list[dict[str, Any]]:
                items: list[dict[str, Any]] = _get(client, search="late-arrival", **params)["items"]
                return items

            token = str(fake.create_key({"key_alias": "late-arrival"})["token"])
            created = wait_for(lambda: found(), "the created key", timeout=within)
            assert _ids(created) == [token]
            assert created[0]["status"] == "active"

            fake.block_key(token)
            wait_for(lambda: found(status="blocked"), "the blocked key", timeout=within)

            fake.delete_key(token)
            wait_for(lambda: not found(), "the deleted key to leave", timeout=within)
            assert _get(client)["total_keys"] == 40
        finally:
            apps.close()


def test_each_sync_pass_logs_one_line_and_a_failed_pass_a_warning_with_its_cause(
    fake: FakeLiteLLM, clients: AppClients, capsys: pytest.CaptureFixture[str]
) -> None:
    client = clients.synced(sync_interval_seconds=LONG_INTERVAL, **FAST_FAILURE)
    lines = json_lines(capsys.readouterr().out)
    finished = [line for line in lines if line["event"] == "sync_finished"]
    assert [line["kind"] for line in finished] == ["first_load", "incremental"]
    assert key_sync(client).passes == 2
    first, catch_up = finished
    assert (first["upstream_requests"], first["changed"], first["mirrored"]) == (3, 250, 250)
    assert (catch_up["upstream_requests"], catch_up["changed"], catch_up["removed"]) == (2, 0, 0)
    assert all(line["level"] == "info" and line["seconds"] >= 0 for line in finished)
    assert not [line for line in lines if line["event"] == "sync_failed"]

    run_pass(client)
    lines = json_lines(capsys.readouterr().out)
    assert [line["kind"] for line in lines if line["event"] == "sync_finished"] == ["incremental"]

    fake.faults.fail_status = 500
    wake(client)
    wait_for(lambda: key_sync(client).freshness().stale, "the failed pass")
    lines = json_lines(capsys.readouterr().out)
    assert not [line for line in lines if line["event"] == "sync_finished"]
    failed = [line for line in lines if line["event"] == "sync_failed"]
    assert len(failed) == 1
    warning = failed[0]
    assert (warning["level"], warning["kind"], warning["code"]) == (
        "warning",
        "incremental",
        "upstream_error",
    )
    assert warning["cause"] == MESSAGE_500
    assert isinstance(warning["served_data_age_seconds"], int | float)
    assert warning["served_data_age_seconds"] >= 0


def test_a_first_load_failing_after_its_first_page_is_reported_and_retried(
    fake: FakeLiteLLM, clients: AppClients
) -> None:
    original = fake.request_started

    def fail_after_page_one(params: dict[str, str]) -> None:
        original(params)
        if params.get("page") != "1" and "sort_by" not in params:
            fake.faults.fail_status = 500

    # Page 1 of the first load answers; every later page fails (retried, then given up).
    fake.request_started = fail_after_page_one  # type: ignore[method-assign]
    try:
        client = clients.started(**FAST_FAILURE)

        def failed() -> httpx.Response | None:
            response = client.get("/api/keys", params={"search": "a"})
            return response if response.status_code != 503 else None

        response = wait_for(failed, "the first load to report its failure")
        assert response.status_code == 502
        assert response.json()["error"]["message"] == MESSAGE_500
        assert api_status(client)["sync"]["progress"]["loaded"] == 100
    finally:
        fake.request_started = original  # type: ignore[method-assign]
    # The loop survived the failure: once LiteLLM answers, the next attempt ends the load.
    fake.reset()
    wake(client)
    wait_until_ready(client)
    assert len(_all_items(client, search="")) == KEY_COUNT

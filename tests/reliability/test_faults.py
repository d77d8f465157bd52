"""LiteLLM misbehaving, against the real API process (uvicorn, settings from env) over real HTTP.

apps/api/tests/test_integration_litellm.py already covers single faults in-process; this suite adds
what only a running process shows: retry counts per fault (upstream calls counted at the fake),
failures that last a while then stop, refused connections, deadlines in wall-clock time, the
concurrency bound, callers hanging up, and that the same process serves again without a restart.

Queries use `sort_by=owner` where a full read is wanted: the newest-first default view may be
answered from a single LiteLLM page, which would change the call counts.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from keydash_adapters.fakes.litellm import FakeLiteLLM, running_fake_litellm
from reliability_support import (
    ApiProcess,
    FakeServer,
    assert_envelope,
    build_app,
    logged_in_client,
    login_body,
    new_fake,
    run_async,
    serving,
    start_api,
    watched,
)

KEY_COUNT = 250  # three LiteLLM pages of 100
PAGES = 3
FULL_READ = {"sort_by": "owner"}
ATTEMPTS = 3
READ_TIMEOUT = 0.5
DEADLINE = 3.0
CONCURRENCY = 2
FAULT_SETTINGS = {
    "CACHE_TTL_SECONDS": "0",  # every request reads LiteLLM, so every call is counted
    "UPSTREAM_MAX_ATTEMPTS": str(ATTEMPTS),
    "UPSTREAM_READ_TIMEOUT_SECONDS": str(READ_TIMEOUT),
    "UPSTREAM_CONNECT_TIMEOUT_SECONDS": "1",
    "UPSTREAM_DEADLINE_SECONDS": str(DEADLINE),
    "UPSTREAM_CONCURRENCY": str(CONCURRENCY),
}


@pytest.fixture(scope="module")
def server() -> Iterator[FakeServer]:
    running = FakeServer(new_fake(KEY_COUNT)).start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def fake(server: FakeServer) -> FakeLiteLLM:
    return server.fake


@pytest.fixture(scope="module")
def api(server: FakeServer) -> Iterator[ApiProcess]:
    process = start_api(server.url, settings=FAULT_SETTINGS)
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture(scope="module")
def client(api: ApiProcess) -> Iterator[httpx.Client]:
    http = logged_in_client(api.url)
    yield http
    http.close()


@pytest.fixture(autouse=True)
def _healthy_fake(fake: FakeLiteLLM) -> Iterator[None]:
    fake.reset()
    yield
    fake.reset()


def _served_again(client: httpx.Client, fake: FakeLiteLLM) -> None:
    """LiteLLM is healthy again: the same process answers, with every key."""
    fake.reset()
    response = client.get("/api/keys", params=FULL_READ)
    assert response.status_code == 200, response.text
    assert response.json()["total_keys"] == KEY_COUNT
    assert fake.key_list_calls == PAGES


# --- failures LiteLLM recovers from ------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retried_to_the_attempt_limit_then_reported(
    client: httpx.Client, fake: FakeLiteLLM, status: int
) -> None:
    fake.faults.fail_status = status
    response = client.get("/api/keys", params=FULL_READ)
    error = assert_envelope(response, 502, "upstream_unavailable")
    assert f"HTTP {status}" in error["message"]
    assert fake.key_list_calls == ATTEMPTS
    _served_again(client, fake)


def test_a_failure_shorter_than_the_attempt_limit_is_invisible(
    client: httpx.Client, fake: FakeLiteLLM
) -> None:
    fake.faults.fail_status, fake.faults.fail_count = 502, ATTEMPTS - 1
    response = client.get("/api/keys", params=FULL_READ)
    assert response.status_code == 200, response.text
    assert response.json()["total_keys"] == KEY_COUNT
    assert fake.key_list_calls == ATTEMPTS - 1 + PAGES


def test_an_outage_that_lasts_a_while_then_ends(client: httpx.Client, fake: FakeLiteLLM) -> None:
    # Five failing answers: the first request spends three of them and reports the outage, the
    # second spends the last two and succeeds. No restart, no stuck state in between.
    fake.faults.fail_status, fake.faults.fail_count = 503, 5
    assert_envelope(client.get("/api/keys", params=FULL_READ), 502, "upstream_unavailable")
    assert fake.key_list_calls == ATTEMPTS
    recovered = client.get("/api/keys", params=FULL_READ)
    assert recovered.status_code == 200, recovered.text
    assert fake.key_list_calls == ATTEMPTS + 2 + PAGES
    # The default view, too.
    assert client.get("/api/keys").status_code == 200


def test_rate_limit_retry_after_is_waited_out(client: httpx.Client, fake: FakeLiteLLM) -> None:
    fake.faults.rate_limit_count, fake.faults.retry_after_seconds = 1, 1
    started = time.monotonic()
    response = client.get("/api/keys", params=FULL_READ)
    elapsed = time.monotonic() - started
    assert response.status_code == 200, response.text
    assert elapsed >= 1.0  # LiteLLM asked for a second's pause, and got it
    assert fake.key_list_calls == 1 + PAGES


def test_rate_limit_longer_than_the_deadline_fails_fast(
    client: httpx.Client, fake: FakeLiteLLM
) -> None:
    # Waiting 30 s cannot fit in a 3 s deadline: give up at once rather than sleep uselessly.
    fake.faults.rate_limit_count, fake.faults.retry_after_seconds = 10, 30
    started = time.monotonic()
    response = client.get("/api/keys", params=FULL_READ)
    error = assert_envelope(response, 502, "upstream_unavailable")
    assert "429" in error["message"]
    assert time.monotonic() - started < 1.5
    assert fake.key_list_calls == 1
    _served_again(client, fake)


def test_persistent_rate_limit_is_bounded_by_attempts(
    client: httpx.Client, fake: FakeLiteLLM
) -> None:
    fake.faults.rate_limit_count, fake.faults.retry_after_seconds = 10, 0
    assert_envelope(client.get("/api/keys", params=FULL_READ), 502, "upstream_unavailable")
    assert fake.key_list_calls == ATTEMPTS


# --- failures that retrying cannot fix ---------------------------------------------------------


@pytest.mark.parametrize("status", [401, 403])
def test_rejected_api_key_is_reported_once_not_retried(
    client: httpx.Client, fake: FakeLiteLLM, status: int
) -> None:
    fake.faults.fail_status = status
    error = assert_envelope(client.get("/api/keys", params=FULL_READ), 502, "upstream_auth_failed")
    assert "LITELLM_API_KEY" in error["message"]
    assert fake.key_list_calls == 1
    _served_again(client, fake)


@pytest.mark.parametrize("mode", ["not_json", "no_keys", "keys_not_list"])
def test_off_contract_bodies_are_reported_once_not_retried(
    client: httpx.Client, fake: FakeLiteLLM, mode: str
) -> None:
    fake.faults.malformed = mode
    for params in (FULL_READ, {}):
        fake.key_list_calls = 0
        assert_envelope(client.get("/api/keys", params=params), 502, "upstream_bad_response")
        assert fake.key_list_calls == 1
    _served_again(client, fake)


def test_unexpected_status_is_reported_not_retried(client: httpx.Client, fake: FakeLiteLLM) -> None:
    fake.faults.fail_status = 404
    assert_envelope(client.get("/api/keys", params=FULL_READ), 502, "upstream_bad_response")
    assert fake.key_list_calls == 1


# --- time ---------------------------------------------------------------------------------------


def test_a_hanging_litellm_becomes_504_within_the_deadline(
    client: httpx.Client, fake: FakeLiteLLM
) -> None:
    fake.faults.hang = True
    started = time.monotonic()
    response = client.get("/api/keys", params=FULL_READ)
    elapsed = time.monotonic() - started
    assert_envelope(response, 504, "upstream_timeout")
    assert READ_TIMEOUT <= elapsed <= DEADLINE + 1.0
    assert 1 <= fake.key_list_calls <= ATTEMPTS
    _served_again(client, fake)


def test_slow_but_in_time_is_served(client: httpx.Client, fake: FakeLiteLLM) -> None:
    fake.faults.latency_ms = READ_TIMEOUT * 1000 / 2
    response = client.get("/api/keys", params=FULL_READ)
    assert response.status_code == 200, response.text
    assert fake.key_list_calls == PAGES


def test_refused_connections_then_litellm_comes_back(
    api: ApiProcess, client: httpx.Client, server: FakeServer
) -> None:
    server.stop()  # nothing listens on LiteLLM's port now
    try:
        started = time.monotonic()
        error = assert_envelope(client.get("/api/keys"), 502, "upstream_unavailable")
        assert "ConnectError" in error["message"]
        assert time.monotonic() - started < DEADLINE + 1
        # Connection errors are transient: every attempt was made (counted by the API itself).
        events = [line for line in api.log_lines() if line.get("event") == "request"]
        assert events[-1]["upstream_calls"] == ATTEMPTS
    finally:
        server.start()  # LiteLLM is back on the same port
    _served_again(client, server.fake)
    assert api.alive()


# --- what LiteLLM sends -------------------------------------------------------------------------


def _all_items(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        response = client.get("/api/keys", params={**params, "page": page, "size": 100})
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        if page >= body["total_pages"]:
            return items
        page += 1


@pytest.fixture
def cached_client(server: FakeServer) -> Iterator[Any]:
    """An in-process app that keeps its snapshot, so paging walks one read of LiteLLM."""
    from fastapi.testclient import TestClient

    app, _ = build_app(litellm_base_url=server.url, cache_ttl_seconds=600)
    with TestClient(app) as client:
        watched(client)
        assert client.post("/api/auth/login", json=login_body()).status_code == 200
        yield client


def test_pages_growing_while_read_lose_and_repeat_nothing(
    cached_client: httpx.Client, fake: FakeLiteLLM
) -> None:
    originals = {key["token"] for key in fake.keys}
    fake.faults.shifting_total = True
    ids = [item["id"] for item in _all_items(cached_client, **FULL_READ)]
    # Each upstream call created a key: at least one was seen, none twice, no original lost.
    assert len(ids) == len(set(ids)) > KEY_COUNT
    assert originals <= set(ids)


def test_duplicates_across_pages_are_served_once(
    cached_client: httpx.Client, fake: FakeLiteLLM
) -> None:
    fake.faults.duplicate_across_pages = True
    ids = [item["id"] for item in _all_items(cached_client, **FULL_READ)]
    assert len(ids) == len(set(ids)) == KEY_COUNT
    assert fake.key_list_calls == PAGES


def test_wrong_types_in_every_field_are_reported_as_partial(
    client: httpx.Client, fake: FakeLiteLLM
) -> None:
    fake.faults.malformed = "wrong_types"
    body = client.get("/api/keys", params={**FULL_READ, "size": 100}).json()
    assert body["total_keys"] == KEY_COUNT  # every record kept, even alike ones with no token
    assert body["partial_count"] == KEY_COUNT
    for item in _all_items(client, **FULL_READ):
        assert item["partial"] is True
        assert item["unreadable_fields"], item
    # The default view is served as well, never a 500.
    default = client.get("/api/keys")
    assert default.status_code == 200
    assert all(item["partial"] for item in default.json()["items"])


# Each field Keydash reads, with values of every wrong JSON type.
READ_FIELDS = {
    "token": [12345, True, ["list"], {"an": "object"}, ""],
    "key_name": [12345, True, ["list"], {"an": "object"}],
    "key_alias": [12345, True, ["list"], {"an": "object"}],
    "user_id": [12345, True, ["list"], {"an": "object"}],
    "team_id": [12345, True, ["list"], {"an": "object"}],
    "expires": [12345, True, ["list"], {"an": "object"}, "not a date", "2026-13-45T99:99:99"],
    "created_at": [12345, True, ["list"], {"an": "object"}, "yesterday"],
    "models": [12345, True, "gpt-4o", {"an": "object"}, [1, None, "gpt-4o"]],
    "spend": ["lots", True, ["list"], {"an": "object"}],
    "max_budget": ["unlimited", True, ["list"], {"an": "object"}],
    "blocked": ["yes", 1, ["list"], {"an": "object"}],
    "metadata": [12345, True, "text", ["list"]],
}


@pytest.fixture(scope="module")
def small() -> Iterator[tuple[FakeLiteLLM, Any]]:
    """30 keys (one LiteLLM page) behind an in-process app that reads LiteLLM on every request."""
    from fastapi.testclient import TestClient

    fake = new_fake(30)
    with running_fake_litellm(fake) as url:
        app, _ = build_app(litellm_base_url=url, cache_ttl_seconds=0)
        with TestClient(app) as http:
            watched(http)
            assert http.post("/api/auth/login", json=login_body()).status_code == 200
            yield fake, http


def _with_one_wrong(small: tuple[FakeLiteLLM, Any], edit: Any) -> dict[str, Any]:
    fake, http = small
    original = [dict(key) for key in fake.keys]
    try:
        victim = next(key for key in fake.keys if key.get("user") and key.get("metadata"))
        edit(victim)
        response = http.get("/api/keys", params={**FULL_READ, "size": 100})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert body["total_keys"] == len(fake.keys)
        return body
    finally:
        fake.keys[:] = original


@pytest.mark.parametrize(
    ("field", "value"),
    [(field, value) for field, values in READ_FIELDS.items() for value in values],
    ids=lambda item: json.dumps(item)[:20],
)
def test_one_wrong_field_marks_that_key_partial_and_keeps_it(
    small: tuple[FakeLiteLLM, Any], field: str, value: Any
) -> None:
    body = _with_one_wrong(small, lambda victim: victim.__setitem__(field, value))
    partial = [item for item in body["items"] if item["partial"]]
    assert body["partial_count"] == len(partial) == 1
    assert field in partial[0]["unreadable_fields"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("user", "alice"),
        ("user", ["alice"]),
        ("metadata.tags", {"team": "prod"}),
        ("metadata.tags", 7),
    ],
)
def test_wrong_owner_row_or_tags_are_reported_not_dropped_silently(
    small: tuple[FakeLiteLLM, Any], field: str, value: Any
) -> None:
    def edit(victim: dict[str, Any]) -> None:
        if field == "metadata.tags":
            victim["metadata"] = {**victim["metadata"], "tags": value}
        else:
            victim[field] = value

    assert _with_one_wrong(small, edit)["partial_count"] == 1


# --- concurrency --------------------------------------------------------------------------------


async def _storm(api: ApiProcess, params: list[dict[str, Any]]) -> list[int]:
    async with watched(httpx.AsyncClient(base_url=api.url, timeout=30)) as http:
        login = await http.post("/api/auth/login", json=login_body())
        assert login.status_code == 200
        responses = await asyncio.gather(*(http.get("/api/keys", params=p) for p in params))
    return [response.status_code for response in responses]


def test_concurrent_dashboards_during_a_refresh_share_one_read(
    api: ApiProcess, fake: FakeLiteLLM
) -> None:
    fake.faults.latency_ms = 200
    statuses = run_async(_storm(api, [FULL_READ] * 20))
    assert statuses == [200] * 20
    assert fake.key_list_calls == PAGES  # one read, shared by all twenty
    assert fake.max_concurrent_seen <= CONCURRENCY


def test_a_slow_litellm_never_sees_more_calls_than_the_concurrency_bound(
    api: ApiProcess, fake: FakeLiteLLM
) -> None:
    fake.faults.latency_ms = 150
    mix: list[dict[str, Any]] = [
        {},
        {"page": 2},
        {"search": "prod"},
        {"sort_by": "tags", "sort_order": "asc"},
        {"sort_by": "owner"},
        {"size": 100, "page": 3},
    ]
    statuses = run_async(_storm(api, mix * 5))
    assert set(statuses) == {200}
    assert fake.max_concurrent_seen <= CONCURRENCY, fake.max_concurrent_seen


def test_a_caller_hanging_up_does_not_cancel_the_shared_read(
    api: ApiProcess, fake: FakeLiteLLM
) -> None:
    fake.faults.latency_ms = 300

    async def scenario() -> list[httpx.Response]:
        async with watched(httpx.AsyncClient(base_url=api.url, timeout=30)) as http:
            assert (await http.post("/api/auth/login", json=login_body())).status_code == 200

            async def impatient() -> None:
                with pytest.raises(httpx.ReadTimeout):
                    await http.get("/api/keys", params=FULL_READ, timeout=0.1)

            patient = [http.get("/api/keys", params=FULL_READ) for _ in range(3)]
            _, responses = await asyncio.gather(impatient(), asyncio.gather(*patient))
            return list(responses)

    responses = run_async(scenario())
    assert [response.status_code for response in responses] == [200] * 3
    assert fake.key_list_calls == PAGES


# --- LiteLLMs stranger than the fake ------------------------------------------------------------


def _raw_litellm(chunks_for_page: Any) -> Any:
    """A bare ASGI app answering /key/list with exactly the bytes (and pauses) it is given."""
    calls: list[str] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        query = scope["query_string"].decode()
        calls.append(query)
        status, chunks = chunks_for_page(query)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        for chunk in chunks:
            if isinstance(chunk, float):
                await asyncio.sleep(chunk)
            else:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    app.calls = calls  # type: ignore[attr-defined]
    return app


def _get_keys_in_process(url: str, **params: Any) -> tuple[httpx.Response, float]:
    from fastapi.testclient import TestClient

    app, _ = build_app(
        litellm_base_url=url,
        upstream_read_timeout_seconds=READ_TIMEOUT,
        upstream_deadline_seconds=2.0,
        cache_ttl_seconds=0,
    )
    with TestClient(app) as client:
        watched(client)
        assert client.post("/api/auth/login", json=login_body()).status_code == 200
        started = time.monotonic()
        response = client.get("/api/keys", params=params)
        return response, time.monotonic() - started


def _record(n: int, **fields: Any) -> dict[str, Any]:
    return {"token": f"{n:064x}", "key_name": f"sk-...{n:04d}", **fields}


def test_non_finite_numbers_are_not_a_500() -> None:
    body = b'{"keys": [{"token": "a", "spend": NaN, "max_budget": Infinity}, {"token": "b", '
    body += b'"spend": -Infinity}], "total_count": 2, "total_pages": 1}'
    upstream = _raw_litellm(lambda query: (200, [body]))
    with serving(upstream) as url:
        for sort in ("spend", "max_budget"):
            response, _ = _get_keys_in_process(url, sort_by=sort)
            assert response.status_code == 200, response.text


def test_non_finite_numbers_are_reported_as_partial() -> None:
    body = b'{"keys": [{"token": "a", "spend": NaN}, {"token": "b", "max_budget": Infinity}], '
    body += b'"total_count": 2, "total_pages": 1}'
    upstream = _raw_litellm(lambda query: (200, [body]))
    with serving(upstream) as url:
        response, _ = _get_keys_in_process(url, **FULL_READ)
    assert response.json()["partial_count"] == 2


def test_records_that_are_not_objects_are_kept_as_partial_rows() -> None:
    keys: list[Any] = [_record(1), 42, True, ["a", "list"], {"no": "token"}]
    body = json.dumps({"keys": keys, "total_count": 5, "total_pages": 1}).encode()
    upstream = _raw_litellm(lambda query: (200, [body]))
    with serving(upstream) as url:
        response, _ = _get_keys_in_process(url, **FULL_READ)
    assert response.status_code == 200, response.text
    assert response.json()["total_keys"] == 5
    assert response.json()["partial_count"] == 4


@pytest.mark.parametrize(
    "claimed_pages",
    [pytest.param(300, id="300"), pytest.param(10**9, id="a-billion", marks=pytest.mark.slow)],
)
def test_a_page_count_that_lies_is_bounded(claimed_pages: int) -> None:
    # LiteLLM claims many pages but has one key: the read must end, in bounded calls and time.
    def page(query: str) -> tuple[int, list[bytes]]:
        keys = [_record(1)] if "page=1&" in query else []
        body = {"keys": keys, "total_count": claimed_pages * 100, "total_pages": claimed_pages}
        return 200, [json.dumps(body).encode()]

    upstream = _raw_litellm(page)
    with serving(upstream) as url:
        response, elapsed = _get_keys_in_process(url, **FULL_READ)
    assert response.status_code == 200, response.text
    assert response.json()["total_keys"] == 1
    print(f"claimed {claimed_pages} pages: {len(upstream.calls)} calls in {elapsed:.2f} s")
    assert len(upstream.calls) <= min(claimed_pages, 2_001)
    assert elapsed < 60


def test_deeply_nested_json_is_a_bad_response_not_a_500() -> None:
    body = b'{"keys": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    upstream = _raw_litellm(lambda query: (200, [body]))
    with serving(upstream) as url:
        response, _ = _get_keys_in_process(url, **FULL_READ)
    assert_envelope(response, 502, "upstream_bad_response")


def test_a_trickling_body_is_cut_off_at_the_deadline() -> None:
    # One byte every 0.4 s: each read is within the 0.5 s read timeout, the whole is not.
    chunks: list[Any] = [b'{"keys": [']
    for _ in range(8):
        chunks += [0.4, b" "]
    chunks.append(b'], "total_count": 0, "total_pages": 0}')
    upstream = _raw_litellm(lambda query: (200, chunks))
    with serving(upstream) as url:
        response, elapsed = _get_keys_in_process(url, **FULL_READ)
    assert elapsed <= 2.0 + 1.0, f"took {elapsed:.1f} s with a 2 s deadline"
    assert_envelope(response, 504, "upstream_timeout")


# --- and the process is still the same one ------------------------------------------------------


def test_the_process_survived_every_fault_without_an_unhandled_error(
    api: ApiProcess, client: httpx.Client
) -> None:
    assert api.alive()
    assert client.get("/api/healthz").json() == {"status": "ok"}
    assert client.get("/api/keys", params=FULL_READ).status_code == 200
    events = api.log_lines()
    assert not [event for event in events if event.get("event") == "unhandled_error"]
    statuses = {event.get("status") for event in events if event.get("event") == "request"}
    assert 500 not in statuses

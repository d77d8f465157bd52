"""LiteLLM misbehaving: what Keydash answers, how often it asks LiteLLM, and that it recovers.

Requests read the mirror a background sync keeps; LiteLLM is read by the sync and, until the first
load ends, by the default view (one page per request). So every fault has two halves:

- before any mirror (`cold`: an app whose sync never runs, served by uvicorn over real HTTP): the
  default view maps each fault to its error code with the client's retries, counted per request at
  the fake; views that need every key answer 503 `mirror_loading` at once, never waiting;
- with a mirror (`api`: the API as production runs it, a uvicorn process with settings from env,
  syncing every 0.5 s): answers stay 200 from the mirror, marked stale with the fault's words while
  passes fail, one `sync_failed` warning per failed pass (retries counted per pass at the fake),
  and the next good pass clears it.

apps/api/tests and packages/adapters/tests cover single faults in-process; this suite adds what only
running servers show: call counts per fault, failures that last a while then stop, refused
connections, deadlines in wall-clock time, the concurrency bound, callers hanging up, and that the
same process serves again without a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from keydash_fakes.litellm import FakeLiteLLM, running_fake_litellm
from reliability_support import (
    ApiProcess,
    FakeServer,
    assert_envelope,
    await_fresh,
    await_mirror,
    build_app,
    free_port,
    freshness_of,
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
FULL_READ = {"sort_by": "owner"}  # a view LiteLLM cannot answer alone: it needs the mirror
ATTEMPTS = 3
READ_TIMEOUT = 0.5
DEADLINE = 3.0
CONCURRENCY = 2
SYNC_INTERVAL = 0.5
FAULT_SETTINGS = {
    "CACHE_TTL_SECONDS": "0",  # every default-view request reads LiteLLM, so every call counts
    "UPSTREAM_MAX_ATTEMPTS": str(ATTEMPTS),
    "UPSTREAM_READ_TIMEOUT_SECONDS": str(READ_TIMEOUT),
    "UPSTREAM_CONNECT_TIMEOUT_SECONDS": "1",
    "UPSTREAM_DEADLINE_SECONDS": str(DEADLINE),
    "UPSTREAM_CONCURRENCY": str(CONCURRENCY),
    "SYNC_INTERVAL_SECONDS": str(SYNC_INTERVAL),
}
COLD_SETTINGS = {name.lower(): float(value) for name, value in FAULT_SETTINGS.items()}
COLD_SETTINGS["upstream_max_attempts"] = ATTEMPTS
COLD_SETTINGS["upstream_concurrency"] = CONCURRENCY


# --- the API process with a mirror ------------------------------------------------------------


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
    await_fresh(http)
    yield http
    http.close()


# --- an app with no mirror: its sync never runs (uvicorn without the lifespan) ------------------


@pytest.fixture(scope="module")
def cold_server() -> Iterator[FakeServer]:
    running = FakeServer(new_fake(KEY_COUNT)).start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def cold_fake(cold_server: FakeServer) -> FakeLiteLLM:
    return cold_server.fake


@pytest.fixture(scope="module")
def cold(cold_server: FakeServer) -> Iterator[httpx.Client]:
    app, container = build_app(litellm_base_url=cold_server.url, **COLD_SETTINGS)
    with serving(app) as url:
        http = logged_in_client(url)
        yield http
        http.close()
    assert not container.key_sync().ready  # it never loaded: every answer here was "cold"


@pytest.fixture(autouse=True)
def _healthy_fakes(fake: FakeLiteLLM, cold_fake: FakeLiteLLM) -> Iterator[None]:
    for each in (fake, cold_fake):
        each.reset()
    yield
    for each in (fake, cold_fake):
        each.reset()


def _served_again(cold: httpx.Client, cold_fake: FakeLiteLLM) -> None:
    """LiteLLM is healthy again: the same app answers the default view, from one page."""
    cold_fake.reset()
    response = cold.get("/api/keys")
    assert freshness_of(response)["source"] == "litellm_page"
    assert response.json()["total_keys"] == KEY_COUNT
    assert cold_fake.key_list_calls == 1


def _upstream_error(response: httpx.Response, status: int) -> None:
    error = assert_envelope(response, 502, "upstream_error")
    assert error["message"].startswith(f"LiteLLM answered with an error (HTTP {status}: ")
    assert error["message"].endswith(").")


# --- before any mirror: failures LiteLLM recovers from -----------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_retried_to_the_attempt_limit_then_reported(
    cold: httpx.Client, cold_fake: FakeLiteLLM, status: int
) -> None:
    cold_fake.faults.fail_status = status
    _upstream_error(cold.get("/api/keys"), status)
    assert cold_fake.key_list_calls == ATTEMPTS
    _served_again(cold, cold_fake)


def test_a_failure_shorter_than_the_attempt_limit_is_invisible(
    cold: httpx.Client, cold_fake: FakeLiteLLM
) -> None:
    cold_fake.faults.fail_status, cold_fake.faults.fail_count = 502, ATTEMPTS - 1
    response = cold.get("/api/keys")
    assert response.status_code == 200, response.text
    assert response.json()["total_keys"] == KEY_COUNT
    assert cold_fake.key_list_calls == ATTEMPTS


def test_an_outage_that_lasts_a_while_then_ends(cold: httpx.Client, cold_fake: FakeLiteLLM) -> None:
    # Five failing answers: the first request spends three of them and reports the outage, the
    # second spends the last two and succeeds. No restart, no stuck state in between.
    cold_fake.faults.fail_status, cold_fake.faults.fail_count = 503, 5
    _upstream_error(cold.get("/api/keys"), 503)
    assert cold_fake.key_list_calls == ATTEMPTS
    recovered = cold.get("/api/keys")
    assert recovered.status_code == 200, recovered.text
    assert cold_fake.key_list_calls == ATTEMPTS + 2 + 1
    # Another page of the default order, too.
    assert cold.get("/api/keys", params={"page": 2}).status_code == 200


def test_rate_limit_retry_after_is_waited_out(cold: httpx.Client, cold_fake: FakeLiteLLM) -> None:
    cold_fake.faults.rate_limit_count, cold_fake.faults.retry_after_seconds = 1, 1
    started = time.monotonic()
    response = cold.get("/api/keys")
    elapsed = time.monotonic() - started
    assert response.status_code == 200, response.text
    assert elapsed >= 1.0  # LiteLLM asked for a second's pause, and got it
    assert cold_fake.key_list_calls == 1 + 1


def test_rate_limit_longer_than_the_deadline_fails_fast(
    cold: httpx.Client, cold_fake: FakeLiteLLM
) -> None:
    # Waiting 30 s cannot fit in a 3 s deadline: give up at once rather than sleep uselessly.
    cold_fake.faults.rate_limit_count, cold_fake.faults.retry_after_seconds = 10, 30
    started = time.monotonic()
    _upstream_error(cold.get("/api/keys"), 429)
    assert time.monotonic() - started < 1.5
    assert cold_fake.key_list_calls == 1
    _served_again(cold, cold_fake)


def test_persistent_rate_limit_is_bounded_by_attempts(
    cold: httpx.Client, cold_fake: FakeLiteLLM
) -> None:
    cold_fake.faults.rate_limit_count, cold_fake.faults.retry_after_seconds = 10, 0
    _upstream_error(cold.get("/api/keys"), 429)
    assert cold_fake.key_list_calls == ATTEMPTS


# --- before any mirror: failures that retrying cannot fix --------------------------------------


@pytest.mark.parametrize("status", [401, 403])
def test_rejected_api_key_is_reported_once_not_retried(
    cold: httpx.Client, cold_fake: FakeLiteLLM, status: int
) -> None:
    cold_fake.faults.fail_status = status
    error = assert_envelope(cold.get("/api/keys"), 502, "upstream_auth_failed")
    assert f"HTTP {status}" in error["message"]
    assert "LITELLM_API_KEY" in error["message"]
    assert cold_fake.key_list_calls == 1
    _served_again(cold, cold_fake)


@pytest.mark.parametrize("mode", ["not_json", "no_keys", "keys_not_list"])
def test_off_contract_bodies_are_reported_once_not_retried(
    cold: httpx.Client, cold_fake: FakeLiteLLM, mode: str
) -> None:
    cold_fake.faults.malformed = mode
    for params in ({}, {"page": 2, "size": 100}):
        cold_fake.key_list_calls = 0
        error = assert_envelope(cold.get("/api/keys", params=params), 502, "upstream_bad_response")
        assert error["message"].startswith("LiteLLM sent an answer Keydash cannot read")
        assert cold_fake.key_list_calls == 1
    _served_again(cold, cold_fake)


def test_unexpected_status_is_reported_not_retried(
    cold: httpx.Client, cold_fake: FakeLiteLLM
) -> None:
    cold_fake.faults.fail_status = 404
    _upstream_error(cold.get("/api/keys"), 404)
    assert cold_fake.key_list_calls == 1


def test_a_view_that_needs_every_key_never_waits_for_litellm(
    cold: httpx.Client, cold_fake: FakeLiteLLM
) -> None:
    # No mirror and no sync error: such views say "loading" at once, and cost LiteLLM nothing,
    # even while LiteLLM hangs.
    cold_fake.faults.hang = True
    for path, params in [
        ("/api/keys", FULL_READ),
        ("/api/keys", {"search": "prod"}),
        ("/api/keys/facets", {}),
        ("/api/keys/export", {"format": "json"}),
    ]:
        started = time.monotonic()
        response = cold.get(path, params=params)
        assert time.monotonic() - started < 0.5
        error = assert_envelope(response, 503, "mirror_loading")
        assert error["progress"]["loaded"] == 0
    assert cold_fake.key_list_calls == 0


def test_mirror_loading_progress_has_every_documented_field(cold: httpx.Client) -> None:
    error = assert_envelope(cold.get("/api/keys", params=FULL_READ), 503, "mirror_loading")
    assert error["progress"] == {"loaded": 0, "total": None, "eta_seconds": None}


def test_a_filtered_page_read_from_litellm_counts_every_key(
    cold: httpx.Client, cold_fake: FakeLiteLLM
) -> None:
    response = cold.get("/api/keys", params={"status": "blocked"})
    assert freshness_of(response)["source"] == "litellm_page"
    assert 0 < response.json()["total"] < KEY_COUNT
    assert response.json()["store_total_keys"] == KEY_COUNT


# --- before any mirror: time -------------------------------------------------------------------


def test_a_hanging_litellm_becomes_504_within_the_deadline(
    cold: httpx.Client, cold_fake: FakeLiteLLM
) -> None:
    cold_fake.faults.hang = True
    started = time.monotonic()
    response = cold.get("/api/keys")
    elapsed = time.monotonic() - started
    error = assert_envelope(response, 504, "upstream_timeout")
    assert error["message"] == "LiteLLM did not answer in time."
    assert READ_TIMEOUT <= elapsed <= DEADLINE + 1.0
    assert 1 <= cold_fake.key_list_calls <= ATTEMPTS
    _served_again(cold, cold_fake)


def test_slow_but_in_time_is_served(cold: httpx.Client, cold_fake: FakeLiteLLM) -> None:
    cold_fake.faults.latency_ms = READ_TIMEOUT * 1000 / 2
    response = cold.get("/api/keys")
    assert response.status_code == 200, response.text
    assert cold_fake.key_list_calls == 1


# --- with a mirror: LiteLLM failing while answers keep coming ----------------------------------


@dataclass
class Outage:
    """What a test saw from the moment a fault began until a good pass cleared it."""

    answers: list[dict[str, Any]] = field(default_factory=list)  # freshness of each answer
    slowest: float = 0.0
    warnings: list[dict[str, Any]] = field(default_factory=list)  # sync_failed log lines

    @property
    def stale(self) -> list[dict[str, Any]]:
        return [answer for answer in self.answers if answer["stale"]]


def _through_a_fault(
    client: httpx.Client,
    api: ApiProcess,
    fake: FakeLiteLLM,
    begin: Callable[[], object],
    *,
    end_after_warnings: int | None = None,
    end: Callable[[], object] | None = None,
    seconds: float = 40,
) -> Outage:
    """Start a fault, keep asking (every view needing every key, and the default view) until it
    ended (by itself, or by `end` after that many warnings) and a pass succeeded again."""
    await_fresh(client)
    mark = len(api.events("sync_failed"))
    fake.reset_stats()
    outage = Outage()
    begin()
    ended = end_after_warnings is None
    deadline = time.monotonic() + seconds
    while True:
        # Warnings read before the answers: a pass that failed between an answer and this read
        # would otherwise end the loop on a fresh answer taken before the failure.
        warnings_before = api.events("sync_failed")[mark:]
        for params in (FULL_READ, {}):
            started = time.monotonic()
            response = client.get("/api/keys", params=params)
            outage.slowest = max(outage.slowest, time.monotonic() - started)
            freshness = freshness_of(response)  # always 200, whatever LiteLLM does
            assert freshness["source"] == "mirror", freshness
            assert response.json()["total_keys"] == KEY_COUNT
            outage.answers.append(freshness)
        outage.warnings = api.events("sync_failed")[mark:]
        if not ended and end is not None and len(outage.warnings) >= (end_after_warnings or 0):
            end()
            ended = True
        if ended and warnings_before and not outage.answers[-1]["stale"]:
            break
        assert time.monotonic() < deadline, (len(outage.warnings), outage.answers[-1:])
        time.sleep(0.05)
    # No request read LiteLLM: every call the fake saw was the sync's.
    assert fake.requests_by_kind["default"] == fake.requests_by_kind["other"] == 0
    assert outage.answers[-1]["last_error"] is None
    return outage


def _stale_with(outage: Outage, code: str, words: str) -> None:
    assert outage.stale, "the failed pass was never shown as stale"
    for answer in outage.stale:
        assert answer["last_error"]["code"] == code, answer
        assert words in answer["last_error"]["message"], answer
    for warning in outage.warnings:
        assert warning["level"] == "warning", warning
        assert warning["code"] == code, warning
        assert words in warning["cause"], warning
        assert warning["served_data_age_seconds"] is not None, warning
        assert warning["served_data_age_seconds"] >= 0, warning


def test_an_outage_with_a_mirror_held_keeps_answering_and_recovers(
    client: httpx.Client, api: ApiProcess, fake: FakeLiteLLM
) -> None:
    # Three failed passes' worth of 503s, then LiteLLM is back.
    passes = 3

    def begin() -> None:
        fake.faults.fail_status, fake.faults.fail_count = 503, passes * ATTEMPTS

    outage = _through_a_fault(client, api, fake, begin)
    _stale_with(outage, "upstream_error", "LiteLLM answered with an error (HTTP 503: ")
    # Each pass retried to the attempt limit: exactly one warning per failed pass.
    assert len(outage.warnings) == passes, outage.warnings
    ages = [warning["served_data_age_seconds"] for warning in outage.warnings]
    assert ages == sorted(ages), ages  # the same mirror, served older and older
    assert outage.slowest < 1.0, outage.slowest


def test_a_failure_shorter_than_the_attempt_limit_is_invisible_to_the_mirror(
    client: httpx.Client, api: ApiProcess, fake: FakeLiteLLM
) -> None:
    await_fresh(client)
    mark = len(api.events("sync_failed"))
    fake.reset_stats()
    fake.faults.fail_status, fake.faults.fail_count = 502, ATTEMPTS - 1
    deadline = time.monotonic() + 20
    while fake.faults.fail_count or fake.requests_by_kind["updated_at"] < ATTEMPTS + 1:
        assert not freshness_of(client.get("/api/keys", params=FULL_READ))["stale"]
        assert time.monotonic() < deadline, fake.requests_by_kind
        time.sleep(0.05)
    time.sleep(2 * SYNC_INTERVAL)
    assert not freshness_of(client.get("/api/keys", params=FULL_READ))["stale"]
    assert api.events("sync_failed")[mark:] == []


@pytest.mark.parametrize(
    ("status", "count", "code", "words"),
    [
        # Persistent 429 (no pause asked): retried to the attempt limit, then the pass fails.
        (429, ATTEMPTS, "upstream_error", "HTTP 429: "),
        # Retrying cannot fix these: one call per failed pass.
        (401, 1, "upstream_auth_failed", "LITELLM_API_KEY"),
        (403, 1, "upstream_auth_failed", "LITELLM_API_KEY"),
        (404, 1, "upstream_error", "HTTP 404: "),
    ],
)
def test_calls_per_failed_pass_follow_the_retry_policy(
    client: httpx.Client,
    api: ApiProcess,
    fake: FakeLiteLLM,
    status: int,
    count: int,
    code: str,
    words: str,
) -> None:
    failing_passes = 2

    def begin() -> None:
        if status == 429:
            fake.faults.rate_limit_count = failing_passes * count
            fake.faults.retry_after_seconds = 0
        else:
            fake.faults.fail_status, fake.faults.fail_count = status, failing_passes * count

    outage = _through_a_fault(client, api, fake, begin)
    _stale_with(outage, code, words)
    # Fewer calls per pass would fail more passes, more calls fewer (or none).
    assert len(outage.warnings) == failing_passes, outage.warnings


def test_a_rate_limit_longer_than_the_deadline_fails_the_pass_fast(
    client: httpx.Client, api: ApiProcess, fake: FakeLiteLLM
) -> None:
    def begin() -> None:
        fake.faults.rate_limit_count, fake.faults.retry_after_seconds = 2, 30

    outage = _through_a_fault(client, api, fake, begin)
    _stale_with(outage, "upstream_error", "HTTP 429: ")
    assert len(outage.warnings) == 2, outage.warnings  # one call each: no useless 30 s wait
    assert all(warning["seconds"] < 1.5 for warning in outage.warnings), outage.warnings


def test_a_rate_limit_retry_after_is_waited_out_by_the_pass(
    client: httpx.Client, api: ApiProcess, fake: FakeLiteLLM
) -> None:
    await_fresh(client)
    mark = len(api.events("sync_finished"))
    failed = len(api.events("sync_failed"))
    fake.faults.rate_limit_count, fake.faults.retry_after_seconds = 1, 1
    deadline = time.monotonic() + 20
    while fake.faults.rate_limit_count:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    while len(api.events("sync_finished")) <= mark:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    waited = api.events("sync_finished")[mark]
    assert waited["seconds"] >= 1.0, waited  # LiteLLM asked for a second's pause, and got it
    assert api.events("sync_failed")[failed:] == []
    assert not freshness_of(client.get("/api/keys", params=FULL_READ))["stale"]


@pytest.mark.parametrize("mode", ["not_json", "no_keys", "keys_not_list"])
def test_off_contract_bodies_leave_the_mirror_served_and_marked(
    client: httpx.Client, api: ApiProcess, fake: FakeLiteLLM, mode: str
) -> None:
    def begin() -> None:
        fake.faults.malformed = mode

    outage = _through_a_fault(client, api, fake, begin, end_after_warnings=2, end=fake.reset_faults)
    _stale_with(outage, "upstream_bad_response", "LiteLLM sent an answer Keydash cannot read")
    # Not retried: each failed pass asked LiteLLM once.
    assert all(warning["upstream_requests"] == 1 for warning in outage.warnings), outage.warnings


def test_litellm_hanging_during_passes(
    client: httpx.Client, api: ApiProcess, fake: FakeLiteLLM
) -> None:
    def begin() -> None:
        fake.faults.hang = True

    outage = _through_a_fault(
        client, api, fake, begin, end_after_warnings=3, end=fake.reset_faults, seconds=60
    )
    _stale_with(outage, "upstream_timeout", "LiteLLM did not answer in time.")
    # The loop kept going, each pass cut off by the deadline, none stacked on another.
    assert len(outage.warnings) >= 3
    assert all(warning["seconds"] <= DEADLINE + 1.0 for warning in outage.warnings)
    assert fake.max_concurrent_seen <= CONCURRENCY, fake.max_concurrent_seen
    assert outage.slowest < 1.0, outage.slowest  # requests never waited for the hung pass


def test_refused_connections_with_a_mirror_held(
    client: httpx.Client, api: ApiProcess, server: FakeServer
) -> None:
    outage = _through_a_fault(
        client, api, server.fake, server.stop, end_after_warnings=2, end=server.start
    )
    _stale_with(outage, "upstream_unavailable", "LiteLLM is not reachable (connection refused).")
    assert api.alive()


def test_slow_but_in_time_passes_are_not_failures(
    client: httpx.Client, api: ApiProcess, fake: FakeLiteLLM
) -> None:
    await_fresh(client)
    mark = len(api.events("sync_finished"))
    failed = len(api.events("sync_failed"))
    fake.faults.latency_ms = READ_TIMEOUT * 1000 / 2
    deadline = time.monotonic() + 20
    while len(api.events("sync_finished")) < mark + 2:
        assert not freshness_of(client.get("/api/keys", params=FULL_READ))["stale"]
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert api.events("sync_failed")[failed:] == []


# --- LiteLLM down when the API starts, then back --------------------------------------------------


def _logged_request(api: ApiProcess, seen: int) -> dict[str, Any]:
    """The API's log line of the next /api/keys request after the first `seen` request lines
    (a line is written just after its answer, so wait for it)."""
    deadline = time.monotonic() + 5
    while True:
        events = api.events("request")[seen:]
        keys = [event for event in events if event.get("route") == "/api/keys"]
        if keys:
            return keys[0]
        assert time.monotonic() < deadline, events
        time.sleep(0.02)


def test_refused_connections_then_litellm_comes_back() -> None:
    litellm = FakeServer(new_fake(KEY_COUNT), port=free_port())  # nothing listens there yet
    api = start_api(litellm.url, settings=FAULT_SETTINGS)
    try:
        http = logged_in_client(api.url)
        with contextlib.closing(http):
            seen = len(api.events("request"))
            started = time.monotonic()
            error = assert_envelope(http.get("/api/keys"), 502, "upstream_unavailable")
            refused = error["message"]
            assert refused == "LiteLLM is not reachable (connection refused)."
            assert time.monotonic() - started < DEADLINE + 1
            # Connection errors are transient: every attempt was made (counted by the API itself).
            assert _logged_request(api, seen)["upstream_calls"] == ATTEMPTS
            # A view that needs every key gets the sync's own error at once, never a wait.
            started = time.monotonic()
            error = assert_envelope(await_mirror(http), 502, "upstream_unavailable")
            assert error["message"] == refused  # the same words as the per-request read
            seen = len(api.events("request"))
            started = time.monotonic()
            again = http.get("/api/keys", params=FULL_READ)
            assert time.monotonic() - started < 0.5
            assert assert_envelope(again, 502, "upstream_unavailable")["message"] == refused
            assert _logged_request(api, seen)["upstream_calls"] == 0
            assert api.events("sync_failed")[0]["kind"] == "first_load"

            litellm.start()  # LiteLLM is back on the same port
            default = http.get("/api/keys")
            assert freshness_of(default)["source"] == "litellm_page"
            assert default.json()["total_keys"] == KEY_COUNT
            # The sync retries with a backoff (2 s, 4 s, ... jittered) and then loads.
            deadline = time.monotonic() + 40
            while (response := await_mirror(http)).status_code != 200:
                assert_envelope(response, 502, "upstream_unavailable")
                assert time.monotonic() < deadline
                time.sleep(0.1)
            assert response.json()["total_keys"] == KEY_COUNT
            assert freshness_of(response) | {"as_of": None} == {
                "as_of": None,
                "stale": False,
                "last_error": None,
                "source": "mirror",
            }
        assert api.alive()
    finally:
        api.stop()
        litellm.stop()


def test_a_refused_connection_says_refused() -> None:
    app, _ = build_app(litellm_base_url=f"http://127.0.0.1:{free_port()}", **COLD_SETTINGS)
    with serving(app) as url:
        http = logged_in_client(url)
        try:
            error = assert_envelope(http.get("/api/keys"), 502, "upstream_unavailable")
        finally:
            http.close()
    assert error["message"] == "LiteLLM is not reachable (connection refused)."


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


@contextmanager
def _mirrored(url: str, **overrides: Any) -> Iterator[TestClient]:
    """An in-process app with its sync running (the lifespan), once its first load has ended."""
    app, _ = build_app(litellm_base_url=url, **overrides)
    with TestClient(app) as http:
        watched(http)
        assert http.post("/api/auth/login", json=login_body()).status_code == 200
        assert await_mirror(http).status_code == 200
        time.sleep(0.3)  # the catch-up pass right after the first load, so paging sees one mirror
        yield http


def test_pages_growing_while_read_lose_and_repeat_nothing(
    cold_server: FakeServer, cold_fake: FakeLiteLLM
) -> None:
    originals = {key["token"] for key in cold_fake.keys}
    cold_fake.faults.shifting_total = True
    with _mirrored(cold_server.url) as http:
        ids = [item["id"] for item in _all_items(http, **FULL_READ)]
    # Each upstream call created a key: at least one was seen, none twice, no original lost.
    assert len(ids) == len(set(ids)) > KEY_COUNT
    assert originals <= set(ids)


def test_duplicates_across_pages_are_served_once(
    cold_server: FakeServer, cold_fake: FakeLiteLLM
) -> None:
    cold_fake.faults.duplicate_across_pages = True
    with _mirrored(cold_server.url) as http:
        ids = [item["id"] for item in _all_items(http, **FULL_READ)]
        assert cold_fake.requests_by_kind["default"] == PAGES  # the first load, once
    assert len(ids) == len(set(ids)) == KEY_COUNT


def test_wrong_types_in_every_field_are_reported_as_partial(
    cold: httpx.Client, cold_server: FakeServer, cold_fake: FakeLiteLLM
) -> None:
    cold_fake.faults.malformed = "wrong_types"
    # Before any mirror: the default view's page is served, never a 500, every record kept.
    default = cold.get("/api/keys", params={"size": 100})
    assert default.status_code == 200, default.text
    assert len(default.json()["items"]) == 100
    assert all(item["partial"] and item["unreadable_fields"] for item in default.json()["items"])
    with _mirrored(cold_server.url) as http:
        body = http.get("/api/keys", params={**FULL_READ, "size": 100}).json()
        assert body["total_keys"] >= KEY_COUNT  # no record lost
        assert body["partial_count"] == body["total_keys"]
        for item in _all_items(http, **FULL_READ):
            assert item["partial"] is True
            assert item["unreadable_fields"], item
        # With the mirror, the default view too.
        mirrored = http.get("/api/keys")
        assert mirrored.status_code == 200
        assert all(item["partial"] for item in mirrored.json()["items"])


def test_records_without_a_readable_token_are_mirrored_once(
    cold_server: FakeServer, cold_fake: FakeLiteLLM
) -> None:
    cold_fake.faults.malformed = "wrong_types"
    with _mirrored(cold_server.url) as http:
        body = http.get("/api/keys", params=FULL_READ).json()
    assert body["total_keys"] == KEY_COUNT


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
def small() -> Iterator[tuple[FakeLiteLLM, httpx.Client]]:
    """30 keys (one LiteLLM page) behind an app with no mirror: the default view reads LiteLLM's
    page on every request, through the same mapping the sync uses."""
    fake = new_fake(30)
    with running_fake_litellm(fake) as url:
        app, _ = build_app(litellm_base_url=url, cache_ttl_seconds=0)
        with serving(app) as base:
            http = logged_in_client(base)
            yield fake, http
            http.close()


def _with_one_wrong(small: tuple[FakeLiteLLM, httpx.Client], edit: Any) -> dict[str, Any]:
    fake, http = small
    original = [dict(key) for key in fake.keys]
    try:
        victim = next(key for key in fake.keys if key.get("user") and key.get("metadata"))
        edit(victim)
        response = http.get("/api/keys", params={"size": 100})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert body["total_keys"] == len(body["items"]) == len(fake.keys)
        return body
    finally:
        fake.keys[:] = original


@pytest.mark.parametrize(
    ("field", "value"),
    [(field, value) for field, values in READ_FIELDS.items() for value in values],
    ids=lambda item: json.dumps(item)[:20],
)
def test_one_wrong_field_marks_that_key_partial_and_keeps_it(
    small: tuple[FakeLiteLLM, httpx.Client], field: str, value: Any
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
    small: tuple[FakeLiteLLM, httpx.Client], field: str, value: Any
) -> None:
    def edit(victim: dict[str, Any]) -> None:
        if field == "metadata.tags":
            victim["metadata"] = {**victim["metadata"], "tags": value}
        else:
            victim[field] = value

    assert _with_one_wrong(small, edit)["partial_count"] == 1


# --- concurrency --------------------------------------------------------------------------------


async def _storm(base_url: str, params: list[dict[str, Any]]) -> list[httpx.Response]:
    async with watched(httpx.AsyncClient(base_url=base_url, timeout=30)) as http:
        login = await http.post("/api/auth/login", json=login_body())
        assert login.status_code == 200
        return list(await asyncio.gather(*(http.get("/api/keys", params=p) for p in params)))


def test_concurrent_dashboards_opening_before_the_mirror_share_one_read(
    cold: httpx.Client, cold_fake: FakeLiteLLM
) -> None:
    cold_fake.faults.latency_ms = 400
    responses = run_async(_storm(str(cold.base_url), [{}] * 20))
    assert [response.status_code for response in responses] == [200] * 20
    assert cold_fake.key_list_calls == 1  # one page read, shared by all twenty
    assert cold_fake.max_concurrent_seen <= CONCURRENCY


def test_dashboards_during_sync_passes_never_read_litellm(
    client: httpx.Client, api: ApiProcess, fake: FakeLiteLLM
) -> None:
    await_fresh(client)
    fake.faults.latency_ms = 200  # every pass is slow: requests must not wait for one
    fake.reset_stats()
    started = time.monotonic()
    responses = run_async(_storm(api.url, [FULL_READ, {}] * 10))
    assert [response.status_code for response in responses] == [200] * 20
    assert time.monotonic() - started < 2.0
    assert fake.requests_by_kind["default"] == fake.requests_by_kind["other"] == 0
    assert fake.max_concurrent_seen <= CONCURRENCY


MIX: list[dict[str, Any]] = [
    {},
    {"page": 2},
    {"search": "prod"},
    {"sort_by": "tags", "sort_order": "asc"},
    {"sort_by": "owner"},
    {"size": 100, "page": 3},
    {"sort_by": "spend", "sort_order": "asc"},
    {"status": "blocked"},
]
# What LiteLLM answers alone (one page each while no mirror exists); the rest needs every key.
STORE_VIEWS = [0, 1, 5, 6, 7]


def test_a_slow_litellm_never_sees_more_calls_than_the_concurrency_bound(
    cold: httpx.Client, cold_fake: FakeLiteLLM
) -> None:
    cold_fake.faults.latency_ms = 150
    responses = run_async(_storm(str(cold.base_url), MIX * 5))
    for number, response in enumerate(responses):
        if number % len(MIX) in STORE_VIEWS:
            assert freshness_of(response)["source"] == "litellm_page"
        else:
            assert_envelope(response, 503, "mirror_loading")
    # One read per store view, or fewer where a read was shared; none for the others.
    assert len(STORE_VIEWS) <= cold_fake.key_list_calls <= len(STORE_VIEWS) * 5
    assert cold_fake.max_concurrent_seen <= CONCURRENCY, cold_fake.max_concurrent_seen


def test_a_caller_hanging_up_does_not_cancel_the_shared_read(
    cold: httpx.Client, cold_fake: FakeLiteLLM
) -> None:
    cold_fake.faults.latency_ms = 300

    async def scenario() -> list[httpx.Response]:
        async with watched(httpx.AsyncClient(base_url=str(cold.base_url), timeout=30)) as http:
            assert (await http.post("/api/auth/login", json=login_body())).status_code == 200

            async def impatient() -> None:
                with pytest.raises(httpx.ReadTimeout):
                    await http.get("/api/keys", timeout=0.1)

            patient = [http.get("/api/keys") for _ in range(3)]
            _, responses = await asyncio.gather(impatient(), asyncio.gather(*patient))
            return list(responses)

    responses = run_async(scenario())
    assert [response.status_code for response in responses] == [200] * 3
    assert cold_fake.key_list_calls == 1


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


STRANGE_SETTINGS: dict[str, Any] = {
    "upstream_read_timeout_seconds": READ_TIMEOUT,
    "upstream_deadline_seconds": 2.0,
    "cache_ttl_seconds": 0,
}


@dataclass
class Reading:
    default: httpx.Response  # the default view, read from one LiteLLM page per request
    default_seconds: float
    mirrored: httpx.Response  # a view needing every key: the mirror, or the sync's error
    mirror_seconds: float  # from the app's start until that answer


def _read_in_process(url: str, **overrides: Any) -> Reading:
    """An in-process app with its sync (lifespan) against `url`: the default view before the first
    load ends, then a view that needs every key once the first load ended or failed."""
    app, _ = build_app(litellm_base_url=url, **{**STRANGE_SETTINGS, **overrides})
    started = time.monotonic()
    with TestClient(app) as client:
        watched(client)
        assert client.post("/api/auth/login", json=login_body()).status_code == 200
        began = time.monotonic()
        default = client.get("/api/keys")
        default_seconds = time.monotonic() - began
        mirrored = await_mirror(client, FULL_READ, seconds=120)
        return Reading(default, default_seconds, mirrored, time.monotonic() - started)


def _record(n: int, **fields: Any) -> dict[str, Any]:
    return {"token": f"{n:064x}", "key_name": f"sk-...{n:04d}", **fields}


def test_non_finite_numbers_are_not_a_500() -> None:
    body = b'{"keys": [{"token": "a", "spend": NaN, "max_budget": Infinity}, {"token": "b", '
    body += b'"spend": -Infinity}], "total_count": 2, "total_pages": 1}'
    upstream = _raw_litellm(lambda query: (200, [body]))
    with serving(upstream) as url:
        app, _ = build_app(litellm_base_url=url, **STRANGE_SETTINGS)
        with TestClient(app) as client:
            watched(client)
            assert client.post("/api/auth/login", json=login_body()).status_code == 200
            assert await_mirror(client).status_code == 200
            for sort in ("spend", "max_budget"):
                for order in ("asc", "desc"):
                    params = {"sort_by": sort, "sort_order": order}
                    response = client.get("/api/keys", params=params)
                    assert response.status_code == 200, response.text


def test_non_finite_numbers_are_reported_as_partial() -> None:
    body = b'{"keys": [{"token": "a", "spend": NaN}, {"token": "b", "max_budget": Infinity}], '
    body += b'"total_count": 2, "total_pages": 1}'
    upstream = _raw_litellm(lambda query: (200, [body]))
    with serving(upstream) as url:
        reading = _read_in_process(url)
    assert reading.default.json()["partial_count"] == 2
    assert reading.mirrored.json()["partial_count"] == 2


def test_records_that_are_not_objects_are_kept_as_partial_rows() -> None:
    keys: list[Any] = [_record(1), 42, True, ["a", "list"], {"no": "token"}]
    body = json.dumps({"keys": keys, "total_count": 5, "total_pages": 1}).encode()
    upstream = _raw_litellm(lambda query: (200, [body]))
    with serving(upstream) as url:
        reading = _read_in_process(url)
    for response in (reading.default, reading.mirrored):
        assert response.status_code == 200, response.text
        assert response.json()["total_keys"] == 5
        assert response.json()["partial_count"] == 4


def _first_load_calls(calls: list[str]) -> list[str]:
    """Calls in LiteLLM's default order with no filter: the first load's pages (and the default
    view's), not the incremental pass's or the archive's."""
    return [query for query in calls if "sort_by=" not in query and "status=" not in query]


@pytest.mark.parametrize(
    "claimed_pages",
    [pytest.param(300, id="300"), pytest.param(10**9, id="a-billion", marks=pytest.mark.slow)],
)
def test_a_page_count_that_lies_is_bounded(claimed_pages: int) -> None:
    # LiteLLM claims many pages but has one key: the first load must end, in bounded calls and
    # time (MAX_KEYS bounds the pages it follows).
    max_keys = 200_000

    def page(query: str) -> tuple[int, list[bytes]]:
        keys = [_record(1)] if "page=1&" in query else []
        body = {"keys": keys, "total_count": claimed_pages * 100, "total_pages": claimed_pages}
        return 200, [json.dumps(body).encode()]

    upstream = _raw_litellm(page)
    with serving(upstream) as url:
        reading = _read_in_process(url, max_keys=max_keys)
    assert reading.mirrored.status_code == 200, reading.mirrored.text
    assert reading.mirrored.json()["total_keys"] == 1
    calls = _first_load_calls(upstream.calls)
    pages = {query.split("&")[0] for query in calls}
    print(
        f"claimed {claimed_pages} pages: {len(calls)} calls for {len(pages)} pages,"
        f" loaded in {reading.mirror_seconds:.2f} s"
    )
    # Every page up to the bound (page 1 also for the default view), and a few retried pages at
    # most: a page timing out on a busy machine is asked again, as any transient failure.
    assert len(pages) <= min(claimed_pages, max_keys // 100)
    assert len(calls) <= len(pages) + 1 + 2 * (ATTEMPTS - 1)
    assert reading.mirror_seconds < 60


def test_deeply_nested_json_is_a_bad_response_not_a_500() -> None:
    body = b'{"keys": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    upstream = _raw_litellm(lambda query: (200, [body]))
    with serving(upstream) as url:
        reading = _read_in_process(url)
    assert_envelope(reading.default, 502, "upstream_bad_response")
    assert_envelope(reading.mirrored, 502, "upstream_bad_response")  # the sync's own error


def test_a_trickling_body_is_cut_off_at_the_deadline() -> None:
    # One byte every 0.4 s: each read is within the 0.5 s read timeout, the whole is not.
    chunks: list[Any] = [b'{"keys": [']
    for _ in range(8):
        chunks += [0.4, b" "]
    chunks.append(b'], "total_count": 0, "total_pages": 0}')
    upstream = _raw_litellm(lambda query: (200, chunks))
    with serving(upstream) as url:
        reading = _read_in_process(url)
    elapsed = reading.default_seconds
    assert elapsed <= 2.0 + 1.0, f"took {elapsed:.1f} s with a 2 s deadline"
    assert_envelope(reading.default, 504, "upstream_timeout")
    # The sync's first load was cut off the same way, and says so.
    assert_envelope(reading.mirrored, 504, "upstream_timeout")
    assert reading.mirror_seconds <= 2 * (2.0 + 1.0)


# --- and the process is still the same one ------------------------------------------------------


def test_the_process_survived_every_fault_without_an_unhandled_error(
    api: ApiProcess, client: httpx.Client
) -> None:
    assert api.alive()
    assert client.get("/api/healthz").json() == {"status": "ok"}
    assert await_fresh(client)["last_error"] is None
    assert client.get("/api/keys", params=FULL_READ).json()["total_keys"] == KEY_COUNT
    events = api.log_lines()
    assert not [event for event in events if event.get("event") == "unhandled_error"]
    statuses = {event.get("status") for event in events if event.get("event") == "request"}
    assert 500 not in statuses
    assert {event["code"] for event in api.events("sync_failed")} <= {
        "upstream_error",
        "upstream_auth_failed",
        "upstream_bad_response",
        "upstream_timeout",
        "upstream_unavailable",
    }

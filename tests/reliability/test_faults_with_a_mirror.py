"""LiteLLM misbehaving while the API holds a mirror: answers keep coming, and it recovers.

`api` (see conftest.py) runs as production runs it, syncing every 0.5 s: answers stay 200 from the
mirror, marked stale with the fault's words while passes fail, one `sync_failed` warning per
failed pass (retries counted per pass at the fake), and the next good pass clears it. The same
process lives through every fault here; the last test checks that it survived them all.
"""

from __future__ import annotations

import time

import httpx
import pytest
from faults_outage import stale_with, through_a_fault
from faults_settings import (
    ATTEMPTS,
    CONCURRENCY,
    DEADLINE,
    FULL_READ,
    KEY_COUNT,
    READ_TIMEOUT,
    SYNC_INTERVAL,
)
from keydash_fakes.litellm import FakeLiteLLM
from reliability_answers import await_fresh, freshness_of
from reliability_api_process import ApiProcess
from reliability_clients import run_async, storm
from reliability_fake_litellm import FakeServer


def test_an_outage_with_a_mirror_held_keeps_answering_and_recovers(
    client: httpx.Client, api: ApiProcess, fake: FakeLiteLLM
) -> None:
    # Three failed passes' worth of 503s, then LiteLLM is back.
    passes = 3

    def begin() -> None:
        fake.faults.fail_status, fake.faults.fail_count = 503, passes * ATTEMPTS

    outage = through_a_fault(client, api, fake, begin)
    stale_with(outage, "upstream_error", "LiteLLM answered with an error (HTTP 503: ")
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

    outage = through_a_fault(client, api, fake, begin)
    stale_with(outage, code, words)
    # Fewer calls per pass would fail more passes, more calls fewer (or none).
    assert len(outage.warnings) == failing_passes, outage.warnings


def test_a_rate_limit_longer_than_the_deadline_fails_the_pass_fast(
    client: httpx.Client, api: ApiProcess, fake: FakeLiteLLM
) -> None:
    def begin() -> None:
        fake.faults.rate_limit_count, fake.faults.retry_after_seconds = 2, 30

    outage = through_a_fault(client, api, fake, begin)
    stale_with(outage, "upstream_error", "HTTP 429: ")
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

    outage = through_a_fault(client, api, fake, begin, end_after_warnings=2, end=fake.reset_faults)
    stale_with(outage, "upstream_bad_response", "LiteLLM sent an answer Keydash cannot read")
    # Not retried: each failed pass asked LiteLLM once.
    assert all(warning["upstream_requests"] == 1 for warning in outage.warnings), outage.warnings


def test_litellm_hanging_during_passes(
    client: httpx.Client, api: ApiProcess, fake: FakeLiteLLM
) -> None:
    def begin() -> None:
        fake.faults.hang = True

    outage = through_a_fault(
        client, api, fake, begin, end_after_warnings=3, end=fake.reset_faults, seconds=60
    )
    stale_with(outage, "upstream_timeout", "LiteLLM did not answer in time.")
    # The loop kept going, each pass cut off by the deadline, none stacked on another.
    assert len(outage.warnings) >= 3
    assert all(warning["seconds"] <= DEADLINE + 1.0 for warning in outage.warnings)
    assert fake.max_concurrent_seen <= CONCURRENCY, fake.max_concurrent_seen
    assert outage.slowest < 1.0, outage.slowest  # requests never waited for the hung pass


def test_refused_connections_with_a_mirror_held(
    client: httpx.Client, api: ApiProcess, server: FakeServer
) -> None:
    outage = through_a_fault(
        client, api, server.fake, server.stop, end_after_warnings=2, end=server.start
    )
    stale_with(outage, "upstream_unavailable", "LiteLLM is not reachable (connection refused).")
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


def test_dashboards_during_sync_passes_never_read_litellm(
    client: httpx.Client, api: ApiProcess, fake: FakeLiteLLM
) -> None:
    await_fresh(client)
    fake.faults.latency_ms = 200  # every pass is slow: requests must not wait for one
    fake.reset_stats()
    started = time.monotonic()
    responses = run_async(storm(api.url, [FULL_READ, {}] * 10))
    assert [response.status_code for response in responses] == [200] * 20
    assert time.monotonic() - started < 2.0
    assert fake.requests_by_kind["default"] == fake.requests_by_kind["other"] == 0
    assert fake.max_concurrent_seen <= CONCURRENCY


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

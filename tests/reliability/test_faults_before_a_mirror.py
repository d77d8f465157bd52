"""LiteLLM misbehaving before any mirror: what Keydash answers and how often it asks LiteLLM.

`cold` (see conftest.py) is an app whose sync never runs, served by uvicorn over real HTTP: the
default view maps each fault to its error code with the client's retries, counted per request at
the fake; views that need every key answer 503 `mirror_loading` at once, never waiting. After a
fault the same app serves again, without a restart.
"""

from __future__ import annotations

import time

import httpx
import pytest
from faults_settings import ATTEMPTS, DEADLINE, FULL_READ, KEY_COUNT, READ_TIMEOUT
from keydash_fakes.litellm import FakeLiteLLM
from reliability_answers import assert_envelope, freshness_of


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

"""LiteLLM not reachable when Keydash starts: refused connections are said to be refused, every
attempt is made, views that need every key get the sync's own error at once, and once LiteLLM is
back on the same port the same process loads its mirror and serves it."""

from __future__ import annotations

import contextlib
import time
from typing import Any

from faults_settings import ATTEMPTS, COLD_SETTINGS, DEADLINE, FAULT_SETTINGS, FULL_READ, KEY_COUNT
from reliability_answers import assert_envelope, await_mirror, freshness_of
from reliability_api_process import ApiProcess, start_api
from reliability_clients import logged_in_client
from reliability_fake_litellm import FakeServer, new_fake
from reliability_in_process import build_app, serving
from reliability_machine import free_port


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

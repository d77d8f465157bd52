"""A failing LiteLLM, before and after the first load: clear errors in distinct words, bounded
retries, a stale mirror still served, and recovery without a restart.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from keydash_fakes.litellm import FakeLiteLLM
from keys_integration_support import (
    KEY_COUNT,
    MESSAGE_401,
    MESSAGE_403,
    MESSAGE_500,
    MESSAGE_503,
    MESSAGE_NO_KEYS,
    MESSAGE_NOT_JSON,
    MESSAGE_REFUSED,
    MESSAGE_TIMEOUT,
    as_moment,
    get_json,
)
from litellm_support import (
    FAST_FAILURE,
    LONG_INTERVAL,
    AppClients,
    fresh_pass,
    run_pass,
    wait_for,
    wait_until_ready,
    wake,
)
from litellm_support import status as api_status

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
    assert get_json(client, search="a")["freshness"]["last_error"] is None


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
    healthy = get_json(client)["freshness"]
    for name, value in faults.items():
        setattr(fake.faults, name, value)
    wake(client)
    body = wait_for(
        lambda: (found := get_json(client))["freshness"]["stale"] and found, "the failed pass"
    )
    assert body["total"] == KEY_COUNT
    freshness = body["freshness"]
    assert freshness["as_of"] == healthy["as_of"]
    assert (freshness["last_error"]["code"], freshness["last_error"]["message"]) == (code, message)
    fake.reset()
    fresh_pass(client)
    recovered = get_json(client)["freshness"]
    assert (recovered["stale"], recovered["last_error"]) == (False, None)
    assert as_moment(recovered["as_of"]) > as_moment(healthy["as_of"])


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
    assert get_json(client)["total"] == KEY_COUNT
    assert fake.key_list_calls == 2
    # A sync pass meeting one transient failure retries it and stays fresh.
    synced = clients.synced(sync_interval_seconds=LONG_INTERVAL)
    fake.faults.fail_status, fake.faults.fail_count = 502, 1
    run_pass(synced)
    assert fake.faults.fail_count == 0
    assert get_json(synced)["freshness"]["stale"] is False


def test_rate_limit_with_retry_after_is_waited_out(fake: FakeLiteLLM, clients: AppClients) -> None:
    client = clients.unsynced()
    fake.faults.rate_limit_count, fake.faults.retry_after_seconds = 1, 1
    started = time.monotonic()
    body = get_json(client)
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

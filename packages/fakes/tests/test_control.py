"""The `/_fake/` control routes and the health probes."""

from __future__ import annotations

import httpx
import pytest
from keydash_fakes.litellm import FakeLiteLLM, Faults


def test_stats_count_key_list_calls_and_their_parameters(
    client: httpx.Client, anonymous: httpx.Client
) -> None:
    client.get("/key/list", params={"page": 2, "size": 5})
    client.get("/key/list", params={"expand": "user"})
    anonymous.get("/key/list")
    client.get("/health/liveliness")
    stats = anonymous.get("/_fake/stats").json()
    assert stats["key_list_calls"] == 3
    assert stats["request_count"] == 3
    assert stats["requests"] == [{"page": "2", "size": "5"}, {"expand": "user"}, {}]
    assert stats["max_concurrent_seen"] == 1
    assert stats["in_flight"] == 0
    assert stats["key_count"] == 57
    assert stats["faults"] == {
        "latency_ms": 0,
        "fail_status": None,
        "fail_count": None,
        "hang": False,
        "malformed": None,
        "bare_tokens_only": False,
        "rate_limit_count": 0,
        "retry_after_seconds": 1,
        "shifting_total": False,
        "duplicate_across_pages": False,
        "no_daily_activity": False,
        "ignore_sort_by": False,
    }


def test_python_side_counters_match(client: httpx.Client, fake: FakeLiteLLM) -> None:
    client.get("/key/list", params={"size": "3"})
    assert fake.key_list_calls == 1
    assert fake.requests == [{"size": "3"}]
    assert fake.max_concurrent_seen == 1


def test_setting_faults_over_http(
    anonymous: httpx.Client, client: httpx.Client, fake: FakeLiteLLM
) -> None:
    answer = anonymous.post("/_fake/faults", json={"fail_status": 503, "fail_count": 1})
    assert answer.status_code == 200
    assert answer.json()["fail_status"] == 503
    assert fake.faults.fail_status == 503
    assert client.get("/key/list").status_code == 503
    assert client.get("/key/list").status_code == 200


def test_fault_updates_are_partial(anonymous: httpx.Client, fake: FakeLiteLLM) -> None:
    anonymous.post("/_fake/faults", json={"latency_ms": 5})
    anonymous.post("/_fake/faults", json={"malformed": "no_keys"})
    assert anonymous.get("/_fake/faults").json()["latency_ms"] == 5
    assert fake.faults == Faults(latency_ms=5, malformed="no_keys")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"explode": True}, "unknown fault: explode"),
        ({"hang": "yes"}, "hang must be a boolean"),
        ({"latency_ms": -1}, "latency_ms must be a number"),
        ({"fail_status": 42}, "fail_status must be an HTTP status"),
        ({"malformed": "bogus"}, "malformed must be null or one of"),
        ({"rate_limit_count": 1.5}, "rate_limit_count must be an integer"),
        ([1, 2], "body must be a JSON object"),
    ],
)
def test_bad_fault_updates_are_refused_whole(
    anonymous: httpx.Client, fake: FakeLiteLLM, body: dict[str, object] | list[int], problem: str
) -> None:
    # A valid field rides along with each bad one, to show that nothing at all is applied.
    payload = body if isinstance(body, list) else {"hang": True, **body}
    answer = anonymous.post("/_fake/faults", json=payload)
    assert answer.status_code == 400
    assert any(problem in p for p in answer.json()["problems"])
    assert fake.faults == Faults(), "nothing was applied"


def test_a_body_that_is_not_json_is_refused(anonymous: httpx.Client) -> None:
    answer = anonymous.post("/_fake/faults", content=b"hang=true")
    assert answer.status_code == 400


def test_reset_clears_faults_and_counters(
    anonymous: httpx.Client, client: httpx.Client, fake: FakeLiteLLM
) -> None:
    anonymous.post("/_fake/faults", json={"hang": False, "rate_limit_count": 5})
    client.get("/key/list")
    answer = anonymous.post("/_fake/reset")
    assert answer.status_code == 200
    assert answer.json()["key_list_calls"] == 0
    assert fake.faults == Faults()
    assert (fake.key_list_calls, fake.requests, fake.max_concurrent_seen) == (0, [], 0)


def test_liveliness(anonymous: httpx.Client) -> None:
    response = anonymous.get("/health/liveliness")
    assert response.status_code == 200
    assert response.json() == "I'm alive!"


def test_readiness(anonymous: httpx.Client) -> None:
    assert anonymous.get("/health/readiness").json() == {"status": "healthy", "db": "connected"}


def test_unknown_routes_answer_json(anonymous: httpx.Client) -> None:
    response = anonymous.get("/team/list")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}
    assert anonymous.post("/key/list").status_code == 405

"""Each fault switch, as a client sees it over HTTP."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time

import httpx
import pytest
from keydash_fakes.litellm import FakeLiteLLM, Faults, running_fake_litellm


def test_latency_delays_each_answer(client: httpx.Client, fake: FakeLiteLLM) -> None:
    fake.faults.latency_ms = 300
    started = time.monotonic()
    assert client.get("/key/list").status_code == 200
    assert time.monotonic() - started >= 0.3


async def test_slow_requests_overlap_and_are_counted(
    base_url: str, fake: FakeLiteLLM, master_key: str
) -> None:
    fake.faults.latency_ms = 300
    async with httpx.AsyncClient(
        base_url=base_url, headers={"x-litellm-api-key": master_key}, timeout=10
    ) as http:
        started = time.monotonic()
        answers = await asyncio.gather(
            *(http.get("/key/list", params={"page": page}) for page in range(1, 7))
        )
        elapsed = time.monotonic() - started
    assert [a.status_code for a in answers] == [200] * 6
    assert elapsed < 1.5, "the sleeps ran side by side"
    assert fake.max_concurrent_seen == 6
    assert fake.in_flight == 0
    assert fake.key_list_calls == 6


def _wait_until_idle(fake: FakeLiteLLM) -> None:
    deadline = time.monotonic() + 5
    while fake.in_flight and time.monotonic() < deadline:
        time.sleep(0.02)


def test_hang_outlasts_the_client_and_ends_with_it(client: httpx.Client, fake: FakeLiteLLM) -> None:
    fake.faults.hang = True
    with pytest.raises(httpx.ReadTimeout):
        client.get("/key/list", timeout=0.3)
    _wait_until_idle(fake)
    assert fake.in_flight == 0, "a request whose client left is no longer in flight"
    fake.faults.hang = False
    assert client.get("/key/list").status_code == 200


def test_a_hung_request_does_not_delay_shutdown(master_key: str) -> None:
    fake = FakeLiteLLM(keys=[], master_key=master_key, faults=Faults(hang=True))
    outcome: list[int] = []

    def hung_call(url: str) -> None:
        headers = {"x-litellm-api-key": master_key}
        outcome.append(httpx.get(f"{url}/key/list", headers=headers, timeout=30).status_code)

    with running_fake_litellm(fake) as url:
        caller = threading.Thread(target=hung_call, args=(url,))
        caller.start()
        deadline = time.monotonic() + 5
        while not fake.in_flight and time.monotonic() < deadline:
            time.sleep(0.02)
        assert fake.in_flight == 1
        stopping = time.monotonic()
    assert time.monotonic() - stopping < 3
    caller.join(5)
    assert outcome == [503], "the held request is let go with an answer"


def test_fail_status_then_recovery(client: httpx.Client, fake: FakeLiteLLM) -> None:
    fake.faults.fail_status = 503
    fake.faults.fail_count = 2
    first, second, third = (client.get("/key/list") for _ in range(3))
    assert [first.status_code, second.status_code, third.status_code] == [503, 503, 200]
    assert first.json() == {
        "error": {
            "message": "Database unavailable",
            "type": "no_db_connection",
            "param": "None",
            "code": "503",
        }
    }
    assert fake.faults.fail_count == 0


def test_fail_status_without_count_lasts(client: httpx.Client, fake: FakeLiteLLM) -> None:
    fake.faults.fail_status = 500
    answers = [client.get("/key/list") for _ in range(4)]
    assert {a.status_code for a in answers} == {500}
    assert answers[0].json()["error"]["message"] == "Authentication Error, Database not connected"


def test_other_fail_statuses_use_litellms_error_shape(
    client: httpx.Client, fake: FakeLiteLLM
) -> None:
    fake.faults.fail_status = 502
    response = client.get("/key/list")
    assert response.status_code == 502
    assert response.json()["error"]["code"] == "502"


def test_readiness_follows_a_5xx_fault(client: httpx.Client, fake: FakeLiteLLM) -> None:
    assert client.get("/health/readiness").json() == {"status": "healthy", "db": "connected"}
    fake.faults.fail_status = 503
    fake.faults.fail_count = 1
    unready = client.get("/health/readiness")
    assert unready.status_code == 503
    assert unready.json()["status"] == "unhealthy"
    client.get("/key/list")
    assert client.get("/health/readiness").status_code == 200


def test_rate_limit_with_retry_after_then_recovery(client: httpx.Client, fake: FakeLiteLLM) -> None:
    fake.faults.rate_limit_count = 2
    fake.faults.retry_after_seconds = 7
    answers = [client.get("/key/list") for _ in range(3)]
    assert [a.status_code for a in answers] == [429, 429, 200]
    assert answers[0].headers["retry-after"] == "7"
    assert answers[0].json()["error"]["code"] == "429"


def test_faults_apply_before_auth(anonymous: httpx.Client, fake: FakeLiteLLM) -> None:
    fake.faults.fail_status = 503
    assert anonymous.get("/key/list").status_code == 503


def test_malformed_not_json(client: httpx.Client, fake: FakeLiteLLM) -> None:
    fake.faults.malformed = "not_json"
    response = client.get("/key/list")
    assert response.status_code == 200
    with pytest.raises(ValueError, match="Expecting value"):
        response.json()


def test_malformed_no_keys(client: httpx.Client, fake: FakeLiteLLM) -> None:
    fake.faults.malformed = "no_keys"
    body = client.get("/key/list").json()
    assert "keys" not in body
    assert body["total_count"] == 57


def test_malformed_keys_not_list(client: httpx.Client, fake: FakeLiteLLM) -> None:
    fake.faults.malformed = "keys_not_list"
    assert not isinstance(client.get("/key/list").json()["keys"], list)


def test_malformed_wrong_types_in_every_field(client: httpx.Client, fake: FakeLiteLLM) -> None:
    fake.faults.malformed = "wrong_types"
    keys = client.get("/key/list", params={"expand": "user", "size": 100}).json()["keys"]
    assert len(keys) == 57
    for served, real in zip(keys, fake.keys, strict=True):
        assert set(served) == set(real)
        assert all(type(served[name]) is not type(real[name]) for name in real)
    sample = keys[0]
    assert (sample["created_at"], sample["models"], sample["spend"]) == (12345, "gpt-4", "lots")
    assert (sample["blocked"], sample["key_name"]) == ("yes", 42)
    assert isinstance(sample["metadata"], list)


def test_malformed_wrong_types_for_bare_hashes(client: httpx.Client, fake: FakeLiteLLM) -> None:
    fake.faults.malformed = "wrong_types"
    assert all(not isinstance(key, str) for key in client.get("/key/list").json()["keys"])


def test_bare_tokens_only_ignores_expand(client: httpx.Client, fake: FakeLiteLLM) -> None:
    fake.faults.bare_tokens_only = True
    keys = client.get("/key/list", params={"expand": "user"}).json()["keys"]
    assert all(isinstance(key, str) for key in keys)
    full = client.get("/key/list", params={"expand": "user", "return_full_object": "true"})
    for key in full.json()["keys"]:
        assert "user" not in key
        assert "created_by_user" not in key
        assert key["token"]


def test_shifting_total_adds_a_newest_key_per_call(client: httpx.Client, fake: FakeLiteLLM) -> None:
    fake.faults.shifting_total = True
    first = client.get("/key/list", params={"size": 10, "page": 1}).json()
    second = client.get("/key/list", params={"size": 10, "page": 2}).json()
    assert (first["total_count"], second["total_count"]) == (58, 59)
    assert second["keys"][0] == first["keys"][-1], "the shift repeats a key across pages"
    assert fake.keys[0]["key_alias"] == "late-arrival-2"
    assert fake.keys[0]["token"] not in first["keys"]
    client.post("/_fake/reset")
    assert len(fake.keys) == 57


def test_duplicate_across_pages(client: httpx.Client, fake: FakeLiteLLM) -> None:
    fake.faults.duplicate_across_pages = True
    pages = [
        client.get("/key/list", params={"size": 10, "page": p}).json()["keys"] for p in range(1, 8)
    ]
    for earlier, later in itertools.pairwise(pages[:6]):
        assert later[0] == earlier[-1]
    assert pages[6] == [], "a page past the end stays empty"
    seen = [token for page in pages for token in page]
    assert len(seen) == 57 + 5
    assert set(seen) == {key["token"] for key in fake.keys}


def test_reset_faults(fake: FakeLiteLLM) -> None:
    fake.faults.hang = True
    fake.faults.malformed = "no_keys"
    fake.reset_faults()
    assert fake.faults == Faults()


def test_invalid_faults_are_refused() -> None:
    with pytest.raises(ValueError, match="malformed"):
        Faults(malformed="garbage")
    with pytest.raises(ValueError, match="fail_status"):
        Faults(fail_status=42)

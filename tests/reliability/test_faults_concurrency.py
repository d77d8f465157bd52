"""Many dashboards at once before any mirror: reads of LiteLLM are shared, never more than the
concurrency bound at a time, and a caller hanging up does not cancel a read others wait for.

(Dashboards during the sync's passes, with a mirror: test_faults_with_a_mirror.py.)
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from faults_settings import CONCURRENCY
from keydash_fakes.litellm import FakeLiteLLM
from reliability_answers import assert_envelope, freshness_of
from reliability_clients import login_body, run_async, storm
from reliability_leak_guard import watched


def test_concurrent_dashboards_opening_before_the_mirror_share_one_read(
    cold: httpx.Client, cold_fake: FakeLiteLLM
) -> None:
    cold_fake.faults.latency_ms = 400
    responses = run_async(storm(str(cold.base_url), [{}] * 20))
    assert [response.status_code for response in responses] == [200] * 20
    assert cold_fake.key_list_calls == 1  # one page read, shared by all twenty
    assert cold_fake.max_concurrent_seen <= CONCURRENCY


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
    responses = run_async(storm(str(cold.base_url), MIX * 5))
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

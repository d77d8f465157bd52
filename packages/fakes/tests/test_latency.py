"""The per-page latency model, and request accounting by kind."""

from __future__ import annotations

import time

import httpx
import pytest
from keydash_fakes.litellm import FakeLiteLLM
from keydash_fakes.litellm.accounting import kind
from keydash_fakes.litellm.latency import REAL_1087, PageLatency


def test_the_delay_grows_with_the_offset() -> None:
    model = PageLatency(page_base_ms=10, per_1000_offset_ms=4)
    assert model.delay_ms(page=1, size=100) == 10
    assert model.delay_ms(page=11, size=100) == 14  # offset 1,000
    assert model.delay_ms(page=3, size=25) == 10.2  # offset 50
    assert PageLatency().delay_ms(page=500, size=100) == 0
    assert not PageLatency().active()


def test_the_real_figures() -> None:
    assert REAL_1087.delay_ms(page=1, size=100) == 150
    assert REAL_1087.delay_ms(page=101, size=100) == 220  # offset 10,000


def test_a_deep_page_waits_longer_over_http(
    anonymous: httpx.Client, client: httpx.Client, fake: FakeLiteLLM
) -> None:
    answer = anonymous.post("/_fake/latency", json={"page_base_ms": 20, "per_1000_offset_ms": 100})
    assert answer.json() == {"page_base_ms": 20.0, "per_1000_offset_ms": 100.0}
    started = time.monotonic()
    assert client.get("/key/list", params={"page": 11, "size": 100}).status_code == 200
    # Offset 1,000: 20 + 100 ms. Only a lower bound, which a slow machine cannot break.
    assert time.monotonic() - started >= 0.12
    assert anonymous.get("/_fake/stats").json()["latency"] == answer.json()


def test_latency_updates_are_partial_and_validated(
    anonymous: httpx.Client, fake: FakeLiteLLM
) -> None:
    anonymous.post("/_fake/latency", json={"page_base_ms": 5})
    assert anonymous.get("/_fake/latency").json() == {"page_base_ms": 5, "per_1000_offset_ms": 0}
    refused = anonymous.post("/_fake/latency", json={"page_base_ms": -1, "x": 1})
    assert refused.status_code == 400
    assert refused.json()["problems"] == [
        "unknown latency field: x",
        "page_base_ms must be a number >= 0",
    ]
    assert fake.latency == PageLatency(page_base_ms=5)
    anonymous.post("/_fake/reset")
    assert fake.latency == PageLatency()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, "default"),
        ({"page": "3", "size": "100", "expand": "user", "user_id": ""}, "default"),
        ({"sort_by": "updated_at", "sort_order": "asc"}, "updated_at"),
        ({"status": "deleted"}, "deleted"),
        ({"status": "deleted", "sort_by": "updated_at"}, "deleted"),
        ({"sort_by": "spend"}, "other"),
        ({"team_id": "t"}, "other"),
        ({"status": "active"}, "other"),
    ],
)
def test_request_kinds(params: dict[str, str], expected: str) -> None:
    assert kind(params) == expected


def test_stats_count_requests_by_kind_and_reset(
    anonymous: httpx.Client, client: httpx.Client, fake: FakeLiteLLM
) -> None:
    client.get("/key/list")
    client.get("/key/list", params={"page": 2})
    client.get("/key/list", params={"sort_by": "updated_at"})
    client.get("/key/list", params={"status": "deleted"})
    client.get("/key/list", params={"search": "x"})
    stats = anonymous.get("/_fake/stats").json()
    assert stats["requests_by_kind"] == {"default": 2, "updated_at": 1, "deleted": 1, "other": 1}
    anonymous.post("/_fake/faults", json={"latency_ms": 1})
    reset = anonymous.post("/_fake/stats/reset").json()
    assert reset["requests_by_kind"] == {"default": 0, "updated_at": 0, "deleted": 0, "other": 0}
    assert (reset["key_list_calls"], reset["requests"]) == (0, [])
    assert fake.faults.latency_ms == 1, "only the counters are reset"

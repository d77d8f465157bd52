"""A fake with `frozen_records` keeps orders and record JSON, and answers byte for byte the same."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from keydash_fakes.litellm import FakeLiteLLM, generate_keys, running_fake_litellm

MASTER_KEY = "sk-test-master-key-0123456789"
QUERIES: list[dict[str, Any]] = [
    {},
    {"size": 7, "page": 3},
    {"size": 100, "page": 2},
    {"size": 10, "page": 99},
    {"size": 25, "expand": "user"},
    {"size": 25, "page": 4, "expand": "user", "return_full_object": "false"},
    {"size": 30, "return_full_object": "true"},
    {"size": 50, "sort_by": "spend", "sort_order": "asc"},
    {"size": 50, "sort_by": "spend", "sort_order": "desc", "expand": "user"},
    {"size": 50, "sort_by": "key_alias", "sort_order": "asc"},
    {"size": 50, "sort_by": "expires"},
    {"size": 50, "sort_by": "created_at", "sort_order": "asc", "page": 2},
    {"size": 100, "team_id": "team-finance", "expand": "user"},
    {"size": 100, "key_alias": "PIPE", "substring_matching": "true"},
    {"size": 100, "status": "active", "sort_by": "max_budget"},
    {"size": 100, "expires": "expired"},
    {"size": 100, "search": "ü"},
    {"size": 100, "sort_by": "nope"},
    {"size": 0},
]


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[FakeLiteLLM, httpx.Client, FakeLiteLLM, httpx.Client]]:
    keys = generate_keys(240, seed=5)
    live = FakeLiteLLM(keys=copy.deepcopy(keys), master_key=MASTER_KEY)
    frozen = FakeLiteLLM(keys=copy.deepcopy(keys), master_key=MASTER_KEY, frozen_records=True)
    headers = {"x-litellm-api-key": MASTER_KEY}
    with (
        running_fake_litellm(live) as live_url,
        running_fake_litellm(frozen) as frozen_url,
        httpx.Client(base_url=live_url, headers=headers, timeout=10) as live_client,
        httpx.Client(base_url=frozen_url, headers=headers, timeout=10) as frozen_client,
    ):
        yield live, live_client, frozen, frozen_client


@pytest.fixture
def pair(
    servers: tuple[FakeLiteLLM, httpx.Client, FakeLiteLLM, httpx.Client],
) -> tuple[FakeLiteLLM, httpx.Client, FakeLiteLLM, httpx.Client]:
    live, _, frozen, _ = servers
    for fake in (live, frozen):
        fake.reset()
    return servers


def _same(live: httpx.Client, frozen: httpx.Client, params: dict[str, Any]) -> bytes:
    expected, got = live.get("/key/list", params=params), frozen.get("/key/list", params=params)
    assert (got.status_code, got.headers["content-type"]) == (
        expected.status_code,
        expected.headers["content-type"],
    )
    assert got.content == expected.content
    return got.content


@pytest.mark.parametrize("params", QUERIES, ids=str)
def test_frozen_answers_are_the_same_bytes(
    pair: tuple[FakeLiteLLM, httpx.Client, FakeLiteLLM, httpx.Client], params: dict[str, Any]
) -> None:
    _, live_client, frozen, frozen_client = pair
    _same(live_client, frozen_client, params)
    _same(live_client, frozen_client, params)  # the second answer comes from what was kept
    assert frozen.listing() is not None


@pytest.mark.parametrize(
    "faults", [{"duplicate_across_pages": True}, {"bare_tokens_only": True}], ids=str
)
def test_frozen_answers_are_the_same_under_faults(
    pair: tuple[FakeLiteLLM, httpx.Client, FakeLiteLLM, httpx.Client], faults: dict[str, Any]
) -> None:
    live, live_client, frozen, frozen_client = pair
    for fake in (live, frozen):
        for name, value in faults.items():
            setattr(fake.faults, name, value)
    for params in ({"size": 30, "page": 2, "expand": "user"}, {"size": 30, "page": 3}):
        _same(live_client, frozen_client, params)


def test_replacing_records_is_noticed(
    pair: tuple[FakeLiteLLM, httpx.Client, FakeLiteLLM, httpx.Client],
) -> None:
    live, live_client, frozen, frozen_client = pair
    params = {"size": 100, "expand": "user"}
    before = _same(live_client, frozen_client, params)
    originals = list(frozen.keys), list(live.keys)
    try:
        for fake in (live, frozen):
            oldest = "2001-01-01T00:00:00Z"
            newest = dict(fake.keys[0], key_alias="renamed-by-a-test", created_at=oldest)
            fake.keys[0] = newest  # same list, same length: a replaced item
        after = _same(live_client, frozen_client, params)
        assert after != before
        assert b"renamed-by-a-test" not in after  # now the oldest key: sorted last
        for fake in (live, frozen):
            fake.keys.append(copy.deepcopy(fake.keys[1]) | {"token": "f" * 64})
        _same(live_client, frozen_client, {"size": 100, "page": 3, "expand": "user"})
    finally:
        frozen.keys[:], live.keys[:] = originals


def test_late_keys_are_served_by_a_frozen_fake(
    pair: tuple[FakeLiteLLM, httpx.Client, FakeLiteLLM, httpx.Client],
) -> None:
    _, _, frozen, frozen_client = pair
    frozen.faults.shifting_total = True
    undated = sum(1 for key in frozen.keys if key["created_at"] is None)
    params = {"size": undated + 1}
    first = frozen_client.get("/key/list", params=params).json()
    second = frozen_client.get("/key/list", params=params).json()
    assert second["total_count"] == first["total_count"] + 1 == 242
    # The newest dated key: right after the undated keys, which PostgreSQL sorts first.
    assert second["keys"][undated] == frozen.keys[0]["token"] != first["keys"][undated]
    frozen.reset()
    assert frozen_client.get("/key/list").json()["total_count"] == 240


def test_prepare_serializes_every_record_ahead_of_the_first_read() -> None:
    fake = FakeLiteLLM(keys=generate_keys(30, seed=2), frozen_records=True)
    fake.prepare()
    listing = fake.listing()
    assert listing is not None
    assert all(listing.record_json(key, (True, False)) for key in fake.keys)
    assert FakeLiteLLM(keys=[]).listing() is None

"""Churn: seeded writes at once or spread over time, and what a mirror must then agree with."""

from __future__ import annotations

import copy
import time
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from keydash_fakes.litellm import FakeLiteLLM, generate_keys

NOW = datetime(2027, 1, 1, 12, tzinfo=UTC)
MIX = {"create": 1, "update": 1, "block": 1, "unblock": 1, "delete": 1, "regenerate": 1, "spend": 1}


def _fake() -> FakeLiteLLM:
    return FakeLiteLLM(keys=generate_keys(80, seed=3, now=NOW), clock=lambda: NOW)


def test_the_same_seed_gives_the_same_writes() -> None:
    first, second, other = _fake(), _fake(), _fake()
    assert first.churn(200, seed=9, mix=MIX) == second.churn(200, seed=9, mix=MIX)
    assert first.keys == second.keys
    assert first.deleted == second.deleted
    other.churn(200, seed=10, mix=MIX)
    assert other.keys != first.keys


def test_the_summary_counts_every_operation() -> None:
    fake = _fake()
    before = {key["token"] for key in fake.keys}
    summary = fake.churn(300, seed=1, mix=MIX)
    assert set(summary) == {
        "created", "updated", "blocked", "unblocked", "deleted", "regenerated", "spent"
    }  # fmt: skip
    assert sum(summary.values()) == 300
    assert all(count > 0 for count in summary.values())
    assert len(fake.deleted) == summary["deleted"]
    assert len(fake.keys) == 80 + summary["created"] - summary["deleted"]
    assert not {key["token"] for key in fake.deleted} & {key["token"] for key in fake.keys}
    assert len({key["token"] for key in fake.keys} - before) >= summary["regenerated"]


def test_the_mix_weighs_operations() -> None:
    fake = _fake()
    assert fake.churn(50, seed=2, mix={"spend": 1}) == {
        "created": 0, "updated": 0, "blocked": 0, "unblocked": 0, "deleted": 0,
        "regenerated": 0, "spent": 50,
    }  # fmt: skip
    assert all(
        key["updated_at"] == key["last_active"] == "2027-01-01T12:00:00Z"
        for key in fake.keys
        if key["updated_at"] == "2027-01-01T12:00:00Z"
    )


def test_operations_that_cannot_apply_are_drawn_again() -> None:
    fake = FakeLiteLLM(keys=[], clock=lambda: NOW)
    # Nothing is ever blocked here, so every unblock is drawn again, as a create.
    summary = fake.churn(10, seed=4, mix={"unblock": 50, "create": 1})
    assert summary["created"] == 10
    assert sum(fake.churn(10, seed=4, mix={"delete": 5, "create": 1}).values()) == 10
    assert FakeLiteLLM(keys=[]).churn(3, seed=4, mix={"delete": 1})["deleted"] == 0


def test_churn_over_http_agrees_with_a_full_read(
    anonymous: httpx.Client, client: httpx.Client, fake: FakeLiteLLM
) -> None:
    answer = anonymous.post("/_fake/churn", json={"operations": 120, "seed": 5, "mix": MIX})
    assert answer.status_code == 200
    assert sum(answer.json().values()) == 120
    truth = anonymous.get("/_fake/truth").json()
    read = [
        (key["token"], key["updated_at"])
        for page in range(1, 3)
        for key in client.get(
            "/key/list", params={"size": 100, "page": page, "return_full_object": "true"}
        ).json()["keys"]
    ]
    assert read == [(entry["token"], entry["updated_at"]) for entry in truth["live"]]
    deleted = client.get("/key/list", params={"status": "deleted", "size": 100}).json()
    assert sorted(deleted["keys"]) == sorted(truth["deleted"])


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"operations": -1}, "operations must be an integer"),
        ({"operations": 1, "mix": {"explode": 1}}, "unknown operation in mix: explode"),
        ({"operations": 1, "mix": {"spend": -1}}, "mix.spend must be a number"),
        ({"operations": 1, "mix": {"spend": 0}}, "some operation a weight"),
        ({"operations": 1, "seed": "x"}, "seed must be an integer"),
        ({"operations": 1, "speed": 2}, "unknown field: speed"),
    ],
)
def test_bad_churn_is_refused(
    anonymous: httpx.Client, fake: FakeLiteLLM, body: dict[str, Any], problem: str
) -> None:
    keys = copy.deepcopy(fake.keys)
    answer = anonymous.post("/_fake/churn", json=body)
    assert answer.status_code == 400
    assert any(problem in p for p in answer.json()["problems"])
    assert fake.keys == keys


def _wait_for(check: Any, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_churn_rate_writes_over_time_until_stopped(
    anonymous: httpx.Client, fake: FakeLiteLLM
) -> None:
    started = anonymous.post("/_fake/churn/rate", json={"per_minute": 3000, "seed": 1})
    assert started.json() == {
        "per_minute": 3000,
        "seed": 1,
        "mix": None,
        "applied": dict.fromkeys(
            ("created", "updated", "blocked", "unblocked", "deleted", "regenerated", "spent"), 0
        ),
    }
    _wait_for(lambda: sum(anonymous.get("/_fake/churn/rate").json()["applied"].values()) >= 5)
    stopped = anonymous.post("/_fake/churn/rate", json={"per_minute": 0}).json()
    assert stopped["per_minute"] == 0
    assert sum(stopped["applied"].values()) >= 5
    frozen_state = copy.deepcopy((fake.keys, fake.deleted))
    time.sleep(0.1)  # 5 writes' worth at that rate
    assert (fake.keys, fake.deleted) == frozen_state, "a stopped rate writes nothing more"
    assert anonymous.get("/_fake/churn/rate").json()["per_minute"] == 0


def test_reset_stops_a_churn_rate(anonymous: httpx.Client, fake: FakeLiteLLM) -> None:
    anonymous.post("/_fake/churn/rate", json={"per_minute": 600, "mix": {"spend": 1}})
    anonymous.post("/_fake/reset")
    assert fake.churn_rate is None
    assert anonymous.post("/_fake/churn/rate", json={"per_minute": -1}).status_code == 400

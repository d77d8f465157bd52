"""Going through a fault with a mirror held: what the answers and the `sync_failed` warnings
showed from the moment LiteLLM began to fail until a good pass cleared it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from faults_settings import FULL_READ, KEY_COUNT
from keydash_fakes.litellm import FakeLiteLLM
from reliability_answers import await_fresh, freshness_of
from reliability_api_process import ApiProcess


@dataclass
class Outage:
    """What a test saw from the moment a fault began until a good pass cleared it."""

    answers: list[dict[str, Any]] = field(default_factory=list)  # freshness of each answer
    slowest: float = 0.0
    warnings: list[dict[str, Any]] = field(default_factory=list)  # sync_failed log lines

    @property
    def stale(self) -> list[dict[str, Any]]:
        return [answer for answer in self.answers if answer["stale"]]


def through_a_fault(
    client: httpx.Client,
    api: ApiProcess,
    fake: FakeLiteLLM,
    begin: Callable[[], object],
    *,
    end_after_warnings: int | None = None,
    end: Callable[[], object] | None = None,
    seconds: float = 40,
) -> Outage:
    """Start a fault, keep asking (every view needing every key, and the default view) until it
    ended (by itself, or by `end` after that many warnings) and a pass succeeded again."""
    await_fresh(client)
    mark = len(api.events("sync_failed"))
    fake.reset_stats()
    outage = Outage()
    begin()
    ended = end_after_warnings is None
    deadline = time.monotonic() + seconds
    while True:
        # Warnings read before the answers: a pass that failed between an answer and this read
        # would otherwise end the loop on a fresh answer taken before the failure.
        warnings_before = api.events("sync_failed")[mark:]
        for params in (FULL_READ, {}):
            started = time.monotonic()
            response = client.get("/api/keys", params=params)
            outage.slowest = max(outage.slowest, time.monotonic() - started)
            freshness = freshness_of(response)  # always 200, whatever LiteLLM does
            assert freshness["source"] == "mirror", freshness
            assert response.json()["total_keys"] == KEY_COUNT
            outage.answers.append(freshness)
        outage.warnings = api.events("sync_failed")[mark:]
        if not ended and end is not None and len(outage.warnings) >= (end_after_warnings or 0):
            end()
            ended = True
        if ended and warnings_before and not outage.answers[-1]["stale"]:
            break
        assert time.monotonic() < deadline, (len(outage.warnings), outage.answers[-1:])
        time.sleep(0.05)
    # No request read LiteLLM: every call the fake saw was the sync's.
    assert fake.requests_by_kind["default"] == fake.requests_by_kind["other"] == 0
    assert outage.answers[-1]["last_error"] is None
    return outage


def stale_with(outage: Outage, code: str, words: str) -> None:
    assert outage.stale, "the failed pass was never shown as stale"
    for answer in outage.stale:
        assert answer["last_error"]["code"] == code, answer
        assert words in answer["last_error"]["message"], answer
    for warning in outage.warnings:
        assert warning["level"] == "warning", warning
        assert warning["code"] == code, warning
        assert words in warning["cause"], warning
        assert warning["served_data_age_seconds"] is not None, warning
        assert warning["served_data_age_seconds"] >= 0, warning

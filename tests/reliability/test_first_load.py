"""Load while a replica's first load runs: a large LiteLLM, paged at a database-like cost.

The API process (production settings) starts against a fake LiteLLM holding 20,000 keys whose
pages cost 60 ms plus 3 ms per 1,000 rows of offset (a real LiteLLM 1.108.7 on PostgreSQL costs
about 150 + 7). Virtual users hit every /api route from the moment the API is up until the load
has ended: nothing may wait for the load. The default view (and every view LiteLLM answers alone)
is served from one LiteLLM page, views that need every key say `mirror_loading` with progress, and
LiteLLM never sees more calls at once than UPSTREAM_CONCURRENCY.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from api_support import LITELLM_KEY
from keydash_fakes.litellm import FakeLiteLLM, PageLatency, generate_keys
from reliability_answers import assert_envelope, freshness_of
from reliability_api_process import ApiProcess, start_api
from reliability_clients import logged_in_client, login_body, run_async
from reliability_fake_litellm import FakeServer
from reliability_leak_guard import watched

KEYS = 20_000
CONCURRENCY = 4
USERS = 8
P99_BOUND_SECONDS = 1.0

# (label, path, params, answered from one LiteLLM page while loading)
MIX: list[tuple[str, str, dict[str, Any], bool]] = [
    ("default", "/api/keys", {}, True),
    ("paging", "/api/keys", {"page": 3, "size": 50}, True),
    ("spend", "/api/keys", {"sort_by": "spend", "sort_order": "desc"}, True),
    ("blocked", "/api/keys", {"status": "blocked"}, True),
    ("search", "/api/keys", {"search": "prod"}, False),
    ("sort_owner", "/api/keys", {"sort_by": "owner"}, False),
    ("facets", "/api/keys/facets", {}, False),
    ("status", "/api/status", {}, True),
    ("healthz", "/api/healthz", {}, True),
]


def _large_fake() -> FakeLiteLLM:
    """20,000 keys: 2,000 generated ones, ten times over with their own tokens (fast to make).

    The users' password hashes are dropped: leaks of them are checked by the other suites, and
    a thousand extra secrets would make this test's leak check slower than the test.
    """
    base = generate_keys(KEYS // 10, seed=21)
    keys = []
    for copy in range(10):
        for record in base:
            clone = dict(record)
            clone["token"] = f"{copy:02x}{record['token'][2:]}"
            for name in ("user", "created_by_user"):
                if isinstance(clone.get(name), dict):
                    clone[name] = {k: v for k, v in clone[name].items() if k != "password"}
            keys.append(clone)
    fake = FakeLiteLLM(
        keys=keys,
        master_key=LITELLM_KEY,
        frozen_records=True,
        latency=PageLatency(page_base_ms=60, per_1000_offset_ms=3),
    )
    fake.prepare()
    return fake


@pytest.fixture
def large() -> Iterator[FakeServer]:
    running = FakeServer(_large_fake()).start()
    try:
        yield running
    finally:
        running.stop()


@dataclass
class Answer:
    label: str
    seconds: float
    at: float  # since the API was up
    response: httpx.Response


async def _users(api: ApiProcess, began: float) -> list[Answer]:
    answers: list[Answer] = []
    loaded = asyncio.Event()

    async def user(number: int) -> None:
        async with watched(httpx.AsyncClient(base_url=api.url, timeout=30)) as http:
            login = await http.post("/api/auth/login", json=login_body())
            assert login.status_code == 200, login.text
            turn = number
            while not loaded.is_set():
                label, path, params, _ = MIX[turn % len(MIX)]
                turn += 1
                sent = time.monotonic()
                response = await http.get(path, params=params)
                done = time.monotonic()
                answers.append(Answer(label, done - sent, done - began, response))
                if label == "sort_owner" and response.status_code == 200:
                    loaded.set()  # the mirror answers: the first load ended

    await asyncio.wait_for(asyncio.gather(*(user(n) for n in range(USERS))), timeout=120)
    return answers


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def test_every_request_answers_quickly_while_the_first_load_runs(large: FakeServer) -> None:
    fake = large.fake
    api = start_api(large.url, settings={"UPSTREAM_CONCURRENCY": str(CONCURRENCY)})
    try:
        began = time.monotonic()
        with contextlib.closing(logged_in_client(api.url)) as http:
            # The key-scope probe (one small call, outside the reader's bound, then remembered
            # for 300 s) is made now, so the bound below counts the load and the views only.
            assert http.get("/api/status").status_code == 200
        fake.reset_stats()
        answers = run_async(_users(api, began))
        loaded_at = max(answer.at for answer in answers)
        first_load = api.events("sync_finished")[0]
    finally:
        api.stop()

    seconds = [answer.seconds for answer in answers]
    p99 = _percentile(seconds, 0.99)
    loading = [answer for answer in answers if answer.response.status_code == 503]
    print(
        f"{len(answers)} requests while {KEYS} keys loaded in {first_load['seconds']} s "
        f"({first_load['upstream_requests']} LiteLLM pages): p50 {_percentile(seconds, 0.5):.3f} s,"
        f" p99 {p99:.3f} s, max {max(seconds):.3f} s; {len(loading)} mirror_loading;"
        f" at most {fake.max_concurrent_seen} LiteLLM calls at once"
    )
    assert first_load["kind"] == "first_load"
    assert first_load["seconds"] > 2.0  # the users really ran beside a long load
    assert first_load["mirrored"] == KEYS
    assert p99 < P99_BOUND_SECONDS, sorted(seconds)[-10:]

    served_from_page = 0
    progress: list[tuple[float, int]] = []
    for answer in answers:
        response = answer.response
        label, _, _, store_view = next(entry for entry in MIX if entry[0] == answer.label)
        if label in ("status", "healthz"):
            assert response.status_code == 200, response.text
        elif response.status_code == 503:
            assert not store_view, (label, response.text)
            error = assert_envelope(response, 503, "mirror_loading")
            assert error["progress"].get("total") in (None, KEYS), error
            progress.append((answer.at, error["progress"]["loaded"]))
        else:
            freshness = freshness_of(response)
            if freshness["source"] == "litellm_page":
                assert store_view, label
                served_from_page += label == "default"
                body = response.json()
                # (A status-filtered page counts only its status: see
                # test_faults_before_a_mirror.py's
                # test_a_filtered_page_read_from_litellm_counts_every_key.)
                # A filtered page still says how many keys LiteLLM holds in all.
                assert body["total_keys"] == KEYS
            else:
                assert response.json()["total_keys"] == KEYS
    # The default view was served all along; the rest said how far the load was, rising.
    assert served_from_page >= 3, served_from_page
    assert len(progress) >= 3, progress
    loaded_counts = [loaded for _, loaded in sorted(progress)]
    assert loaded_counts[-1] > loaded_counts[0], loaded_counts
    assert loaded_at > 2.0
    # One bound for every call the replica makes: the load's pages and the views' pages alike.
    assert fake.max_concurrent_seen <= CONCURRENCY, fake.max_concurrent_seen

"""Fixtures shared by the reliability suites (faults, bad input, attacks, load).

Every test here runs under a leak guard: whatever responses and log lines it saw are searched for
secrets when it ends (see reliability_leak_guard.LeakGuard).

The fault suites (test_faults_*.py) run against two Keydash apps over real HTTP, each with a fake
LiteLLM of its own that every test gets healthy and leaves healthy:

- `cold` (fake: `cold_fake`): an in-process app whose sync never runs, so it has no mirror;
- `api`, signed in as `client` (fake: `fake`): the API as production runs it, a uvicorn process
  syncing every 0.5 s. Only test_faults_with_a_mirror.py uses it, so it starts once.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from faults_settings import COLD_SETTINGS, FAULT_SETTINGS, KEY_COUNT
from keydash_fakes.litellm import FakeLiteLLM
from reliability_answers import await_fresh
from reliability_api_process import ApiProcess, start_api
from reliability_clients import logged_in_client
from reliability_fake_litellm import FakeServer, new_fake
from reliability_in_process import build_app, serving
from reliability_leak_guard import LeakGuard, current_guard

FULL_RUN = os.environ.get("KEYDASH_RELIABILITY_FULL", "").lower() in {"1", "true", "yes"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: long reliability checks; run by `uv run nox -s reliability` only"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if FULL_RUN:
        return
    skip = pytest.mark.skip(reason="slow; set KEYDASH_RELIABILITY_FULL=1 (nox -s reliability)")
    here = Path(__file__).parent
    for item in items:
        if item.get_closest_marker("slow") and here in item.path.parents:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def leak_guard() -> Iterator[LeakGuard]:
    guard = LeakGuard()
    token = current_guard.set(guard)
    try:
        yield guard
    finally:
        current_guard.reset(token)
    guard.check()


# --- the fault suites' apps and fake LiteLLMs -----------------------------------------------------


def _healthy(server: FakeServer) -> Iterator[FakeLiteLLM]:
    server.fake.reset()
    yield server.fake
    server.fake.reset()


@pytest.fixture(scope="module")
def cold_server() -> Iterator[FakeServer]:
    with FakeServer(new_fake(KEY_COUNT)) as running:
        yield running


@pytest.fixture(scope="module")
def cold(cold_server: FakeServer) -> Iterator[httpx.Client]:
    app, container = build_app(litellm_base_url=cold_server.url, **COLD_SETTINGS)
    with serving(app) as url:
        http = logged_in_client(url)
        yield http
        http.close()
    assert not container.key_sync().ready  # it never loaded: every answer here was "cold"


@pytest.fixture
def cold_fake(cold_server: FakeServer) -> Iterator[FakeLiteLLM]:
    yield from _healthy(cold_server)


@pytest.fixture(scope="module")
def server() -> Iterator[FakeServer]:
    with FakeServer(new_fake(KEY_COUNT)) as running:
        yield running


@pytest.fixture
def fake(server: FakeServer) -> Iterator[FakeLiteLLM]:
    yield from _healthy(server)


@pytest.fixture(scope="module")
def api(server: FakeServer) -> Iterator[ApiProcess]:
    process = start_api(server.url, settings=FAULT_SETTINGS)
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture(scope="module")
def client(api: ApiProcess) -> Iterator[httpx.Client]:
    http = logged_in_client(api.url)
    await_fresh(http)
    yield http
    http.close()

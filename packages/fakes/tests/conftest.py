"""One fake LiteLLM per test module, served over real HTTP on loopback, made pristine per test."""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from keydash_fakes.litellm import FakeLiteLLM, generate_keys, running_fake_litellm
from keydash_fakes.litellm.timestamps import utc_now

MASTER_KEY = "sk-test-master-key-0123456789"


@pytest.fixture(scope="session")
def pristine_keys() -> list[dict[str, Any]]:
    # 57 keys: more than the forced awkward traits, and an uneven number of pages for most sizes.
    return generate_keys(57, seed=11)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[FakeLiteLLM, str]]:
    # Starting a server per test would cost more than the tests; a per-test reset is enough.
    shared = FakeLiteLLM(keys=[], master_key=MASTER_KEY)
    with running_fake_litellm(shared) as url:
        yield shared, url


@pytest.fixture
def master_key() -> str:
    return MASTER_KEY


@pytest.fixture
def fake(served: tuple[FakeLiteLLM, str], pristine_keys: list[dict[str, Any]]) -> FakeLiteLLM:
    shared, _ = served
    deadline = time.monotonic() + 5
    while shared.in_flight and time.monotonic() < deadline:
        time.sleep(0.01)  # a previous test's abandoned request is still winding down
    shared.reset()
    shared.keys = copy.deepcopy(pristine_keys)
    shared.deleted = []
    shared.clock = utc_now
    shared.undated_first = True
    shared.master_key = MASTER_KEY
    shared.api_keys = {}
    return shared


@pytest.fixture
def base_url(served: tuple[FakeLiteLLM, str], fake: FakeLiteLLM) -> str:
    return served[1]


@pytest.fixture(scope="module")
def _clients(served: tuple[FakeLiteLLM, str]) -> Iterator[dict[str, httpx.Client]]:
    # Shared per module too: building an httpx client costs more than most of these tests.
    url = served[1]
    with (
        httpx.Client(base_url=url, headers={"x-litellm-api-key": MASTER_KEY}, timeout=10) as admin,
        httpx.Client(base_url=url, timeout=10) as anonymous,
    ):
        yield {"admin": admin, "anonymous": anonymous}


@pytest.fixture
def client(_clients: dict[str, httpx.Client], fake: FakeLiteLLM) -> httpx.Client:
    return _clients["admin"]


@pytest.fixture
def anonymous(_clients: dict[str, httpx.Client], fake: FakeLiteLLM) -> httpx.Client:
    return _clients["anonymous"]

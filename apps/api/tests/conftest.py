"""Fixtures of the keys integration tests (test_integration_keys_*.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_support import LITELLM_KEY
from keydash_fakes.litellm import FakeLiteLLM
from keys_integration_support import KEY_COUNT
from litellm_support import AppClients, serving_fake


# Session-wide: its tests span several modules and one server serves them all (`clients` resets
# it around each test). A module wanting other keys serves its own `fake`.
@pytest.fixture(scope="session")
def fake() -> Iterator[FakeLiteLLM]:
    with serving_fake(KEY_COUNT, seed=11, master_key=LITELLM_KEY) as litellm:
        yield litellm


@pytest.fixture
def clients(fake: FakeLiteLLM) -> Iterator[AppClients]:
    fake.reset()
    apps = AppClients(fake)
    try:
        yield apps
    finally:
        fake.reset()  # release held requests first, so no shutdown waits on a hang
        apps.close()
        fake.reset()

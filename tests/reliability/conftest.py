"""Fixtures shared by the reliability suites (faults, bad input, attacks, load).

Every test here runs under a leak guard: whatever responses and log lines it saw are searched for
secrets when it ends (see reliability_support.LeakGuard).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from reliability_support import LeakGuard, current_guard

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

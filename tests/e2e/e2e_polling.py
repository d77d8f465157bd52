"""Waiting for a page to settle: read again until the reading is the one wanted."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def poll(read: Callable[[], T], wanted: Callable[[T], bool], timeout: float = 10.0) -> T:
    """Read until `wanted` holds or time runs out; return the last reading either way."""
    deadline = time.monotonic() + timeout
    value = read()
    while not wanted(value) and time.monotonic() < deadline:
        time.sleep(0.05)
        value = read()
    return value

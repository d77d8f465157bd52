"""Waiting on the API under test: its sync's state on /api/status, until the mirror is ready, and
until any condition holds."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sync_procs import Api


def status_of(api: Api) -> dict[str, Any]:
    code, body = api.get("/api/status", timeout=30)
    if code != 200 or not isinstance(body, dict):
        raise RuntimeError(f"/api/status answered HTTP {code}: {body}")
    sync: dict[str, Any] = body["sync"]
    return sync


def wait_ready(api: Api, timeout_s: float, poll_s: float = 0.5) -> tuple[float, list[Any]]:
    """Poll /api/status until the mirror is ready: (monotonic time seen, progress samples)."""
    deadline = time.monotonic() + timeout_s
    samples: list[Any] = []
    while time.monotonic() < deadline:
        sync = status_of(api)
        now = time.monotonic()
        progress = sync.get("progress") or {}
        samples.append(
            [round(now - api.listening, 1), progress.get("loaded"), progress.get("total")]
        )
        if sync.get("state") == "ready":
            return now, samples
        time.sleep(poll_s)
    raise RuntimeError(f"the mirror was not ready within {timeout_s:.0f} s (last: {samples[-1:]})")


def until(check: Callable[[], bool], timeout_s: float, poll_s: float = 0.1) -> float | None:
    """Seconds until `check()` holds (polled every `poll_s`), None on timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if check():
            return round(time.monotonic() - started, 3)
        time.sleep(poll_s)
    return None

"""One request at a time to the API under test, as bench/run.py's measurements make them: its
latency and status, or also the LiteLLM calls it caused (counted by the fake)."""

from __future__ import annotations

import math
import time

import processes
from loadgen import load

FULL_READ_PATH = "/api/keys?search=prod&size=25"
DEFAULT_PATH = "/api/keys?page=1&size=25"


def one_request(api: processes.Process, token: str, path: str) -> tuple[float, int]:
    result = load(api.url, [path], token=token, concurrency=1, duration_s=600, max_requests=1)
    status = next(iter(result.statuses), 0)
    return result.latencies_ms[0] if result.latencies_ms else math.nan, status


def timed_request(
    api: processes.Process, fake_url: str, token: str, path: str, *, patience_s: float = 900
) -> tuple[float, int]:
    """Milliseconds until `path` answers 200, and the LiteLLM calls meanwhile. A view that needs
    every key answers 503 mirror_loading until the sync's first load ends: asked again (every
    0.2 s) until it answers, so a cold figure is the wait an admin sees for that view."""
    before = processes.fake_calls(fake_url)
    started = time.perf_counter()
    elapsed, status = one_request(api, token, path)
    waited = False
    while status == 503 and time.perf_counter() - started < patience_s:
        waited = True
        time.sleep(0.2)
        elapsed, status = one_request(api, token, path)
    if status != 200:
        raise RuntimeError(f"{path} answered HTTP {status}")
    if waited:
        elapsed = (time.perf_counter() - started) * 1000
    return elapsed, processes.fake_calls(fake_url) - before

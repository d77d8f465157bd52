"""What "cold" means with the mirror: a fresh API process and its first load.

The sync starts with the process and loads every key; until it ends, a view needing every key
answers 503 mirror_loading and the default view is read from one LiteLLM page. Once loaded, no
request reads LiteLLM again, so the only cold read left is this one: each measurement here
starts its own API against the already running fake, times it until a full view answers 200,
asks the default view meanwhile, and stops it.
"""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import processes
import upstream_calls
from api_requests import DEFAULT_PATH, FULL_READ_PATH
from bench_results import FirstLoad
from sync_metrics import metric, read_metrics

# A default view every this often during the load: an admin's landing page, not a load test.
DEFAULT_EVERY_S = 0.1
PATIENCE_S = 900.0


def _get(api: processes.Process, token: str, path: str) -> tuple[float, int, Any]:
    """One request on its own connection: (ms, status, JSON body)."""
    started = time.perf_counter()
    status, body, _ = processes.http_json(
        "GET", f"{api.url}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=60
    )
    return (time.perf_counter() - started) * 1000, status, body


def _source(body: Any) -> str:
    freshness = body.get("freshness") if isinstance(body, dict) else None
    return str(freshness.get("source")) if isinstance(freshness, dict) else "?"


def _watch(
    api: processes.Process, token: str, poll_s: float, ask_default: bool
) -> tuple[float, list[float]]:
    """Poll a full view until 200 (monotonic time it came) and, every DEFAULT_EVERY_S, ask the
    default view: its latency while LiteLLM's page answered it (the mirror not yet)."""
    during: list[float] = []
    last_default = -math.inf
    while time.monotonic() - api.listening < PATIENCE_S:
        if ask_default and time.monotonic() - last_default >= DEFAULT_EVERY_S:
            last_default = time.monotonic()
            elapsed, status, body = _get(api, token, DEFAULT_PATH)
            if status != 200:
                raise RuntimeError(f"the default view answered HTTP {status} during the load")
            if _source(body) == "litellm_page":
                during.append(elapsed)
        _, status, body = _get(api, token, FULL_READ_PATH)
        if status == 200:
            return time.monotonic(), during
        if status != 503:
            raise RuntimeError(f"a full view answered HTTP {status} during the load: {body}")
        time.sleep(poll_s)
    raise RuntimeError(f"the mirror did not answer a full view within {PATIENCE_S:.0f} s")


def measure_first_load(
    fake_url: str,
    workdir: Path,
    label: str,
    token: str,
    *,
    floor_ms: float,
    settings: dict[str, str] | None = None,
    ask_default: bool = True,
) -> FirstLoad:
    """A fresh API (`settings` over the production defaults) from spawn to its first full view.

    `token` comes from an earlier API of the same run: sessions are signed tokens, valid on any
    process with the same JWT_SECRET, so no login's password hashing falls inside the load.
    """
    metrics_port = processes.free_port()
    # Each default view asked during the load reads its LiteLLM page, as an uncached page does.
    env = {"CACHE_TTL_SECONDS": "0", "METRICS_PORT": str(metrics_port), **(settings or {})}
    before = upstream_calls.mark(fake_url)
    # Poll often: at 1,000 keys the whole load is a few 20 ms pages.
    with processes.start_api(fake_url, workdir, label, env, poll_s=0.005) as api:
        cpu_before = api.cpu_seconds()
        # Fine enough to resolve the load (~2% of the floor), light enough not to slow it.
        poll_s = min(0.1, max(0.01, floor_ms / 1000 / 50))
        ready, during = _watch(api, token, poll_s, ask_default)
        cpu_ms = (api.cpu_seconds() - cpu_before) * 1000
        calls = before.since()
        samples = read_metrics(metrics_port)
    return FirstLoad(
        listen_s=api.started_s,
        full_view_ms=(ready - api.listening) * 1000,
        sync_load_s=metric(samples, "keydash_sync_duration_seconds_sum", kind="first_load"),
        sync_requests=metric(samples, "keydash_sync_upstream_requests_sum", kind="first_load"),
        cpu_ms=cpu_ms,
        default_ms=during,
        view_calls=calls["views"],
        sync_calls=calls["sync"],
    )

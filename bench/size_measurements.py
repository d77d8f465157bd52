"""Every figure bench/run.py measures at one key count: the first answers after a start and warm
latency, first loads by fresh API processes (concurrent and one page at a time), LiteLLM calls
per dashboard view, passes under load, the core's index against re-sorting, and (at one size) the
SPA."""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import core_micro
import processes
import spa
import upstream_calls
from api_requests import DEFAULT_PATH, FULL_READ_PATH, timed_request
from bench_log import say
from bench_results import PAGE_SIZE, VIEWS, Mode, SizeResults, floor_ms
from first_load import measure_first_load
from loadgen import load
from upstream_traffic import dashboard_views, passes_under_load


def measure_size(mode: Mode, keys: int, latency_ms: float, workdir: Path) -> SizeResults:
    results = SizeResults(keys=keys, pages=max(1, math.ceil(keys / PAGE_SIZE)))
    say(f"{keys:,} keys: starting the fake LiteLLM")
    with processes.start_fake(keys, latency_ms, workdir) as fake:
        results.fake_start_s = fake.started_s
        token = _start_and_warm(mode, results, fake, workdir)
        _first_loads(mode, results, fake, workdir, token, latency_ms)
        dashboard_views(mode, results, fake, workdir)
        _core(mode, results, fake, latency_ms)
        if keys == mode.spa_size:
            results.notes.append("spa")
            SPA_RESULTS.update(spa.measure(mode, fake, workdir))
        # Last: its churn edits the fake's keys, which the figures above must not see.
        if keys >= mode.full_matrix_min_keys:
            passes_under_load(mode, results, fake, workdir)
    return results


def _start_and_warm(mode: Mode, r: SizeResults, fake: processes.Process, workdir: Path) -> str:
    """An API with the production defaults: its first answers, then warm latency. Its token."""
    say(f"{r.keys:,} keys: a start (first default view, first full view), then warm latency")
    with processes.start_api(fake.url, workdir, f"{r.keys}-warm") as api:
        token = processes.log_in(api.url)
        # The very first answers after start: the default view (one LiteLLM page while the
        # mirror loads, or the mirror if it is already loaded), then a view needing every key,
        # which answers 503 mirror_loading until the first load ends: its figure is that wait.
        mark = upstream_calls.mark(fake.url)
        r.first_default_ms = timed_request(api, fake.url, token, DEFAULT_PATH)[0]
        r.first_default_calls = mark.since()["views"]
        asked = time.monotonic()
        r.first_full_ms, r.first_full_calls = timed_request(api, fake.url, token, FULL_READ_PATH)
        r.first_full_from_listen_ms = (asked - api.listening) * 1000 + r.first_full_ms
        r.rss_after_load_mb = api.rss_mb()[0]
        # Production defaults: sync passes (2 LiteLLM requests each, every 30 s) may fall inside
        # the warm runs; counted apart from the calls the requests cause.
        mark = upstream_calls.mark(fake.url)
        for view, paths in VIEWS.items():
            r.warm[view] = {}
            for concurrency in (1, 8):
                r.warm[view][concurrency] = load(
                    api.url,
                    paths,
                    token=token,
                    concurrency=concurrency,
                    duration_s=mode.warm_seconds,
                    max_requests=mode.warm_max_requests,
                )
        calls = mark.since()
        r.warm_view_calls, r.warm_sync_calls = calls["views"], calls["sync"]
        r.rss_after_warm_mb, r.hwm_mb = api.rss_mb()
    return token


def _first_loads(
    mode: Mode,
    r: SizeResults,
    fake: processes.Process,
    workdir: Path,
    token: str,
    latency_ms: float,
) -> None:
    """Cold, with the mirror: per repeat a fresh API process and its first load; then the same
    with `UPSTREAM_CONCURRENCY=1`, the naive walk of one page at a time."""
    say(f"{r.keys:,} keys: {mode.cold_repeats} first loads, each by a fresh API")
    floor = floor_ms(r, latency_ms)
    for repeat in range(mode.cold_repeats):
        label = f"{r.keys}-first-{repeat}"
        r.first_loads.append(measure_first_load(fake.url, workdir, label, token, floor_ms=floor))
    if r.keys < mode.full_matrix_min_keys:
        return
    # One is enough where a sequential load takes long.
    repeats = mode.sequential_repeats if r.pages <= 100 else 1
    say(f"{r.keys:,} keys: {repeats} first load(s) one page at a time")
    sequential = {"UPSTREAM_CONCURRENCY": "1"}
    for repeat in range(repeats):
        r.sequential_loads.append(
            measure_first_load(
                fake.url,
                workdir,
                f"{r.keys}-sequential-{repeat}",
                token,
                floor_ms=floor_ms(r, latency_ms, 1),
                settings=sequential,
                ask_default=False,
            )
        )


def _core(mode: Mode, r: SizeResults, fake: processes.Process, latency_ms: float) -> None:
    say(f"{r.keys:,} keys: core, indexed vs re-sorting per request; memory per key")
    # Read the records at full speed for this in-process part, then give the latency back.
    processes.http_json("POST", f"{fake.url}/_fake/faults", {"latency_ms": 0})
    try:
        records = core_micro.fetch_records(fake.url, processes.FAKE_MASTER_KEY)
    finally:
        processes.http_json("POST", f"{fake.url}/_fake/faults", {"latency_ms": latency_ms})
    snapshot = core_micro.to_snapshot(records)
    r.memory = core_micro.memory_per_key(records)
    del records
    views = core_micro.default_views()
    r.core = core_micro.compare_list_keys(snapshot, views, budget_s=mode.core_seconds)


# Filled at mode.spa_size keys, reported once the run ends.
SPA_RESULTS: dict[str, Any] = {}

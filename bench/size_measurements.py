"""Every figure bench/run.py measures at one key count: cold and warm latency, cold reads with the
cache off and one page at a time, LiteLLM calls per dashboard view, refreshes under load, the
core's index against re-sorting, and (at one size) the SPA."""

from __future__ import annotations

import math
import statistics
import threading
import time
from pathlib import Path
from typing import Any

import core_micro
import processes
import spa
from api_requests import DEFAULT_PATH, FULL_READ_PATH, one_request, timed_request
from bench_log import say
from bench_results import VIEWS, Mode, SizeResults
from loadgen import load
from upstream_traffic import dashboard_views, stale_while_revalidate

PAGE_SIZE = 100  # LiteLLM's largest page, which Keydash reads with
# Caching that keeps the warm figures free of refreshes; refreshes are measured on their own.
WARM_SETTINGS = {"CACHE_TTL_SECONDS": "600", "CACHE_STALE_SECONDS": "600"}


def median_of(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def measure_size(mode: Mode, keys: int, latency_ms: float, workdir: Path) -> SizeResults:
    results = SizeResults(keys=keys, pages=max(1, math.ceil(keys / PAGE_SIZE)))
    say(f"{keys:,} keys: starting the fake LiteLLM")
    with processes.start_fake(keys, latency_ms, workdir) as fake:
        results.fake_start_s = fake.started_s
        _cold_and_warm(mode, results, fake, workdir)
        _cold_repeated(mode, results, fake, workdir)
        dashboard_views(mode, results, fake, workdir)
        if keys >= mode.full_matrix_min_keys:
            stale_while_revalidate(mode, results, fake, workdir)
        _core(mode, results, fake, latency_ms)
        if keys == mode.spa_size:
            results.notes.append("spa")
            SPA_RESULTS.update(spa.measure(mode, fake, workdir))
    return results


def _cold_and_warm(mode: Mode, r: SizeResults, fake: processes.Process, workdir: Path) -> None:
    say(f"{r.keys:,} keys: cold start, then warm latency")
    with processes.start_api(fake.url, workdir, f"{r.keys}-warm", WARM_SETTINGS) as api:
        token = processes.log_in(api.url)
        # The very first answers after start: the default view, then a full-snapshot query.
        elapsed, calls = timed_request(api, fake.url, token, DEFAULT_PATH)
        r.cold_default_ms.append(elapsed)
        r.cold_default_calls = calls
        r.first_full_ms, r.first_full_calls = timed_request(api, fake.url, token, FULL_READ_PATH)
        r.rss_after_load_mb = api.rss_mb()[0]
        before = processes.fake_calls(fake.url)
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
        r.warm_upstream_calls = processes.fake_calls(fake.url) - before
        r.rss_after_warm_mb, r.hwm_mb = api.rss_mb()


def _cold_repeated(mode: Mode, r: SizeResults, fake: processes.Process, workdir: Path) -> None:
    """Cache off: every answer is cold. Concurrent pages (Keydash) vs one page at a time."""
    say(f"{r.keys:,} keys: cold reads (cache off), concurrent and one page at a time")
    cache_off = {"CACHE_TTL_SECONDS": "0"}
    with processes.start_api(fake.url, workdir, f"{r.keys}-cold", cache_off) as api:
        token = processes.log_in(api.url)
        cpu = 0.0
        for _ in range(mode.cold_repeats):
            before = api.cpu_seconds()
            r.cold_full_ms.append(one_request(api, token, FULL_READ_PATH)[0])
            cpu += api.cpu_seconds() - before
            r.cold_default_ms.append(one_request(api, token, DEFAULT_PATH)[0])
        # The API's own CPU time per full read (parse, map, index): what bounds it beyond I/O.
        r.cold_full_cpu_ms = cpu / mode.cold_repeats * 1000
        # The default view asked for while a full read is under way must not queue behind it.
        during: list[float] = []
        search = threading.Thread(target=one_request, args=(api, token, FULL_READ_PATH))
        search.start()
        time.sleep(min(2.0, median_of(r.cold_full_ms) / 4000))
        during.append(one_request(api, token, DEFAULT_PATH)[0])
        search.join()
        r.default_during_full_ms = during[0]
        if r.keys < mode.full_matrix_min_keys:
            return
        # The warm views with the cache off: what each view costs without a snapshot.
        for view, paths in VIEWS.items():
            # A full read per search or sort: once is enough where it takes seconds.
            slow = mode.name == "quick" or r.pages > 100
            budget = 1 if view != "default view" and slow else mode.cold_repeats
            r.cache_off[view] = load(
                api.url,
                paths,
                token=token,
                concurrency=1,
                duration_s=mode.warm_seconds,
                max_requests=budget,
            )
    sequential = {**cache_off, "UPSTREAM_CONCURRENCY": "1"}
    with processes.start_api(fake.url, workdir, f"{r.keys}-sequential", sequential) as api:
        token = processes.log_in(api.url)
        for _ in range(mode.sequential_repeats if r.pages <= 100 else 1):
            r.sequential_full_ms.append(one_request(api, token, FULL_READ_PATH)[0])


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

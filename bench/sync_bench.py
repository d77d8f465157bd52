"""The sync engine's benchmark: `uv run python bench/sync_bench.py [--quick]`.

Runs the fake LiteLLM and the API as separate processes on 127.0.0.1 and measures what the
per-replica mirror promises: a first load close to its floor while the API answers, few LiteLLM
requests per sync interval (beside the previous read-every-page design, commit fdd09b2, run from a
temporary git worktree against the same fake), how soon a change shows, that churn converges,
memory and latency at 500,000 keys, and warm throughput at 10,000. Prints a JSON result and
writes docs/performance-sync.md. Every run is bounded in time and in requests; every child
process is stopped on exit.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

# Run as a script (`python bench/sync_bench.py`): Python puts bench/ first on the module path.
import sync_procs
import sync_report
from bench_results import VIEWS
from loadgen import LoadResult, load
from processes import http_json
from sync_load import BackgroundMix, MixResult, paced_admin
from sync_procs import Api, diff_kinds, fake_post, kinds, metric

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

OLD_COMMIT = "fdd09b2"
PAGE_SIZE = 100
REAL_BASE_MS, REAL_PER_1000_MS = 150.0, 7.0  # --real-latency (LiteLLM 1.108.7)
DEFAULT_CONCURRENCY = 4  # UPSTREAM_CONCURRENCY's default
DEFAULT_PATH = "/api/keys?page=1&size=25"
# What an admin's browser asks while the mirror loads, in turn (closed loop).
LOAD_MIX: list[tuple[str, str]] = [
    ("default view", DEFAULT_PATH),
    ("search", "/api/keys?search=prod&size=25"),
    ("default view", "/api/keys?page=2&size=25"),
    ("sort", "/api/keys?sort_by=tags&sort_order=asc&size=25"),
    ("facets", "/api/keys/facets"),
    ("status", "/api/status"),
]
# One admin's dashboard, a view every few seconds.
ADMIN_VIEWS: list[tuple[str, str]] = [
    ("default view", DEFAULT_PATH),
    ("search", "/api/keys?search=prod&size=25"),
    ("facets", "/api/keys/facets"),
    ("sort", "/api/keys?sort_by=tags&sort_order=asc&size=25"),
    ("default view", "/api/keys?page=2&size=25"),
]
# The warm views: bench/run.py's rotations, without its uncached-facets one.
WARM_VIEWS = {view: paths for view, paths in VIEWS.items() if view != "facets, uncached"}


@dataclass(frozen=True)
class Mode:
    name: str
    load_keys: int  # sections 1 and 2
    churn_per_minute: float  # section 2
    interval_s: float  # section 2
    new_window_s: float
    old_window_s: float
    admin_every_s: float
    vis_keys: int  # sections 3 and 4
    vis_interval_s: float
    vis_trials: int
    churn_ops: int  # section 4
    churn_rate_per_minute: float
    reconcile_s: float
    converge_timeout_s: float
    big_keys: int  # section 5 (0: skipped)
    warm_keys: int  # section 6
    warm_seconds: float
    warm_max_requests: int
    budget_s: float


QUICK = Mode(
    "quick",
    20_000,
    100,
    10,
    60,
    60,
    5,
    20_000,
    5,
    3,
    300,
    900,
    20,
    300,
    0,
    10_000,
    3,
    5_000,
    35 * 60,
)
FULL = Mode(
    "full",
    100_000,
    500,
    30,
    300,
    240,
    5,
    20_000,
    5,
    8,
    600,
    900,
    20,
    420,
    500_000,
    10_000,
    8,
    20_000,
    150 * 60,
)


class BudgetExceeded(Exception):
    pass


def say(message: str) -> None:
    print(f"[sync-bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def summary(result: LoadResult) -> dict[str, Any]:
    def rounded(value: float) -> float | None:
        return None if math.isnan(value) else round(value, 2)

    return {
        "count": result.count,
        "p50_ms": rounded(result.p50),
        "p95_ms": rounded(result.p95),
        "p99_ms": rounded(result.p99),
        "max_ms": rounded(result.max),
        "statuses": {str(code): n for code, n in sorted(result.statuses.items())},
        "failures": result.failures,
        "throughput_rps": round(result.throughput, 1),
    }


def mix_summary(result: MixResult) -> dict[str, Any]:
    return {
        "wall_s": round(result.wall_s, 1),
        "overall": summary(result.overall),
        "by_label": {label: summary(each) for label, each in result.by_label.items()},
    }


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


def model_floor(keys: int, concurrency: int) -> dict[str, float]:
    pages = max(1, math.ceil(keys / PAGE_SIZE))
    offsets = [(page - 1) * PAGE_SIZE for page in range(1, pages + 1)]
    mean_ms = REAL_BASE_MS + REAL_PER_1000_MS * statistics.fmean(offsets) / 1000
    return {
        "pages": pages,
        "mean_page_ms": round(mean_ms, 2),
        "concurrency": concurrency,
        "floor_s": round(pages * mean_ms / 1000 / concurrency, 2),
    }


# 1 and 2 ------------------------------------------------------------------------------------


def first_load_and_requests(mode: Mode, workdir: Path, results: dict[str, Any]) -> None:
    keys = mode.load_keys
    say(f"1. starting the fake LiteLLM: {keys:,} keys, --real-latency")
    fake = sync_procs.start_fake(keys, workdir, label="load", real_latency=True)
    first: dict[str, Any] = {
        "keys": keys,
        "fake_command": sync_procs.fake_command(keys, real_latency=True),
        "fake_start_s": round(fake.started_s, 1),
        "settings": {"SYNC_INTERVAL_SECONDS": str(mode.interval_s)},
        **model_floor(keys, DEFAULT_CONCURRENCY),
    }
    results["first_load"] = first
    try:
        fake_post(fake.url, "/_fake/stats/reset")
        settings = {"SYNC_INTERVAL_SECONDS": f"{mode.interval_s:g}"}
        api = sync_procs.start_api(fake.url, workdir, "load", settings)
        first["api_spawn_to_listen_s"] = round(api.listening - api.spawned, 3)
        # The first 200 default view, asked at once and again until it comes.
        first_ok = None
        attempts: list[int] = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            code, _ = api.get(DEFAULT_PATH, timeout=30)
            attempts.append(code)
            if code == 200:
                first_ok = time.monotonic()
                break
            time.sleep(0.02)
        first["first_default_200_from_listen_s"] = (
            round(first_ok - api.listening, 3) if first_ok else None
        )
        first["first_default_200_from_spawn_s"] = (
            round(first_ok - api.spawned, 3) if first_ok else None
        )
        first["first_default_attempts"] = attempts
        say(f"1. first 200 default view {first['first_default_200_from_listen_s']} s after listen")
        floor_s = first["floor_s"]
        mix = BackgroundMix(
            api.url,
            LOAD_MIX,
            api.token,
            concurrency=4,
            max_seconds=6 * floor_s + 300,
            max_requests=2_000_000,
        ).start()
        try:
            ready, samples = wait_ready(api, 6 * floor_s + 300)
        finally:
            during = mix.stop()
        first["load_s_from_listen"] = round(ready - api.listening, 2)
        first["ratio_to_floor"] = round(first["load_s_from_listen"] / floor_s, 3)
        first["progress_samples"] = samples[:: max(1, len(samples) // 40)]
        first["during_load"] = mix_summary(during)
        samples_m = api.metrics()
        first["sync_first_load_seconds"] = metric(
            samples_m, "keydash_sync_duration_seconds_sum", kind="first_load"
        )
        first["sync_first_load_requests"] = metric(
            samples_m, "keydash_sync_upstream_requests_sum", kind="first_load"
        )
        first["upstream_by_kind_during_load"] = kinds(fake.url)
        first["mirrored_keys"] = status_of(api).get("mirrored_keys")
        first["rss_mb_after_load"] = round(api.child.rss_mb()[0], 1)
        say(
            f"1. mirror complete {first['load_s_from_listen']} s after listen "
            f"(floor {floor_s} s, {first['ratio_to_floor']}x); p99 during load "
            f"{first['during_load']['overall']['p99_ms']} ms"
        )
        requests_per_interval(mode, fake.url, api, results)
        sync_procs.stop(api.child)
        old_design(mode, fake.url, workdir, results)
    finally:
        with contextlib.suppress(Exception):  # the fake is stopped next anyway
            fake_post(fake.url, "/_fake/churn/rate", {"per_minute": 0})
        sync_procs.stop(fake)


def requests_per_interval(mode: Mode, fake_url: str, api: Api, results: dict[str, Any]) -> None:
    keys, interval = mode.load_keys, mode.interval_s
    say(
        f"2. new design: churn {mode.churn_per_minute:g}/min, interval {interval:g} s, "
        f"{mode.new_window_s:g} s window with one admin's view every {mode.admin_every_s:g} s"
    )
    time.sleep(2)  # the catch-up pass right after the first load
    fake_post(fake_url, "/_fake/churn/rate", {"per_minute": mode.churn_per_minute, "seed": 3})
    before_kinds, before = kinds(fake_url), api.metrics()
    admin = paced_admin(
        api.url,
        ADMIN_VIEWS,
        api.token,
        every_s=mode.admin_every_s,
        duration_s=mode.new_window_s,
        timeout_s=120,
    )
    after_kinds, after = kinds(fake_url), api.metrics()
    window = admin.wall_s
    by_kind = diff_kinds(after_kinds, before_kinds)

    def delta(name: str, **labels: str) -> float:
        return metric(after, name, 0.0, **labels) - metric(before, name, 0.0, **labels)

    passes = delta("keydash_sync_passes_total", kind="incremental", outcome="ok")
    pass_requests = delta("keydash_sync_upstream_requests_sum", kind="incremental")
    within_10 = delta("keydash_sync_upstream_requests_bucket", kind="incremental", le="10.0")
    reconciles = delta("keydash_sync_passes_total", kind="reconcile", outcome="ok")
    reconcile_requests = delta("keydash_sync_upstream_requests_sum", kind="reconcile")
    pass_seconds = delta("keydash_sync_duration_seconds_sum", kind="incremental")
    failures = {
        # Failed passes carry the error's code as their outcome.
        kind: delta("keydash_sync_passes_total", kind=kind)
        - delta("keydash_sync_passes_total", kind=kind, outcome="ok")
        for kind in ("incremental", "reconcile")
    }
    intervals = window / interval
    incremental = by_kind["updated_at"] + by_kind["deleted"]
    total = sum(by_kind.values())
    pages = max(1, math.ceil(keys / PAGE_SIZE))
    reconcile_per_hour = 3600 / 3600.0  # SYNC_RECONCILE_SECONDS default: one walk an hour
    results["requests_new"] = {
        "keys": keys,
        "churn_per_minute": mode.churn_per_minute,
        "interval_s": interval,
        "window_s": round(window, 1),
        "intervals": round(intervals, 2),
        "upstream_by_kind": by_kind,
        "upstream_total": total,
        "incremental_requests": incremental,
        "incremental_per_interval": round(incremental / intervals, 2),
        "all_per_interval": round(total / intervals, 2),
        "passes": passes,
        "requests_per_pass": round(pass_requests / passes, 2) if passes else None,
        "seconds_per_pass": round(pass_seconds / passes, 2) if passes else None,
        "failed_passes": failures,
        "passes_over_10_requests": passes - within_10 if passes else None,
        "reconciles_in_window": reconciles,
        "reconcile_requests_in_window": reconcile_requests,
        "full_walk_pages": pages,
        "measured_per_hour": round(total * 3600 / window),
        "incremental_per_hour": round(incremental * 3600 / window),
        "modelled_per_hour": round(incremental * 3600 / window + reconcile_per_hour * pages),
        "admin": mix_summary(admin),
    }
    say(
        f"2. new design: {incremental} incremental requests in {window:.0f} s "
        f"({incremental / intervals:.1f}/interval), {total} in all, reconciles {reconciles:g}"
    )


def old_design(mode: Mode, fake_url: str, workdir: Path, results: dict[str, Any]) -> None:
    where = workdir / "old-worktree"
    say(f"2. old design: git worktree of {OLD_COMMIT} at {where}")
    record: dict[str, Any] = {"commit": OLD_COMMIT, "keys": mode.load_keys}
    results["requests_old"] = record
    # The old design reads every page whatever changed, so churn does not change its count; but
    # every write makes the fake re-sort and re-serialize its table (its kept orders are for
    # unchanged records), which at 100,000 keys costs seconds per page and would time the old
    # design out on the fake's CPU rather than on its own design. So the churn is paused here.
    stopped = fake_post(fake_url, "/_fake/churn/rate", {"per_minute": 0})
    record["churn_paused"] = True
    record["churn_applied_before"] = stopped.get("applied")
    sync_procs.git_worktree(ROOT, OLD_COMMIT, where)
    try:
        pythonpath = ":".join(
            str(where / part)
            for part in ("packages/core/src", "packages/adapters/src", "apps/api/src")
        )
        api = sync_procs.start_api(fake_url, workdir, "old", {}, pythonpath=pythonpath)
        try:
            # Its first full read (the first search waits for it), then the steady state.
            floor = model_floor(mode.load_keys, DEFAULT_CONCURRENCY)["floor_s"]
            started = time.monotonic()
            code, _ = api.get("/api/keys?search=prod&size=25", timeout=6 * floor + 300)
            record["first_full_read_s"] = round(time.monotonic() - started, 2)
            record["first_full_read_status"] = code
            before_kinds, before = kinds(fake_url), api.metrics()
            say(
                f"2. old design: first full read {record['first_full_read_s']} s; "
                f"{mode.old_window_s:g} s window"
            )
            admin = paced_admin(
                api.url,
                ADMIN_VIEWS,
                api.token,
                every_s=mode.admin_every_s,
                duration_s=mode.old_window_s,
                timeout_s=6 * floor + 300,
            )
            after_kinds, after = kinds(fake_url), api.metrics()
            by_kind = diff_kinds(after_kinds, before_kinds)
            total = sum(by_kind.values())
            loads = metric(after, "keydash_snapshot_load_seconds_count", 0.0) - metric(
                before, "keydash_snapshot_load_seconds_count", 0.0
            )
            record.update(
                {
                    "window_s": round(admin.wall_s, 1),
                    "upstream_by_kind": by_kind,
                    "upstream_total": total,
                    "full_reads_completed": loads,
                    "measured_per_hour": round(total * 3600 / admin.wall_s),
                    "admin": mix_summary(admin),
                    "rss_mb": round(api.child.rss_mb()[0], 1),
                }
            )
            say(f"2. old design: {total} upstream requests in {admin.wall_s:.0f} s")
        finally:
            sync_procs.stop(api.child)
    finally:
        sync_procs.remove_worktree(ROOT, where)


# 3 and 4 ------------------------------------------------------------------------------------


def _search(api: Api, alias: str) -> list[dict[str, Any]]:
    code, body = api.get(f"/api/keys?search={quote(alias)}&size=25", timeout=10)
    if code != 200 or not isinstance(body, dict):
        return []
    items: list[dict[str, Any]] = body.get("items", [])
    return items


def _until(check: Callable[[], bool], timeout_s: float, poll_s: float = 0.1) -> float | None:
    """Seconds until `check()` holds (polled every `poll_s`), None on timeout."""
    started = time.monotonic()
    while time.monotonic() - started < timeout_s:
        if check():
            return round(time.monotonic() - started, 3)
        time.sleep(poll_s)
    return None


def visibility_and_convergence(mode: Mode, workdir: Path, results: dict[str, Any]) -> None:
    keys = mode.vis_keys
    say(f"3. starting the fake LiteLLM: {keys:,} keys, --real-latency")
    fake = sync_procs.start_fake(keys, workdir, label="visibility", real_latency=True)
    try:
        try:
            visibility(mode, fake.url, workdir, results)
        except Exception as error:
            results["visibility"] = {"error": repr(error), "trace": traceback.format_exc()}
            say(f"3. failed: {error!r}")
        convergence(mode, fake.url, workdir, results)
    finally:
        sync_procs.stop(fake)


def _shown(
    api: Api, alias: str, *, token: str | None = None, status: str | None = None, gone: bool = False
) -> Callable[[], bool]:
    def check() -> bool:
        found = [
            item
            for item in _search(api, alias)
            if (item.get("alias") == alias if token is None else item.get("id") == token)
            and (status is None or item.get("status") == status)
        ]
        return not found if gone else bool(found)

    return check


def _trial(
    api: Api, fake_url: str, rng: random.Random, interval: float, limit: float
) -> dict[str, float | None]:
    """Create, rename, block and delete one key, each at a random moment; seconds until shown."""
    found: dict[str, float | None] = {}
    alias = f"vis{secrets.token_hex(5)}"
    time.sleep(rng.uniform(0, interval))
    token = str(fake_post(fake_url, "/_fake/keys", {"key_alias": alias})["token"])
    found["create"] = _until(_shown(api, alias), limit)
    renamed = f"vis{secrets.token_hex(5)}"
    time.sleep(rng.uniform(0, interval))
    fake_post(fake_url, f"/_fake/keys/{token}/update", {"key_alias": renamed})
    found["update"] = _until(_shown(api, renamed, token=token), limit)
    time.sleep(rng.uniform(0, interval))
    fake_post(fake_url, f"/_fake/keys/{token}/block")
    found["block"] = _until(_shown(api, renamed, token=token, status="blocked"), limit)
    time.sleep(rng.uniform(0, interval))
    code, body, _ = http_json("DELETE", f"{fake_url}/_fake/keys/{token}", timeout=30)
    if code != 200:
        raise RuntimeError(f"DELETE /_fake/keys answered HTTP {code}: {body}")
    found["delete"] = _until(_shown(api, renamed, token=token, gone=True), limit)
    return found


def visibility(mode: Mode, fake_url: str, workdir: Path, results: dict[str, Any]) -> None:
    interval = mode.vis_interval_s
    settings = {"SYNC_INTERVAL_SECONDS": f"{interval:g}"}
    api = sync_procs.start_api(fake_url, workdir, "visibility", settings)
    record: dict[str, Any] = {
        "keys": mode.vis_keys,
        "interval_s": interval,
        "target_s": interval + 1,
        "fake_command": sync_procs.fake_command(mode.vis_keys, real_latency=True),
    }
    results["visibility"] = record
    try:
        wait_ready(api, 600)
        rng = random.Random(5)  # noqa: S311 - moments, not secrets
        delays: dict[str, list[float | None]] = {
            "create": [],
            "update": [],
            "block": [],
            "delete": [],
        }
        limit = 3 * interval + 10
        for trial in range(mode.vis_trials):
            for kind, delay in _trial(api, fake_url, rng, interval, limit).items():
                delays[kind].append(delay)
            say(f"3. trial {trial + 1}: " + ", ".join(f"{k} {v[-1]}" for k, v in delays.items()))
        record["delays_s"] = delays
        record["stats"] = {
            kind: {
                "max_s": max((d for d in values if d is not None), default=None),
                "p50_s": statistics.median([d for d in values if d is not None])
                if any(d is not None for d in values)
                else None,
                "timeouts": sum(1 for d in values if d is None),
            }
            for kind, values in delays.items()
        }
    finally:
        sync_procs.stop(api.child)


def _differences(api: Api, fake_url: str) -> tuple[int, int, int]:
    """(missing from the mirror, extra in the mirror, live keys in LiteLLM)."""
    code, body = api.get("/api/keys/export?format=json", timeout=120)
    if code != 200 or not isinstance(body, dict):
        raise RuntimeError(f"the JSON export answered HTTP {code}")
    mirrored = {str(item["id"]) for item in body["items"]}
    status, truth, _ = http_json("GET", f"{fake_url}/_fake/truth", timeout=120)
    if status != 200:
        raise RuntimeError(f"/_fake/truth answered HTTP {status}")
    live = {str(row["token"]) for row in truth["live"]}
    return len(live - mirrored), len(mirrored - live), len(live)


def convergence(mode: Mode, fake_url: str, workdir: Path, results: dict[str, Any]) -> None:
    settings = {
        "SYNC_INTERVAL_SECONDS": f"{mode.vis_interval_s:g}",
        "SYNC_RECONCILE_SECONDS": f"{mode.reconcile_s:g}",
    }
    record: dict[str, Any] = {"keys": mode.vis_keys, "settings": settings}
    results["convergence"] = record
    say(f"4. churn convergence: {mode.churn_ops} operations, then quiet; settings {settings}")
    api = sync_procs.start_api(fake_url, workdir, "convergence", settings)
    try:
        wait_ready(api, 600)
        record["before_churn"] = dict(
            zip(("missing", "extra", "live"), _differences(api, fake_url), strict=True)
        )
        churn_s = mode.churn_ops / mode.churn_rate_per_minute * 60
        rate = {"per_minute": mode.churn_rate_per_minute, "seed": 11}
        fake_post(fake_url, "/_fake/churn/rate", rate)
        time.sleep(churn_s)
        stopped = fake_post(fake_url, "/_fake/churn/rate", {"per_minute": 0})
        quiet = time.monotonic()
        record["churn"] = {"seconds": round(churn_s, 1), "applied": stopped.get("applied")}
        samples = api.metrics()

        def count(kind: str) -> float:
            return metric(api.metrics(), "keydash_sync_passes_total", 0.0, kind=kind, outcome="ok")

        passes0 = metric(
            samples, "keydash_sync_passes_total", 0.0, kind="incremental", outcome="ok"
        )
        reconciles0 = metric(
            samples, "keydash_sync_passes_total", 0.0, kind="reconcile", outcome="ok"
        )
        _until(lambda: count("incremental") >= passes0 + 1, 3 * mode.vis_interval_s + 10, 0.2)
        missing, extra, live = _differences(api, fake_url)
        record["after_next_pass"] = {
            "seconds_after_quiet": round(time.monotonic() - quiet, 1),
            "missing": missing,
            "extra": extra,
            "live": live,
        }
        say(f"4. after the next pass: {missing} missing, {extra} extra of {live}")
        converged: float | None = None
        history: list[list[float]] = []
        deadline = quiet + mode.converge_timeout_s
        while time.monotonic() < deadline:
            missing, extra, live = _differences(api, fake_url)
            elapsed = round(time.monotonic() - quiet, 1)
            reconciles = count("reconcile") - reconciles0
            history.append([elapsed, missing, extra, reconciles])
            if missing == 0 and extra == 0:
                converged = converged if converged is not None else elapsed
                if reconciles >= 1:
                    break
            else:
                converged = None
            time.sleep(2)
        record["history"] = history[:: max(1, len(history) // 40)]
        record["converged_s_after_quiet"] = converged
        record["reconciles_after_quiet"] = count("reconcile") - reconciles0
        record["final"] = dict(
            zip(("missing", "extra", "live"), _differences(api, fake_url), strict=True)
        )
        samples = api.metrics()
        record["reconcile_seconds_mean"] = _mean(
            samples, "keydash_sync_duration_seconds", "reconcile"
        )
        record["reconcile_requests_mean"] = _mean(
            samples, "keydash_sync_upstream_requests", "reconcile"
        )
        say(f"4. converged {converged} s after quiet; final {record['final']}")
    finally:
        sync_procs.stop(api.child)


def _mean(samples: dict[str, float], name: str, kind: str) -> float | None:
    total = metric(samples, f"{name}_sum", kind=kind)
    count = metric(samples, f"{name}_count", kind=kind)
    if math.isnan(total) or not count:
        return None
    return round(total / count, 2)


# 5 and 6 ------------------------------------------------------------------------------------


def warm_views(
    api: Api, views: dict[str, list[str]], mode: Mode, concurrency: int = 10
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    # A short pass over every view first (discarded): the first answers after a new snapshot
    # build its derived orders and selections.
    every = [path for paths in views.values() for path in paths]
    load(api.url, every, token=api.token, concurrency=concurrency, duration_s=2, max_requests=2000)
    for view, paths in views.items():
        result = load(
            api.url,
            paths,
            token=api.token,
            concurrency=concurrency,
            duration_s=mode.warm_seconds,
            max_requests=mode.warm_max_requests,
        )
        found[view] = summary(result)
        say(f"   {view}: p99 {found[view]['p99_ms']} ms, {found[view]['throughput_rps']} req/s")
    return found


def big(mode: Mode, workdir: Path, results: dict[str, Any]) -> None:
    keys = mode.big_keys
    say(f"5. starting the fake LiteLLM: {keys:,} keys, --page-latency-ms 0")
    fake = sync_procs.start_fake(keys, workdir, label="big", page_latency_ms=0)
    record: dict[str, Any] = {
        "keys": keys,
        "fake_command": sync_procs.fake_command(keys, real_latency=False),
        "fake_start_s": round(fake.started_s, 1),
    }
    results["big"] = record
    try:
        api = sync_procs.start_api(fake.url, workdir, "big", {})
        try:
            ready, _ = wait_ready(api, 3600, poll_s=2)
            record["load_s_from_listen"] = round(ready - api.listening, 1)
            record["mirrored_keys"] = status_of(api).get("mirrored_keys")
            time.sleep(3)  # the catch-up pass
            record["rss_mb_ready"], record["hwm_mb_ready"] = (
                round(v, 1) for v in api.child.rss_mb()
            )
            say(f"5. ready in {record['load_s_from_listen']} s, RSS {record['rss_mb_ready']} MB")
            record["warm"] = warm_views(api, WARM_VIEWS, mode)
            record["rss_mb_after_warm"], record["hwm_mb_after_warm"] = (
                round(v, 1) for v in api.child.rss_mb()
            )
        finally:
            sync_procs.stop(api.child)
    finally:
        sync_procs.stop(fake)


def _hey(api: Api, path: str, seconds: float) -> dict[str, Any] | None:
    hey = shutil.which("hey")
    if hey is None:
        return None
    command = [hey, "-z", f"{seconds:g}s", "-c", "10", "-H", f"Authorization: Bearer {api.token}"]
    try:
        done = subprocess.run(  # noqa: S603
            [*command, f"{api.url}{path}"],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"error": "timed out"}
    out = done.stdout
    p99 = re.search(r"99%+ in ([0-9.]+) secs", out)
    rps = re.search(r"Requests/sec:\s+([0-9.]+)", out)
    codes = dict(re.findall(r"\[(\d{3})\]\s+(\d+) responses", out))
    return {
        "path": path,
        "p99_ms": round(float(p99.group(1)) * 1000, 2) if p99 else None,
        "rps": float(rps.group(1)) if rps else None,
        "statuses": {code: int(n) for code, n in codes.items()},
    }


def warm(mode: Mode, workdir: Path, results: dict[str, Any]) -> None:
    keys = mode.warm_keys
    say(f"6. starting the fake LiteLLM: {keys:,} keys, --page-latency-ms 0")
    fake = sync_procs.start_fake(keys, workdir, label="warm", page_latency_ms=0)
    record: dict[str, Any] = {
        "keys": keys,
        "fake_command": sync_procs.fake_command(keys, real_latency=False),
    }
    results["warm"] = record
    try:
        api = sync_procs.start_api(fake.url, workdir, "warm", {})
        try:
            wait_ready(api, 600)
            time.sleep(1)
            views = {name: WARM_VIEWS[name] for name in ("default view", "search", "sort by tags")}
            record["loadgen"] = warm_views(api, views, mode)
            record["hey"] = {
                name: _hey(api, paths[0], mode.warm_seconds) for name, paths in views.items()
            }
        finally:
            sync_procs.stop(api.child)
    finally:
        sync_procs.stop(fake)


# The run ------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(int(memory) / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
    }


def new_results(mode: Mode) -> dict[str, Any]:
    return {
        "mode": mode.name,
        "mode_settings": asdict(mode),
        "started_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "uv run python bench/sync_bench.py"
        + (" --quick" if mode.name == "quick" else ""),
        "machine": machine(),
        "errors": {},
    }


def run(mode: Mode, sections: list[str], results: dict[str, Any]) -> None:
    began = time.monotonic()
    steps: list[tuple[str, Callable[[Mode, Path, dict[str, Any]], None]]] = [
        ("load", first_load_and_requests),
        ("visibility", visibility_and_convergence),
        ("warm", warm),
    ]
    if mode.big_keys:
        steps.append(("big", big))
    with tempfile.TemporaryDirectory(prefix="keydash-sync-bench-") as tmp:
        workdir = Path(tmp)
        for name, step in steps:
            if sections and name not in sections:
                continue
            section_began = time.monotonic()
            try:
                step(mode, workdir, results)
            except BudgetExceeded:
                results["errors"][name] = "the run's time budget ran out"
                raise
            except Exception as error:
                results["errors"][name] = f"{error!r}\n{traceback.format_exc()}"
                say(f"section {name} failed: {error!r}")
                for log in sorted(workdir.glob("*.log")):
                    tail = log.read_text(errors="replace")[-1500:]
                    say(f"--- {log.name} (tail) ---\n{tail}")
            finally:
                sync_procs.stop_all()
                results.setdefault("section_seconds", {})[name] = round(
                    time.monotonic() - section_began, 1
                )
    results["seconds"] = round(time.monotonic() - began, 1)
    results["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smaller, shorter runs (~6 min)")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        choices=["load", "visibility", "warm", "big"],
        help="run only these sections (repeatable)",
    )
    parser.add_argument("--json", type=Path, help="also write the JSON result to this file")
    parser.add_argument(
        "--doc",
        type=Path,
        default=ROOT / "docs" / "performance-sync.md",
        help="where to write the report (default: docs/performance-sync.md)",
    )
    parser.add_argument("--no-doc", action="store_true", help="do not write the report")
    args = parser.parse_args(argv)
    mode = QUICK if args.quick else FULL

    def on_signal(number: int, _: object) -> None:
        if number == signal.SIGALRM:
            raise BudgetExceeded
        raise SystemExit(128 + number)

    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGALRM):
        signal.signal(number, on_signal)
    results = new_results(mode)
    signal.alarm(int(mode.budget_s))
    code = 0
    try:
        run(mode, args.only, results)
    except BudgetExceeded:
        say(f"the run's budget of {mode.budget_s:.0f} s ran out; reporting what was measured")
        results["errors"]["budget"] = f"the run's budget of {mode.budget_s:.0f} s ran out"
        code = 3
    finally:
        signal.alarm(0)
        sync_procs.stop_all()
    text = json.dumps(results, indent=2, default=str)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    if not args.no_doc:
        args.doc.write_text(sync_report.render(results))
        say(f"wrote {args.doc}")
    return code or (1 if results["errors"] else 0)


if __name__ == "__main__":
    sys.exit(main())

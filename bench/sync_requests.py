"""Section 2 of bench/sync_bench.py: LiteLLM requests per sync interval and per hour under churn,
beside the previous read-every-page design (run from a temporary git worktree, same fake)."""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import sync_procs
from fake_control import diff_kinds, fake_post, kinds
from sync_load import paced_admin
from sync_metrics import metric
from sync_output import mix_summary, say
from sync_procs import Api
from sync_settings import (
    ADMIN_VIEWS,
    DEFAULT_CONCURRENCY,
    OLD_COMMIT,
    PAGE_SIZE,
    ROOT,
    Mode,
    model_floor,
)
from worktree import git_worktree, remove_worktree


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
    git_worktree(ROOT, OLD_COMMIT, where)
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
        remove_worktree(ROOT, where)

"""Sections 5 and 6 of bench/sync_bench.py: memory and warm latency at 500,000 keys, and warm
throughput at 10,000 (bench/loadgen.py, with `hey` as a cross-check)."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import sync_procs
from loadgen import load
from sync_output import say, summary
from sync_procs import Api
from sync_settings import WARM_VIEWS, Mode
from sync_waits import status_of, wait_ready


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

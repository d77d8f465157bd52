"""Section 1 of bench/sync_bench.py: the first load of the mirror against a fake LiteLLM with a
real LiteLLM's page latency, while the API answers; then section 2 (sync_requests) on the same
fake and API."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path
from typing import Any

import sync_procs
from fake_control import fake_post, kinds
from sync_load import BackgroundMix
from sync_metrics import metric
from sync_output import mix_summary, say
from sync_requests import old_design, requests_per_interval
from sync_settings import DEFAULT_CONCURRENCY, DEFAULT_PATH, LOAD_MIX, Mode, model_floor
from sync_waits import status_of, wait_ready


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

"""One load run against a running stack: warm up, let the virtual users loose (with a rolling
update alongside when asked), watch the APIs' memory, and report."""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from dataclasses import asdict

import httpx
from load.load_config import LoadConfig
from load.load_report import Report, percentile
from load.load_stack import USERNAME, Stack
from load.rolling_update import rolling_update
from load.stack_processes import rss_mib
from load.virtual_users import Tally, virtual_user


def sample_rss(stack: Stack) -> float:
    return sum(rss_mib(api.pid) for api in stack.apis.values() if api.poll() is None)


def litellm_calls(stack: Stack) -> int:
    with contextlib.suppress(httpx.HTTPError, ValueError):
        return int(
            httpx.get(stack.litellm_url + "/_fake/stats", timeout=5).json()["key_list_calls"]
        )
    return -1


async def drive(stack: Stack, config: LoadConfig) -> Report:
    password = stack.env["KEYDASH_LOAD_PASSWORD"]
    report = Report(config=asdict(config), target=stack.url)
    # Warm-up: one sign-in, then wait (bounded) until the mirror holds every key, so the run
    # measures a warm replica; views needing every key answer 503 mirror_loading until then.
    async with httpx.AsyncClient(base_url=stack.url, timeout=120) as http:
        report.rss_mib["start"] = sample_rss(stack)
        await http.post(
            "/api/auth/login",
            json={"username": USERNAME, "password": password},
            headers={"x-forwarded-for": "10.255.255.1"},
        )
        deadline = time.monotonic() + 300
        while True:
            warm = await http.get("/api/keys", params={"sort_by": "owner"})
            if warm.status_code != 503 or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
        warm.raise_for_status()
    report.rss_mib["warm"] = sample_rss(stack)
    pages = max(1, config.keys // 25)
    started = time.monotonic()
    tally = Tally(started=started, deadline=started + config.duration, budget=config.max_requests)
    peak = report.rss_mib["warm"]
    samples: list[float] = []

    async def watch_memory() -> None:
        nonlocal peak
        while time.monotonic() < tally.deadline:
            await asyncio.sleep(0.5)
            value = sample_rss(stack)
            samples.append(value)
            peak = max(peak, value)

    tasks = [
        asyncio.create_task(virtual_user(n, stack.url, password, config, tally, pages))
        for n in range(config.users)
    ]
    watcher = asyncio.create_task(watch_memory())
    roller = (
        asyncio.create_task(rolling_update(stack, config, started, report.events))
        if config.rolling
        else None
    )
    await asyncio.gather(*tasks)
    report.seconds = time.monotonic() - started
    if roller is not None:
        await roller
    watcher.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await watcher

    everything = [value for values in tally.latencies.values() for value in values]
    report.requests = len(everything)
    report.failures = [asdict(failure) for failure in tally.failures]
    report.errors = len(tally.failures)
    if tally.failures:
        times = [failure.at for failure in tally.failures]
        report.failure_window_seconds = max(times) - min(times)
    report.throughput_rps = report.requests / report.seconds if report.seconds else 0.0
    report.latency_ms = {
        "p50": percentile(everything, 0.50),
        "p95": percentile(everything, 0.95),
        "p99": percentile(everything, 0.99),
        "max": max(everything, default=0.0),
        "mean": statistics.fmean(everything) if everything else 0.0,
    }
    report.by_kind = {
        kind: {
            "n": float(len(values)),
            "p50": percentile(values, 0.5),
            "p95": percentile(values, 0.95),
            "p99": percentile(values, 0.99),
        }
        for kind, values in tally.latencies.items()
    }
    report.status_counts = dict(sorted(tally.statuses.items()))
    report.rss_mib["peak"] = peak
    report.rss_mib["end"] = sample_rss(stack)
    if samples:
        half = samples[len(samples) // 2 :]
        report.rss_mib["second_half_mean"] = statistics.fmean(half)
    report.upstream_calls = litellm_calls(stack)
    return report

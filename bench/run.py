"""Keydash's performance benchmark (issue 7): `uv run python bench/run.py [--quick]`.

Starts the fake LiteLLM (N keys, 20 ms per page) and the API as it runs in production (uvicorn,
production flags, settings from the environment) on 127.0.0.1, drives them with a closed-loop
load generator, measures each figure beside the naive approach it replaces in the same run, and
writes docs/performance.md. Every load run is bounded in time and in requests.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Run as a script (`python bench/run.py`), so Python puts bench/ first on the module path itself.
import core_micro
import processes
import report
import spa
from bench_results import FULL, QUICK, VIEWS, Mode, SizeResults
from loadgen import LoadResult, load

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

PAGE_SIZE = 100  # LiteLLM's largest page, which Keydash reads with
FULL_READ_PATH = "/api/keys?search=prod&size=25"
DEFAULT_PATH = "/api/keys?page=1&size=25"
# Caching that keeps the warm figures free of refreshes; refreshes are measured on their own.
WARM_SETTINGS = {"CACHE_TTL_SECONDS": "600", "CACHE_STALE_SECONDS": "600"}


def median_of(values: list[float]) -> float:
    return statistics.median(values) if values else math.nan


def _say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def _one(api: processes.Process, token: str, path: str) -> tuple[float, int]:
    result = load(api.url, [path], token=token, concurrency=1, duration_s=600, max_requests=1)
    status = next(iter(result.statuses), 0)
    return result.latencies_ms[0] if result.latencies_ms else math.nan, status


def _timed_one(api: processes.Process, fake_url: str, token: str, path: str) -> tuple[float, int]:
    before = processes.fake_calls(fake_url)
    elapsed, status = _one(api, token, path)
    if status != 200:
        raise RuntimeError(f"{path} answered HTTP {status}")
    return elapsed, processes.fake_calls(fake_url) - before


def measure_size(mode: Mode, keys: int, latency_ms: float, workdir: Path) -> SizeResults:
    results = SizeResults(keys=keys, pages=max(1, math.ceil(keys / PAGE_SIZE)))
    _say(f"{keys:,} keys: starting the fake LiteLLM")
    with processes.start_fake(keys, latency_ms, workdir) as fake:
        results.fake_start_s = fake.started_s
        _cold_and_warm(mode, results, fake, workdir)
        _cold_repeated(mode, results, fake, workdir)
        _dashboard_views(mode, results, fake, workdir)
        if keys >= mode.full_matrix_min_keys:
            _stale_while_revalidate(mode, results, fake, workdir)
        _core(mode, results, fake, latency_ms)
        if keys == mode.spa_size:
            results.notes.append("spa")
            SPA_RESULTS.update(_spa(mode, fake, workdir))
    return results


def _cold_and_warm(mode: Mode, r: SizeResults, fake: processes.Process, workdir: Path) -> None:
    _say(f"{r.keys:,} keys: cold start, then warm latency")
    with processes.start_api(fake.url, workdir, f"{r.keys}-warm", WARM_SETTINGS) as api:
        token = processes.log_in(api.url)
        # The very first answers after start: the default view, then a full-snapshot query.
        elapsed, calls = _timed_one(api, fake.url, token, DEFAULT_PATH)
        r.cold_default_ms.append(elapsed)
        r.cold_default_calls = calls
        r.first_full_ms, r.first_full_calls = _timed_one(api, fake.url, token, FULL_READ_PATH)
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
    _say(f"{r.keys:,} keys: cold reads (cache off), concurrent and one page at a time")
    cache_off = {"CACHE_TTL_SECONDS": "0"}
    with processes.start_api(fake.url, workdir, f"{r.keys}-cold", cache_off) as api:
        token = processes.log_in(api.url)
        cpu = 0.0
        for _ in range(mode.cold_repeats):
            before = api.cpu_seconds()
            r.cold_full_ms.append(_one(api, token, FULL_READ_PATH)[0])
            cpu += api.cpu_seconds() - before
            r.cold_default_ms.append(_one(api, token, DEFAULT_PATH)[0])
        # The API's own CPU time per full read (parse, map, index): what bounds it beyond I/O.
        r.cold_full_cpu_ms = cpu / mode.cold_repeats * 1000
        # The default view asked for while a full read is under way must not queue behind it.
        during: list[float] = []
        search = threading.Thread(target=_one, args=(api, token, FULL_READ_PATH))
        search.start()
        time.sleep(min(2.0, median_of(r.cold_full_ms) / 4000))
        during.append(_one(api, token, DEFAULT_PATH)[0])
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
            r.sequential_full_ms.append(_one(api, token, FULL_READ_PATH)[0])


def _view_script(count: int) -> list[str]:
    """`count` dashboard views: 60% the default view (pages 1-3), 25% searches, 15% sorts."""
    script = []
    for i in range(count):
        slot = i % 20
        if slot < 12:
            script.append(f"/api/keys?page={slot % 3 + 1}&size=25")
        elif slot < 17:
            script.append(VIEWS["search"][slot % len(VIEWS["search"])])
        else:
            script.append(VIEWS["sort by tags"][slot % 2])
    return script


def _paced_views(api: processes.Process, token: str, script: list[str], per_s: float) -> None:
    started = time.monotonic()
    for index, path in enumerate(script):
        wait = started + index / per_s - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        _one(api, token, path)


def _dashboard_views(mode: Mode, r: SizeResults, fake: processes.Process, workdir: Path) -> None:
    """Upstream calls per 100 dashboard views, with production defaults and with the cache off."""
    _say(f"{r.keys:,} keys: upstream calls per 100 dashboard views")
    script = _view_script(100)
    r.views_seconds = len(script) / mode.views_per_second
    configs: dict[str, dict[str, str]] = {"Keydash defaults (CACHE_TTL_SECONDS=10)": {}}
    if r.keys <= mode.views_cache_off_max_keys:
        configs["cache off (CACHE_TTL_SECONDS=0)"] = {"CACHE_TTL_SECONDS": "0"}
    for label, settings in configs.items():
        with processes.start_api(fake.url, workdir, f"{r.keys}-views", settings) as api:
            token = processes.log_in(api.url)
            before = processes.fake_calls(fake.url)
            _paced_views(api, token, script, mode.views_per_second)
            r.views_calls[label] = processes.fake_calls(fake.url) - before
    full_views = sum(1 for path in script if "search=" in path or "sort_by=" in path)
    if "cache off (CACHE_TTL_SECONDS=0)" not in r.views_calls:
        # Deterministic: one page per default view, every page per search or sort.
        r.views_calls["cache off (CACHE_TTL_SECONDS=0)"] = (
            len(script) - full_views + full_views * r.pages
        )
        r.views_computed.append("cache off (CACHE_TTL_SECONDS=0)")
    r.views_calls["every view reads every page (LiteLLM UI style)"] = len(script) * r.pages
    r.views_computed.append("every view reads every page (LiteLLM UI style)")


def _stale_while_revalidate(
    mode: Mode, r: SizeResults, fake: processes.Process, workdir: Path
) -> None:
    """After the TTL: answer from the old snapshot while one background read refreshes it."""
    _say(f"{r.keys:,} keys: refreshes under load, with and without stale-while-revalidate")
    ttl = 3.0
    paths = [p for view in VIEWS.values() for p in view]
    for label, stale in (("stale-while-revalidate", "600"), ("no stale window", "0")):
        settings = {"CACHE_TTL_SECONDS": str(ttl), "CACHE_STALE_SECONDS": stale}
        with processes.start_api(fake.url, workdir, f"{r.keys}-swr-{stale}", settings) as api:
            token = processes.log_in(api.url)
            _one(api, token, FULL_READ_PATH)  # the first load
            before = processes.fake_calls(fake.url)
            r.swr[label] = load(
                api.url,
                paths,
                token=token,
                concurrency=1,
                duration_s=mode.swr_seconds,
                max_requests=mode.warm_max_requests,
            )
            r.swr_calls[label] = processes.fake_calls(fake.url) - before


def _core(mode: Mode, r: SizeResults, fake: processes.Process, latency_ms: float) -> None:
    _say(f"{r.keys:,} keys: core, indexed vs re-sorting per request; memory per key")
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


SPA_RESULTS: dict[str, Any] = {}


def _spa(mode: Mode, fake: processes.Process, workdir: Path) -> dict[str, Any]:
    dist = ROOT / "apps" / "web" / "dist"
    out: dict[str, Any] = {"keys": fake_keys_of(fake)}
    if not (dist / "index.html").exists():
        out["skipped"] = (
            "apps/web/dist is missing: build the SPA first "
            "(`cd apps/web && npm ci && npm run build`)"
        )
        return out
    _say("SPA: bundle sizes")
    out["sizes"], out["naive_size"], out["size_method"] = spa.bundle_sizes(dist)
    if not Path(spa.CHROMIUM).exists():
        out["timing_skipped"] = f"{spa.CHROMIUM} is missing: `apt-get install -y chromium`"
        return out
    _say("SPA: time to a rendered table in headless Chromium")
    # Cache off: every navigation meets a cold API, the case the one-page default view is for.
    settings = {"CACHE_TTL_SECONDS": "0"}
    try:
        with (
            processes.start_api(fake.url, workdir, "spa", settings) as api,
            spa.serving_site(dist, api.url) as site,
        ):
            paths = {
                "default view (one LiteLLM page)": "/keys",
                "search (reads every key first)": "/keys?search=prod",
            }
            out["timings"], out["browser"] = spa.time_to_table(site, paths, mode.spa_repeats)
    except Exception as error:  # a browser problem must not lose the rest of the run
        out["timing_skipped"] = f"Chromium run failed: {error}"
        traceback.print_exc()
    return out


def fake_keys_of(fake: processes.Process) -> int:
    status, body, _ = processes.http_json("GET", f"{fake.url}/_fake/stats")
    return int(body["key_count"]) if status == 200 else 0


def describe_machine() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    models = [
        line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if "model name" in line
    ]
    try:
        free = subprocess.run(["free", "-m"], capture_output=True, text=True, check=False).stdout  # noqa: S607
    except OSError:
        free = Path("/proc/meminfo").read_text().splitlines()[0]
    return {
        "cpu": f"{len(models)} x {models[0] if models else 'unknown'}",
        "logical_cpus": os.cpu_count(),
        "free": free.strip(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "loadavg_start": Path("/proc/loadavg").read_text().split()[:3],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="reduced matrix for CI (~90 s)")
    parser.add_argument(
        "--sizes", type=lambda s: [int(x) for x in s.split(",")], help="e.g. 1000,10000"
    )
    parser.add_argument("--latency-ms", type=float, default=20.0, help="fake per-page latency")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)
    mode = QUICK if args.quick else FULL
    if args.sizes:
        mode.sizes = args.sizes
        if mode.spa_size not in mode.sizes:
            mode.spa_size = mode.sizes[-1]
    started = time.monotonic()
    machine = describe_machine()
    _say(f"{mode.name} run: sizes {mode.sizes}, load average {' '.join(machine['loadavg_start'])}")
    results: list[SizeResults] = []
    with tempfile.TemporaryDirectory(prefix="keydash-bench-") as tmp:
        workdir = Path(tmp)
        for keys in mode.sizes:
            try:
                results.append(measure_size(mode, keys, args.latency_ms, workdir))
            except Exception:
                for log in sorted(workdir.glob("*.log")):
                    tail = log.read_text(errors="replace").splitlines()[-15:]
                    print(f"--- {log.name}\n" + "\n".join(tail), file=sys.stderr)
                raise
    machine["loadavg_end"] = Path("/proc/loadavg").read_text().split()[:3]
    elapsed = time.monotonic() - started
    command = "uv run python bench/run.py" + (" --quick" if args.quick else "")
    if args.sizes:
        command += " --sizes " + ",".join(str(s) for s in args.sizes)
    text = report.render(
        mode=mode,
        machine=machine,
        results=results,
        spa_results=SPA_RESULTS,
        latency_ms=args.latency_ms,
        elapsed_s=elapsed,
        command=command,
        when=datetime.now(UTC),
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    if args.json:
        args.json.write_text(json.dumps([_plain(r) for r in results], indent=1, default=str))
    _say(f"wrote {args.out} in {elapsed:.0f} s")
    print(report.summary(results, SPA_RESULTS, args.latency_ms))
    return 0


def _plain(results: SizeResults) -> dict[str, Any]:
    def figures(result: LoadResult) -> dict[str, float]:
        return {
            "count": result.count,
            "p50": result.p50,
            "p95": result.p95,
            "p99": result.p99,
            "max": result.max,
            "rps": result.throughput,
            "errors": result.errors,
        }

    plain = asdict(results)
    plain["warm"] = {
        view: {c: figures(res) for c, res in runs.items()} for view, runs in results.warm.items()
    }
    plain["cache_off"] = {view: figures(res) for view, res in results.cache_off.items()}
    plain["swr"] = {label: figures(res) for label, res in results.swr.items()}
    plain["core"] = [
        {
            "view": c.view,
            "indexed": figures(c.indexed),
            "naive": figures(c.naive),
            "build_ms": c.index_build_ms,
        }
        for c in results.core
    ]
    return plain


if __name__ == "__main__":
    sys.exit(main())

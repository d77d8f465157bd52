"""What bench/run.py's dashboard costs LiteLLM: calls per 100 paced dashboard views (with the
production defaults and with the cache off), and refreshes under load with and without
stale-while-revalidate."""

from __future__ import annotations

import time
from pathlib import Path

import processes
from api_requests import FULL_READ_PATH, one_request
from bench_log import say
from bench_results import VIEWS, Mode, SizeResults
from loadgen import load


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
        one_request(api, token, path)


def dashboard_views(mode: Mode, r: SizeResults, fake: processes.Process, workdir: Path) -> None:
    """Upstream calls per 100 dashboard views, with production defaults and with the cache off."""
    say(f"{r.keys:,} keys: upstream calls per 100 dashboard views")
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


def stale_while_revalidate(
    mode: Mode, r: SizeResults, fake: processes.Process, workdir: Path
) -> None:
    """After the TTL: answer from the old snapshot while one background read refreshes it."""
    say(f"{r.keys:,} keys: refreshes under load, with and without stale-while-revalidate")
    ttl = 3.0
    paths = [p for view in VIEWS.values() for p in view]
    for label, stale in (("stale-while-revalidate", "600"), ("no stale window", "0")):
        settings = {"CACHE_TTL_SECONDS": str(ttl), "CACHE_STALE_SECONDS": stale}
        with processes.start_api(fake.url, workdir, f"{r.keys}-swr-{stale}", settings) as api:
            token = processes.log_in(api.url)
            one_request(api, token, FULL_READ_PATH)  # the first load
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

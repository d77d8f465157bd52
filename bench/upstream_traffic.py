"""What bench/run.py's dashboard costs LiteLLM with the mirror: the calls of a start (the first
load) apart from the calls 100 paced dashboard views cause once it is loaded, and the serving
latency while sync passes publish new snapshots under load. Calls are counted by who made them
(upstream_calls), since the sync reads LiteLLM whatever the requests do."""

from __future__ import annotations

import time
from pathlib import Path

import processes
import upstream_calls
from api_requests import FULL_READ_PATH, one_request, timed_request
from bench_log import say
from bench_results import (
    CHURN_PER_MINUTE,
    PASSES_CHANGING,
    PASSES_IDLE,
    VIEWS,
    Mode,
    SizeResults,
)
from fake_control import fake_post
from loadgen import load

FIRST_LOAD = "the API's start (first load)"
BY_VIEWS = "caused by the 100 views"
SYNC_MEANWHILE = "the sync meanwhile"
EVERY_PAGE = "every view reads every page (LiteLLM UI style)"
# Passes under load: a pass every second, so a run sees many; churn makes each one publish.
PASS_INTERVAL = {"SYNC_INTERVAL_SECONDS": "1"}


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


def _paced_views(api: processes.Process, token: str, script: list[str], per_s: float) -> int:
    """Send `script` at `per_s`; how many views did not answer 200."""
    started = time.monotonic()
    not_ok = 0
    for index, path in enumerate(script):
        wait = started + index / per_s - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        not_ok += one_request(api, token, path)[1] != 200
    return not_ok


def dashboard_views(mode: Mode, r: SizeResults, fake: processes.Process, workdir: Path) -> None:
    """LiteLLM calls of a start, then of 100 dashboard views on the loaded mirror (production
    defaults), each apart from what the sync read meanwhile."""
    say(f"{r.keys:,} keys: LiteLLM calls of a start, then per 100 dashboard views")
    script = _view_script(100)
    r.views_seconds = len(script) / mode.views_per_second
    start = upstream_calls.mark(fake.url)
    with processes.start_api(fake.url, workdir, f"{r.keys}-views") as api:
        token = processes.log_in(api.url)
        timed_request(api, fake.url, token, FULL_READ_PATH)  # waits for the first load
        r.views_calls[FIRST_LOAD] = start.since()["sync"]
        views = upstream_calls.mark(fake.url)
        r.views_not_ok = _paced_views(api, token, script, mode.views_per_second)
        calls = views.since()
    r.views_calls[BY_VIEWS] = calls["views"]
    r.views_calls[SYNC_MEANWHILE] = calls["sync"]
    # What the mirror replaces: a view that reads every page, as LiteLLM's own UI does.
    r.views_calls[EVERY_PAGE] = len(script) * r.pages
    r.views_computed.append(EVERY_PAGE)


def passes_under_load(mode: Mode, r: SizeResults, fake: processes.Process, workdir: Path) -> None:
    """One client sends the warm views back to back while a pass runs every second: with churn
    each pass publishes a new snapshot (indexed in a worker thread, then swapped in); idle
    passes publish nothing. No request should wait for either."""
    say(f"{r.keys:,} keys: passes under load, changing keys and idle")
    paths = [p for view in VIEWS.values() for p in view]
    for label, per_minute in ((PASSES_CHANGING, CHURN_PER_MINUTE), (PASSES_IDLE, 0)):
        tag = "churn" if per_minute else "idle"
        with processes.start_api(fake.url, workdir, f"{r.keys}-passes-{tag}", PASS_INTERVAL) as api:
            token = processes.log_in(api.url)
            timed_request(api, fake.url, token, FULL_READ_PATH)  # the first load
            if per_minute:
                fake_post(fake.url, "/_fake/churn/rate", {"per_minute": per_minute, "seed": 3})
            try:
                mark = upstream_calls.mark(fake.url)
                r.republish[label] = load(
                    api.url,
                    paths,
                    token=token,
                    concurrency=1,
                    duration_s=mode.republish_seconds,
                    max_requests=mode.warm_max_requests,
                )
                calls = mark.since()
            finally:
                stopped = fake_post(fake.url, "/_fake/churn/rate", {"per_minute": 0})
            r.republish_calls[label] = calls["sync"] + calls["views"]
            applied = stopped.get("applied", {}) if per_minute else {}
            r.republish_writes[label] = sum(v for v in applied.values() if isinstance(v, int))

"""Section 4 of bench/sync_bench.py: after churn, the mirror converges on LiteLLM's live keys
(the API's JSON export against the fake's truth) after a pass and a reconcile."""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import sync_procs
from fake_control import fake_post
from processes import http_json
from sync_metrics import metric
from sync_output import say
from sync_procs import Api
from sync_settings import Mode
from sync_waits import until, wait_ready


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
        until(lambda: count("incremental") >= passes0 + 1, 3 * mode.vis_interval_s + 10, 0.2)
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

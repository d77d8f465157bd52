"""Load, at a size that fits the default run: scripts/load/keydash_load.py with few users, briefly.

The full size (60 s, 50 users) and the rolling update are `uv run nox -s load`; the figures are in
docs/reliability.md. Here: 10,000 keys in the fake LiteLLM, the API as production runs it, the
project's NGINX in front; zero failed requests, memory that settles, and two APIs of which one
stops mid-load without a single user noticing.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType
from typing import Any

import pytest
from reliability_support import REPO, find_tool, missing


def _load_module() -> ModuleType:
    path = REPO / "scripts" / "load" / "keydash_load.py"
    spec = importlib.util.spec_from_file_location("keydash_load", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["keydash_load"] = module
    spec.loader.exec_module(module)
    return module


load = _load_module()


@pytest.fixture(autouse=True)
def _needs_nginx() -> None:
    if find_tool("nginx") is None or find_tool("envsubst") is None:
        missing("nginx and envsubst (apt-get install -y --no-install-recommends nginx)")


def test_the_dashboard_mix_under_load_has_no_errors_and_bounded_memory() -> None:
    report = load.run(load.LoadConfig(keys=10_000, users=10, duration=8.0))
    print(report.text())
    assert report.errors == 0, report.failures[:5]
    assert report.requests >= 100
    assert report.status_counts == {"200": report.requests}
    assert set(report.by_kind) == {"default", "paging", "search", "sort_tags", "sort_owner"}
    # 10,000 keys cost the API about 90 MiB once read; serving them must not keep growing.
    assert report.rss_mib["end"] - report.rss_mib["warm"] < 64, report.rss_mib
    assert report.latency_ms["p95"] < 2_000, report.latency_ms


def _stop_one(prestop: float) -> Any:
    report = load.run(
        load.LoadConfig(
            keys=2_000,
            users=10,
            duration=8.0,
            rolling="stop-one",
            rolling_lag=1.0,
            rolling_prestop=prestop,
        )
    )
    print(report.text())
    at = {event["what"].split(" :")[0]: event["at"] for event in report.events}
    assert set(at) == {"SIGTERM api", "api", "endpoint"}, report.events
    assert at["api"] < report.seconds - 2  # there was load after the stop
    return report, at


def test_one_of_two_apis_stops_mid_load_and_no_user_notices() -> None:
    # Two APIs behind a Service stand-in behind NGINX. One leaves the Service (after 1 s, as
    # endpoints propagate) and gets SIGTERM after a 2 s preStop pause: sessions issued before
    # keep working on the other (stateless JWT), and not one request fails.
    report, at = _stop_one(prestop=2.0)
    assert at["endpoint"] < at["SIGTERM api"]
    assert report.errors == 0, report.failures[:5]


@pytest.mark.slow
def test_without_a_prestop_pause_failures_stay_within_the_endpoint_lag() -> None:
    # SIGTERM at once (the Helm chart has no preStop today): connections the Service still sends
    # to the stopping API until its endpoint goes are refused; NGINX, with one upstream (the
    # Service), cannot retry them elsewhere. They must all fall inside that window.
    report, at = _stop_one(prestop=0.0)
    for failure in report.failures:
        assert at["SIGTERM api"] - 0.1 <= failure["at"] <= at["endpoint"] + 0.5, failure


@pytest.mark.slow
def test_a_rolling_update_with_a_prestop_pause_fails_no_request() -> None:
    # Both APIs replaced in turn (maxSurge 1, maxUnavailable 0), a 2 s preStop pause each.
    report = load.run(
        load.LoadConfig(
            keys=2_000,
            users=10,
            duration=40.0,
            rolling="replace-all",
            rolling_lag=1.0,
            rolling_prestop=2.0,
        )
    )
    print(report.text())
    assert sum("ready" in event["what"] for event in report.events) == 2
    assert report.errors == 0, (report.failure_window_seconds, report.failures[:5])

"""Bounded load test of Keydash: the dashboard's request mix against the real stack on 127.0.0.1.

    uv run python scripts/load/keydash_load.py                       # 60 s, 50 users, 10,000 keys
    uv run python scripts/load/keydash_load.py --duration 10 --users 10
    uv run python scripts/load/keydash_load.py --rolling stop-one    # two APIs, one stopped
    uv run python scripts/load/keydash_load.py --rolling replace-all # a rolling update

It starts the fake LiteLLM (10,000 generated keys), the API as production runs it (uvicorn,
settings from the environment, JSON logs, metrics on) and, when nginx is installed, the project's
NGINX (infra/nginx) in front; then N virtual users each sign in once and loop over the dashboard's
requests (default view, paging, search, sort by tags and by owner) until the time or request budget
is spent. It reports throughput, latency percentiles, errors and the API's memory, as text and as
JSON (--json FILE). Exit status 1 when any request failed.

With --rolling, two API processes serve behind a stand-in for their Kubernetes Service (a TCP
round robin over "ready endpoints", as kube-proxy does), behind NGINX, as the Helm chart deploys
them. `stop-one` retires one mid-run; `replace-all` rolls both (new process, healthy, endpoint
added; old endpoint removed after --endpoint-lag s while the old process gets SIGTERM after
--prestop s). Sessions must stay valid on whichever process answers (stateless JWT).

Everything binds to 127.0.0.1; every run is bounded in time (at most 600 s) and in requests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any

# The modules beside this file are the package `load` of scripts/ (as mypy checks them), so
# scripts/ must be on the module path: Python adds only scripts/load/ when this file runs as a
# script, and nothing when a test loads it from its path (tests/reliability/test_load.py).
_SCRIPTS = str(Path(__file__).resolve().parents[1])
if _SCRIPTS not in sys.path:
    sys.path.append(_SCRIPTS)

from load.load_config import LoadConfig  # noqa: E402
from load.load_drive import drive  # noqa: E402
from load.load_report import Report  # noqa: E402
from load.load_stack import running_stack  # noqa: E402
from load.stack_processes import find_tool  # noqa: E402


def run(config: LoadConfig) -> Report:
    config.check()
    if config.through_nginx and find_tool("nginx") is None:
        print("nginx not installed: load goes straight to the API", file=sys.stderr)
        config.through_nginx = False
    with running_stack(config) as stack:
        report: Report = run_coroutine(drive(stack, config))
        return report


def run_coroutine(coroutine: Any) -> Any:
    """asyncio.run, on a thread of its own when this thread already runs an event loop (a
    caller inside pytest after Playwright's sync API, for instance)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:  # handed to the caller below
            outcome["error"] = error

    thread = threading.Thread(target=target, name="keydash-load")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keys", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds (max 600)")
    parser.add_argument("--max-requests", type=int, default=1_000_000)
    parser.add_argument("--think-ms", type=float, default=0.0, help="pause between requests")
    parser.add_argument("--direct", action="store_true", help="hit the API, not NGINX")
    parser.add_argument(
        "--rolling",
        choices=["stop-one", "replace-all"],
        default="",
        help="two APIs behind NGINX: stop one mid-run, or replace both in turn",
    )
    parser.add_argument(
        "--endpoint-lag", type=float, default=1.0, help="s until a stopping API leaves the Service"
    )
    parser.add_argument(
        "--prestop", type=float, default=0.0, help="s between leaving and SIGTERM (preStop)"
    )
    parser.add_argument(
        "--api-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an API setting beyond the defaults (repeatable), e.g. CACHE_STALE_SECONDS=30",
    )
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args(argv)
    config = LoadConfig(
        keys=args.keys,
        users=args.users,
        duration=args.duration,
        max_requests=args.max_requests,
        think_ms=args.think_ms,
        through_nginx=not args.direct,
        rolling=args.rolling,
        rolling_lag=args.endpoint_lag,
        rolling_prestop=args.prestop,
        api_env=dict(item.split("=", 1) for item in args.api_env),
    )
    report = run(config)
    print(report.text())
    if args.json:
        args.json.write_text(json.dumps(asdict(report), indent=2))
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())

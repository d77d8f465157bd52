"""The sync engine's benchmark: `uv run python bench/sync_bench.py [--quick]`.

Runs the fake LiteLLM and the API as separate processes on 127.0.0.1 and measures what the
per-replica mirror promises: a first load close to its floor while the API answers, few LiteLLM
requests per sync interval (beside the previous read-every-page design, commit fdd09b2, run from a
temporary git worktree against the same fake), how soon a change shows, that churn converges,
memory and latency at 500,000 keys, and warm throughput at 10,000. Prints a JSON result and
writes docs/performance-sync.md. Every run is bounded in time and in requests; every child
process is stopped on exit.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Run as a script (`python bench/sync_bench.py`): Python puts bench/ first on the module path.
import sync_procs
import sync_report
from sync_first_load import first_load_and_requests
from sync_output import say
from sync_settings import FULL, QUICK, ROOT, Mode
from sync_visibility import visibility_and_convergence
from sync_warm import big, warm


class BudgetExceeded(Exception):
    pass


def machine() -> dict[str, Any]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(int(memory) / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
    }


def new_results(mode: Mode) -> dict[str, Any]:
    return {
        "mode": mode.name,
        "mode_settings": asdict(mode),
        "started_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "uv run python bench/sync_bench.py"
        + (" --quick" if mode.name == "quick" else ""),
        "machine": machine(),
        "errors": {},
    }


def run(mode: Mode, sections: list[str], results: dict[str, Any]) -> None:
    began = time.monotonic()
    steps: list[tuple[str, Callable[[Mode, Path, dict[str, Any]], None]]] = [
        ("load", first_load_and_requests),
        ("visibility", visibility_and_convergence),
        ("warm", warm),
    ]
    if mode.big_keys:
        steps.append(("big", big))
    with tempfile.TemporaryDirectory(prefix="keydash-sync-bench-") as tmp:
        workdir = Path(tmp)
        for name, step in steps:
            if sections and name not in sections:
                continue
            section_began = time.monotonic()
            try:
                step(mode, workdir, results)
            except BudgetExceeded:
                results["errors"][name] = "the run's time budget ran out"
                raise
            except Exception as error:
                results["errors"][name] = f"{error!r}\n{traceback.format_exc()}"
                say(f"section {name} failed: {error!r}")
                for log in sorted(workdir.glob("*.log")):
                    tail = log.read_text(errors="replace")[-1500:]
                    say(f"--- {log.name} (tail) ---\n{tail}")
            finally:
                sync_procs.stop_all()
                results.setdefault("section_seconds", {})[name] = round(
                    time.monotonic() - section_began, 1
                )
    results["seconds"] = round(time.monotonic() - began, 1)
    results["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="smaller, shorter runs (~6 min)")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        choices=["load", "visibility", "warm", "big"],
        help="run only these sections (repeatable)",
    )
    parser.add_argument("--json", type=Path, help="also write the JSON result to this file")
    parser.add_argument(
        "--doc",
        type=Path,
        default=ROOT / "docs" / "performance-sync.md",
        help="where to write the report (default: docs/performance-sync.md)",
    )
    parser.add_argument("--no-doc", action="store_true", help="do not write the report")
    args = parser.parse_args(argv)
    mode = QUICK if args.quick else FULL

    def on_signal(number: int, _: object) -> None:
        if number == signal.SIGALRM:
            raise BudgetExceeded
        raise SystemExit(128 + number)

    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGALRM):
        signal.signal(number, on_signal)
    results = new_results(mode)
    signal.alarm(int(mode.budget_s))
    code = 0
    try:
        run(mode, args.only, results)
    except BudgetExceeded:
        say(f"the run's budget of {mode.budget_s:.0f} s ran out; reporting what was measured")
        results["errors"]["budget"] = f"the run's budget of {mode.budget_s:.0f} s ran out"
        code = 3
    finally:
        signal.alarm(0)
        sync_procs.stop_all()
    text = json.dumps(results, indent=2, default=str)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    if not args.no_doc:
        args.doc.write_text(sync_report.render(results))
        say(f"wrote {args.doc}")
    return code or (1 if results["errors"] else 0)


if __name__ == "__main__":
    sys.exit(main())

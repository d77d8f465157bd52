"""Keydash's performance benchmark (issue 7): `uv run python bench/run.py [--quick]`.

Starts the fake LiteLLM (N keys, 20 ms per page) and the API as it runs in production (uvicorn,
production flags, settings from the environment) on 127.0.0.1, drives them with a closed-loop
load generator, measures each figure beside the naive approach it replaces in the same run, and
writes a report: docs/performance.md for a full run, artifacts/bench/ for a quick or partial one
(so that a CI check never replaces the published figures). Every load run is bounded in time and
in requests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Run as a script (`python bench/run.py`), so Python puts bench/ first on the module path itself.
import report
from bench_log import say
from bench_results import FULL, QUICK, SizeResults
from results_json import raw_figures
from size_measurements import SPA_RESULTS, measure_size

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


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
    parser.add_argument("--quick", action="store_true", help="reduced matrix for CI (~2 min)")
    parser.add_argument(
        "--sizes", type=lambda s: [int(x) for x in s.split(",")], help="e.g. 1000,10000"
    )
    parser.add_argument("--latency-ms", type=float, default=20.0, help="fake per-page latency")
    parser.add_argument(
        "--out",
        type=Path,
        help="where to write the report (default: docs/performance.md for a full run with the "
        "default sizes and latency, else artifacts/bench/performance-<mode>.md)",
    )
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)
    mode = QUICK if args.quick else FULL
    if args.out is None:
        # Only a full run with the defaults replaces the published figures.
        published = not args.quick and not args.sizes and args.latency_ms == 20.0
        scratch = ROOT / "artifacts" / "bench" / f"performance-{mode.name}.md"
        args.out = ROOT / "docs" / "performance.md" if published else scratch
    if args.sizes:
        mode.sizes = args.sizes
        if mode.spa_size not in mode.sizes:
            mode.spa_size = mode.sizes[-1]
    started = time.monotonic()
    machine = describe_machine()
    say(f"{mode.name} run: sizes {mode.sizes}, load average {' '.join(machine['loadavg_start'])}")
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
        args.json.write_text(json.dumps([raw_figures(r) for r in results], indent=1, default=str))
    say(f"wrote {args.out} in {elapsed:.0f} s")
    print(report.summary(results, SPA_RESULTS, args.latency_ms))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""docs/performance.md from one benchmark run: figures, the naive figure beside each, targets."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import analysis  # the hand-written part: why targets are missed, what would close them
from bench_results import Mode, SizeResults, ms
from loadgen import LoadResult
from report_cold import cold_section
from report_memory import memory_section
from report_spa import spa_section
from report_targets import targets
from report_warm import warm_section


def _machine(machine: dict[str, Any]) -> list[str]:
    return [
        "## Machine",
        "",
        f"- CPU: {machine['cpu']} ({machine['logical_cpus']} logical CPUs)",
        f"- Kernel {machine['kernel']}, Python {machine['python']}",
        f"- Load average at start {' '.join(machine['loadavg_start'])}, at end "
        f"{' '.join(machine.get('loadavg_end', ['?']))} (the fake, the API, the load generator "
        "and anything else on the machine share these cores; a load average above ~0.5 at "
        "start means other work competed with the run)",
        "",
        "```",
        machine["free"],
        "```",
        "",
    ]


def render(
    *,
    mode: Mode,
    machine: dict[str, Any],
    results: Sequence[SizeResults],
    spa_results: dict[str, Any],
    latency_ms: float,
    elapsed_s: float,
    command: str,
    when: datetime,
) -> str:
    lines = [
        "# Performance",
        "",
        "<!-- Written by bench/run.py; edit bench/report.py or bench/analysis.py, not this file."
        " -->",
        "",
        f"Measured {when:%Y-%m-%d %H:%M} UTC by `{command}` ({mode.name} mode, "
        f"{elapsed_s:.0f} s; `nox -s bench` runs the same). Key counts: "
        + ", ".join(f"{k:,}" for k in mode.sizes)
        + f". The fake LiteLLM (`python -m keydash_fakes.litellm --seed 7 "
        f"--latency-ms {latency_ms:.0f}`) and the API (`uvicorn keydash_api.main:app` with the "
        "production flags of apps/api/Dockerfile, JSON logs at INFO) run as separate processes "
        "on 127.0.0.1; the load generator (bench/loadgen.py, closed loop over keep-alive "
        "HTTP/1.1) runs in the benchmark's own process. Every figure has the naive approach it "
        "replaces beside it, measured in the same run.",
        "",
        "The API keeps a per-replica mirror of every key, loaded by a background sync when the "
        'process starts and kept by passes (docs/architecture.md, "The sync"); this document '
        "measures its query engine (search, sort, filters, facets over the mirror's snapshot), "
        "what a cold start costs (section 2: the first load of a fresh API process) and what "
        "the dashboard costs LiteLLM. The sync itself under a real LiteLLM's page latency, "
        "under churn and beside the previous design is measured in "
        "[performance-sync.md](performance-sync.md).",
        "",
        "## Targets",
        "",
        "| target | measured | verdict |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in targets(results, spa_results, latency_ms)]
    lines.append("")
    lines += _machine(machine)
    lines += warm_section(results)
    lines += cold_section(results, latency_ms)
    lines += memory_section(results)
    lines += spa_section(spa_results)
    lines += analysis.render(results, spa_results, latency_ms)
    return "\n".join(lines).rstrip() + "\n"


def summary(results: Sequence[SizeResults], spa: dict[str, Any], latency_ms: float) -> str:
    return "\n".join(
        f"{'OK  ' if v.startswith('met') else 'MISS' if 'missed' in v else '    '} {t}: {m}"
        for t, m, v in targets(results, spa, latency_ms)
    )


def load_line(result: LoadResult) -> str:
    return f"p50 {ms(result.p50)}, p99 {ms(result.p99)}, {result.throughput:.0f} req/s"

"""bench/run.py --json: every size's raw figures, a load run's latencies reduced to their
percentiles."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from bench_results import SizeResults
from loadgen import LoadResult


def raw_figures(results: SizeResults) -> dict[str, Any]:
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
    plain["republish"] = {label: figures(res) for label, res in results.republish.items()}
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

"""What bench/sync_bench.py reports as it goes: its progress line (on stderr; stdout carries the
JSON result) and a load run's figures as they go into that result."""

from __future__ import annotations

import math
import sys
import time
from typing import Any

from loadgen import LoadResult
from sync_load import MixResult


def say(message: str) -> None:
    print(f"[sync-bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def summary(result: LoadResult) -> dict[str, Any]:
    def rounded(value: float) -> float | None:
        return None if math.isnan(value) else round(value, 2)

    return {
        "count": result.count,
        "p50_ms": rounded(result.p50),
        "p95_ms": rounded(result.p95),
        "p99_ms": rounded(result.p99),
        "max_ms": rounded(result.max),
        "statuses": {str(code): n for code, n in sorted(result.statuses.items())},
        "failures": result.failures,
        "throughput_rps": round(result.throughput, 1),
    }


def mix_summary(result: MixResult) -> dict[str, Any]:
    return {
        "wall_s": round(result.wall_s, 1),
        "overall": summary(result.overall),
        "by_label": {label: summary(each) for label, each in result.by_label.items()},
    }

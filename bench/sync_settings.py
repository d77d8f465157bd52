"""What bench/sync_bench.py runs: its two modes (quick, full), the request mixes of its sections,
the previous design's commit, and the model of a real LiteLLM's page latency behind the floor."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from pathlib import Path

from bench_results import VIEWS

ROOT = Path(__file__).resolve().parent.parent

OLD_COMMIT = "fdd09b2"
PAGE_SIZE = 100
REAL_BASE_MS, REAL_PER_1000_MS = 150.0, 7.0  # --real-latency (LiteLLM 1.108.7)
DEFAULT_CONCURRENCY = 4  # UPSTREAM_CONCURRENCY's default
DEFAULT_PATH = "/api/keys?page=1&size=25"
# What an admin's browser asks while the mirror loads, in turn (closed loop).
LOAD_MIX: list[tuple[str, str]] = [
    ("default view", DEFAULT_PATH),
    ("search", "/api/keys?search=prod&size=25"),
    ("default view", "/api/keys?page=2&size=25"),
    ("sort", "/api/keys?sort_by=tags&sort_order=asc&size=25"),
    ("facets", "/api/keys/facets"),
    ("status", "/api/status"),
]
# One admin's dashboard, a view every few seconds.
ADMIN_VIEWS: list[tuple[str, str]] = [
    ("default view", DEFAULT_PATH),
    ("search", "/api/keys?search=prod&size=25"),
    ("facets", "/api/keys/facets"),
    ("sort", "/api/keys?sort_by=tags&sort_order=asc&size=25"),
    ("default view", "/api/keys?page=2&size=25"),
]
# The warm views: bench/run.py's rotations, without its uncached-facets one.
WARM_VIEWS = {view: paths for view, paths in VIEWS.items() if view != "facets, uncached"}


@dataclass(frozen=True)
class Mode:
    name: str
    load_keys: int  # sections 1 and 2
    churn_per_minute: float  # section 2
    interval_s: float  # section 2
    new_window_s: float
    old_window_s: float
    admin_every_s: float
    vis_keys: int  # sections 3 and 4
    vis_interval_s: float
    vis_trials: int
    churn_ops: int  # section 4
    churn_rate_per_minute: float
    reconcile_s: float
    converge_timeout_s: float
    big_keys: int  # section 5 (0: skipped)
    warm_keys: int  # section 6
    warm_seconds: float
    warm_max_requests: int
    budget_s: float


QUICK = Mode(
    "quick",
    20_000,
    100,
    10,
    60,
    60,
    5,
    20_000,
    5,
    3,
    300,
    900,
    20,
    300,
    0,
    10_000,
    3,
    5_000,
    35 * 60,
)
FULL = Mode(
    "full",
    100_000,
    500,
    30,
    300,
    240,
    5,
    20_000,
    5,
    8,
    600,
    900,
    20,
    420,
    500_000,
    10_000,
    8,
    20_000,
    150 * 60,
)


def model_floor(keys: int, concurrency: int) -> dict[str, float]:
    pages = max(1, math.ceil(keys / PAGE_SIZE))
    offsets = [(page - 1) * PAGE_SIZE for page in range(1, pages + 1)]
    mean_ms = REAL_BASE_MS + REAL_PER_1000_MS * statistics.fmean(offsets) / 1000
    return {
        "pages": pages,
        "mean_page_ms": round(mean_ms, 2),
        "concurrency": concurrency,
        "floor_s": round(pages * mean_ms / 1000 / concurrency, 2),
    }

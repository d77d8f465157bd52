"""What one benchmark run measures (the run's modes and per-size results) and how figures are
written: shared by run.py, report.py and analysis.py, which import it and never each other back."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

import core_micro
from loadgen import LoadResult

# What an admin does in the table: the landing view and its next pages, searches, a list sort.
VIEWS: dict[str, list[str]] = {
    "default view": [
        "/api/keys?page=1&size=25",
        "/api/keys?page=2&size=25",
        "/api/keys?page=1&size=50",
    ],
    "search": [
        "/api/keys?search=prod&size=25",
        "/api/keys?search=alice%20gpt-4o&size=25",
        "/api/keys?search=finance&page=2&size=25",
        "/api/keys?search=zz-no-such-key&size=25",
    ],
    "sort by tags": [
        "/api/keys?sort_by=tags&sort_order=asc&size=25",
        "/api/keys?sort_by=tags&sort_order=desc&page=3&size=25",
    ],
    # Issue 8's filter bar: structured filters, alone, combined and with a search.
    "filters": [
        "/api/keys?status=active&tag=prod&size=25",
        "/api/keys?expires_within_days=30&sort_by=expires_at&sort_order=asc&size=25",
        "/api/keys?all_models=true&owner_missing=true&size=25",
        "/api/keys?search=finance&status=expired&status=blocked&page=2&size=25",
    ],
    # The counts the filter bar and the summary cards show for the views above.
    "facets": [
        "/api/keys/facets",
        "/api/keys/facets?status=active&tag=prod",
        "/api/keys/facets?search=prod",
        "/api/keys/facets?expires_within_days=30&all_models=true",
    ],
    # More distinct queries than Keydash keeps answers for (32): every one is counted afresh.
    "facets, uncached": [
        f"/api/keys/facets?search={first}{second}" for first in "aeiou" for second in "lnrst"
    ]
    + [
        f"/api/keys/facets?status={status}&tag={tag}"
        for status in ("active", "expired", "blocked")
        for tag in ("prod", "dev", "staging", "finance", "ml")
    ],
}


@dataclass
class Mode:
    name: str
    sizes: list[int]
    warm_seconds: float
    warm_max_requests: int
    cold_repeats: int
    sequential_repeats: int
    swr_seconds: float
    spa_size: int
    spa_repeats: int
    views_per_second: float
    # Refreshes under load, the cache-off views and the sequential read are measured only from
    # this many keys up (quick mode keeps CI under ~90 s).
    full_matrix_min_keys: int
    # The cache-off dashboard views are measured up to this many keys, computed beyond.
    views_cache_off_max_keys: int
    core_seconds: float


QUICK = Mode("quick", [1_000, 10_000], 1.5, 3_000, 3, 1, 3.0, 10_000, 2, 25.0, 10_000, 0, 0.4)
FULL = Mode(
    "full", [1_000, 10_000, 100_000], 8.0, 20_000, 5, 2, 15.0, 10_000, 5, 5.0, 0, 10_000, 3.0
)


@dataclass
class SizeResults:
    keys: int
    pages: int
    fake_start_s: float = 0.0
    warm: dict[str, dict[int, LoadResult]] = field(default_factory=dict)
    cold_default_ms: list[float] = field(default_factory=list)
    cold_default_calls: int = 0
    first_full_ms: float = math.nan
    first_full_calls: int = 0
    cold_full_ms: list[float] = field(default_factory=list)
    cold_full_cpu_ms: float = math.nan
    default_during_full_ms: float = math.nan
    sequential_full_ms: list[float] = field(default_factory=list)
    cache_off: dict[str, LoadResult] = field(default_factory=dict)
    rss_after_load_mb: float = math.nan
    rss_after_warm_mb: float = math.nan
    hwm_mb: float = math.nan
    warm_upstream_calls: int = 0
    views_calls: dict[str, int] = field(default_factory=dict)
    views_seconds: float = 0.0
    views_computed: list[str] = field(default_factory=list)
    swr: dict[str, LoadResult] = field(default_factory=dict)
    swr_calls: dict[str, int] = field(default_factory=dict)
    core: list[core_micro.CoreFigures] = field(default_factory=list)
    memory: core_micro.MemoryFigures | None = None
    notes: list[str] = field(default_factory=list)


TARGET_DEFAULT_10K_MS = 25.0
TARGET_LIST_10K_MS = 50.0
TARGET_100K_MS = 150.0
TARGET_COLD_RATIO = 1.5
TARGET_RSS_MB = 400.0
TARGET_LOGIN_KB = 200.0
TARGET_TABLE_KB = 300.0
CONCURRENCY = 4  # UPSTREAM_CONCURRENCY's default, used by every run but the sequential one


def ms(value: float) -> str:
    if value is None or math.isnan(value):
        return "n/a"
    if value >= 1000:
        return f"{value / 1000:.2f} s"
    if value >= 100:
        return f"{value:.0f} ms"
    return f"{value:.1f} ms"


def ratio(slow: float, fast: float) -> str:
    if not fast or math.isnan(fast) or math.isnan(slow):
        return "n/a"
    value = slow / fast
    return f"{value:,.0f}x" if value >= 100 else f"{value:.1f}x"


def kb(value: float) -> str:
    return f"{value / 1024:.1f} KB"


def median(values: Sequence[float]) -> float:
    clean = [v for v in values if not math.isnan(v)]
    return float(statistics.median(clean)) if clean else math.nan


def floor_ms(r: SizeResults, latency_ms: float, concurrency: int = CONCURRENCY) -> float:
    # Page 1 comes alone (it says how many pages there are), the rest `concurrency` at a time.
    return math.ceil(r.pages / concurrency) * latency_ms


def verdict(measured: float, target: float) -> str:
    if math.isnan(measured):
        return "not measured"
    if measured <= target:
        return f"met ({measured / target:.0%} of the limit)"
    return f"**missed** by {measured - target:.0f} ({measured / target:.1f}x the limit)"


def _ratio_verdict(measured: float, limit: float) -> str:
    if math.isnan(measured):
        return "not measured"
    if measured <= limit:
        return f"met ({measured:.2f}x <= {limit}x)"
    return f"**missed**: {measured:.2f}x the floor, {measured / limit:.2f}x the {limit}x limit"


def _by_keys(results: Sequence[SizeResults], keys: int) -> SizeResults | None:
    return next((r for r in results if r.keys == keys), None)

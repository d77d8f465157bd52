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
    # First loads measured per size, each by a fresh API process (and the sequential ones).
    cold_repeats: int
    sequential_repeats: int
    republish_seconds: float
    spa_size: int
    spa_repeats: int
    views_per_second: float
    # Passes under load and the sequential first load are measured only from this many keys up
    # (quick mode keeps CI short).
    full_matrix_min_keys: int
    core_seconds: float


QUICK = Mode("quick", [1_000, 10_000], 1.5, 3_000, 3, 1, 4.0, 10_000, 2, 25.0, 10_000, 0.4)
FULL = Mode("full", [1_000, 10_000, 100_000], 8.0, 20_000, 5, 2, 15.0, 10_000, 5, 5.0, 0, 3.0)


@dataclass
class FirstLoad:
    """One fresh API process's first load of the mirror, as an admin meets it."""

    listen_s: float  # spawn until /api/healthz answered: Python start-up and imports
    full_view_ms: float  # from listening until a view needing every key answered 200
    sync_load_s: float  # the sync's own first-load duration (keydash_sync_duration_seconds)
    sync_requests: float  # the pages it read (keydash_sync_upstream_requests)
    cpu_ms: float  # the API's CPU from listening until that 200 (our requests included)
    # Default views asked during the load, answered from one LiteLLM page each (ms).
    default_ms: list[float] = field(default_factory=list)
    view_calls: int = 0  # LiteLLM calls made for our requests until the 200
    sync_calls: int = 0  # LiteLLM calls the API made on its own until the 200


@dataclass
class SizeResults:
    keys: int
    pages: int
    fake_start_s: float = 0.0
    warm: dict[str, dict[int, LoadResult]] = field(default_factory=dict)
    # The first answers of an API started with the production defaults: the default view, then
    # a full view, which waits (through 503 mirror_loading) until the first load ends.
    first_default_ms: float = math.nan
    first_default_calls: int = 0
    first_full_ms: float = math.nan
    first_full_from_listen_ms: float = math.nan
    first_full_calls: int = 0
    first_loads: list[FirstLoad] = field(default_factory=list)
    sequential_loads: list[FirstLoad] = field(default_factory=list)
    rss_after_load_mb: float = math.nan
    rss_after_warm_mb: float = math.nan
    hwm_mb: float = math.nan
    warm_view_calls: int = 0
    warm_sync_calls: int = 0
    views_calls: dict[str, int] = field(default_factory=dict)
    views_seconds: float = 0.0
    views_computed: list[str] = field(default_factory=list)
    views_not_ok: int = 0
    republish: dict[str, LoadResult] = field(default_factory=dict)
    republish_calls: dict[str, int] = field(default_factory=dict)
    republish_writes: dict[str, int] = field(default_factory=dict)
    core: list[core_micro.CoreFigures] = field(default_factory=list)
    memory: core_micro.MemoryFigures | None = None
    notes: list[str] = field(default_factory=list)


TARGET_DEFAULT_10K_MS = 25.0
TARGET_LIST_10K_MS = 50.0
TARGET_100K_MS = 150.0
TARGET_COLD_RATIO = 1.5
TARGET_REPUBLISH_MAX_MS = 1000.0
# Passes under load (upstream_traffic): the two runs, by label, and the churn of the first.
CHURN_PER_MINUTE = 120
PASSES_CHANGING = "passes that change keys"
PASSES_IDLE = "idle passes (nothing changed)"
TARGET_RSS_MB = 400.0
TARGET_LOGIN_KB = 200.0
TARGET_TABLE_KB = 300.0
CONCURRENCY = 4  # UPSTREAM_CONCURRENCY's default, used by every run but the sequential one
PAGE_SIZE = 100  # LiteLLM's largest page, which the sync reads with


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


def load_ms(load: FirstLoad) -> float:
    """A first load's duration as the sync measured it, from its first page (the load starts
    with the process, before it listens); without the metric, the wait from listening until a
    full view answered, which leaves that start out."""
    return load.full_view_ms if math.isnan(load.sync_load_s) else load.sync_load_s * 1000


def median_load_ms(loads: Sequence[FirstLoad]) -> float:
    return median([load_ms(load) for load in loads])


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

"""Section 1 of docs/performance.md: warm `/api/keys` latency and throughput, beside the cache
off and beside re-sorting per request."""

from __future__ import annotations

import math
from collections.abc import Sequence

from bench_results import SizeResults, ms, ratio


def warm_section(results: Sequence[SizeResults]) -> list[str]:
    lines = [
        "## 1. Warm `/api/keys`",
        "",
        "A warm API holds a snapshot (settings `CACHE_TTL_SECONDS=600 CACHE_STALE_SECONDS=600`, so "
        "no refresh falls inside these runs; refreshes are measured in section 2). Each view "
        "rotates a few queries (pages 1-2 of the default view; searches `prod`, `alice gpt-4o`, "
        "`finance` page 2 and one that matches nothing; tags ascending and descending page 3; "
        "four filter combinations; facets for four views, which Keydash answers from a "
        "per-snapshot cache of recent answers, and *facets, uncached*: 40 distinct facet queries "
        "in rotation, "
        "more than that cache holds, so each is counted afresh). "
        "**1 client**: one request at a time, the latency an admin sees. **8 clients**: eight "
        "connections back to back, the API's throughput on its one worker (latency then "
        "includes queueing behind the other seven).",
        "",
        "| keys | view | 1 client p50 / p95 / p99 | 8 clients p50 / p99 | throughput | errors |",
        "| ---: | --- | --- | --- | ---: | ---: |",
    ]
    for r in results:
        for view, runs in r.warm.items():
            one, eight = runs[1], runs[8]
            lines.append(
                f"| {r.keys:,} | {view} | {ms(one.p50)} / {ms(one.p95)} / {ms(one.p99)} | "
                f"{ms(eight.p50)} / {ms(eight.p99)} | {eight.throughput:,.0f} req/s | "
                f"{one.errors + eight.errors} |"
            )
    lines += [
        "",
        "Upstream calls during the warm runs: "
        + ", ".join(f"{r.keys:,} keys: {r.warm_upstream_calls}" for r in results)
        + " (every warm answer came from the snapshot).",
        "",
        "### Beside the naive approaches",
        "",
        "- **Cache off** (`CACHE_TTL_SECONDS=0`): the same views when every answer reads LiteLLM "
        "again (the default view then reads one page; search and sort read every page).",
        "- **Re-sorting per request**: in-process, `ListKeys` over the same snapshot with its "
        "per-snapshot index (sort orders and lower-cased search text kept with the snapshot) "
        "against calling the core's `sort_keys` and building each key's search text on every "
        "request. The index is built once per snapshot; its cost is shown apart.",
        "",
        "| keys | view | warm p50 (HTTP) | cache off p50 (HTTP) | gain | ListKeys indexed "
        "(median) | re-sort per request (median) | gain | index build, once per snapshot |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        core = {c.view: c for c in r.core}
        for view, runs in r.warm.items():
            warm = runs[1].p50
            off = r.cache_off[view].p50 if view in r.cache_off else math.nan
            c = core.get(view)
            fast = c.indexed.p50 if c else math.nan
            slow = c.naive.p50 if c else math.nan
            lines.append(
                f"| {r.keys:,} | {view} | {ms(warm)} | {ms(off)} | {ratio(off, warm)} | "
                f"{_fine(fast)} | {_fine(slow)} | {ratio(slow, fast)} | "
                f"{ms(c.index_build_ms) if c else 'n/a'} |"
            )
    lines.append("")
    return lines


def _fine(value: float) -> str:
    if math.isnan(value):
        return "n/a"
    return f"{value * 1000:.0f} µs" if value < 1 else ms(value)

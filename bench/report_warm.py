"""Section 1 of docs/performance.md: warm `/api/keys` latency and throughput, beside reading
LiteLLM per request and beside re-sorting per request."""

from __future__ import annotations

import math
from collections.abc import Sequence

from bench_results import SizeResults, median, median_load_ms, ms, ratio


def warm_section(results: Sequence[SizeResults]) -> list[str]:
    lines = [
        "## 1. Warm `/api/keys`",
        "",
        "A warm API has loaded its mirror (production defaults: a sync pass every 30 s, 2 "
        "LiteLLM requests when nothing changed, may fall inside these runs; passes under load "
        "are measured in section 2). Each view "
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
    caused = sum(r.warm_view_calls for r in results)
    lines += [
        "",
        "LiteLLM calls during the warm runs, caused by the requests: "
        + ", ".join(f"{r.keys:,} keys: {r.warm_view_calls}" for r in results)
        + (" (every warm answer came from the mirror)" if caused == 0 else "")
        + "; made by the sync's passes meanwhile: "
        + ", ".join(f"{r.keys:,} keys: {r.warm_sync_calls}" for r in results)
        + ".",
        "",
        "### Beside the naive approaches",
        "",
        "- **Reading LiteLLM per request**, what Keydash did before the mirror with its cache "
        "off and LiteLLM's own UI does: the default view then costs one LiteLLM page (the "
        "default view during the first load, p50, section 2), and any other view a read of "
        "every page (a first load, median, section 2). Measured apart, not per view.",
        "- **Re-sorting per request**: in-process, `ListKeys` over the same snapshot with its "
        "per-snapshot index (sort orders and lower-cased search text kept with the snapshot) "
        "against calling the core's `sort_keys` and building each key's search text on every "
        "request. The index is built once per snapshot; its cost is shown apart.",
        "",
        "| keys | view | warm p50 (HTTP) | reading LiteLLM per request | gain | ListKeys indexed "
        "(median) | re-sort per request (median) | gain | index build, once per snapshot |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        core = {c.view: c for c in r.core}
        for view, runs in r.warm.items():
            warm = runs[1].p50
            off = _per_request_read(r, view)
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


def _per_request_read(r: SizeResults, view: str) -> float:
    if view == "default view":
        return median([value for load in r.first_loads for value in load.default_ms])
    return median_load_ms(r.first_loads)


def _fine(value: float) -> str:
    if math.isnan(value):
        return "n/a"
    return f"{value * 1000:.0f} µs" if value < 1 else ms(value)

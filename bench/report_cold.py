"""Section 2 of docs/performance.md: what cold means with the mirror (a fresh API's first load,
against its floor, concurrent and one page at a time), the default view during that load, the
first answers after a start, and LiteLLM calls per 100 dashboard views."""

from __future__ import annotations

from collections.abc import Sequence

from bench_results import (
    CONCURRENCY,
    FirstLoad,
    SizeResults,
    floor_ms,
    load_ms,
    median,
    median_load_ms,
    ms,
    ratio,
)
from report_passes import passes_section


def _median_of(loads: Sequence[FirstLoad], name: str) -> float:
    return median([float(getattr(load, name)) for load in loads])


def _range(loads: Sequence[FirstLoad]) -> str:
    if len(loads) < 2:
        return ""
    values = [load_ms(load) for load in loads]
    return f" ({ms(min(values))}-{ms(max(values))})"


def cold_section(results: Sequence[SizeResults], latency_ms: float) -> list[str]:
    repeats = max((len(r.first_loads) for r in results), default=0)
    lines = [
        "## 2. Cold: the first load, and upstream traffic",
        "",
        "With the mirror, no request reads every LiteLLM page: the sync loads every key once, "
        'when the process starts, and keeps them with passes (docs/architecture.md, "The '
        'sync"). Cold therefore means a fresh API process: each row below starts '
        f"{repeats} API processes one after another against the running fake (production "
        "defaults but `CACHE_TTL_SECONDS=0`, so that each default view asked during the load "
        "reads its LiteLLM page). *First load*: the sync's own duration "
        "(`keydash_sync_duration_seconds`), from its first page, which it asks as the process "
        "starts, before the API listens. *Full view after listening*: from the moment the API "
        "answers its health check until a view that needs every key (a search) answers 200 "
        "instead of 503 `mirror_loading`: the wait of an admin who asks as soon as it answers. "
        f"LiteLLM pages hold at most 100 keys. The floor is `ceil(pages / {CONCURRENCY}) x "
        f"{latency_ms:.0f} ms` (`UPSTREAM_CONCURRENCY={CONCURRENCY}`, the default). *One page "
        "at a time*: the first load with `UPSTREAM_CONCURRENCY=1`, the naive sequential walk. "
        "API CPU: the process's user and system time from listening until that 200 (what the "
        "load did before listening left out, the answers to the benchmark's polls included). "
        "The first load under a real LiteLLM's page latency, with admins' requests during it, "
        "and its cost to LiteLLM beside the previous design's are in docs/performance-sync.md.",
        "",
        "| keys | pages | floor | first load (median, range) | vs floor | full view after "
        "listening (median) | pages read | API CPU per first load | one page at a time | gain "
        "from concurrency |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        floor = floor_ms(r, latency_ms)
        first = median_load_ms(r.first_loads)
        sequential = median_load_ms(r.sequential_loads)
        lines.append(
            f"| {r.keys:,} | {r.pages:,} | {ms(floor)} | {ms(first)}{_range(r.first_loads)} | "
            f"{first / floor:.2f}x | {ms(_median_of(r.first_loads, 'full_view_ms'))} | "
            f"{_median_of(r.first_loads, 'sync_requests'):,.0f} | "
            f"{ms(_median_of(r.first_loads, 'cpu_ms'))} | {ms(sequential)} | "
            f"{ratio(sequential, first)} |"
        )
    lines += _default_during(results)
    lines += _first_answers(results)
    lines += _views(results)
    lines += passes_section(results)
    return lines


def _default_during(results: Sequence[SizeResults]) -> list[str]:
    lines = [
        "",
        "**The default view during the first load** is answered from one LiteLLM page sized "
        "to the view (`size=25`), without waiting for the load: asked every 0.1 s from the "
        "moment the API listens until the mirror answers, over every first load above (the "
        "answers that came from the mirror are not counted here). LiteLLM calls are counted "
        "by the fake and told apart by page size (the sync reads 100 keys a page).",
        "",
        "| keys | default views during the load | p50 | max | LiteLLM calls for them | "
        "the load they did not wait for (median) | gain |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        during = [value for load in r.first_loads for value in load.default_ms]
        calls = sum(load.view_calls for load in r.first_loads)
        full = _median_of(r.first_loads, "full_view_ms")
        p50 = median(during)
        lines.append(
            f"| {r.keys:,} | {len(during)} | {ms(p50)} | "
            f"{ms(max(during)) if during else 'n/a'} | {calls} | {ms(full)} | "
            f"{ratio(full, p50)} |"
        )
    return lines


def _first_answers(results: Sequence[SizeResults]) -> list[str]:
    lines = [
        "",
        "**The first answers after a start** (the API of section 1, production defaults): "
        "right after logging in, the default view, then a search, asked again every 0.2 s "
        "while it answers 503 `mirror_loading`; its figure is the whole wait until the "
        "mirror answered it. At a few pages the load may end before the first request.",
        "",
        "| keys | first default view | its LiteLLM calls | first full view: wait from asking "
        "| from listening | LiteLLM calls meanwhile (the load's pages) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        lines.append(
            f"| {r.keys:,} | {ms(r.first_default_ms)} | {r.first_default_calls} | "
            f"{ms(r.first_full_ms)} | {ms(r.first_full_from_listen_ms)} | "
            f"{r.first_full_calls:,} |"
        )
    return lines


def _views(results: Sequence[SizeResults]) -> list[str]:
    if not results or not results[0].views_calls:
        return []
    seconds = results[0].views_seconds
    labels = list(results[0].views_calls)
    lines = [
        "",
        f"**LiteLLM `/key/list` calls per 100 dashboard views** (60 default views over pages "
        f"1-3, 25 searches, 15 sorts by tags, paced over {seconds:.0f} s on a fresh API with "
        "the production defaults, once its mirror answered; counted by the fake and told apart "
        "by page size):",
        "",
        "| keys | pages | " + " | ".join(labels) + " | views not answered 200 |",
        "| ---: | ---: | " + " | ".join("---:" for _ in labels) + " | ---: |",
    ]
    for r in results:
        cells = " | ".join(
            f"{v:,}" + (" (computed)" if label in r.views_computed else "")
            for label, v in r.views_calls.items()
        )
        lines.append(f"| {r.keys:,} | {r.pages:,} | {cells} | {r.views_not_ok} |")
    lines += [
        "",
        "A replica reads every page once, when it starts; then the views cost LiteLLM nothing, "
        "however many admins look, and the sync reads 2 requests per `SYNC_INTERVAL_SECONDS` "
        "(30 s by default) while nothing changes, plus one walk per `SYNC_RECONCILE_SECONDS` "
        "(an hour). Per interval and per hour under churn: docs/performance-sync.md.",
    ]
    return lines

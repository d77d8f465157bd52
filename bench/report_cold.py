"""Section 2 of docs/performance.md: cold reads against their floor, LiteLLM calls per 100
dashboard views, and refreshes under load with and without stale-while-revalidate."""

from __future__ import annotations

from collections.abc import Sequence

from bench_results import CONCURRENCY, SizeResults, floor_ms, median, ms, ratio


def cold_section(results: Sequence[SizeResults], latency_ms: float) -> list[str]:
    lines = [
        "## 2. Cold load and upstream traffic",
        "",
        f"LiteLLM pages hold at most {100} keys. The floor for a full read is "
        f"`ceil(pages / {CONCURRENCY}) x {latency_ms:.0f} ms` (`UPSTREAM_CONCURRENCY={CONCURRENCY}`"
        f", the default). *First after start*: the first full-snapshot query (a search) on a "
        "freshly started API. *Cold, repeated*: the same query with `CACHE_TTL_SECONDS=0`, "
        "so that each one reads every page again. *One page at a time*: the same with "
        "`UPSTREAM_CONCURRENCY=1`, the naive sequential walk.",
        "",
        "| keys | pages | floor | first after start | cold, repeated (median) | vs floor | "
        "API CPU per full read | one page at a time | gain from concurrency |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        floor = floor_ms(r, latency_ms)
        cold = median(r.cold_full_ms)
        sequential = median(r.sequential_full_ms)
        lines.append(
            f"| {r.keys:,} | {r.pages:,} | {ms(floor)} | {ms(r.first_full_ms)} | {ms(cold)} | "
            f"{cold / floor:.2f}x | {ms(r.cold_full_cpu_ms)} | {ms(sequential)} | "
            f"{ratio(sequential, cold)} |"
        )
    lines += [
        "",
        "**The default view when no snapshot is cached** is answered from one LiteLLM page "
        "sized to the view (`size=25`), not from a full read:",
        "",
        "| keys | default view, cold (median) | upstream calls | full read it avoids "
        "(median) | gain | default view asked for during a full read |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        cold_default = median(r.cold_default_ms)
        full = median(r.cold_full_ms)
        lines.append(
            f"| {r.keys:,} | {ms(cold_default)} | {r.cold_default_calls} | {ms(full)} | "
            f"{ratio(full, cold_default)} | {ms(r.default_during_full_ms)} |"
        )
    lines += [
        "",
        "The last column: a default view requested a quarter of the way into a full read "
        "(another admin's search on a cold API). The full read takes its pages a few at a time "
        "(`UPSTREAM_CONCURRENCY` workers), so the one-page read waits for one free slot; when "
        "every page was queued on the concurrency bound up front, it waited for the rest of "
        "the full read.",
    ]
    lines += _views(results)
    lines += _swr(results)
    return lines


def _views(results: Sequence[SizeResults]) -> list[str]:
    if not results:
        return []
    seconds = results[0].views_seconds
    lines = [
        "",
        f"**Upstream `/key/list` calls per 100 dashboard views** (60 default views over pages "
        f"1-3, 25 searches, 15 sorts by tags, paced over {seconds:.0f} s, counted by the fake's "
        "`/_fake/stats`):",
        "",
        "| keys | pages | " + " | ".join(results[0].views_calls) + " |",
        "| ---: | ---: | " + " | ".join("---:" for _ in results[0].views_calls) + " |",
    ]
    for r in results:
        cells = " | ".join(
            f"{v:,}" + (" (computed)" if label in r.views_computed else "")
            for label, v in r.views_calls.items()
        )
        lines.append(f"| {r.keys:,} | {r.pages:,} | {cells} |")
    lines += [
        "",
        "With the cache on, LiteLLM sees one read of every page per `CACHE_TTL_SECONDS` at "
        "most (while someone searches or sorts), plus one small page per distinct default-view "
        "page; the count does not grow with the number of admins or views. The defaults "
        "include a stale window (`CACHE_STALE_SECONDS=300`): past the TTL the re-read happens "
        "behind the users instead of in front of one of them, at the same rate.",
    ]
    return lines


def _swr(results: Sequence[SizeResults]) -> list[str]:
    measured = [r for r in results if r.swr]
    if not measured:
        return []
    lines = [
        "",
        "**Refreshes under load.** `CACHE_TTL_SECONDS=3` so the snapshot expires during the "
        "run, one client sending the warm views back to back. With a stale window "
        "(stale-while-revalidate; `CACHE_STALE_SECONDS=600` here, 300 by default) the old "
        "snapshot answers while one background read refreshes it; with "
        "`CACHE_STALE_SECONDS=0` the first request after the TTL waits for the re-read.",
        "",
        "| keys | setting | requests | p50 | p99 | slowest | requests over 500 ms | "
        "upstream calls |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in measured:
        for label, res in r.swr.items():
            slow = sum(1 for v in res.latencies_ms if v > 500)
            lines.append(
                f"| {r.keys:,} | {label} | {res.count:,} | {ms(res.p50)} | {ms(res.p99)} | "
                f"{ms(res.max)} | {slow} | {r.swr_calls.get(label, 0):,} |"
            )
    return lines

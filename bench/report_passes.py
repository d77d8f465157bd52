"""The end of section 2 of docs/performance.md: serving latency while sync passes run, with and
without changes to publish."""

from __future__ import annotations

from collections.abc import Sequence

from bench_results import CHURN_PER_MINUTE, SizeResults, ms


def passes_section(results: Sequence[SizeResults]) -> list[str]:
    measured = [r for r in results if r.republish]
    if not measured:
        return []
    lines = [
        "",
        "**Passes under load.** `SYNC_INTERVAL_SECONDS=1`, so that a run sees many passes, "
        "and one client sending the warm views of section 1 back to back once the mirror is "
        f"loaded. With churn on the fake ({CHURN_PER_MINUTE} of its own seeded writes a minute: "
        "spend, updates, blocks, "
        "creates, deletes, regenerations), each pass that finds a change publishes a new "
        "snapshot: indexed in a worker thread, then swapped in, so no request builds it. Idle "
        "passes read 2 LiteLLM pages and publish nothing. No request waits for a pass, but "
        "the index build shares the interpreter lock with the serving loop, so a long build "
        "can still hold a request back (the slowest column).",
        "",
        "| keys | passes | requests | p50 | p99 | slowest | requests over 500 ms | LiteLLM "
        "calls | fake writes meanwhile |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in measured:
        for label, res in r.republish.items():
            slow = sum(1 for v in res.latencies_ms if v > 500)
            lines.append(
                f"| {r.keys:,} | {label} | {res.count:,} | {ms(res.p50)} | {ms(res.p99)} | "
                f"{ms(res.max)} | {slow} | {r.republish_calls.get(label, 0):,} | "
                f"{r.republish_writes.get(label, 0):,} |"
            )
    return lines

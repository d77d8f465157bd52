"""Sections 5 and 6 of docs/performance-sync.md: warm views at 500,000 keys with the API's memory,
and warm throughput at 10,000."""

from __future__ import annotations

from typing import Any

from sync_report_format import ms, num, table, warm_rows


def section_big(r: dict[str, Any]) -> list[str]:
    big = r.get("big")
    if not big:
        return [
            "## 5. 500,000 keys",
            "",
            "Not run (quick mode skips it).",
            "",
        ]
    if "warm" not in big:
        return ["## 5. 500,000 keys", "", f"Incomplete: {big}", ""]
    return [
        f"## 5. {num(big['keys'])} keys",
        "",
        f"Fake: `{big['fake_command']}` (no page latency, so the load is bounded by the two "
        f"processes' CPU; fake start-up {big['fake_start_s']:.0f} s). API defaults. Mirror "
        f"ready {big['load_s_from_listen']:.0f} s after listen with "
        f"{num(big.get('mirrored_keys'))} keys. API RSS (`/proc/<pid>/status` VmRSS): "
        f"{big['rss_mb_ready']:,.0f} MB when ready, {num(big.get('rss_mb_after_warm'))} MB after "
        f"the warm runs (VmHWM {num(big.get('hwm_mb_after_warm'))} MB).",
        "",
        "Warm views, 10 concurrent keep-alive clients (bench/run.py's rotations):",
        "",
        *table(
            ("view", "requests", "p50", "p95", "p99", "req/s", "non-200"), warm_rows(big["warm"])
        ),
        "",
    ]


def section_warm(r: dict[str, Any]) -> list[str]:
    warm = r.get("warm")
    if not warm or "loadgen" not in warm:
        return []
    lines = [
        f"## 6. Warm throughput at {num(warm['keys'])} keys",
        "",
        f"Fake: `{warm['fake_command']}`; API defaults, mirror ready. 10 concurrent keep-alive "
        "clients (bench/loadgen.py), each view's rotation in turn:",
        "",
        *table(
            ("view", "requests", "p50", "p95", "p99", "req/s", "non-200"),
            warm_rows(warm["loadgen"]),
        ),
        "",
        "With 10 clients in a closed loop on one API worker, the mean latency is 10 / "
        "throughput (Little's law): "
        + ", ".join(
            f"{view} {10_000 / each['throughput_rps']:.1f} ms"
            for view, each in warm["loadgen"].items()
            if each["throughput_rps"]
        )
        + ". A p99 under 25 ms at 10 clients needs well over 400 req/s with a tight tail; "
        "the load generator runs on the same 2 cores.",
        "",
    ]
    hey = {name: each for name, each in (warm.get("hey") or {}).items() if each}
    if hey:
        lines += [
            "Cross-check with `hey -c 10` on each view's first path:",
            "",
            *table(
                ("view", "path", "p99", "req/s", "statuses"),
                [
                    (
                        name,
                        f"`{each.get('path')}`",
                        ms(each.get("p99_ms")),
                        num(each.get("rps")),
                        str(each.get("statuses")),
                    )
                    for name, each in hey.items()
                ],
            ),
            "",
        ]
    return lines

"""Section 4 of docs/performance.md: the SPA's gzipped bytes per screen and its time from
navigation to a rendered table."""

from __future__ import annotations

from typing import Any

from bench_results import TARGET_LOGIN_KB, TARGET_TABLE_KB, kb, ms, ratio, verdict


def spa_section(spa: dict[str, Any]) -> list[str]:
    lines = ["## 4. The SPA", ""]
    if "skipped" in spa:
        return [*lines, f"Skipped: {spa['skipped']}.", ""]
    lines += [
        f"Gzipped (level 9) JS and CSS each screen loads ({spa['size_method']}; the same rule as "
        "`npm run size` in apps/web). Naive: every JS and CSS file of the build loaded up "
        "front, as one bundle without code splitting would.",
        "",
        "| screen | files | JS | CSS | total | target | every file up front | gain |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    naive = spa["naive_size"]
    for screen, limit in zip(spa["sizes"], (TARGET_LOGIN_KB, TARGET_TABLE_KB), strict=False):
        lines.append(
            f"| {screen.screen} | {screen.files} | {kb(screen.js)} | {kb(screen.css)} | "
            f"{kb(screen.total)} | < {limit:.0f} KB: {verdict(screen.total / 1024, limit)} | "
            f"{kb(naive.total)} | {ratio(naive.total, screen.total)} |"
        )
    lines.append("")
    if "timing_skipped" in spa:
        return [*lines, f"Time to table: skipped. {spa['timing_skipped']}.", ""]
    lines += [
        f"**Time from navigation to a rendered table** ({spa.get('browser', 'Chromium')}, "
        f"headless, loopback, {spa['keys']:,} keys, production defaults, the API's mirror "
        "loaded before the first navigation, so every answer comes from it; a start's wait is "
        "section 2's). dist/ is served like NGINX serves it (gzip, long-lived cache for hashed "
        "assets, /api passed to the API). Milestones are medians, in ms from the "
        "navigation's start.",
        "",
        "| navigation | runs | table rendered | HTML | DOM ready | /api/auth/me done | "
        "table chunk loaded | /api/keys sent | /api/keys answered |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for timing in spa["timings"]:
        lines.append(
            f"| {timing.label} | {len(timing.runs)} | **{ms(timing.median())}** | "
            f"{ms(timing.median('html'))} | {ms(timing.median('dom_ready'))} | "
            f"{ms(timing.median('me_response_end'))} | {ms(timing.median('table_chunk_end'))} | "
            f"{ms(timing.median('keys_request_start'))} | "
            f"{ms(timing.median('keys_response_end'))} |"
        )
    lines.append("")
    return lines

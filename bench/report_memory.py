"""Section 3 of docs/performance.md: the API's memory, and bytes per key against parsed
JSON."""

from __future__ import annotations

from collections.abc import Sequence

from bench_results import SizeResults, ratio


def memory_section(results: Sequence[SizeResults]) -> list[str]:
    lines = [
        "",
        "## 3. Memory",
        "",
        "`VmRSS`/`VmHWM` of the uvicorn process (`/proc/<pid>/status`), after the first load "
        "(the mirror answered its first full view) and after the warm runs (which build the "
        "search text and two sort orders). "
        "Per key: `tracemalloc` over 2,000 of the same records, Keydash's `ApiKey` (slots) "
        "against keeping LiteLLM's records as parsed JSON (`expand=user`), the naive cache.",
        "",
        "| keys | RSS after load | RSS after warm runs | peak (VmHWM) | ApiKey per key | "
        "parsed record per key | JSON per key | gain |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        m = r.memory
        lines.append(
            f"| {r.keys:,} | {r.rss_after_load_mb:.0f} MB | {r.rss_after_warm_mb:.0f} MB | "
            f"{r.hwm_mb:.0f} MB | "
            + (
                f"{m.api_key_bytes:,.0f} B | {m.raw_record_bytes:,.0f} B | "
                f"{m.raw_json_bytes:,.0f} B | {ratio(m.raw_record_bytes, m.api_key_bytes)} |"
                if m
                else "n/a | n/a | n/a | n/a |"
            )
        )
    lines.append("")
    return lines

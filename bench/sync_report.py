"""docs/performance-sync.md from bench/sync_bench.py's JSON result."""

from __future__ import annotations

from typing import Any

from sync_report_format import table
from sync_report_freshness import section_convergence, section_visibility
from sync_report_load import section_first, section_requests
from sync_report_targets import targets
from sync_report_warm import section_big, section_warm


def render(r: dict[str, Any]) -> str:
    m = r["machine"]
    lines = [
        "# Performance of the sync engine",
        "",
        "<!-- Written by bench/sync_bench.py (edit bench/sync_report.py, not this file). -->",
        "",
        f"Measured {r['started_at']} by `{r['command']}` ({r['mode']} mode, "
        f"{r.get('seconds', 0):,.0f} s). The fake LiteLLM (`python -m "
        "keydash_fakes.litellm`, options per section below) and the API (`uvicorn "
        "keydash_api.main:app` with the production flags of apps/api/Dockerfile, settings from the "
        "environment, defaults unless named) run as separate processes on 127.0.0.1; the load "
        "comes from the benchmark's own process (bench/loadgen.py's closed loop over keep-alive "
        "HTTP/1.1, and `hey` as a cross-check where noted). The previous design (commit "
        "`fdd09b2`: every page read on demand, `CACHE_TTL_SECONDS=10`, "
        "`CACHE_STALE_SECONDS=300`) runs from a temporary git worktree against the same fake.",
        "",
        "## Machine",
        "",
        f"- {m['cpus']} x {m['cpu']}, {m['memory_gib']} GiB, kernel {m['kernel']}, "
        f"Python {m['python']}",
        f"- Load average at start {' '.join(str(x) for x in m['loadavg'])}, at end "
        f"{' '.join(str(x) for x in m.get('loadavg_end', []))}. The machine is shared: the fake, "
        "the API, the load generator and anything else running compete for these 2 cores, so "
        "latency tails are noisy and a load above ~0.5 at start means other work competed.",
        "",
        "## Targets",
        "",
        *table(("target", "measured", "verdict"), list(targets(r))),
        "",
    ]
    if r.get("errors"):
        lines += ["## Sections that failed", ""]
        for name, error in r["errors"].items():
            lines += [f"- **{name}**: `{str(error).splitlines()[0]}`"]
        lines.append("")
    lines += section_first(r) + section_requests(r) + section_visibility(r)
    lines += section_convergence(r) + section_big(r) + section_warm(r)
    seconds = r.get("section_seconds", {})
    if seconds:
        lines += [
            "## Run time",
            "",
            "Seconds per section (fake start-up included): "
            + ", ".join(f"{name} {s:,.0f}" for name, s in seconds.items())
            + ".",
            "",
        ]
    return "\n".join(lines)

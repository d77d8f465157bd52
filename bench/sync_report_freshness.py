"""Sections 3 and 4 of docs/performance-sync.md: how soon a change shows, and convergence after
churn."""

from __future__ import annotations

from typing import Any

from sync_report_format import num, table


def section_visibility(r: dict[str, Any]) -> list[str]:
    vis = r.get("visibility")
    if not vis or "stats" not in vis:
        return []
    rows: list[tuple[str, ...]] = [
        (
            kind,
            ", ".join(num(d, 2) if d is not None else "timeout" for d in vis["delays_s"][kind]),
            num(stats["p50_s"], 2),
            num(stats["max_s"], 2),
        )
        for kind, stats in vis["stats"].items()
    ]
    return [
        "## 3. Visibility delay",
        "",
        f"Fake: `{vis['fake_command']}`; API `SYNC_INTERVAL_SECONDS={vis['interval_s']:g}`, "
        "mirror ready. For each trial, at a random moment (0 to one interval after the previous "
        "step) a key is created with a fresh alias through `POST /_fake/keys`, then renamed "
        "(`/update`), blocked (`/block`) and deleted (`DELETE /_fake/keys/{token}`); after each "
        "write `/api/keys?search=<alias>` is polled every 100 ms until it shows the change. "
        "Seconds from the write's answer to the first API answer showing it:",
        "",
        *table(("change", "each trial (s)", "p50 (s)", "max (s)"), rows),
        "",
    ]


def section_convergence(r: dict[str, Any]) -> list[str]:
    conv = r.get("convergence")
    if not conv or "final" not in conv:
        return []
    after = conv["after_next_pass"]
    return [
        "## 4. Churn convergence",
        "",
        f"Same fake as section 3 ({num(conv['keys'])} keys); API {conv['settings']}. Before the "
        f"churn: {conv['before_churn']}. Churn: {conv['churn']['seconds']:g} s of seeded writes "
        f"(`POST /_fake/churn/rate`), applied {conv['churn']['applied']}, then quiet. Each check "
        "compares the ids of a full JSON export (`/api/keys/export?format=json`) with "
        "`/_fake/truth`'s live tokens.",
        "",
        f"- After the next incremental pass ({after['seconds_after_quiet']:g} s after quiet): "
        f"{after['missing']} missing, {after['extra']} extra of {num(after['live'])} live keys.",
        f"- Zero differences from **{num(conv.get('converged_s_after_quiet'), 1)} s** after "
        f"quiet; reconciles completed since quiet: {num(conv.get('reconciles_after_quiet'))}; "
        f"final check: {conv['final']}.",
        f"- A reconcile took {num(conv.get('reconcile_seconds_mean'), 1)} s and "
        f"{num(conv.get('reconcile_requests_mean'))} requests on average "
        "(`SYNC_RECONCILE_PAUSE_SECONDS=0.2` between pages).",
        "",
        "Checks (seconds after quiet, missing, extra, reconciles since quiet): "
        + ", ".join(f"{h[0]}: {h[1]}/{h[2]}/{h[3]:g}" for h in conv["history"][:20])
        + ".",
        "",
    ]

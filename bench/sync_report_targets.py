"""The targets table of docs/performance-sync.md: each promise of the sync engine, its measured
figure and its verdict, for the sections the run measured."""

from __future__ import annotations

from typing import Any

from sync_report_format import ms, num, verdict

Row = tuple[str, str, str]


def targets(r: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    first = r.get("first_load")
    if first and "load_s_from_listen" in first:
        keys = num(first["keys"])
        rows.append(
            (
                f"{keys} keys, first load within 1.5x the floor ({first['floor_s']:.1f} s)",
                f"{first['load_s_from_listen']:.1f} s ({first['ratio_to_floor']:.2f}x)",
                verdict(first["ratio_to_floor"], 1.5, "x"),
            )
        )
        p99 = first["during_load"]["overall"]["p99_ms"]
        rows.append(
            (
                f"{keys} keys, API p99 during the first load < 500 ms (503 included)",
                ms(p99),
                verdict(p99, 500, " ms"),
            )
        )
        first_ok = first.get("first_default_200_from_listen_s")
        rows.append(
            (
                f"{keys} keys, first 200 default view < 1 s after the API listens",
                f"{num(first_ok, 3)} s ({num(first.get('first_default_200_from_spawn_s'), 2)} s "
                "after the process was spawned)",
                verdict(first_ok, 1.0, " s"),
            )
        )
    new = r.get("requests_new")
    if new:
        rows.append(
            (
                f"{num(new['keys'])} keys, {new['churn_per_minute']:g} changes/min: LiteLLM "
                f"requests per {new['interval_s']:g} s interval <= 10",
                f"{new['incremental_per_interval']:.1f} (incremental passes; "
                f"{new['all_per_interval']:.1f} counting everything; a full walk is "
                f"{num(new['full_walk_pages'])} pages)",
                verdict(new["incremental_per_interval"], 10),
            )
        )
    vis = r.get("visibility", {}).get("stats")
    if vis:
        target = r["visibility"]["target_s"]
        for kind in ("create", "update", "block"):
            stats = vis[kind]
            value = stats["max_s"] if not stats["timeouts"] else None
            rows.append(
                (
                    f"visibility of a {kind}: <= interval + 1 s ({target:g} s), every trial",
                    f"max {num(stats['max_s'], 2)} s, p50 {num(stats['p50_s'], 2)} s"
                    + (f", {stats['timeouts']} timed out" if stats["timeouts"] else ""),
                    verdict(value, target, " s"),
                )
            )
        stats = vis["delete"]
        rows.append(
            (
                "a deleted key gone (reported; the archive read removes it within an interval)",
                f"max {num(stats['max_s'], 2)} s, p50 {num(stats['p50_s'], 2)} s"
                + (f", {stats['timeouts']} timed out" if stats["timeouts"] else ""),
                verdict(stats["max_s"] if not stats["timeouts"] else None, target, " s"),
            )
        )
    conv = r.get("convergence")
    if conv and "final" in conv:
        final = conv["final"]
        differences = final["missing"] + final["extra"]
        rows.append(
            (
                f"{num(conv['keys'])} keys, churn then quiet: export ids = LiteLLM's live tokens "
                "after a pass and a reconcile",
                f"{differences} differences ({final['missing']} missing, {final['extra']} extra); "
                f"converged {num(conv.get('converged_s_after_quiet'), 1)} s after quiet",
                "met"
                if differences == 0 and conv.get("converged_s_after_quiet") is not None
                else "**missed**",
            )
        )
    big = r.get("big")
    if big and "rss_mb_ready" in big:
        rss = max(big["rss_mb_ready"], big.get("rss_mb_after_warm", 0))
        rows.append(
            (
                f"{num(big['keys'])} keys, API RSS with the mirror complete < 1 GB",
                f"{rss:,.0f} MB (ready {big['rss_mb_ready']:,.0f}, after the warm runs "
                f"{num(big.get('rss_mb_after_warm'))}; peak {num(big.get('hwm_mb_after_warm'))})",
                verdict(rss, 1024, " MB"),
            )
        )
        for view, figures in big.get("warm", {}).items():
            rows.append(
                (
                    f"{num(big['keys'])} keys, warm {view}, 10 clients: p99 < 100 ms",
                    ms(figures["p99_ms"]),
                    verdict(figures["p99_ms"], 100, " ms"),
                )
            )
    warm = r.get("warm", {}).get("loadgen")
    if warm:
        limits = {"default view": 25.0, "search": 50.0, "sort by tags": 50.0}
        for view, limit in limits.items():
            figures = warm.get(view)
            if figures:
                rows.append(
                    (
                        f"{num(r['warm']['keys'])} keys, warm {view}, 10 clients: "
                        f"p99 < {limit:g} ms",
                        f"{ms(figures['p99_ms'])} ({num(figures['throughput_rps'])} req/s)",
                        verdict(figures["p99_ms"], limit, " ms"),
                    )
                )
    return rows

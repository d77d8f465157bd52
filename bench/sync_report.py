"""docs/performance-sync.md from bench/sync_bench.py's JSON result."""

from __future__ import annotations

import math
from typing import Any

Row = tuple[str, str, str]


def _n(value: Any, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if isinstance(value, int | float):
        return f"{value:,.{digits}f}"
    return str(value)


def _ms(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:.1f} ms" if value < 100 else f"{value:,.0f} ms"


def _verdict(value: Any, limit: float, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "**not measured**"
    if value <= limit:
        return f"met ({value / limit:.0%} of the limit)" if limit else "met"
    return f"**missed** ({value:,.2f}{unit} vs {limit:,.2f}{unit}: {value / limit:.2f}x the limit)"


def _targets(r: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    first = r.get("first_load")
    if first and "load_s_from_listen" in first:
        keys = _n(first["keys"])
        rows.append(
            (
                f"{keys} keys, first load within 1.5x the floor ({first['floor_s']:.1f} s)",
                f"{first['load_s_from_listen']:.1f} s ({first['ratio_to_floor']:.2f}x)",
                _verdict(first["ratio_to_floor"], 1.5, "x"),
            )
        )
        p99 = first["during_load"]["overall"]["p99_ms"]
        rows.append(
            (
                f"{keys} keys, API p99 during the first load < 500 ms (503 included)",
                _ms(p99),
                _verdict(p99, 500, " ms"),
            )
        )
        first_ok = first.get("first_default_200_from_listen_s")
        rows.append(
            (
                f"{keys} keys, first 200 default view < 1 s after the API listens",
                f"{_n(first_ok, 3)} s ({_n(first.get('first_default_200_from_spawn_s'), 2)} s "
                "after the process was spawned)",
                _verdict(first_ok, 1.0, " s"),
            )
        )
    new = r.get("requests_new")
    if new:
        rows.append(
            (
                f"{_n(new['keys'])} keys, {new['churn_per_minute']:g} changes/min: LiteLLM "
                f"requests per {new['interval_s']:g} s interval <= 10",
                f"{new['incremental_per_interval']:.1f} (incremental passes; "
                f"{new['all_per_interval']:.1f} counting everything; a full walk is "
                f"{_n(new['full_walk_pages'])} pages)",
                _verdict(new["incremental_per_interval"], 10),
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
                    f"max {_n(stats['max_s'], 2)} s, p50 {_n(stats['p50_s'], 2)} s"
                    + (f", {stats['timeouts']} timed out" if stats["timeouts"] else ""),
                    _verdict(value, target, " s"),
                )
            )
        stats = vis["delete"]
        rows.append(
            (
                "a deleted key gone (reported; the archive read removes it within an interval)",
                f"max {_n(stats['max_s'], 2)} s, p50 {_n(stats['p50_s'], 2)} s"
                + (f", {stats['timeouts']} timed out" if stats["timeouts"] else ""),
                _verdict(stats["max_s"] if not stats["timeouts"] else None, target, " s"),
            )
        )
    conv = r.get("convergence")
    if conv and "final" in conv:
        final = conv["final"]
        differences = final["missing"] + final["extra"]
        rows.append(
            (
                f"{_n(conv['keys'])} keys, churn then quiet: export ids = LiteLLM's live tokens "
                "after a pass and a reconcile",
                f"{differences} differences ({final['missing']} missing, {final['extra']} extra); "
                f"converged {_n(conv.get('converged_s_after_quiet'), 1)} s after quiet",
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
                f"{_n(big['keys'])} keys, API RSS with the mirror complete < 1 GB",
                f"{rss:,.0f} MB (ready {big['rss_mb_ready']:,.0f}, after the warm runs "
                f"{_n(big.get('rss_mb_after_warm'))}; peak {_n(big.get('hwm_mb_after_warm'))})",
                _verdict(rss, 1024, " MB"),
            )
        )
        for view, figures in big.get("warm", {}).items():
            rows.append(
                (
                    f"{_n(big['keys'])} keys, warm {view}, 10 clients: p99 < 100 ms",
                    _ms(figures["p99_ms"]),
                    _verdict(figures["p99_ms"], 100, " ms"),
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
                        f"{_n(r['warm']['keys'])} keys, warm {view}, 10 clients: "
                        f"p99 < {limit:g} ms",
                        f"{_ms(figures['p99_ms'])} ({_n(figures['throughput_rps'])} req/s)",
                        _verdict(figures["p99_ms"], limit, " ms"),
                    )
                )
    return rows


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _load_rows(figures: dict[str, Any]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for label, each in figures["by_label"].items():
        statuses = ", ".join(f"{code}: {n}" for code, n in each["statuses"].items())
        rows.append(
            (
                label,
                _n(each["count"]),
                _ms(each["p50_ms"]),
                _ms(each["p99_ms"]),
                _ms(each["max_ms"]),
                statuses or "none",
                _n(each["failures"]),
            )
        )
    return rows


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
        *_table(("target", "measured", "verdict"), list(_targets(r))),
        "",
    ]
    if r.get("errors"):
        lines += ["## Sections that failed", ""]
        for name, error in r["errors"].items():
            lines += [f"- **{name}**: `{str(error).splitlines()[0]}`"]
        lines.append("")
    lines += _section_first(r) + _section_requests(r) + _section_visibility(r)
    lines += _section_convergence(r) + _section_big(r) + _section_warm(r)
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


def _section_first(r: dict[str, Any]) -> list[str]:
    first = r.get("first_load")
    if not first or "during_load" not in first:
        return []
    return [
        f"## 1. First load at {_n(first['keys'])} keys",
        "",
        f"Fake: `{first['fake_command']}` (each page waits 150 ms + 7 ms per 1,000 rows of "
        f"offset; fake start-up {first['fake_start_s']} s). API: defaults "
        f"(`UPSTREAM_CONCURRENCY=4`) and `SYNC_INTERVAL_SECONDS="
        f"{first['settings']['SYNC_INTERVAL_SECONDS']}`.",
        "",
        f"- **Floor**: {_n(first['pages'])} pages x {first['mean_page_ms']:.1f} ms mean page "
        f"latency (the model over the offsets read) / {first['concurrency']} = "
        f"**{first['floor_s']:.1f} s**.",
        f"- **Mirror complete** (`/api/status` says `ready`, polled every 0.5 s) "
        f"**{first['load_s_from_listen']:.1f} s** after the API listened: "
        f"{first['ratio_to_floor']:.2f}x the floor. The sync's own first-load duration "
        f"(`keydash_sync_duration_seconds`): {_n(first.get('sync_first_load_seconds'), 1)} s, "
        f"{_n(first.get('sync_first_load_requests'))} requests; {_n(first.get('mirrored_keys'))} "
        f"keys mirrored; API RSS {_n(first.get('rss_mb_after_load'))} MB.",
        f"- **First 200 default view**: {_n(first.get('first_default_200_from_listen_s'), 3)} s "
        f"after `/api/healthz` first answered (login included), "
        f"{_n(first.get('first_default_200_from_spawn_s'), 2)} s after the process was spawned "
        f"(of which {first['api_spawn_to_listen_s']:.2f} s is Python start-up and imports).",
        f"- LiteLLM requests during the load by kind: {first.get('upstream_by_kind_during_load')} "
        "(`default`: the walk's pages and default-view pages; `other`: the key-scope probe).",
        "",
        "Requests during the load: 4 clients in a closed loop over the default view (pages 1 "
        "and 2), a search, a tag sort, facets and `/api/status`, from "
        "the first 200 until the mirror was ready "
        f"({first['during_load']['wall_s']:.1f} s). Views the mirror must answer get "
        "503 `mirror_loading` at once; the default view reads one LiteLLM page (kept 10 s).",
        "",
        *_table(
            ("view", "requests", "p50", "p99", "max", "statuses", "failures"),
            _load_rows(first["during_load"]),
        ),
        "",
        f"All together: p99 **{_ms(first['during_load']['overall']['p99_ms'])}**, "
        f"{_n(first['during_load']['overall']['count'])} requests.",
        "",
        "Progress seen on `/api/status` (seconds after listen, loaded, total): "
        + ", ".join(f"{s[0]}: {_n(s[1])}/{_n(s[2])}" for s in first["progress_samples"][:12])
        + ("..." if len(first["progress_samples"]) > 12 else "."),
        "",
    ]


def _section_requests(r: dict[str, Any]) -> list[str]:
    new, old = r.get("requests_new"), r.get("requests_old")
    if not new:
        return []
    lines = [
        f"## 2. LiteLLM requests per interval and per hour at {_n(new['keys'])} keys",
        "",
        f"Same fake as section 1, now with {new['churn_per_minute']:g} seeded writes per minute "
        "(the default mix: spend, updates, creates, blocks, deletions, regenerations; started "
        "with `POST /_fake/churn/rate` once the mirror was ready), "
        f"`SYNC_INTERVAL_SECONDS={new['interval_s']:g}`. One admin opens a view every few "
        "seconds (default view, search, facets, tag sort, page 2, in turn). Requests are "
        "counted by the fake (`/_fake/stats` `requests_by_kind` before and after).",
        "",
        f"- **New design**, {new['window_s']:.0f} s window ({new['intervals']:.1f} intervals): "
        f"{new['upstream_by_kind']} -> **{new['incremental_per_interval']:.1f} requests per "
        f"interval** for the incremental passes (`updated_at` pages + the archive page), "
        f"{new['all_per_interval']:.1f} counting everything. Passes: {_n(new['passes'])}, "
        f"{_n(new['requests_per_pass'], 2)} requests each on average, "
        f"{_n(new['passes_over_10_requests'])} over 10, {_n(new.get('seconds_per_pass'), 2)} s "
        f"each on average; failed: {new.get('failed_passes')}. Reconciles completed in the window: "
        f"{_n(new['reconciles_in_window'])} ({_n(new['reconcile_requests_in_window'])} requests).",
        f"- Per hour per replica, new design: **{_n(new['measured_per_hour'])}** measured "
        f"(the window's count x 3600 / window); incremental passes alone "
        f"{_n(new['incremental_per_hour'])}; modelled as incremental passes plus one reconcile "
        f"walk of {_n(new['full_walk_pages'])} pages per `SYNC_RECONCILE_SECONDS` (3600): "
        f"**{_n(new['modelled_per_hour'])}** (plus up to 200 exact look-ups per reconcile for "
        "keys the walk did not meet).",
    ]
    if old and "upstream_total" in old:
        lines += [
            f"- **Old design** (`{old['commit']}`), same fake and admin"
            + (
                ", churn paused (the old design reads every page whatever changed; under churn "
                "the fake re-sorts its whole table per request and becomes the bottleneck)"
                if old.get("churn_paused")
                else ", same churn"
            )
            + f": its first "
            f"full read took {old['first_full_read_s']:.1f} s (HTTP "
            f"{old['first_full_read_status']}); then in a {old['window_s']:.0f} s window "
            f"{_n(old['upstream_total'])} LiteLLM requests ({old['upstream_by_kind']}; "
            f"{_n(old['full_reads_completed'])} full reads completed) -> "
            f"**{_n(old['measured_per_hour'])} per hour per replica**.",
            "",
            *_table(
                ("design", "view", "requests", "p50", "p99", "max", "statuses", "failures"),
                [("new", *row) for row in _load_rows(new["admin"])]
                + [("old", *row) for row in _load_rows(old["admin"])],
            ),
        ]
    elif old:
        lines.append(f"- Old design: not measured ({old})")
    return [*lines, ""]


def _section_visibility(r: dict[str, Any]) -> list[str]:
    vis = r.get("visibility")
    if not vis or "stats" not in vis:
        return []
    rows: list[tuple[str, ...]] = [
        (
            kind,
            ", ".join(_n(d, 2) if d is not None else "timeout" for d in vis["delays_s"][kind]),
            _n(stats["p50_s"], 2),
            _n(stats["max_s"], 2),
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
        *_table(("change", "each trial (s)", "p50 (s)", "max (s)"), rows),
        "",
    ]


def _section_convergence(r: dict[str, Any]) -> list[str]:
    conv = r.get("convergence")
    if not conv or "final" not in conv:
        return []
    after = conv["after_next_pass"]
    return [
        "## 4. Churn convergence",
        "",
        f"Same fake as section 3 ({_n(conv['keys'])} keys); API {conv['settings']}. Before the "
        f"churn: {conv['before_churn']}. Churn: {conv['churn']['seconds']:g} s of seeded writes "
        f"(`POST /_fake/churn/rate`), applied {conv['churn']['applied']}, then quiet. Each check "
        "compares the ids of a full JSON export (`/api/keys/export?format=json`) with "
        "`/_fake/truth`'s live tokens.",
        "",
        f"- After the next incremental pass ({after['seconds_after_quiet']:g} s after quiet): "
        f"{after['missing']} missing, {after['extra']} extra of {_n(after['live'])} live keys.",
        f"- Zero differences from **{_n(conv.get('converged_s_after_quiet'), 1)} s** after "
        f"quiet; reconciles completed since quiet: {_n(conv.get('reconciles_after_quiet'))}; "
        f"final check: {conv['final']}.",
        f"- A reconcile took {_n(conv.get('reconcile_seconds_mean'), 1)} s and "
        f"{_n(conv.get('reconcile_requests_mean'))} requests on average "
        "(`SYNC_RECONCILE_PAUSE_SECONDS=0.2` between pages).",
        "",
        "Checks (seconds after quiet, missing, extra, reconciles since quiet): "
        + ", ".join(f"{h[0]}: {h[1]}/{h[2]}/{h[3]:g}" for h in conv["history"][:20])
        + ".",
        "",
    ]


def _warm_rows(figures: dict[str, Any]) -> list[tuple[str, ...]]:
    return [
        (
            view,
            _n(each["count"]),
            _ms(each["p50_ms"]),
            _ms(each["p95_ms"]),
            _ms(each["p99_ms"]),
            _n(each["throughput_rps"]),
            _n(each["count"] - each["statuses"].get("200", 0) + each["failures"]),
        )
        for view, each in figures.items()
    ]


def _section_big(r: dict[str, Any]) -> list[str]:
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
        f"## 5. {_n(big['keys'])} keys",
        "",
        f"Fake: `{big['fake_command']}` (no page latency, so the load is bounded by the two "
        f"processes' CPU; fake start-up {big['fake_start_s']:.0f} s). API defaults. Mirror "
        f"ready {big['load_s_from_listen']:.0f} s after listen with "
        f"{_n(big.get('mirrored_keys'))} keys. API RSS (`/proc/<pid>/status` VmRSS): "
        f"{big['rss_mb_ready']:,.0f} MB when ready, {_n(big.get('rss_mb_after_warm'))} MB after "
        f"the warm runs (VmHWM {_n(big.get('hwm_mb_after_warm'))} MB).",
        "",
        "Warm views, 10 concurrent keep-alive clients (bench/run.py's rotations):",
        "",
        *_table(
            ("view", "requests", "p50", "p95", "p99", "req/s", "non-200"), _warm_rows(big["warm"])
        ),
        "",
    ]


def _section_warm(r: dict[str, Any]) -> list[str]:
    warm = r.get("warm")
    if not warm or "loadgen" not in warm:
        return []
    lines = [
        f"## 6. Warm throughput at {_n(warm['keys'])} keys",
        "",
        f"Fake: `{warm['fake_command']}`; API defaults, mirror ready. 10 concurrent keep-alive "
        "clients (bench/loadgen.py), each view's rotation in turn:",
        "",
        *_table(
            ("view", "requests", "p50", "p95", "p99", "req/s", "non-200"),
            _warm_rows(warm["loadgen"]),
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
            *_table(
                ("view", "path", "p99", "req/s", "statuses"),
                [
                    (
                        name,
                        f"`{each.get('path')}`",
                        _ms(each.get("p99_ms")),
                        _n(each.get("rps")),
                        str(each.get("statuses")),
                    )
                    for name, each in hey.items()
                ],
            ),
            "",
        ]
    return lines

"""Sections 1 and 2 of docs/performance-sync.md: the first load, and LiteLLM requests per interval
and per hour beside the previous design."""

from __future__ import annotations

from typing import Any

from sync_report_format import load_rows, ms, num, table


def section_first(r: dict[str, Any]) -> list[str]:
    first = r.get("first_load")
    if not first or "during_load" not in first:
        return []
    return [
        f"## 1. First load at {num(first['keys'])} keys",
        "",
        f"Fake: `{first['fake_command']}` (each page waits 150 ms + 7 ms per 1,000 rows of "
        f"offset; fake start-up {first['fake_start_s']} s). API: defaults "
        f"(`UPSTREAM_CONCURRENCY=4`) and `SYNC_INTERVAL_SECONDS="
        f"{first['settings']['SYNC_INTERVAL_SECONDS']}`.",
        "",
        f"- **Floor**: {num(first['pages'])} pages x {first['mean_page_ms']:.1f} ms mean page "
        f"latency (the model over the offsets read) / {first['concurrency']} = "
        f"**{first['floor_s']:.1f} s**.",
        f"- **Mirror complete** (`/api/status` says `ready`, polled every 0.5 s) "
        f"**{first['load_s_from_listen']:.1f} s** after the API listened: "
        f"{first['ratio_to_floor']:.2f}x the floor. The sync's own first-load duration "
        f"(`keydash_sync_duration_seconds`): {num(first.get('sync_first_load_seconds'), 1)} s, "
        f"{num(first.get('sync_first_load_requests'))} requests; {num(first.get('mirrored_keys'))} "
        f"keys mirrored; API RSS {num(first.get('rss_mb_after_load'))} MB.",
        f"- **First 200 default view**: {num(first.get('first_default_200_from_listen_s'), 3)} s "
        f"after `/api/healthz` first answered (login included), "
        f"{num(first.get('first_default_200_from_spawn_s'), 2)} s after the process was spawned "
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
        *table(
            ("view", "requests", "p50", "p99", "max", "statuses", "failures"),
            load_rows(first["during_load"]),
        ),
        "",
        f"All together: p99 **{ms(first['during_load']['overall']['p99_ms'])}**, "
        f"{num(first['during_load']['overall']['count'])} requests.",
        "",
        "Progress seen on `/api/status` (seconds after listen, loaded, total): "
        + ", ".join(f"{s[0]}: {num(s[1])}/{num(s[2])}" for s in first["progress_samples"][:12])
        + ("..." if len(first["progress_samples"]) > 12 else "."),
        "",
    ]


def section_requests(r: dict[str, Any]) -> list[str]:
    new, old = r.get("requests_new"), r.get("requests_old")
    if not new:
        return []
    lines = [
        f"## 2. LiteLLM requests per interval and per hour at {num(new['keys'])} keys",
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
        f"{new['all_per_interval']:.1f} counting everything. Passes: {num(new['passes'])}, "
        f"{num(new['requests_per_pass'], 2)} requests each on average, "
        f"{num(new['passes_over_10_requests'])} over 10, {num(new.get('seconds_per_pass'), 2)} s "
        f"each on average; failed: {new.get('failed_passes')}. Reconciles completed in the window: "
        f"{num(new['reconciles_in_window'])} "
        f"({num(new['reconcile_requests_in_window'])} requests).",
        f"- Per hour per replica, new design: **{num(new['measured_per_hour'])}** measured "
        f"(the window's count x 3600 / window); incremental passes alone "
        f"{num(new['incremental_per_hour'])}; modelled as incremental passes plus one reconcile "
        f"walk of {num(new['full_walk_pages'])} pages per `SYNC_RECONCILE_SECONDS` (3600): "
        f"**{num(new['modelled_per_hour'])}** (plus up to 200 exact look-ups per reconcile for "
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
            f"{num(old['upstream_total'])} LiteLLM requests ({old['upstream_by_kind']}; "
            f"{num(old['full_reads_completed'])} full reads completed) -> "
            f"**{num(old['measured_per_hour'])} per hour per replica**.",
            "",
            *table(
                ("design", "view", "requests", "p50", "p99", "max", "statuses", "failures"),
                [("new", *row) for row in load_rows(new["admin"])]
                + [("old", *row) for row in load_rows(old["admin"])],
            ),
        ]
    elif old:
        lines.append(f"- Old design: not measured ({old})")
    return [*lines, ""]

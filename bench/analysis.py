"""Why a target is missed and what would close it: written by hand, filled with the run's figures.

Each paragraph appears only when the run shows the condition it explains, so the document never
claims a problem (or a fix) the figures above it do not show.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import bench_results as fmt

if TYPE_CHECKING:
    from bench_results import SizeResults


def _cold(results: Sequence[SizeResults], latency_ms: float) -> list[str]:
    r = next((r for r in results if r.keys == 10_000), None)
    if r is None or not r.first_loads:
        return []
    cold = fmt.median_load_ms(r.first_loads)
    cpu = fmt.median([load.cpu_ms for load in r.first_loads])
    floor = fmt.floor_ms(r, latency_ms)
    if math.isnan(cold) or cold <= fmt.TARGET_COLD_RATIO * floor:
        return []
    cpu_per_page = cpu / r.pages
    budget = latency_ms / fmt.CONCURRENCY
    return [
        "### First load of 10,000 keys: the HTTP exchange and the CPU of two shared cores",
        "",
        f"A fresh API's first load took {fmt.ms(cold)} (median), {cold / floor:.2f}x the "
        f"floor of {fmt.ms(floor)} (target {fmt.TARGET_COLD_RATIO}x, i.e. "
        f"{fmt.ms(fmt.TARGET_COLD_RATIO * floor)}). From listening until the mirror answered, "
        f"the API spent {fmt.ms(cpu)} of CPU, {cpu_per_page:.1f} ms per 100-key page, "
        f"where keeping {fmt.CONCURRENCY} pages in flight at {latency_ms:.0f} ms each leaves "
        f"{budget:.0f} ms per page; while the event loop works on one page, the answers to the "
        "others wait to be read. The first load reads its pages through the same client, "
        "decoding and mapping as the previous design's full read, so the work below applies "
        "to it.",
        "",
        "Done for issue 7 (measured apart, in-process and in interleaved runs on this "
        "machine): a page (~300 KB for 100 keys: LiteLLM sends every column of a key and, with "
        "`expand=user`, the owner's whole row) is decoded by msgspec into just the 13 fields "
        "the mapping reads, about a quarter of the standard library's time, with far less "
        "garbage; `keydash_api.main` freezes the start-up objects and raises the collector's "
        "generation-0 threshold (the collector took 15-20% of a read); the mapping is ~10% "
        "leaner; the fake LiteLLM serves a page as one bytes join (it shares these cores). "
        "Together they cut the API's CPU per 10,000-key read by 35-50% (about 1.0-1.5 s "
        "before, 0.6-0.8 s after, depending on what else the machine runs).",
        "",
        "What is left is mostly the HTTP exchange: reading the same 100 pages "
        f"{fmt.CONCURRENCY} at a time through httpx and parsing nothing took 650-860 ms "
        "here, 1.3-1.7x the floor on its own. httpx, httpcore and h11 spend about 2-2.5 ms of "
        "Python per 300 KB answer, and the fake about 1 ms per page on the other core. What "
        "would close the rest:",
        "",
        "- Fewer bytes per key: without `expand=user` a key is about a third of the size, but "
        "the owner's name and email then need LiteLLM's `/user/list` (far fewer rows than "
        "keys, read once per load). A design change, not a tuning.",
        "- A leaner client for the page reads than httpx (aiohttp, or HTTP/1.1 over asyncio "
        "streams, which read the same pages with about a quarter of the CPU in a side "
        "measurement), kept behind the same retry policy and deadline.",
        "- `ApiKey` is a frozen dataclass: building one costs ~3 µs of the ~12 µs a record "
        "takes to map; a cheaper constructor in the core would save up to ~30 ms per 10,000 "
        "keys.",
        "- More `UPSTREAM_CONCURRENCY` does not help while the read is CPU-bound; a faster CPU "
        "or a separate core for parsing (a process pool) would, at the cost of pickling the "
        "mapped keys back.",
        "",
        "Only a start waits for this read, and only for views that need every key: the default "
        "view answers from one LiteLLM page meanwhile (section 2), and afterwards the sync's "
        "passes read only what changed, behind the users.",
        "",
    ]


def _memory(results: Sequence[SizeResults]) -> list[str]:
    r = next((r for r in results if r.keys == 100_000), None)
    if r is None or math.isnan(r.hwm_mb) or r.hwm_mb <= fmt.TARGET_RSS_MB:
        return []
    per_key = r.memory.api_key_bytes if r.memory else math.nan
    return [
        "### Memory at 100,000 keys",
        "",
        f"Peak RSS {r.hwm_mb:.0f} MB against a target of {fmt.TARGET_RSS_MB:.0f} MB. The "
        f"snapshot itself is about {per_key * r.keys / 2**20:.0f} MB ({per_key:,.0f} B per "
        "key); the search text and each sort order add a few MB. What remains is the "
        "interpreter, the libraries and memory the allocator keeps after the first load. A pass "
        "that publishes changes keeps the served snapshot alive while the next one is indexed, "
        "which doubles the snapshot part for the length of a build.",
        "",
    ]


def _refresh(results: Sequence[SizeResults]) -> list[str]:
    changing = [r for r in results if fmt.PASSES_CHANGING in r.republish]
    worst = max(changing, key=lambda r: r.republish[fmt.PASSES_CHANGING].max, default=None)
    if worst is None or worst.republish[fmt.PASSES_CHANGING].max < 250:
        return []
    run = worst.republish[fmt.PASSES_CHANGING]
    build = max((c.index_build_ms for c in worst.core), default=math.nan)
    return [
        "### The slowest request while passes publish changes",
        "",
        f"At {worst.keys:,} keys the slowest answer while passes published new snapshots took "
        f"{fmt.ms(run.max)} (p99 {fmt.ms(run.p99)}). It did not wait for LiteLLM or for the "
        "pass: the new snapshot's index (search text, default order, filter columns) is built "
        "in a worker thread before the snapshot is swapped in, so no request builds it; but on "
        "CPython that thread shares the interpreter lock with the event loop, and C-level steps "
        "of the build (sorting every key, building tuples of every entry) hold it for tens of "
        f"milliseconds at a time (up to {fmt.ms(build)} per sort order at this size, "
        "section 1), while the pass's pages are parsed on the loop itself. A sync in its own "
        "process, handing the finished snapshot over, would take both off the serving loop.",
        "",
    ]


def _facets(results: Sequence[SizeResults]) -> list[str]:
    big = fmt._by_keys(results, 100_000)
    if big is None or "facets, uncached" not in big.warm:
        return []
    fresh, cached = big.warm["facets, uncached"][1], big.warm["facets"][1]
    if fresh.p99 <= fmt.TARGET_100K_MS:
        return []
    return [
        "### Facets counted afresh at 100,000 keys",
        "",
        f"A facet query Keydash has not answered for this snapshot took {fmt.ms(fresh.p50)} "
        f"at the median and {fmt.ms(fresh.p99)} at p99 (target {fmt.TARGET_100K_MS:.0f} "
        f"ms); the same queries asked again (the filter bar stepping back and forth, other "
        f"admins on the same view) take {fmt.ms(cached.p99)} at p99 from the per-snapshot "
        "cache of answers. Counted afresh, a facet query is a search over every key's text "
        "(~35 ms at this size, in-process), then up to eight counting passes (status, the "
        "yes/no chips, tags, models, teams, owners) over the view or, for a view holding most "
        "keys, over the keys it leaves out; each filter that is set adds one more selection "
        "(its facet is counted with that filter lifted). The passes run in C (map, chain, "
        "Counter) over columns prepared per snapshot, which took them from 250-350 ms to this; "
        "what is left is hashing each value. What would close it: integer codes per distinct "
        "tag, model, team and owner with counting over arrays (a few ms; numpy outside the "
        "core), or per-value position sets kept with the snapshot so a count is an "
        "intersection. The table itself stays within target for the same queries: an uncached "
        "search of 100,000 keys is ~35 ms and an uncached filter 20-45 ms (in-process), and "
        "the warm *search* and *filters* rows above repeat their queries, which Keydash keeps "
        "(the 32 most recent selections per snapshot).",
        "",
    ]


def _spa(spa: dict[str, Any]) -> list[str]:
    timings = spa.get("timings") or []
    default = next((t for t in timings if "default view" in t.label and "repeat" in t.label), None)
    if default is None:
        return []
    chunk = default.median("table_chunk_end")
    sent = default.median("keys_request_start")
    answered = default.median("keys_response_end")
    table = default.median("table")
    if math.isnan(chunk) or math.isnan(sent):
        return []
    return [
        "### Where the time to a table goes",
        "",
        f"With the browser cache warm, the table page's code has arrived by "
        f"{fmt.ms(chunk)}, yet `/api/keys` leaves the browser only at {fmt.ms(sent)} and "
        f"its answer is back {fmt.ms(answered - sent)} later; the rows appear at "
        f"{fmt.ms(table)}. The {fmt.ms(sent - chunk)} between the chunk and the request "
        "is spent in the browser before the table asks for its data, most likely compiling "
        "and rendering the table page on this 2-core machine (a browser CPU profile would "
        "tell); the API's own part is small. Starting the `/api/keys` request as soon as "
        "the route is known (a route loader or a prefetch next to the lazy import), instead "
        "of from the table component after it renders, would overlap that wait with the code.",
        "",
    ]


def render(results: Sequence[SizeResults], spa: dict[str, Any], latency_ms: float) -> list[str]:
    body = _cold(results, latency_ms) + _memory(results) + _facets(results) + _refresh(results)
    body += _spa(spa)
    lines = ["## Misses, causes, and what would close them", ""]
    if not body:
        lines += ["Every target above was met in this run.", ""]
    lines += body
    lines += [
        "## Limits of this benchmark",
        "",
        "- One API process on the same two cores as the fake LiteLLM, the load generator and "
        "the browser; production runs replicas on their own CPUs, and LiteLLM elsewhere.",
        "- The fake answers every page in its configured latency whatever its size; a real "
        "LiteLLM's page time grows with its database load and with the page's offset "
        "(docs/performance-sync.md models it), which the mirror keeps off the requests.",
        "- Loopback networking, no TLS, no NGINX in front of the API (the SPA timing uses a "
        "small Python server in its place).",
        "- Figures move by 10-30% from run to run on a shared machine; ratios between an "
        "approach and its naive counterpart, measured minutes apart, are steadier than the "
        "absolute figures. `--quick` uses shorter runs and is noisier still.",
        "",
    ]
    return lines

"""The SPA: gzipped bytes per screen, and time from navigation to a rendered table in Chromium.

Bytes (spa_bytes.py): the Vite manifest (dist/.vite/manifest.json) names each screen's chunks; a
screen costs its entry chunk and the screen's lazy chunk with their static imports and CSS,
gzipped at level 9 (the same rule as apps/web/scripts/size.mjs). The naive figure is every JS and
CSS file in dist/assets loaded up front, as a single bundle without code splitting would.

Time (spa_timing.py): headless Debian Chromium, driven over the DevTools protocol on a pipe
(chromium.py: no Playwright, no browser download), against a small server that serves dist/ like
NGINX (gzip, SPA fallback) and passes /api to the API (spa_site.py).
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

import processes
from api_requests import FULL_READ_PATH, timed_request
from bench_log import say
from bench_results import Mode
from chromium import CHROMIUM
from spa_bytes import bundle_sizes
from spa_site import serving_site
from spa_timing import time_to_table

ROOT = Path(__file__).resolve().parent.parent


def measure(mode: Mode, fake: processes.Process, workdir: Path) -> dict[str, Any]:
    dist = ROOT / "apps" / "web" / "dist"
    out: dict[str, Any] = {"keys": fake_keys_of(fake)}
    if not (dist / "index.html").exists():
        out["skipped"] = (
            "apps/web/dist is missing: build the SPA first "
            "(`cd apps/web && npm ci && npm run build`)"
        )
        return out
    say("SPA: bundle sizes")
    out["sizes"], out["naive_size"], out["size_method"] = bundle_sizes(dist)
    if not Path(CHROMIUM).exists():
        out["timing_skipped"] = f"{CHROMIUM} is missing: `apt-get install -y chromium`"
        return out
    say("SPA: time to a rendered table in headless Chromium")
    try:
        with (
            processes.start_api(fake.url, workdir, "spa") as api,
            serving_site(dist, api.url) as site,
        ):
            # Every navigation meets a loaded mirror, as an admin does after a replica's first
            # load; the wait before it is section 2's figure, not the browser's.
            timed_request(api, fake.url, processes.log_in(api.url), FULL_READ_PATH)
            paths = {"default view": "/keys", "search": "/keys?search=prod"}
            out["timings"], out["browser"] = time_to_table(site, paths, mode.spa_repeats)
    except Exception as error:  # a browser problem must not lose the rest of the run
        out["timing_skipped"] = f"Chromium run failed: {error}"
        traceback.print_exc()
    return out


def fake_keys_of(fake: processes.Process) -> int:
    status, body, _ = processes.http_json("GET", f"{fake.url}/_fake/stats")
    return int(body["key_count"]) if status == 200 else 0

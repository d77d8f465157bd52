"""Section 3 of bench/sync_bench.py: how soon a key's creation, rename, block and deletion in
LiteLLM show in the API; section 4 (sync_convergence) follows on the same fake."""

from __future__ import annotations

import random
import secrets
import statistics
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sync_procs
from fake_control import fake_post
from processes import http_json
from sync_convergence import convergence
from sync_output import say
from sync_procs import Api
from sync_settings import Mode
from sync_waits import until, wait_ready


def _search(api: Api, alias: str) -> list[dict[str, Any]]:
    code, body = api.get(f"/api/keys?search={quote(alias)}&size=25", timeout=10)
    if code != 200 or not isinstance(body, dict):
        return []
    items: list[dict[str, Any]] = body.get("items", [])
    return items


def visibility_and_convergence(mode: Mode, workdir: Path, results: dict[str, Any]) -> None:
    keys = mode.vis_keys
    say(f"3. starting the fake LiteLLM: {keys:,} keys, --real-latency")
    fake = sync_procs.start_fake(keys, workdir, label="visibility", real_latency=True)
    try:
        try:
            visibility(mode, fake.url, workdir, results)
        except Exception as error:
            results["visibility"] = {"error": repr(error), "trace": traceback.format_exc()}
            say(f"3. failed: {error!r}")
        convergence(mode, fake.url, workdir, results)
    finally:
        sync_procs.stop(fake)


def _shown(
    api: Api, alias: str, *, token: str | None = None, status: str | None = None, gone: bool = False
) -> Callable[[], bool]:
    def check() -> bool:
        found = [
            item
            for item in _search(api, alias)
            if (item.get("alias") == alias if token is None else item.get("id") == token)
            and (status is None or item.get("status") == status)
        ]
        return not found if gone else bool(found)

    return check


def _trial(
    api: Api, fake_url: str, rng: random.Random, interval: float, limit: float
) -> dict[str, float | None]:
    """Create, rename, block and delete one key, each at a random moment; seconds until shown."""
    found: dict[str, float | None] = {}
    alias = f"vis{secrets.token_hex(5)}"
    time.sleep(rng.uniform(0, interval))
    token = str(fake_post(fake_url, "/_fake/keys", {"key_alias": alias})["token"])
    found["create"] = until(_shown(api, alias), limit)
    renamed = f"vis{secrets.token_hex(5)}"
    time.sleep(rng.uniform(0, interval))
    fake_post(fake_url, f"/_fake/keys/{token}/update", {"key_alias": renamed})
    found["update"] = until(_shown(api, renamed, token=token), limit)
    time.sleep(rng.uniform(0, interval))
    fake_post(fake_url, f"/_fake/keys/{token}/block")
    found["block"] = until(_shown(api, renamed, token=token, status="blocked"), limit)
    time.sleep(rng.uniform(0, interval))
    code, body, _ = http_json("DELETE", f"{fake_url}/_fake/keys/{token}", timeout=30)
    if code != 200:
        raise RuntimeError(f"DELETE /_fake/keys answered HTTP {code}: {body}")
    found["delete"] = until(_shown(api, renamed, token=token, gone=True), limit)
    return found


def visibility(mode: Mode, fake_url: str, workdir: Path, results: dict[str, Any]) -> None:
    interval = mode.vis_interval_s
    settings = {"SYNC_INTERVAL_SECONDS": f"{interval:g}"}
    api = sync_procs.start_api(fake_url, workdir, "visibility", settings)
    record: dict[str, Any] = {
        "keys": mode.vis_keys,
        "interval_s": interval,
        "target_s": interval + 1,
        "fake_command": sync_procs.fake_command(mode.vis_keys, real_latency=True),
    }
    results["visibility"] = record
    try:
        wait_ready(api, 600)
        rng = random.Random(5)  # noqa: S311 - moments, not secrets
        delays: dict[str, list[float | None]] = {
            "create": [],
            "update": [],
            "block": [],
            "delete": [],
        }
        limit = 3 * interval + 10
        for trial in range(mode.vis_trials):
            for kind, delay in _trial(api, fake_url, rng, interval, limit).items():
                delays[kind].append(delay)
            say(f"3. trial {trial + 1}: " + ", ".join(f"{k} {v[-1]}" for k, v in delays.items()))
        record["delays_s"] = delays
        record["stats"] = {
            kind: {
                "max_s": max((d for d in values if d is not None), default=None),
                "p50_s": statistics.median([d for d in values if d is not None])
                if any(d is not None for d in values)
                else None,
                "timeouts": sum(1 for d in values if d is None),
            }
            for kind, values in delays.items()
        }
    finally:
        sync_procs.stop(api.child)

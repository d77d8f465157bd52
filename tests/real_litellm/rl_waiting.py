"""Waiting for Keydash: ready, a sync after a write, a change shown. Every wait is bounded."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from rl_common import READY_BOUND_SECONDS, SYNC_INTERVAL_SECONDS, NotYet, eventually
from rl_keydash import KeydashClient

T = TypeVar("T")


def wait_ready(client: KeydashClient, probe_search: str, bound: float = READY_BOUND_SECONDS) -> str:
    """Wait (bounded) until Keydash can answer views that need every key.

    Mirror design: until `/api/status` says `sync.state == "ready"` such views answer 503
    `mirror_loading`. Before the mirror exists (`/api/status` is 404) this polls a search until
    it answers 200. Returns "status" or "fallback", saying which way readiness was seen.
    """

    def check() -> str:
        response = client.status()
        if response.status_code != 200:
            # 404: no mirror yet. Anything else (a half-built status): the checks that need the
            # status endpoint fail on their own; the rest of the suite still gets a ready Keydash.
            search = client.keys(search=probe_search)
            if search.status_code != 200:
                raise NotYet(f"search answers {search.status_code}: {search.text[:300]}")
            return f"fallback (/api/status HTTP {response.status_code})"
        sync = response.json().get("sync") or {}
        if sync.get("state") != "ready":
            raise NotYet(f"sync not ready yet: {sync}")
        return "status"

    return eventually(check, bound=bound, what="Keydash ready")


# The names a completed sync's time may have in /api/status's `sync` object (the spec names only
# `state`); the first one present is used.
_SYNC_DONE_FIELDS = (
    "last_success_at",
    "last_completed_at",
    "last_sync_at",
    "completed_at",
    "finished_at",
    "as_of",
)


def last_sync_completed(client: KeydashClient) -> datetime | None:
    """When Keydash's last sync completed, per /api/status; None if it does not say."""
    response = client.status()
    if response.status_code != 200:
        return None
    sync = response.json().get("sync") or {}
    for name in _SYNC_DONE_FIELDS:
        value = sync.get(name)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                return datetime.fromisoformat(value)
    return None


def until_shown(check: Callable[[], T], *, bound: float, what: str) -> T:
    """Poll `check` (raising NotYet/AssertionError while Keydash does not show it yet)."""
    return eventually(check, bound=bound, what=what, every=0.5)


def settle_after(client: KeydashClient, last_write: datetime, bound: float) -> bool:
    """Wait until a sync that started after `last_write` has completed, then one more interval.

    Returns False when /api/status does not tell (no mirror yet): the caller then just polls.
    """

    def check() -> bool:
        done = last_sync_completed(client)
        if done is None:
            return False
        if done <= last_write:
            raise NotYet(f"last sync completed {done.isoformat()}, before the last write")
        return True

    told = eventually(check, bound=bound, what="a sync after the last write")
    if told:
        time.sleep(SYNC_INTERVAL_SECONDS)
    return told

"""The sync loop: keeps this replica's mirror of LiteLLM's keys current, in the background.

Started with the process, it loads every key once (paced, with progress), then every interval
reads only what changed, and rarely walks everything to reconcile. Requests never wait for it:
they read the last published snapshot. One loop, so passes never stack; a reconcile walk runs
beside it, at most one at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from keydash_core.errors import UpstreamError
from keydash_core.freshness import Freshness, SyncProgress, SyncState, SyncStatus
from keydash_core.mirror import KeyMirror
from keydash_core.ports import Clock
from keydash_core.query import KeySnapshot

from keydash_adapters.litellm.observer import NullObserver, SyncReport, UpstreamObserver
from keydash_adapters.litellm.reader import PageReader
from keydash_adapters.litellm.sync_health import SyncHealth, retry_delay
from keydash_adapters.litellm.sync_passes import FirstLoad, incremental_pass, reconcile_walk
from keydash_adapters.litellm.sync_settings import SyncSettings

__all__ = ["KeySync", "SyncSettings"]


class KeySync:
    def __init__(
        self,
        reader: PageReader,
        clock: Clock,
        settings: SyncSettings | None = None,
        *,
        prepare: Callable[[KeySnapshot], Awaitable[None]] | None = None,
        observer: UpstreamObserver | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._reader = reader
        self._clock = clock
        self.settings = settings or SyncSettings()
        self._prepare = prepare
        self._observer = observer or NullObserver()
        self._monotonic = monotonic
        self.mirror = KeyMirror()
        self._published: KeySnapshot | None = None
        self._publish_lock = asyncio.Lock()
        self._first = FirstLoad()
        self._state = SyncState.STARTING
        self._watermark: datetime | None = None
        self._load_as_of: datetime | None = None
        self.health = SyncHealth(clock, self.settings.interval_seconds)
        self._archive = True
        self._mismatches = 0
        self.order_ignored = False  # LiteLLM ignores sort_by=updated_at: passes read every page
        self._reconcile: asyncio.Task[None] | None = None
        self._next_reconcile = monotonic() + self.settings.reconcile_seconds
        self._last_reconcile_end = monotonic()
        self._wake = asyncio.Event()
        self.passes = 0

    @property
    def ready(self) -> bool:
        return self._published is not None

    def snapshot(self) -> KeySnapshot | None:
        return self._published

    def progress(self) -> SyncProgress:
        if self.ready:
            return SyncProgress(loaded=len(self.mirror), total=len(self.mirror), eta_seconds=0.0)
        return self._first.progress(len(self.mirror), self._monotonic())

    def freshness(self) -> Freshness:
        return self.health.freshness()

    @property
    def last_failure(self) -> UpstreamError | None:
        return self.health.last_failure

    def status(self) -> SyncStatus:
        return SyncStatus(
            state=self._state,
            progress=self.progress(),
            last_success_at=self.health.as_of,
            last_error=self.health.last_error,
            mirrored_keys=len(self._published.keys) if self._published else 0,
            interval_seconds=self.settings.interval_seconds,
        )

    async def run(self) -> None:
        failures = 0
        while True:
            try:
                await self.run_once()
            except UpstreamError:
                failures += 1
            except Exception as error:
                failures += 1
                self._fail_unexpectedly(error)
            else:
                failures = 0
            await self._pause(retry_delay(self.settings, failures, loaded=self.ready))

    def wake(self) -> None:
        """Run the next pass now (tests, and an admin's manual refresh)."""
        self._wake.set()

    async def run_once(self) -> None:
        kind = "first_load" if not self.ready else "incremental"
        started, requests = self._monotonic(), self._reader.requests
        began = self._clock.now()
        try:
            report = await (self._first_load() if kind == "first_load" else self._incremental())
        except UpstreamError as error:
            self._fail(kind, error, self._monotonic() - started, self._reader.requests - requests)
            raise
        self.health.succeeded(began if kind != "first_load" else self._load_as_of)
        self.passes += 1
        self._observer.sync_finished(
            SyncReport(
                kind=kind,
                seconds=self._monotonic() - started,
                requests=self._reader.requests - requests,
                **report,
                mirrored=len(self.mirror),
                order_ignored=self.order_ignored,
            )
        )

    async def _first_load(self) -> dict[str, int]:
        self._state = SyncState.LOADING
        if self._first.began is None:
            self._first.began = self._monotonic()
            self._load_as_of = self._clock.now()
        settings = self.settings
        await self._first.run(
            self._reader,
            self.mirror,
            size=settings.page_size,
            concurrency=settings.concurrency,
            max_keys=settings.max_keys,
        )
        self._watermark = self._first.started_at
        self.mirror.set_upstream_total(self._first.total)
        await self._publish()
        self._state = SyncState.READY
        self.wake()  # catch up at once with what changed while the load ran
        return {"changed": len(self.mirror), "removed": 0}

    async def _incremental(self) -> dict[str, int]:
        assert self._watermark is not None
        settings = self.settings
        result = await incremental_pass(
            self._reader,
            self.mirror,
            watermark=self._watermark,
            overlap=timedelta(seconds=settings.overlap_seconds),
            size=settings.page_size,
            max_pages=settings.max_incremental_pages,
            archive=self._archive,
        )
        self._watermark, self.order_ignored = result.read_at, result.order_ignored
        if result.archive_total is None:
            self._archive = False
        self.mirror.set_upstream_total(result.live_total)
        # Counts apart twice in a row (not one create racing the read): something was missed.
        self._mismatches = self._mismatches + 1 if len(self.mirror) != result.live_total else 0
        self._maybe_reconcile(result.needs_reconcile or self._mismatches >= 2)
        await self._publish()
        return {"changed": result.changed, "removed": result.removed}

    def _maybe_reconcile(self, urgent: bool) -> None:
        if self._reconcile is not None:
            return
        now = self._monotonic()
        gap = min(self.settings.reconcile_seconds, max(60.0, 10 * self.settings.interval_seconds))
        if now >= self._next_reconcile or (urgent and now - self._last_reconcile_end >= gap):
            self._reconcile = asyncio.ensure_future(self.reconcile())

    async def reconcile(self) -> None:
        """Walk every key once and fix what passes missed (scheduled; tests call it directly)."""
        started, requests = self._monotonic(), self._reader.requests
        settings = self.settings
        try:
            result = await reconcile_walk(
                self._reader,
                self.mirror,
                size=settings.page_size,
                max_keys=settings.max_keys,
                pause_seconds=settings.reconcile_pause_seconds,
                verify_limit=settings.verify_limit,
            )
            await self._publish()
        except UpstreamError as error:
            self._fail("reconcile", error, self._monotonic() - started, 0)
        else:
            # Ask the archive again after each walk: one odd answer must not end its use for good.
            self._mismatches, self._archive = 0, True
            self._observer.sync_finished(
                SyncReport(
                    kind="reconcile",
                    seconds=self._monotonic() - started,
                    requests=self._reader.requests - requests,
                    changed=result.changed,
                    removed=result.removed,
                    mirrored=len(self.mirror),
                )
            )
        finally:
            self._reconcile = None
            self._last_reconcile_end = self._monotonic()
            self._next_reconcile = self._last_reconcile_end + settings.reconcile_seconds

    async def _publish(self) -> None:
        async with self._publish_lock:
            self.mirror.expire(self._clock.now())
            snapshot = self.mirror.snapshot(self._clock.now())
            if snapshot is self._published:
                return
            if self._prepare is not None:
                await self._prepare(snapshot)
            self._published = snapshot

    def _fail(self, kind: str, error: UpstreamError, seconds: float, requests: int) -> None:
        problem = self.health.failed(error)
        age = self.health.served_age_seconds()
        self._observer.sync_failed(kind, problem.code, problem.message, age, seconds, requests)

    def _fail_unexpectedly(self, error: Exception) -> None:
        self.health.failed_unexpectedly(error)
        self._observer.sync_failed("pass", "internal_error", repr(error)[:300], None, 0.0, 0)

    async def _pause(self, seconds: float) -> None:
        # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancellation that arrives
        # as the event is set, and the app's shutdown then waits for this loop forever.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._wake.wait()
        self._wake.clear()

    async def stop(self) -> None:
        if self._reconcile is not None:
            self._reconcile.cancel()

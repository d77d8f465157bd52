"""The three reads a sync makes of LiteLLM: the first load, an incremental pass, a reconcile walk.

Each reads pages and merges them into the mirror; none publishes or schedules (sync.py does).
"""

from __future__ import annotations

import asyncio
import operator
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from keydash_core.errors import UpstreamHttpError
from keydash_core.freshness import SyncProgress
from keydash_core.keys import ApiKey
from keydash_core.mirror import KeyMirror

from keydash_adapters.litellm.key_list import KeyListRequest
from keydash_adapters.litellm.reader import KeyPage, PageReader

CHANGED_FIRST = KeyListRequest(sort_by="updated_at", sort_order="desc")
ARCHIVE = KeyListRequest(status="deleted", sort_by="updated_at", sort_order="desc")


def trackable(key: ApiKey) -> bool:
    """A key LiteLLM names (by its token): passes in other orders can find it again."""
    return "token" not in key.unreadable_fields and "record" not in key.unreadable_fields


def newer_or_same(key: ApiKey, mirror: KeyMirror) -> bool:
    """A walked key may replace the mirror's unless an incremental pass saw a later version."""
    known = mirror.get(key.id)
    if known is None or known.updated_at is None or key.updated_at is None:
        return True
    return key.updated_at >= known.updated_at


@dataclass
class FirstLoad:
    """Progress of the first full read; kept across failed attempts so a retry resumes."""

    started_at: datetime | None = None  # LiteLLM's clock when page 1 answered
    began: float | None = None  # our monotonic clock when the first attempt began
    total: int | None = None
    pages_known: int = 1
    done: set[int] = field(default_factory=set)

    async def run(
        self, reader: PageReader, mirror: KeyMirror, *, size: int, concurrency: int, max_keys: int
    ) -> None:
        page_cap = max(1, -(-max_keys // size))
        if 1 not in self.done:
            first = await reader.read(1, size, start=0)
            if self.started_at is None:
                self.started_at = first.read_at
            self._take(1, first, mirror, page_cap)
        queue = [page for page in range(2, self.pages_known + 1) if page not in self.done]
        next_new = self.pages_known + 1

        async def worker() -> None:
            nonlocal next_new
            while True:
                if queue:
                    page = queue.pop(0)
                elif next_new <= self.pages_known:
                    # Keys created while we read grow the page count: read until it stops.
                    page, next_new = next_new, next_new + 1
                else:
                    return
                found = await reader.read(page, size, start=(page - 1) * size)
                self._take(page, found, mirror, page_cap)

        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(max(1, concurrency)):
                    group.create_task(worker())
        except ExceptionGroup as failures:
            # The first failure explains the read; the group cancelled the other workers.
            raise failures.exceptions[0] from None

    def progress(self, loaded: int, now: float) -> SyncProgress:
        eta = None
        if self.began is not None and self.total and loaded:
            eta = round(max(0.0, self.total - loaded) * (now - self.began) / loaded, 1)
        return SyncProgress(loaded=loaded, total=self.total, eta_seconds=eta)

    def _take(self, page: int, found: KeyPage, mirror: KeyMirror, page_cap: int) -> None:
        for key in found.keys:
            mirror.put(key)
        self.done.add(page)
        self.total = max(self.total or 0, found.total_count)
        self.pages_known = min(max(self.pages_known, found.total_pages), page_cap)


@dataclass(frozen=True)
class PassResult:
    read_at: datetime  # LiteLLM's clock when the pass began: the next pass's watermark
    changed: int
    removed: int
    live_total: int
    archive_total: int | None
    needs_reconcile: bool
    order_ignored: bool = False  # a page out of updated_at order: LiteLLM ignored sort_by


async def incremental_pass(
    reader: PageReader,
    mirror: KeyMirror,
    *,
    watermark: datetime,
    overlap: timedelta,
    size: int,
    max_pages: int,
    archive: bool,
) -> PassResult:
    """Keys written since the watermark (newest writes first), then the archive's first page.

    LiteLLM moves `updated_at` on every write to a key row; reading in that order until past the
    watermark (minus an overlap for equal timestamps and clocks apart) finds every change. A
    LiteLLM that ignores sort_by (a page out of order) has every page read, up to max_pages.
    """
    cutoff = watermark - overlap
    changed, page, needs_reconcile = 0, 1, False
    newcomers: list[ApiKey] = []
    ordered = True
    while True:
        found = await reader.read(page, size, CHANGED_FIRST)
        if page == 1:
            began, live_total = found.read_at, found.total_count
        # Within one page only: writes between two reads shift later pages up.
        stamps = [key.updated_at for key in found.keys if key.updated_at is not None]
        ordered = ordered and all(map(operator.ge, stamps, stamps[1:]))
        # Keys without a readable token are named by their place in the default order: only the
        # first load and the reconcile, which read in that order, can keep them apart.
        tracked = [key for key in found.keys if trackable(key)]
        newcomers += [key for key in tracked if key.id not in mirror]
        changed += sum(1 for key in tracked if mirror.put(key))
        last = found.keys[-1].updated_at if found.keys else None
        if len(found.keys) < size or (ordered and last is not None and last < cutoff):
            break
        if page >= max_pages:
            # More changed than a few pages hold: a walk is cheaper than paging this order.
            needs_reconcile = True
            break
        page += 1
    removed, archive_total = await _retire_regenerated(reader, mirror, newcomers, cutoff), None
    if archive:
        gone, archive_total = await _archive_pass(reader, mirror, size)
        removed += gone
    return PassResult(
        began, changed, removed, live_total, archive_total, needs_reconcile, not ordered
    )


async def _retire_regenerated(
    reader: PageReader, mirror: KeyMirror, newcomers: list[ApiKey], cutoff: datetime
) -> int:
    """Old keys a regeneration replaced: LiteLLM gives the row a new token, archives nothing.

    A newcomer created long before this pass is such a row (or one inserted by hand). A mirrored
    key with its creation time, owner, team and alias is its former self when LiteLLM, asked by
    exact token, no longer has it. Without this the old token stayed until the next reconcile.
    """
    signature = _row_signature
    wanted = {signature(key) for key in newcomers if key.created_at and key.created_at < cutoff}
    if not wanted:
        return 0
    fresh = {key.id for key in newcomers}
    suspects = [
        key.id for key in mirror.every_key() if key.id not in fresh and signature(key) in wanted
    ]
    removed = 0
    for key_id in suspects[:_MAX_REGENERATION_CHECKS]:
        check = await reader.read(1, 1, KeyListRequest(key_hash=key_id))
        if not any(key.id == key_id for key in check.keys):
            removed += mirror.remove(key_id)
    return removed


_MAX_REGENERATION_CHECKS = 20


def _row_signature(key: ApiKey) -> tuple[object, ...]:
    return (key.created_at, key.owner_id, key.team_id, key.alias)


async def _archive_pass(reader: PageReader, mirror: KeyMirror, size: int) -> tuple[int, int | None]:
    try:
        found = await reader.read(1, size, ARCHIVE)
    except UpstreamHttpError as error:
        if error.status in (400, 422):
            return 0, None  # a LiteLLM without the archive: deletions wait for the reconcile
        raise
    if found.keys and not found.archived:
        # An older LiteLLM ignored status=deleted and listed live keys: remove nothing.
        return 0, None
    removed = 0
    for key_id, deleted_at in found.deleted_at.items():
        known = mirror.get(key_id)
        written = known.updated_at if known is not None else None
        # A key made again with the same secret is live and archived at once: the later wins.
        if written is not None and written > deleted_at:
            continue
        removed += mirror.remove(key_id)
    return removed, found.total_count


@dataclass(frozen=True)
class WalkResult:
    changed: int
    removed: int
    seen: int


async def reconcile_walk(
    reader: PageReader,
    mirror: KeyMirror,
    *,
    size: int,
    max_keys: int,
    pause_seconds: float,
    verify_limit: int,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> WalkResult:
    """Every page once, one at a time with a pause between: LiteLLM barely notices.

    Pages shift under deletions and keys are created behind the walk: a key it did not meet is
    removed only once LiteLLM confirms, by an exact lookup, that it is gone.
    """
    seen: set[str] = set()
    changed, page, pages = 0, 1, 1
    page_cap = max(1, -(-max_keys // size))
    while page <= pages:
        found = await reader.read(page, size, start=(page - 1) * size)
        pages = min(max(pages, found.total_pages), page_cap)
        for key in found.keys:
            seen.add(key.id)
            if newer_or_same(key, mirror) and mirror.put(key):
                changed += 1
        page += 1
        if page <= pages and pause_seconds > 0:
            await sleep(pause_seconds)
    candidates = [key_id for key_id in list(mirror.ids()) if key_id not in seen]
    removed = 0
    for key_id in candidates[:verify_limit]:
        check = await reader.read(1, 1, KeyListRequest(key_hash=key_id))
        if not any(key.id == key_id for key in check.keys) and mirror.remove(key_id):
            removed += 1
    return WalkResult(changed, removed, len(seen))

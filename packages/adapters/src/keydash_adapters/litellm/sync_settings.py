"""What a sync does how often, settable from the API's settings (SYNC_* and friends)."""

from __future__ import annotations

from dataclasses import dataclass

from keydash_adapters.litellm.reader import LITELLM_MAX_PAGE_SIZE


@dataclass(frozen=True)
class SyncSettings:
    interval_seconds: float = 30.0
    reconcile_seconds: float = 3600.0
    overlap_seconds: float = 10.0
    page_size: int = LITELLM_MAX_PAGE_SIZE
    concurrency: int = 4
    max_keys: int = 1_000_000
    reconcile_pause_seconds: float = 0.2
    max_incremental_pages: int = 20
    verify_limit: int = 200
    retry_max_seconds: float = 60.0

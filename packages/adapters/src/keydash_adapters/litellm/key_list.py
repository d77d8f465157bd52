"""What one call to LiteLLM's `GET /key/list` asks for and what it answers, apart from the client
that makes the call, so that the readers and the sync can speak of pages without the HTTP layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class KeyListPage:
    records: list[Any]
    total_count: int
    total_pages: int
    # LiteLLM's own clock when it answered (its Date header), for sync watermarks.
    server_time: datetime | None = None


@dataclass(frozen=True)
class KeyListRequest:
    """What to ask `/key/list` beyond the page: LiteLLM's sort and filters, None for its own."""

    sort_by: str | None = None
    sort_order: str = "desc"
    status: str | None = None
    key_hash: str | None = None


# Every key, in LiteLLM's own order: the one order it gives with a tie-breaker.
DEFAULT_ORDER = KeyListRequest()

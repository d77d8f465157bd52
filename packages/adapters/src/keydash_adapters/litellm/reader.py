"""One `/key/list` page as Keydash keys: the request bound, old LiteLLMs' bare hashes, mapping."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from keydash_core.errors import UpstreamBadResponse
from keydash_core.keys import ApiKey
from keydash_core.ports import Clock

from keydash_adapters.litellm.client import LiteLLMKeyListClient
from keydash_adapters.litellm.key_list import DEFAULT_ORDER, KeyListPage, KeyListRequest
from keydash_adapters.litellm.mapping import to_api_key, unreadable_record

LITELLM_MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class KeyPage:
    keys: tuple[ApiKey, ...]
    total_count: int
    total_pages: int
    # LiteLLM's clock when it answered, else ours: when this page was true.
    read_at: datetime
    # Our clock when the answer arrived: what an admin is told about the data's age.
    received_at: datetime
    # Every record carries deleted_at: rows of LiteLLM's archive of deleted keys.
    archived: bool = False
    # For archive rows: when each token was deleted (a token can be archived and live again).
    deleted_at: dict[str, datetime] = field(default_factory=dict)


class PageReader:
    def __init__(
        self,
        client: LiteLLMKeyListClient,
        clock: Clock,
        *,
        concurrency: int = 4,
        limit: asyncio.Semaphore | None = None,
    ) -> None:
        self._client = client
        self._clock = clock
        # One bound for every call this replica makes to LiteLLM: readers share it (the sync's
        # and the views'), each counting its own requests.
        self.limit = limit or asyncio.Semaphore(max(1, concurrency))
        self.requests = 0

    async def read(
        self, page: int, size: int, request: KeyListRequest = DEFAULT_ORDER, *, start: int = 0
    ) -> KeyPage:
        async with self.limit:
            found = await self._fetch(page, size, request)
        now = self._clock.now()
        keys = tuple(to_api_keys(found.records, now=now, start=start))
        deleted_at = _deletion_times(found.records)
        # Every row an archive row (one token may have several: made again, deleted again).
        archived = sum(_has_deletion_time(record) for record in found.records) == len(keys)
        return KeyPage(
            keys,
            found.total_count,
            found.total_pages,
            found.server_time or now,
            now,
            archived,
            deleted_at,
        )

    async def _fetch(self, page: int, size: int, request: KeyListRequest) -> KeyListPage:
        self.requests += 1
        result = await self._client.fetch_page(page, size, request=request)
        if any(isinstance(record, str) for record in result.records):
            # An older LiteLLM ignores expand=user and sends bare hashes: ask for full objects.
            self.requests += 1
            result = await self._client.fetch_page(page, size, full_object=True, request=request)
            if any(isinstance(record, str) for record in result.records):
                raise UpstreamBadResponse("LiteLLM sent bare key hashes instead of key objects")
        return result


def _has_deletion_time(record: Any) -> bool:
    return isinstance(record, dict) and isinstance(record.get("deleted_at"), str)


def _deletion_times(records: list[Any]) -> dict[str, datetime]:
    times: dict[str, datetime] = {}
    for record in records:
        if not isinstance(record, dict):
            continue
        token, value = record.get("token"), record.get("deleted_at")
        if isinstance(token, str) and isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                continue
            # Several archive rows per token are possible: the latest deletion counts.
            moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
            times[token] = max(moment, times.get(token, moment))
    return times


def to_api_keys(records: Iterable[Any], *, now: datetime, start: int = 0) -> Iterable[ApiKey]:
    for position, record in enumerate(records, start):
        if isinstance(record, dict):
            yield to_api_key(record, now=now, position=position)
        else:
            yield unreadable_record(record, position=position)

"""A KeySync wired to the fake LiteLLM in-process (httpx's ASGI transport): real HTTP semantics,
no sockets, and the fake's own clock for both sides, so watermarks are exact."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import httpx
from keydash_adapters.litellm.client import LiteLLMKeyListClient
from keydash_adapters.litellm.reader import PageReader
from keydash_adapters.litellm.retry import RetryPolicy
from keydash_adapters.litellm.sync import KeySync, SyncSettings
from keydash_fakes.litellm import FakeLiteLLM, generate_keys
from keydash_fakes.litellm.server import create_app

MASTER_KEY = "sk-sync-test-master-key-000000"


class FakeClock:
    def __init__(self, fake: FakeLiteLLM) -> None:
        self.fake = fake

    def now(self) -> datetime:
        return self.fake.now()


def make_fake(count: int, seed: int = 3) -> FakeLiteLLM:
    return FakeLiteLLM(keys=generate_keys(count, seed=seed), master_key=MASTER_KEY)


@asynccontextmanager
async def wired_sync(
    fake: FakeLiteLLM, *, api_key: str = MASTER_KEY, **settings: Any
) -> AsyncIterator[KeySync]:
    transport = httpx.ASGITransport(app=create_app(fake))
    async with httpx.AsyncClient(transport=transport, base_url="http://fake") as http:
        client = LiteLLMKeyListClient(
            http,
            api_key=api_key,
            timeout=httpx.Timeout(5.0),
            policy=RetryPolicy(max_attempts=1, deadline_seconds=5.0),
        )
        clock = FakeClock(fake)
        reader = PageReader(client, clock, concurrency=4)
        options: dict[str, Any] = {"reconcile_pause_seconds": 0.0, **settings}
        sync = KeySync(reader, clock, SyncSettings(**options))
        try:
            yield sync
        finally:
            await sync.stop()


def mirrored(sync: KeySync) -> dict[str, str | None]:
    snapshot = sync.snapshot()
    assert snapshot is not None
    return {key.id: key.updated_at.isoformat() if key.updated_at else None for key in snapshot.keys}


def truth(fake: FakeLiteLLM) -> dict[str, str | None]:
    return {row["token"]: _iso(row["updated_at"]) for row in fake.truth()["live"]}


def _iso(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()


def requests(sync: KeySync) -> int:
    return sync._reader.requests

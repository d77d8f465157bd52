"""A scripted LiteLLM for client and repository unit tests, on httpx's in-process transport."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
from keydash_adapters.litellm.client import LiteLLMKeyListClient
from keydash_adapters.litellm.mirrored_repository import MirroredKeyRepository
from keydash_adapters.litellm.reader import PageReader
from keydash_adapters.litellm.retry import RetryPolicy
from keydash_adapters.litellm.sync import KeySync, SyncSettings
from keydash_fakes.memory import FixedClock

Responder = Callable[[httpx.Request], httpx.Response]


def record(token: str, **fields: Any) -> dict[str, Any]:
    return {"token": token, "key_name": f"sk-...{token[-4:]}", **fields}


def page_body(records: list[Any], total: int, size: int, page: int = 1) -> dict[str, Any]:
    return {
        "keys": records,
        "total_count": total,
        "current_page": page,
        "total_pages": -(-total // size),
    }


class PagedLiteLLM:
    """Serves a fixed list of records page by page, counting calls and peak concurrency."""

    def __init__(self, records: list[dict[str, Any]], delay: float = 0.0) -> None:
        self.records = records
        self.delay = delay
        self.calls: list[httpx.Request] = []
        self.in_flight = 0
        self.peak = 0

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            page = int(request.url.params["page"])
            size = int(request.url.params["size"])
            chunk = self.records[(page - 1) * size : page * size]
            return httpx.Response(200, json=page_body(chunk, len(self.records), size, page))
        finally:
            self.in_flight -= 1


def scripted(*responses: httpx.Response | Exception) -> tuple[Responder, list[httpx.Request]]:
    """Answers each call with the next scripted response (the last one repeats)."""
    calls: list[httpx.Request] = []

    def respond(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        answer = responses[min(len(calls), len(responses)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer

    return respond, calls


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode(), headers=headers or {})


def make_client(
    handler: Any, *, policy: RetryPolicy | None = None, api_key: str = "sk-master-test"
) -> LiteLLMKeyListClient:
    http = httpx.AsyncClient(base_url="http://litellm.test", transport=httpx.MockTransport(handler))
    return LiteLLMKeyListClient(
        http,
        api_key=api_key,
        timeout=httpx.Timeout(5.0),
        policy=policy or RetryPolicy(base_delay_seconds=0.001, max_delay_seconds=0.002),
    )


def make_sync(
    handler: Any, *, policy: RetryPolicy | None = None, concurrency: int = 4, **settings: Any
) -> tuple[KeySync, PageReader]:
    """A sync over a stub LiteLLM; `settings` are SyncSettings fields."""
    reader = PageReader(make_client(handler, policy=policy), FixedClock(), concurrency=concurrency)
    options = {"concurrency": concurrency, "reconcile_pause_seconds": 0.0, **settings}
    return KeySync(reader, FixedClock(), SyncSettings(**options)), reader


def make_repository(
    handler: Any, *, page_ttl_seconds: float = 10.0, **options: Any
) -> MirroredKeyRepository:
    sync, reader = make_sync(handler, **options)
    return MirroredKeyRepository(sync, reader, page_ttl_seconds=page_ttl_seconds)

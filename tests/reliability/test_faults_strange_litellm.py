"""LiteLLMs stranger than the fake: a bare ASGI app answering /key/list with exactly the bytes (and
pauses) a test gives it. Numbers that are not finite, records that are not objects, a page count
that lies, JSON nested too deep, a body that trickles in: each is a partial row or a documented
error, in bounded calls and time, never a 500."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from faults_settings import ATTEMPTS, FULL_READ, READ_TIMEOUT
from reliability_answers import assert_envelope, await_mirror
from reliability_clients import login_body
from reliability_in_process import build_app, serving
from reliability_leak_guard import watched


def _raw_litellm(chunks_for_page: Any) -> Any:
    """A bare ASGI app answering /key/list with exactly the bytes (and pauses) it is given."""
    calls: list[str] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        query = scope["query_string"].decode()
        calls.append(query)
        status, chunks = chunks_for_page(query)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        for chunk in chunks:
            if isinstance(chunk, float):
                await asyncio.sleep(chunk)
            else:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    app.calls = calls  # type: ignore[attr-defined]
    return app


STRANGE_SETTINGS: dict[str, Any] = {
    "upstream_read_timeout_seconds": READ_TIMEOUT,
    "upstream_deadline_seconds": 2.0,
    "cache_ttl_seconds": 0,
}


@dataclass
class Reading:
    default: httpx.Response  # the default view, read from one LiteLLM page per request
    default_seconds: float
    mirrored: httpx.Response  # a view needing every key: the mirror, or the sync's error
    mirror_seconds: float  # from the app's start until that answer


def _read_in_process(url: str, **overrides: Any) -> Reading:
    """An in-process app with its sync (lifespan) against `url`: the default view before the first
    load ends, then a view that needs every key once the first load ended or failed."""
    app, _ = build_app(litellm_base_url=url, **{**STRANGE_SETTINGS, **overrides})
    started = time.monotonic()
    with TestClient(app) as client:
        watched(client)
        assert client.post("/api/auth/login", json=login_body()).status_code == 200
        began = time.monotonic()
        default = client.get("/api/keys")
        default_seconds = time.monotonic() - began
        mirrored = await_mirror(client, FULL_READ, seconds=120)
        return Reading(default, default_seconds, mirrored, time.monotonic() - started)


def _record(n: int, **fields: Any) -> dict[str, Any]:
    return {"token": f"{n:064x}", "key_name": f"sk-...{n:04d}", **fields}


def test_non_finite_numbers_are_not_a_500() -> None:
    body = b'{"keys": [{"token": "a", "spend": NaN, "max_budget": Infinity}, {"token": "b", '
    body += b'"spend": -Infinity}], "total_count": 2, "total_pages": 1}'
    upstream = _raw_litellm(lambda query: (200, [body]))
    with serving(upstream) as url:
        app, _ = build_app(litellm_base_url=url, **STRANGE_SETTINGS)
        with TestClient(app) as client:
            watched(client)
            assert client.post("/api/auth/login", json=login_body()).status_code == 200
            assert await_mirror(client).status_code == 200
            for sort in ("spend", "max_budget"):
                for order in ("asc", "desc"):
                    params = {"sort_by": sort, "sort_order": order}
                    response = client.get("/api/keys", params=params)
                    assert response.status_code == 200, response.text


def test_non_finite_numbers_are_reported_as_partial() -> None:
    body = b'{"keys": [{"token": "a", "spend": NaN}, {"token": "b", "max_budget": Infinity}], '
    body += b'"total_count": 2, "total_pages": 1}'
    upstream = _raw_litellm(lambda query: (200, [body]))
    with serving(upstream) as url:
        reading = _read_in_process(url)
    assert reading.default.json()["partial_count"] == 2
    assert reading.mirrored.json()["partial_count"] == 2


def test_records_that_are_not_objects_are_kept_as_partial_rows() -> None:
    keys: list[Any] = [_record(1), 42, True, ["a", "list"], {"no": "token"}]
    body = json.dumps({"keys": keys, "total_count": 5, "total_pages": 1}).encode()
    upstream = _raw_litellm(lambda query: (200, [body]))
    with serving(upstream) as url:
        reading = _read_in_process(url)
    for response in (reading.default, reading.mirrored):
        assert response.status_code == 200, response.text
        assert response.json()["total_keys"] == 5
        assert response.json()["partial_count"] == 4


def _first_load_calls(calls: list[str]) -> list[str]:
    """Calls in LiteLLM's default order with no filter: the first load's pages (and the default
    view's), not the incremental pass's or the archive's."""
    return [query for query in calls if "sort_by=" not in query and "status=" not in query]


@pytest.mark.parametrize(
    "claimed_pages",
    [pytest.param(300, id="300"), pytest.param(10**9, id="a-billion", marks=pytest.mark.slow)],
)
def test_a_page_count_that_lies_is_bounded(claimed_pages: int) -> None:
    # LiteLLM claims many pages but has one key: the first load must end, in bounded calls and
    # time (MAX_KEYS bounds the pages it follows).
    max_keys = 200_000

    def page(query: str) -> tuple[int, list[bytes]]:
        keys = [_record(1)] if "page=1&" in query else []
        body = {"keys": keys, "total_count": claimed_pages * 100, "total_pages": claimed_pages}
        return 200, [json.dumps(body).encode()]

    upstream = _raw_litellm(page)
    with serving(upstream) as url:
        reading = _read_in_process(url, max_keys=max_keys)
    assert reading.mirrored.status_code == 200, reading.mirrored.text
    assert reading.mirrored.json()["total_keys"] == 1
    calls = _first_load_calls(upstream.calls)
    pages = {query.split("&")[0] for query in calls}
    print(
        f"claimed {claimed_pages} pages: {len(calls)} calls for {len(pages)} pages,"
        f" loaded in {reading.mirror_seconds:.2f} s"
    )
    # Every page up to the bound (page 1 also for the default view), and a few retried pages at
    # most: a page timing out on a busy machine is asked again, as any transient failure.
    assert len(pages) <= min(claimed_pages, max_keys // 100)
    assert len(calls) <= len(pages) + 1 + 2 * (ATTEMPTS - 1)
    assert reading.mirror_seconds < 60


def test_deeply_nested_json_is_a_bad_response_not_a_500() -> None:
    body = b'{"keys": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    upstream = _raw_litellm(lambda query: (200, [body]))
    with serving(upstream) as url:
        reading = _read_in_process(url)
    assert_envelope(reading.default, 502, "upstream_bad_response")
    assert_envelope(reading.mirrored, 502, "upstream_bad_response")  # the sync's own error


def test_a_trickling_body_is_cut_off_at_the_deadline() -> None:
    # One byte every 0.4 s: each read is within the 0.5 s read timeout, the whole is not.
    chunks: list[Any] = [b'{"keys": [']
    for _ in range(8):
        chunks += [0.4, b" "]
    chunks.append(b'], "total_count": 0, "total_pages": 0}')
    upstream = _raw_litellm(lambda query: (200, chunks))
    with serving(upstream) as url:
        reading = _read_in_process(url)
    elapsed = reading.default_seconds
    assert elapsed <= 2.0 + 1.0, f"took {elapsed:.1f} s with a 2 s deadline"
    assert_envelope(reading.default, 504, "upstream_timeout")
    # The sync's first load was cut off the same way, and says so.
    assert_envelope(reading.mirrored, 504, "upstream_timeout")
    assert reading.mirror_seconds <= 2 * (2.0 + 1.0)

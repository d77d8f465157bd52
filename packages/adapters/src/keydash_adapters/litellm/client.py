"""HTTP client for LiteLLM's `GET /key/list`: one page per call, retried by the shared policy."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
from keydash_core.errors import (
    UpstreamAuthFailed,
    UpstreamBadResponse,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from keydash_adapters.litellm.observer import NullObserver, UpstreamObserver
from keydash_adapters.litellm.retry import (
    RetryPolicy,
    TransientStatus,
    backoff_seconds,
    is_transient,
    parse_retry_after,
)

KEY_LIST_PATH = "/key/list"
# The smallest time worth giving one more attempt; below it the answer could not arrive anyway.
_MIN_ATTEMPT_SECONDS = 0.05


@dataclass(frozen=True)
class KeyListPage:
    records: list[Any]
    total_count: int
    total_pages: int


def _int_field(body: dict[str, Any], name: str) -> int | None:
    value = body.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# Parsing LiteLLM's pages (about 3 KB per key with the owner's row) is a large part of a full
# read's CPU; orjson does it about 3x faster than the standard library. The standard library stays
# the judge wherever the two would not read a page the same way, so the choice never shows.
_fast_loads: Callable[[bytes], Any] | None = orjson.loads
# orjson reads an integer beyond 64 bits differently (3.13 turns it into an approximate float);
# the standard library keeps it exact. Such an integer is a run of 19 or more digits.
_DIGITS_AS_ZEROS = bytes.maketrans(b"123456789", b"000000000")
_LONG_RUN = b"0" * 19
_BEFORE_A_NUMBER = (b"", b":", b",", b"[")


def _may_hold_a_huge_integer(content: bytes) -> bool:
    # Runs of digits are rare, and mostly inside strings (a hex token has some): those follow a
    # letter or a quote, while a JSON number follows ':', ',' or '[' (spaces and a '-' between).
    # The look-back is bounded; anything unclear counts as a number, which is only slower.
    # translate + find scan a 300 KB page in ~0.3 ms, where a regular expression takes ~4 ms.
    zeros = content.translate(_DIGITS_AS_ZEROS)
    start = zeros.find(_LONG_RUN)
    while start != -1:
        if content[max(0, start - 32) : start].rstrip(b" \t\r\n-")[-1:] in _BEFORE_A_NUMBER:
            return True
        # Further on in the same run, the byte before is a digit: that is not a new number.
        start = zeros.find(_LONG_RUN, start + len(_LONG_RUN))
    return False


def _decode(content: bytes) -> Any:
    if _fast_loads is not None and not _may_hold_a_huge_integer(content):
        try:
            return _fast_loads(content)
        except ValueError:
            # orjson refuses what the standard parser reads (NaN, Infinity, a byte order mark,
            # lone surrogates, 1e400) and what it refuses too: let the standard parser judge.
            pass
    return json.loads(content)


def _parse_body(response: httpx.Response, size: int) -> KeyListPage:
    try:
        body = _decode(response.content)
    except (ValueError, RecursionError):
        # RecursionError: absurdly nested JSON is not the contract either, and must not be a 500.
        raise UpstreamBadResponse("LiteLLM's /key/list answer is not JSON") from None
    if not isinstance(body, dict) or not isinstance(body.get("keys"), list):
        raise UpstreamBadResponse("LiteLLM's /key/list answer has no 'keys' list")
    records: list[Any] = body["keys"]
    total_count = _int_field(body, "total_count")
    total_pages = _int_field(body, "total_pages")
    if total_count is None:
        total_count = len(records)
    if total_pages is None:
        total_pages = -(-total_count // size)
    return KeyListPage(records=records, total_count=total_count, total_pages=total_pages)


class LiteLLMKeyListClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        api_key: str,
        timeout: httpx.Timeout,
        policy: RetryPolicy,
        observer: UpstreamObserver | None = None,
    ) -> None:
        self._http = http
        self._headers = {"x-litellm-api-key": api_key, "accept": "application/json"}
        self._timeout = timeout
        self._policy = policy
        self._observer = observer or NullObserver()

    async def fetch_page(self, page: int, size: int, *, full_object: bool = False) -> KeyListPage:
        params = {
            "page": str(page),
            "size": str(size),
            "return_full_object": "true" if full_object else "false",
            "include_team_keys": "false",
            "include_created_by_keys": "false",
            "sort_order": "desc",
            "expand": "user",
        }
        started = time.monotonic()
        retrying = AsyncRetrying(
            retry=retry_if_exception(is_transient),
            stop=stop_after_attempt(self._policy.max_attempts),
            wait=lambda state: self._wait(state, started),
            before_sleep=self._note_retry,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    response = await self._get(params, started)
        except httpx.TimeoutException:
            raise UpstreamTimeout("LiteLLM did not answer in time") from None
        except httpx.TransportError as error:
            raise UpstreamUnavailable(
                f"LiteLLM is not reachable ({type(error).__name__})"
            ) from None
        except TransientStatus as error:
            raise UpstreamUnavailable(f"LiteLLM answered HTTP {error.status}") from None
        return _parse_body(response, size)

    def _remaining(self, started: float) -> float:
        return self._policy.deadline_seconds - (time.monotonic() - started)

    def _wait(self, state: RetryCallState, started: float) -> float:
        delay = backoff_seconds(self._policy, state)
        if delay + _MIN_ATTEMPT_SECONDS > self._remaining(started):
            # No time left for another useful try: surface the last failure now.
            error = state.outcome.exception() if state.outcome else None
            raise error if isinstance(error, Exception) else UpstreamUnavailable("deadline")
        return delay

    def _note_retry(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        self._observer.retry_scheduled(type(error).__name__ if error else "unknown")

    async def _get(self, params: dict[str, str], started: float) -> httpx.Response:
        remaining = self._remaining(started)
        if remaining < _MIN_ATTEMPT_SECONDS:
            raise httpx.ReadTimeout("overall deadline reached")
        # Each try gets what is left of the deadline at most, so retries never stretch the wait.
        timeout = httpx.Timeout(
            connect=min(self._timeout.connect or remaining, remaining),
            read=min(self._timeout.read or remaining, remaining),
            write=min(self._timeout.write or remaining, remaining),
            pool=min(self._timeout.pool or remaining, remaining),
        )
        sent = time.monotonic()
        try:
            # The per-read timeouts do not bound a body that trickles in; the deadline does.
            async with asyncio.timeout(remaining):
                response = await self._http.get(
                    KEY_LIST_PATH, params=params, headers=self._headers, timeout=timeout
                )
        except TimeoutError:
            self._observer.request_finished("DeadlineExceeded", time.monotonic() - sent)
            raise httpx.ReadTimeout("overall deadline reached") from None
        except httpx.TransportError as error:
            self._observer.request_finished(type(error).__name__, time.monotonic() - sent)
            raise
        self._observer.request_finished(str(response.status_code), time.monotonic() - sent)
        return self._check_status(response)

    @staticmethod
    def _check_status(response: httpx.Response) -> httpx.Response:
        status = response.status_code
        if status == 200:
            return response
        if status in (401, 403):
            raise UpstreamAuthFailed(f"LiteLLM rejected Keydash's API key (HTTP {status})")
        if status == 429 or status >= 500:
            raise TransientStatus(status, parse_retry_after(response.headers.get("retry-after")))
        raise UpstreamBadResponse(f"LiteLLM answered HTTP {status} to /key/list")

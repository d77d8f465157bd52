"""HTTP client for LiteLLM's `GET /key/list`: one page per call, retried by the shared policy."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import msgspec
from keydash_core.errors import (
    UpstreamAuthFailed,
    UpstreamBadResponse,
    UpstreamHttpError,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from keydash_adapters.litellm.errors import error_detail, transport_words
from keydash_adapters.litellm.key_list import DEFAULT_ORDER, KeyListPage, KeyListRequest
from keydash_adapters.litellm.mapping import RecordFields, record_dict
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


def _int_value(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class _Page(msgspec.Struct):
    keys: list[RecordFields]
    total_count: Any = None
    total_pages: Any = None


# A page is ~300 KB for 100 keys: LiteLLM sends every column of a key and, with expand=user, the
# owner's whole row. Decoding into _Page keeps only the fields the mapping reads (RecordFields)
# and skips the rest without building it: about 3x less CPU than parsing everything with orjson,
# and far less garbage for the collector, on the hottest path of a full read.
_page_decoder = msgspec.json.Decoder(_Page)


def _decode_projected(content: bytes) -> tuple[list[Any], object, object] | None:
    """The page's records cut to RecordFields, or None when the standard parser must judge.

    msgspec accepts no JSON the standard library refuses, reads numbers the same (integers of
    any size exactly) and keeps the last of duplicate names, so a page it reads maps to the same
    keys. Anything else goes to json.loads: NaN, Infinity, 1e400, a byte order mark, lone
    surrogates (refused by msgspec, read by json), records that are not objects (old LiteLLMs'
    bare tokens), a `user` that is not an object, and a record without a token (its stand-in id
    hashes the whole record).
    """
    try:
        if not content.isascii():
            # The standard parser checks UTF-8 everywhere; msgspec not in the fields it skips.
            content.decode("utf-8", "surrogatepass")
        page = _page_decoder.decode(content)
    except (msgspec.DecodeError, ValueError, RecursionError):
        return None
    records: list[Any] = []
    for key in page.keys:
        token = key.token
        if not isinstance(token, str) or not token:
            return None
        records.append(record_dict(key))
    return records, page.total_count, page.total_pages


def _server_time(response: httpx.Response) -> datetime | None:
    value = response.headers.get("date")
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _parse_body(response: httpx.Response, size: int) -> KeyListPage:
    content = response.content
    projected = _decode_projected(content)
    if projected is not None:
        records, total_count_value, total_pages_value = projected
    else:
        try:
            body = json.loads(content)
        except (ValueError, RecursionError):
            # RecursionError: absurdly nested JSON is not the contract either, nor a 500.
            raise UpstreamBadResponse("LiteLLM's /key/list answer is not JSON") from None
        if not isinstance(body, dict) or not isinstance(body.get("keys"), list):
            raise UpstreamBadResponse("LiteLLM's /key/list answer has no 'keys' list")
        records = body["keys"]
        total_count_value, total_pages_value = body.get("total_count"), body.get("total_pages")
    total_count = _int_value(total_count_value)
    total_pages = _int_value(total_pages_value)
    if total_count is None:
        total_count = len(records)
    if total_pages is None:
        total_pages = -(-total_count // size)
    return KeyListPage(
        records=records,
        total_count=total_count,
        total_pages=total_pages,
        server_time=_server_time(response),
    )


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

    async def fetch_page(
        self,
        page: int,
        size: int,
        *,
        full_object: bool = False,
        request: KeyListRequest = DEFAULT_ORDER,
    ) -> KeyListPage:
        params = {
            "page": str(page),
            "size": str(size),
            "return_full_object": "true" if full_object else "false",
            "include_team_keys": "false",
            "include_created_by_keys": "false",
            "sort_order": request.sort_order,
            "expand": "user",
        }
        if request.sort_by is not None:
            params["sort_by"] = request.sort_by
        if request.status is not None:
            params["status"] = request.status
        if request.key_hash is not None:
            params["key_hash"] = request.key_hash
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
            raise UpstreamUnavailable(transport_words(error)) from None
        except TransientStatus as error:
            raise UpstreamHttpError(error.status, error.detail) from None
        return _parse_body(response, size)

    def _remaining(self, started: float) -> float:
        return self._policy.deadline_seconds - (time.monotonic() - started)

    def _wait(self, state: RetryCallState, started: float) -> float:
        delay = backoff_seconds(self._policy, state)
        if delay + _MIN_ATTEMPT_SECONDS > self._remaining(started):
            # No time left for another useful try: surface the last failure now.
            error = state.outcome.exception() if state.outcome else None
            raise error if isinstance(error, Exception) else UpstreamTimeout("deadline")
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
            raise UpstreamAuthFailed(f"HTTP {status}")
        detail = error_detail(response.content)
        if status == 429 or status >= 500:
            retry_after = parse_retry_after(response.headers.get("retry-after"))
            raise TransientStatus(status, retry_after, detail)
        raise UpstreamHttpError(status, detail)

"""ASGI middleware: request id, one access-log event per request, last-resort 500, body limit."""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any

import structlog
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from keydash_api.request_context import RequestFacts, current_request

log = structlog.get_logger("keydash.access")
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._\-]{8,64}$")


def _envelope(status: int, code: str, message: str, request_id: str) -> bytes:
    body = {"error": {"code": code, "message": message, "request_id": request_id}}
    return json.dumps(body).encode()


async def _send_error(send: Send, status: int, body: bytes, request_id: str | None) -> None:
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
    ]
    if request_id is not None:
        headers.append((b"x-request-id", request_id.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, observe: Any = None) -> None:
        self.app = app
        self.observe = observe

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        facts = RequestFacts(request_id=request_id)
        token = current_request.set(facts)
        status = 500
        started = time.perf_counter()
        response_started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception("unhandled_error", request_id=request_id)
            if not response_started:
                body = _envelope(500, "internal_error", "Something went wrong.", request_id)
                await _send_error(send, 500, body, request_id)
                status = 500
        finally:
            seconds = time.perf_counter() - started
            route = scope.get("route")
            route_path = getattr(route, "path", None) or "unmatched"
            log.info(
                "request",
                request_id=request_id,
                method=scope["method"],
                route=route_path,
                status=status,
                latency_ms=round(seconds * 1000, 2),
                upstream_calls=facts.upstream_calls,
            )
            if self.observe is not None:
                self.observe(scope["method"], route_path, status, seconds)
            current_request.reset(token)


class BodyLimitMiddleware:
    """Refuses bodies over the limit before they are buffered (declared or streamed)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                # An HTTPException, so that FastAPI's body parsing re-raises it as it is instead
                # of turning it into a 400, and the error handlers answer 413 in the envelope.
                raise _BodyTooLarge(self.max_bytes)
            return message

        try:
            await self.app(scope, counting_receive, send)
        except _BodyTooLarge:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        facts = current_request.get()
        request_id = facts.request_id if facts else "-"
        message = f"The request body is larger than {self.max_bytes} bytes."
        # The request-context middleware outside this one adds the X-Request-ID header.
        await _send_error(send, 413, _envelope(413, "payload_too_large", message, request_id), None)


class _BodyTooLarge(StarletteHTTPException):
    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"The request body is larger than {max_bytes} bytes.")

"""LiteLLM's failures in plain words: what a refused connection or an error body says."""

from __future__ import annotations

import json
import re
import socket
import ssl

import httpx

_MAX_DETAIL = 200
# LiteLLM sometimes echoes a key in its messages; nothing that looks like one is passed on.
_SECRET_LIKE = re.compile(r"sk-[A-Za-z0-9_\-]{4,}")


def error_detail(content: bytes) -> str | None:
    """LiteLLM's own message from an error body (`{"error": {"message"}}` or `{"detail"}`)."""
    try:
        body = json.loads(content)
    except (ValueError, RecursionError):
        return None
    message: object = None
    if isinstance(body, dict):
        error = body.get("error")
        message = error.get("message") if isinstance(error, dict) else error
        if message is None:
            detail = body.get("detail")
            message = detail.get("error") if isinstance(detail, dict) else detail
    if not isinstance(message, str) or not message.strip():
        return None
    text = _SECRET_LIKE.sub("sk-…", " ".join(message.split()))
    return text if len(text) <= _MAX_DETAIL else text[: _MAX_DETAIL - 1] + "…"


def _causes(error: BaseException) -> list[BaseException]:
    # httpx on anyio says "All connection attempts failed"; the reason is a few causes down.
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def transport_words(error: httpx.TransportError) -> str:
    """Why no answer came, as an admin would say it (refused, unknown host, TLS...)."""
    chain = _causes(error)
    text = " ".join(str(cause) for cause in chain).lower()
    if isinstance(error, httpx.ConnectError):
        if any(isinstance(cause, ConnectionRefusedError) for cause in chain) or "refused" in text:
            return "connection refused"
        unresolved = any(isinstance(cause, socket.gaierror) for cause in chain)
        if unresolved or "name or service" in text or "getaddrinfo" in text:
            return "its host name does not resolve"
        if any(isinstance(cause, ssl.SSLError) for cause in chain) or "certificate" in text:
            return "the TLS handshake failed"
        return "the connection could not be opened"
    if isinstance(error, httpx.RemoteProtocolError | httpx.ReadError):
        return "the connection closed without an answer"
    return type(error).__name__

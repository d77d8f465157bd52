"""Per-request facts gathered across layers (id, upstream calls) for the one access-log event."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class RequestFacts:
    request_id: str
    upstream_calls: int = 0


current_request: ContextVar[RequestFacts | None] = ContextVar("current_request", default=None)


def current_request_id() -> str:
    facts = current_request.get()
    return facts.request_id if facts else "-"

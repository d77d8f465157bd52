"""The one retry policy for LiteLLM reads: transient failures only, bounded in tries and time."""

from __future__ import annotations

import random
from dataclasses import dataclass

import httpx
from tenacity import RetryCallState


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 3
    deadline_seconds: float = 15.0
    base_delay_seconds: float = 0.2
    max_delay_seconds: float = 2.0


class TransientStatus(Exception):
    """LiteLLM answered 429 or 5xx: worth another try, after Retry-After when it gave one."""

    def __init__(self, status: int, retry_after: float | None, detail: str | None = None) -> None:
        super().__init__(f"LiteLLM answered HTTP {status}")
        self.status = status
        self.retry_after = retry_after
        self.detail = detail


def is_transient(error: BaseException) -> bool:
    return isinstance(error, TransientStatus | httpx.TransportError)


def parse_retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None  # HTTP-date form: rare from LiteLLM; fall back to our own backoff.
    return max(seconds, 0.0)


def backoff_seconds(policy: RetryPolicy, state: RetryCallState) -> float:
    """Full-jitter exponential backoff, stretched to honour a Retry-After when LiteLLM sent one."""
    ceiling = min(
        policy.max_delay_seconds, policy.base_delay_seconds * 2 ** (state.attempt_number - 1)
    )
    delay = random.uniform(0, ceiling)  # noqa: S311 - jitter, not security
    error = state.outcome.exception() if state.outcome else None
    if isinstance(error, TransientStatus) and error.retry_after is not None:
        delay = max(delay, error.retry_after)
    return delay

"""Failed-login throttle, in process: each replica counts on its own (see docs/security.md)."""

from __future__ import annotations

import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable

# Bounds memory when an attacker sprays many usernames or addresses.
_MAX_TRACKED = 10_000


class _SlidingWindow:
    def __init__(self, limit: int, window_seconds: float) -> None:
        self.limit = limit
        self.window = window_seconds
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def retry_after(self, subject: str, now: float) -> float | None:
        failures = self._failures.get(subject)
        if failures is None:
            return None
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if len(failures) < self.limit:
            return None
        return failures[-self.limit] + self.window - now

    def record(self, subject: str, now: float) -> None:
        failures = self._failures.setdefault(subject, deque(maxlen=self.limit))
        failures.append(now)
        self._failures.move_to_end(subject)
        while len(self._failures) > _MAX_TRACKED:
            self._failures.popitem(last=False)

    def clear(self, subject: str) -> None:
        self._failures.pop(subject, None)


class InMemoryLoginThrottle:
    def __init__(
        self,
        *,
        max_failures_per_address: int = 10,
        max_failures_per_username: int = 20,
        window_seconds: float = 300.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._by_address = _SlidingWindow(max_failures_per_address, window_seconds)
        self._by_username = _SlidingWindow(max_failures_per_username, window_seconds)
        self._monotonic = monotonic

    def retry_after(self, address: str, username: str) -> int | None:
        now = self._monotonic()
        waits = [
            wait
            for wait in (
                self._by_address.retry_after(address, now),
                self._by_username.retry_after(username.casefold(), now),
            )
            if wait is not None
        ]
        return max(1, math.ceil(max(waits))) if waits else None

    def record_failure(self, address: str, username: str) -> None:
        now = self._monotonic()
        self._by_address.record(address, now)
        self._by_username.record(username.casefold(), now)

    def record_success(self, address: str, username: str) -> None:
        self._by_address.clear(address)
        self._by_username.clear(username.casefold())

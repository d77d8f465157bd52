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

    def recent(self, subject: str, now: float) -> int:
        failures = self._failures.get(subject)
        if failures is None:
            return 0
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return len(failures)

    def retry_after(self, subject: str, now: float) -> float | None:
        if self.recent(subject, now) < self.limit:
            return None
        return self._failures[subject][-self.limit] + self.window - now

    def record(self, subject: str, now: float) -> None:
        failures = self._failures.setdefault(subject, deque(maxlen=self.limit))
        failures.append(now)
        self._failures.move_to_end(subject)
        # Forget the least recent subjects, but never one that is locked: otherwise a spray of
        # new names would reset the count of the one under attack.
        # Only locked subjects may exceed the bound, and each costs `limit` failures.
        locked: list[tuple[str, deque[float]]] = []
        while self._failures and len(self._failures) + len(locked) > _MAX_TRACKED:
            oldest, failures = self._failures.popitem(last=False)
            if len(failures) >= self.limit and failures[-self.limit] > now - self.window:
                locked.append((oldest, failures))
        for oldest, failures in reversed(locked):
            self._failures[oldest] = failures
            self._failures.move_to_end(oldest, last=False)

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
        waits: list[float | None] = [self._by_address.retry_after(address, now)]
        # The username lock binds only addresses that have failed recently themselves: a
        # distributed guesser still gets one try per fresh address, and the admin signing in
        # from a clean address is not locked out by someone else's failures.
        if self._by_address.recent(address, now):
            waits.append(self._by_username.retry_after(username.casefold(), now))
        found = [wait for wait in waits if wait is not None]
        return max(1, math.ceil(max(found))) if found else None

    def record_failure(self, address: str, username: str) -> None:
        now = self._monotonic()
        self._by_address.record(address, now)
        self._by_username.record(username.casefold(), now)

    def record_success(self, address: str, username: str) -> None:
        self._by_address.clear(address)
        self._by_username.clear(username.casefold())

"""How current the mirror is, and since when and why LiteLLM fails: what every answer reports."""

from __future__ import annotations

import random
from datetime import datetime

from keydash_core.errors import UpstreamError, upstream_words
from keydash_core.freshness import Freshness, UpstreamProblem
from keydash_core.ports import Clock

from keydash_adapters.litellm.sync_settings import SyncSettings


def retry_delay(settings: SyncSettings, failures: int, *, loaded: bool) -> float:
    """Seconds until the next pass: the interval, or a jittered backoff while LiteLLM fails
    (never longer than the interval once a mirror is served), so replicas do not retry in step."""
    interval = settings.interval_seconds
    if not failures:
        return interval
    backoff = min(settings.retry_max_seconds, 2.0 ** min(failures, 6))
    limit = min(backoff, interval) if loaded else backoff
    return limit * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not a secret


class SyncHealth:
    def __init__(self, clock: Clock, interval_seconds: float) -> None:
        self._clock = clock
        self._interval = interval_seconds
        # LiteLLM's keys are the mirror's as of this moment (the start of the last good pass).
        self.as_of: datetime | None = None
        self.last_error: UpstreamProblem | None = None
        self.last_failure: UpstreamError | None = None

    def succeeded(self, as_of: datetime | None) -> None:
        self.last_error, self.last_failure = None, None
        if as_of is not None:
            self.as_of = as_of

    def failed(self, error: UpstreamError) -> UpstreamProblem:
        code, message = upstream_words(error)
        self.last_failure = error
        return self._problem(code, message)

    def failed_unexpectedly(self, error: Exception) -> UpstreamProblem:
        message = f"Keydash failed while syncing ({type(error).__name__}); see its log."
        return self._problem("internal_error", message)

    def _problem(self, code: str, message: str) -> UpstreamProblem:
        # `at` stays the first failure since the last success: "has not answered since 14:02".
        since = self.last_error.at if self.last_error is not None else self._clock.now()
        self.last_error = UpstreamProblem(at=since, code=code, message=message)
        return self.last_error

    def served_age_seconds(self) -> float | None:
        if self.as_of is None:
            return None
        return (self._clock.now() - self.as_of).total_seconds()

    def freshness(self) -> Freshness:
        stale = self.last_error is not None
        age = self.served_age_seconds()
        if age is not None and not stale:
            # A loop that stopped answering is as stale as one that fails.
            stale = age > max(3 * self._interval, 60.0)
        return Freshness(as_of=self.as_of, stale=stale, last_error=self.last_error)

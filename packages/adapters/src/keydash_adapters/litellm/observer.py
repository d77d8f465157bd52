"""Hooks through which the app counts upstream traffic without the adapter knowing about metrics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class SyncReport:
    """One finished sync pass: what it cost LiteLLM and what it changed in the mirror."""

    kind: str  # first_load, incremental or reconcile
    seconds: float
    requests: int
    changed: int
    removed: int
    mirrored: int
    # LiteLLM ignored sort_by=updated_at, so passes read every page (docs/configuration.md)
    order_ignored: bool = False


class UpstreamObserver(Protocol):
    def request_finished(self, outcome: str, seconds: float) -> None:
        """One HTTP call to LiteLLM ended; outcome is a status code or an error class name."""
        ...

    def retry_scheduled(self, reason: str) -> None: ...

    def snapshot_loaded(self, keys: int, seconds: float) -> None: ...

    def snapshot_served(self, *, from_cache: bool) -> None: ...

    def sync_finished(self, report: SyncReport) -> None: ...

    def sync_failed(
        self,
        kind: str,
        code: str,
        message: str,
        served_age_seconds: float | None,
        seconds: float,
        requests: int,
    ) -> None:
        """A pass failed; the mirror is served as it was, `served_age_seconds` old."""
        ...


class NullObserver:
    def request_finished(self, outcome: str, seconds: float) -> None:
        pass

    def retry_scheduled(self, reason: str) -> None:
        pass

    def snapshot_loaded(self, keys: int, seconds: float) -> None:
        pass

    def snapshot_served(self, *, from_cache: bool) -> None:
        pass

    def sync_finished(self, report: SyncReport) -> None:
        pass

    def sync_failed(
        self,
        kind: str,
        code: str,
        message: str,
        served_age_seconds: float | None,
        seconds: float,
        requests: int,
    ) -> None:
        pass

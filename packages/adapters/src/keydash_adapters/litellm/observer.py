"""Hooks through which the app counts upstream traffic without the adapter knowing about metrics."""

from __future__ import annotations

from typing import Protocol


class UpstreamObserver(Protocol):
    def request_finished(self, outcome: str, seconds: float) -> None:
        """One HTTP call to LiteLLM ended; outcome is a status code or an error class name."""
        ...

    def retry_scheduled(self, reason: str) -> None: ...

    def snapshot_loaded(self, keys: int, seconds: float) -> None: ...

    def snapshot_served(self, *, from_cache: bool) -> None: ...


class NullObserver:
    def request_finished(self, outcome: str, seconds: float) -> None:
        pass

    def retry_scheduled(self, reason: str) -> None:
        pass

    def snapshot_loaded(self, keys: int, seconds: float) -> None:
        pass

    def snapshot_served(self, *, from_cache: bool) -> None:
        pass

"""Ports: what the core needs from the outside world, as structural types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from keydash_core.freshness import Freshness
from keydash_core.query import KeySnapshot, StorePage, StoreView


class KeyRepository(Protocol):
    async def snapshot(self) -> KeySnapshot:
        """Every key as last read from the key store; MirrorLoading before the first full read."""
        ...

    async def store_page(self, view: StoreView) -> StorePage:
        """One page read straight from the store in its own order for the view's sort."""
        ...

    def freshness(self) -> Freshness:
        """How current snapshot() is, and why the last refresh failed if it did."""
        ...


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class Session:
    username: str
    expires_at: datetime


class TokenService(Protocol):
    def issue(self, username: str) -> IssuedToken: ...

    def verify(self, token: str) -> Session:
        """The session a token carries; raises InvalidToken or TokenExpired."""
        ...


class CredentialVerifier(Protocol):
    def verify(self, username: str, password: str) -> bool: ...


class LoginThrottle(Protocol):
    def retry_after(self, address: str, username: str) -> int | None:
        """Seconds until this address or username may try again, or None when allowed."""
        ...

    def record_failure(self, address: str, username: str) -> None: ...

    def record_success(self, address: str, username: str) -> None: ...

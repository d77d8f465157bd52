"""Ports: what the core needs from the outside world, as structural types."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from keydash_core.query import KeySnapshot, StorePage


class KeyRepository(Protocol):
    async def snapshot(self) -> KeySnapshot:
        """Every key, read (or recently read) from the key store."""
        ...

    def has_snapshot(self) -> bool:
        """Whether snapshot() can answer without reading the whole store first."""
        ...

    async def natural_page(self, page: int, size: int) -> StorePage:
        """One page in the store's own order (created_at desc, id desc), read directly."""
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

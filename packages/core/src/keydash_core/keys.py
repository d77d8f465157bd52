"""The key as an admin sees it, independent of LiteLLM's wire format."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class KeyStatus(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    BLOCKED = "blocked"


def derive_status(*, blocked: bool, expires_at: datetime | None, now: datetime) -> KeyStatus:
    # A revoked key stays revoked even after it would have expired: blocked wins.
    if blocked:
        return KeyStatus.BLOCKED
    if expires_at is not None and expires_at <= now:
        return KeyStatus.EXPIRED
    return KeyStatus.ACTIVE


# slots: a snapshot can hold hundreds of thousands of keys; no per-instance __dict__ saves ~40%.
@dataclass(frozen=True, slots=True)
class ApiKey:
    id: str
    masked_key: str | None
    alias: str | None = None
    description: str | None = None
    owner_username: str | None = None
    owner_email: str | None = None
    owner_id: str | None = None
    team_id: str | None = None
    created_at: datetime | None = None
    expires_at: datetime | None = None
    allowed_models: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    spend: float | None = None
    max_budget: float | None = None
    status: KeyStatus = KeyStatus.ACTIVE
    # LiteLLM's last write to the key's row: how the sync tells a changed key from a known one.
    updated_at: datetime | None = None
    # LiteLLM's record of the key's last request; null for keys older than the field (#21545).
    last_used_at: datetime | None = None
    created_by: str | None = None
    updated_by: str | None = None
    # Scheduled rotation (#14877): a rotation gives the key a new id (token hash).
    auto_rotate: bool = False
    rotation_interval: str | None = None
    rotation_count: int | None = None
    last_rotated_at: datetime | None = None
    next_rotation_at: datetime | None = None
    # Budget window: `spend` counts from the last reset until `budget_reset_at`.
    budget_duration: str | None = None
    budget_reset_at: datetime | None = None
    # Names of fields LiteLLM sent in a shape we could not read; the key is kept with the rest.
    unreadable_fields: tuple[str, ...] = field(default=())

    @property
    def owner(self) -> str | None:
        return self.owner_username or self.owner_email or self.owner_id

    @property
    def partial(self) -> bool:
        return bool(self.unreadable_fields)

    def expired_by(self, now: datetime) -> bool:
        """Active until now, but its expiry has come since its status was derived."""
        return (
            self.status is KeyStatus.ACTIVE
            and self.expires_at is not None
            and self.expires_at <= now
        )

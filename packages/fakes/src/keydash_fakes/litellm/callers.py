"""Credentials besides the master key: virtual keys of a user with a role, as LiteLLM scopes them.

`FakeLiteLLM.api_keys` maps a secret (`sk-...`) to a `ScopedCaller`: the key's `user_id` (None
for a team or service key) and that user's `user_role`. LiteLLM 1.108.7 lets `proxy_admin` and
`proxy_admin_viewer` see every key; every other role sees its own user's keys only, and a key
without a user cannot use `/key/list` at all (docs/litellm-contract.md, "Visibility").

Register one with `FakeLiteLLM.add_api_key(secret, user_id, role)`, over HTTP with
`POST /_fake/api-keys` (see `control_api_keys`), or on the command line with
`--scoped-key SECRET:USER_ID:ROLE` (an empty USER_ID is a key without a user).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from keydash_fakes.litellm import keymaking, timestamps, writes
from keydash_fakes.litellm.records import Record, user_row

# LiteLLM's `LitellmUserRoles` values a user row can hold.
ROLES = (
    "proxy_admin",
    "proxy_admin_viewer",
    "org_admin",
    "internal_user",
    "internal_user_viewer",
    "team",
    "customer",
)
# `user_api_key_has_admin_view`: these roles list every key, and may ask for anyone's.
ADMIN_ROLES = ("proxy_admin", "proxy_admin_viewer")


@dataclass(frozen=True)
class ScopedCaller:
    """A virtual key's owner: `user_id` (None: no user) and the user row's `user_role`."""

    user_id: str | None
    role: str = "internal_user"

    @property
    def sees_all(self) -> bool:
        return self.role in ADMIN_ROLES


@dataclass(frozen=True)
class Caller:
    """Who presented an accepted credential: `scoped` is None for the master key."""

    secret: str
    scoped: ScopedCaller | None

    @property
    def sees_all(self) -> bool:
        return self.scoped is None or self.scoped.sees_all


def problems(secret: object, user_id: object, role: object, master_key: str) -> list[str]:
    """Why these cannot be registered as a scoped key; empty when they can."""
    found = []
    if not isinstance(secret, str) or not secret.startswith("sk-"):
        found.append("key must be a string starting with sk-")
    elif secret == master_key:
        found.append("key must not be the master key")
    if user_id is not None and (not isinstance(user_id, str) or not user_id):
        found.append("user_id must be a non-empty string or null")
    if role not in ROLES:
        found.append(f"role must be one of: {', '.join(ROLES)}")
    return found


def parse_spec(spec: str) -> tuple[str, str | None, str]:
    """`SECRET:USER_ID:ROLE` (the secret may hold colons; an empty USER_ID means no user)."""
    parts = spec.rsplit(":", 2)
    if len(parts) != 3:
        raise ValueError(f"expected SECRET:USER_ID:ROLE, got {len(parts)} part(s)")
    secret, user_id, role = parts
    return secret, user_id or None, role


def add_key_row(keys: list[Record], secret: str, caller: ScopedCaller, now: datetime) -> None:
    """Make `secret` a key row of its user, as `/key/generate` would, unless a live key has it.

    A user the table does not know yet gets a user row (`expand=user`) with the caller's role.
    A live row of another user is moved to this one, as `/key/update {"user_id"}` would.
    """
    token = keymaking.identity(secret)["token"]
    for index, record in enumerate(keys):
        if record.get("token") == token:
            if record.get("user_id") != caller.user_id:
                writes.update(keys, index, {"user_id": caller.user_id}, now)
            return
    alias = f"scoped-{caller.role}-{secret[-4:]}"
    record = writes.create(keys, secret, {"user_id": caller.user_id, "key_alias": alias}, now)
    if record["user"] is None and caller.user_id is not None:
        stamp = timestamps.iso(now)
        row = user_row(
            user_id=caller.user_id, user_role=caller.role, created_at=stamp, updated_at=stamp
        )
        keys[-1] = {**record, "user": row}

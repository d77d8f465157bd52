"""Which keys Keydash's own LiteLLM key can see: all of them, or only its user's."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Scope(StrEnum):
    ALL = "all"
    OWN = "own"
    UNKNOWN = "unknown"


# LiteLLM roles whose keys list every key (its /key/list checks exactly these two).
ADMIN_ROLES = frozenset({"proxy_admin", "proxy_admin_viewer"})


@dataclass(frozen=True)
class KeyScope:
    scope: Scope
    role: str | None = None
    user_id: str | None = None
    visible_keys: int | None = None

    @property
    def warning(self) -> str | None:
        if self.scope is not Scope.OWN:
            return None
        count = "the keys"
        if self.visible_keys is not None:
            count = f"{self.visible_keys:,} key" + ("" if self.visible_keys == 1 else "s")
        owner = f" of user {self.user_id}" if self.user_id else ""
        role = f" (LiteLLM role {self.role})" if self.role else ""
        return (
            f"Keydash reads LiteLLM with a key that only sees {count}{owner}{role}; "
            "use a proxy-admin or proxy-admin-viewer key to see every key."
        )


UNKNOWN_SCOPE = KeyScope(Scope.UNKNOWN)

"""The generator's people: user rows, who owns each key, the alias named after them, who made it.

Every draw comes from the generator's one `random.Random`, so the order in which the generator
calls these methods is part of the output; see `generator`.
"""

from __future__ import annotations

import hashlib
import random
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from keydash_fakes.litellm import catalog, timestamps
from keydash_fakes.litellm.records import Record, user_row


def _handle(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch == ".")


@dataclass
class Owner:
    user_id: str | None
    row: Record | None
    team_id: str | None
    alias_stem: str | None
    service: bool = False


class People:
    def __init__(self, rng: random.Random, now: datetime, seed: int, user_count: int) -> None:
        self.rng = rng
        self.now = now
        self.seed = seed
        self.aliases_taken: set[str] = set()
        # Per alias base, the suffix to try first: every smaller one is already taken. Without it
        # each repeat of a base rescans all its suffixes, quadratic at 100,000 keys.
        self.alias_suffix: dict[str, int] = {}
        self.users: list[Record] = []
        taken: set[str] = set()
        for index in range(user_count):
            row = self._user(index, taken)
            taken.add(str(row["user_id"]))
            self.users.append(row)
        self.rows_by_id: dict[str, Record] = {str(u["user_id"]): u for u in self.users}
        for user_id, email, alias in catalog.ADMIN_CREATORS:
            self.rows_by_id.setdefault(
                user_id,
                user_row(
                    user_id=user_id, user_email=email, user_alias=alias, user_role="proxy_admin"
                ),
            )

    def _user(self, index: int, taken: set[str]) -> Record:
        rng = self.rng
        first = catalog.FIRST_NAMES[(index * 7 + rng.randrange(5)) % len(catalog.FIRST_NAMES)]
        last = catalog.LAST_NAMES[(index * 11 + rng.randrange(5)) % len(catalog.LAST_NAMES)]
        address = f"{_handle(first)}.{_handle(last)}@example.com"
        if address in taken:
            address = f"{_handle(first)}.{_handle(last)}{index}@example.com"
        # Ids are emails for SSO users and opaque ids for users created over the API.
        user_id = address if rng.random() < 0.5 else f"u-{1000 + index * 37 + rng.randrange(37)}"
        if index == 1:
            alias: str | None = None
        elif index == 2:
            alias = catalog.RTL_USER_ALIASES[self.seed % len(catalog.RTL_USER_ALIASES)]
        else:
            alias = rng.choice([f"{first} {last}"] * 4 + [None])
        email: str | None = address
        if user_id != address and rng.random() < 0.15:
            email = None
        created = self.now - timedelta(days=rng.randint(400, 800), seconds=rng.randint(0, 86399))
        has_password = index == 0 or rng.random() < 0.35
        return user_row(
            user_id=user_id,
            user_alias=alias,
            user_email=email,
            user_role=rng.choice(catalog.USER_ROLES),
            teams=rng.sample(catalog.TEAMS, rng.randint(0, 2)),
            max_budget=rng.choice([None, None, None, 25.0, 100.0]),
            password=self._password_hash(index) if has_password else None,
            created_at=timestamps.iso(created),
            updated_at=timestamps.iso(created + timedelta(days=rng.randint(0, 300))),
        )

    def _password_hash(self, index: int) -> str:
        digest = hashlib.sha256(f"fake-password-{self.seed}-{index}".encode()).hexdigest()
        return f"$argon2id$v=19$m=65536,t=3,p=4$ZmFrZXNhbHQ{index}${digest}"

    def owner(self, trait: str | None) -> Owner:
        rng = self.rng
        if trait == "orphan_owner_in_metadata":
            kind = "orphan"
        elif trait == "service_key":
            kind = "service"
        elif trait in {"user_without_alias", "user_with_password"}:
            kind = "person"
        else:
            kind = rng.choices(["person", "orphan", "service"], weights=[55, 10, 35])[0]
        if kind == "service":
            name, service_team = rng.choice(catalog.SERVICES)
            return Owner(None, None, service_team, name, service=True)
        team: str | None
        if kind == "orphan":
            user_id = rng.choice(catalog.ORPHAN_OWNERS)
            team = rng.choice([None, None, *catalog.TEAMS])
            return Owner(user_id, None, team, _handle(user_id.split("@")[0]))
        if trait == "user_without_alias":
            row = self.users[1]
        elif trait == "user_with_password":
            row = self.users[0]
        else:
            row = rng.choice(self.users)
        teams: list[str] = list(row["teams"])
        team = rng.choice(teams) if teams and rng.random() < 0.5 else None
        stem = _handle(str(row["user_alias"] or "").split(" ")[0]) or _handle(str(row["user_id"]))
        return Owner(str(row["user_id"]), row, team, stem)

    def alias(self, owner: Owner, trait: str | None) -> str | None:
        rng = self.rng
        if trait == "no_alias" or (trait is None and rng.random() < 0.12):
            return None
        if trait == "unicode_alias":
            base = catalog.UNICODE_ALIASES[0]  # accents, a dash and an emoji in one
        elif trait is None and rng.random() < 0.03:
            base = rng.choice(catalog.UNICODE_ALIASES)
        elif owner.service:
            variant = rng.choice(["", "", "", "-eu", "-us", "-canary", "-v2", "-backup"])
            base = f"{owner.alias_stem}{variant}"
        else:
            base = f"{owner.alias_stem or 'key'}-{rng.choice(catalog.PERSONAL_PURPOSES)}"
        # LiteLLM refuses a second key with the same alias, so every alias here is unique.
        alias = base
        if alias in self.aliases_taken:
            suffix = self.alias_suffix.get(base, 2)
            while (alias := f"{base}-{suffix}") in self.aliases_taken:
                suffix += 1
            self.alias_suffix[base] = suffix + 1
        self.aliases_taken.add(alias)
        return alias

    def creator(self, owner: Owner) -> str | None:
        rng = self.rng
        if rng.random() < 0.05:
            return None
        if owner.row is not None and rng.random() < 0.6:
            return owner.user_id
        if owner.service:
            return rng.choice(["default_user_id", "admin-user", "svc-terraform"])
        pool = [c[0] for c in catalog.ADMIN_CREATORS] + list(catalog.UNKNOWN_CREATORS)
        if owner.user_id is not None:
            pool.append(owner.user_id)
        return rng.choice(pool)

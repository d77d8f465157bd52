"""Deterministic, realistic key records: the same seed and `now` always give the same keys.

The first keys each carry one forced awkward trait so that even a few dozen keys cover every case
a dashboard must survive; the rest are drawn at random with realistic proportions.
"""

from __future__ import annotations

import gc
import hashlib
import random
import string
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from keydash_fakes.litellm import catalog, timestamps
from keydash_fakes.litellm.aging import settle_updated_at
from keydash_fakes.litellm.ordering import default_order
from keydash_fakes.litellm.records import (
    Record,
    budget_table,
    creator_summary,
    json_copy,
    key_record,
    user_row,
)
from keydash_fakes.litellm.usage_history import settle_usage_history

# One awkward trait per key for the first keys, so small fixtures still cover every case.
FORCED_TRAITS = (
    "empty_models",
    "expired",
    "blocked",
    "orphan_owner_in_metadata",
    "unicode_alias",
    "service_key",
    "rtl_description",
    "no_alias",
    "empty_metadata",
    "tags_string",
    "tags_mixed",
    "all_team_models",
    "all_proxy_models",
    "long_models",
    "future_expiry",
    "blocked_false",
    "null_created_at",
    "same_created_at",
    "short_key_name",
    "null_key_name",
    "user_without_alias",
    "user_with_password",
    "budget_table",
    "over_budget",
)

_SECRET_ALPHABET = string.ascii_letters + string.digits + "-_"
_TWO_YEARS = timedelta(days=730)


def _secret(rng: random.Random, length: int) -> str:
    # LiteLLM's keys are `sk-` + urlsafe base64; short ones exist when admins set the key by hand.
    return "sk-" + "".join(rng.choice(_SECRET_ALPHABET) for _ in range(length))


def _key_name(raw: str) -> str:
    return "sk-..." if len(raw) < 16 else "sk-..." + raw[-4:]


def _handle(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch == ".")


def _midnight(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass
class _Owner:
    user_id: str | None
    row: Record | None
    team_id: str | None
    alias_stem: str | None
    service: bool = False


class _Builder:
    def __init__(self, rng: random.Random, now: datetime, seed: int, user_count: int) -> None:
        self.rng = rng
        self.now = now
        self.seed = seed
        self.aliases_taken: set[str] = set()
        # Per alias base, the suffix to try first: every smaller one is already taken. Without it
        # each repeat of a base rescans all its suffixes, quadratic at 100,000 keys.
        self.alias_suffix: dict[str, int] = {}
        self.last_created: datetime | None = None
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

    # -- people -------------------------------------------------------------------------------

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

    def _owner(self, trait: str | None) -> _Owner:
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
            return _Owner(None, None, service_team, name, service=True)
        team: str | None
        if kind == "orphan":
            user_id = rng.choice(catalog.ORPHAN_OWNERS)
            team = rng.choice([None, None, *catalog.TEAMS])
            return _Owner(user_id, None, team, _handle(user_id.split("@")[0]))
        if trait == "user_without_alias":
            row = self.users[1]
        elif trait == "user_with_password":
            row = self.users[0]
        else:
            row = rng.choice(self.users)
        teams: list[str] = list(row["teams"])
        team = rng.choice(teams) if teams and rng.random() < 0.5 else None
        stem = _handle(str(row["user_alias"] or "").split(" ")[0]) or _handle(str(row["user_id"]))
        return _Owner(str(row["user_id"]), row, team, stem)

    # -- key fields ----------------------------------------------------------------------------

    def _alias(self, owner: _Owner, trait: str | None) -> str | None:
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

    def _models(self, trait: str | None) -> list[str]:
        rng = self.rng
        if trait == "empty_models":
            return []
        if trait == "all_team_models":
            return ["all-team-models"]
        if trait == "all_proxy_models":
            return ["all-proxy-models"]
        if trait == "long_models":
            return rng.sample(catalog.MODELS, rng.randint(6, 9))
        roll = rng.random()
        if roll < 0.20:
            return []
        if roll < 0.28:
            return list(rng.choice(catalog.SPECIAL_MODEL_LISTS))
        if roll < 0.35:
            return rng.sample(catalog.MODELS, rng.randint(6, 9))
        return rng.sample(catalog.MODELS, rng.randint(1, 3))

    def _tags(self, trait: str | None) -> Any:
        rng = self.rng
        if trait == "tags_string" or (trait is None and rng.random() < 0.05):
            return rng.choice(catalog.TAGS)
        if trait == "tags_mixed" or (trait is None and rng.random() < 0.03):
            return [rng.choice(catalog.TAGS), 42, None, "läbel"]
        return rng.sample(catalog.TAGS, rng.randint(1, 3))

    def _metadata(self, owner: _Owner, trait: str | None) -> dict[str, Any]:
        rng = self.rng
        if trait == "empty_metadata" or (trait is None and rng.random() < 0.08):
            return {}
        meta: dict[str, Any] = {}
        if trait == "rtl_description":
            meta["description"] = rng.choice(catalog.UNICODE_DESCRIPTIONS[1:3])
        elif rng.random() < 0.85:
            roll = rng.random()
            if roll < 0.05:
                meta["description"] = None
            elif roll < 0.13:
                meta["description"] = rng.choice(catalog.UNICODE_DESCRIPTIONS)
            else:
                meta["description"] = rng.choice(catalog.DESCRIPTIONS)
        if trait in {"tags_string", "tags_mixed"} or rng.random() < 0.85:
            meta["tags"] = self._tags(trait)
        if owner.row is None and (trait == "orphan_owner_in_metadata" or rng.random() < 0.4):
            # Without a user row, teams record who is responsible in free-form metadata.
            if owner.service:
                meta["owner"] = rng.choice(["platform", "data-eng", "finance-ops", "sre"])
                meta["service_account_id"] = owner.alias_stem
            elif rng.random() < 0.5:
                meta["owner"] = rng.choice(["someone-else", "jdoe", "Mika Laine"])
            else:
                meta["username"] = owner.alias_stem
        if rng.random() < 0.1:
            meta["cost_center"] = f"cc-{rng.randint(1000, 9999)}"
        return meta

    def _created_at(self, trait: str | None) -> datetime | None:
        rng = self.rng
        if trait == "null_created_at" or (trait is None and rng.random() < 0.02):
            return None
        duplicate = trait == "same_created_at" or (trait is None and rng.random() < 0.04)
        if duplicate and self.last_created is not None:
            return self.last_created
        offset = rng.randint(3600, int(_TWO_YEARS.total_seconds()))
        # Mostly millisecond precision, like Prisma; some whole seconds, like rows set by hand.
        millis = 0 if rng.random() < 0.15 else rng.randrange(1, 1000)
        moment = (self.now - timedelta(seconds=offset)).replace(microsecond=millis * 1000)
        self.last_created = moment
        return moment

    def _expires(self, created: datetime | None, trait: str | None) -> str | None:
        rng = self.rng
        roll = rng.random()
        if trait == "expired" or (trait is None and roll < 0.15):
            earliest = max(created or self.now - _TWO_YEARS, self.now - timedelta(days=365))
            span = max(int((self.now - timedelta(days=1) - earliest).total_seconds()), 3600)
            moment = self.now - timedelta(days=1) - timedelta(seconds=rng.randrange(span))
        elif trait == "future_expiry" or (trait is None and roll < 0.30):
            moment = self.now + timedelta(days=rng.randint(2, 400))
        else:
            return None
        if rng.random() < 0.6:
            return timestamps.iso(_midnight(moment))
        return timestamps.iso(moment)

    def _blocked(self, trait: str | None) -> bool | None:
        if trait == "blocked":
            return True
        if trait == "blocked_false":
            return False
        return self.rng.choices([None, False, True], weights=[85, 7, 8])[0]

    def _between(self, start: datetime | None) -> datetime:
        start = start or self.now - _TWO_YEARS
        span = max(int((self.now - start).total_seconds()), 1)
        return start + timedelta(
            seconds=self.rng.randrange(span), milliseconds=self.rng.randrange(1000)
        )

    def _creator(self, owner: _Owner) -> str | None:
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

    def _spend(self, models: list[str], trait: str | None) -> dict[str, Any]:
        rng = self.rng
        spend = 0.0 if rng.random() < 0.3 else round(min(rng.lognormvariate(1.2, 1.6), 5000.0), 4)
        max_budget = rng.choice(catalog.BUDGETS) if rng.random() < 0.45 else None
        if trait == "over_budget":
            spend, max_budget = 12.5, 10.0
        fields: dict[str, Any] = {
            "spend": spend,
            "total_spend": round(spend + (rng.uniform(0, 50) if rng.random() < 0.3 else 0.0), 4),
            "max_budget": max_budget,
        }
        if max_budget is not None and rng.random() < 0.5:
            reset = _midnight(self.now + timedelta(days=rng.randint(1, 30)))
            fields["budget_duration"] = rng.choice(catalog.BUDGET_DURATIONS)
            fields["budget_reset_at"] = timestamps.iso(reset)
        real_models = [m for m in models if not m.startswith(("all-", "no-"))]
        if spend > 0 and real_models:
            first = round(spend * rng.uniform(0.5, 1.0), 4)
            fields["model_spend"] = {real_models[0]: first}
            if len(real_models) > 1:
                fields["model_spend"][real_models[1]] = round(spend - first, 4)
        return fields

    def _limits(self, trait: str | None) -> dict[str, Any]:
        rng = self.rng
        fields: dict[str, Any] = {}
        if rng.random() < 0.2:
            fields["tpm_limit"], fields["rpm_limit"] = rng.choice(
                [(10_000, 60), (100_000, 600), (200_000, 1000)]
            )
        if trait == "budget_table" or (trait is None and rng.random() < 0.04):
            reset = timestamps.iso(_midnight(self.now + timedelta(days=8)))
            fields["budget_id"] = "budget-tier-standard"
            fields["litellm_budget_table"] = budget_table(
                budget_id="budget-tier-standard",
                max_budget=250.0,
                tpm_limit=200_000,
                rpm_limit=1000,
                budget_duration="30d",
                budget_reset_at=reset,
                created_at="2025-06-01T08:00:00Z",
                created_by="default_user_id",
                updated_at="2025-06-01T08:00:00Z",
                updated_by="default_user_id",
            )
        if rng.random() < 0.05:
            rotated = self.now - timedelta(days=rng.randint(1, 29))
            fields.update(
                rotation_count=rng.randint(1, 3),
                auto_rotate=True,
                rotation_interval="30d",
                last_rotation_at=timestamps.iso(rotated),
                key_rotation_at=timestamps.iso(rotated + timedelta(days=30)),
            )
        return fields

    def key(self, trait: str | None) -> Record:
        rng = self.rng
        if trait == "short_key_name" or (trait is None and rng.random() < 0.02):
            raw = _secret(rng, 8)
        else:
            raw = _secret(rng, 22)
        key_name: str | None = _key_name(raw)
        if trait == "null_key_name" or (trait is None and rng.random() < 0.02):
            key_name = None  # the proxy runs with DISABLE_KEY_NAME
        owner = self._owner(trait)
        models = self._models(trait)
        created = self._created_at(trait)
        updated = self._between(created) if created and rng.random() < 0.5 else created
        creator = self._creator(owner)
        creator_row = self.rows_by_id.get(creator) if creator else None
        return key_record(
            token=hashlib.sha256(raw.encode()).hexdigest(),
            key_name=key_name,
            key_alias=self._alias(owner, trait),
            expires=self._expires(created, trait),
            models=models,
            user_id=owner.user_id,
            team_id=owner.team_id,
            metadata=self._metadata(owner, trait),
            blocked=self._blocked(trait),
            org_id=rng.choice([None] * 15 + ["org-acme"] * 4 + ["org-globex"]),
            created_at=timestamps.iso(created) if created else None,
            created_by=creator,
            updated_at=timestamps.iso(updated) if updated else None,
            updated_by=(creator or "admin-user") if created else None,
            last_active=timestamps.iso(self._between(created)) if rng.random() < 0.6 else None,
            access_group_ids=rng.choice([[], [], [], None]),
            router_settings=rng.choice([{}, {}, {}, None]),
            user=owner.row,
            created_by_user=creator_summary(creator_row) if creator_row else None,
            **self._spend(models, trait),
            **self._limits(trait),
        )


def _settle_user_rows(keys: list[Record]) -> None:
    """Give each user row its keys' total spend, then detach the shared row from each key."""
    totals: dict[int, float] = {}
    for key in keys:
        if key["user"] is not None:
            totals[id(key["user"])] = totals.get(id(key["user"]), 0.0) + float(key["spend"])
    for key in keys:
        row = key["user"]
        if row is not None:
            row["spend"] = round(totals[id(row)], 4)
    for key in keys:
        # Copies, so that a test editing one key's user row does not edit its siblings'.
        key["user"] = json_copy(key["user"])


def generate_keys(count: int, seed: int = 7, now: datetime | None = None) -> list[dict[str, Any]]:
    """`count` full key records in LiteLLM's shape, in LiteLLM's default order.

    Each record carries its owner's user row in `user` and its creator in `created_by_user`,
    exactly as `expand=user` returns them; the fake server blanks both for other requests.
    `now` defaults to the start of today (UTC), so records are stable within a day while expiries
    stay on the right side of the real clock.
    """
    if count < 0:
        raise ValueError("count must be >= 0")
    now = now if now is not None else timestamps.start_of_today()
    rng = random.Random(seed)
    # Millions of small containers and no cycles: the cyclic collector would rescan every record
    # built so far again and again (superlinear at 100,000 keys) and would find nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        builder = _Builder(rng, now, seed, user_count=max(8, count // 6))
        keys = [
            builder.key(FORCED_TRAITS[index] if index < len(FORCED_TRAITS) else None)
            for index in range(count)
        ]
        _settle_user_rows(keys)
        settle_usage_history(keys, seed, now)
        settle_updated_at(keys, seed, now)
        return default_order(keys)
    finally:
        if collecting:
            gc.enable()


def late_key(serial: int, created_at: datetime) -> Record:
    """A key that appears while a client is paging, for the `shifting_total` fault."""
    rng = random.Random(f"late-key-{serial}")
    raw = _secret(rng, 22)
    return key_record(
        token=hashlib.sha256(raw.encode()).hexdigest(),
        key_name=_key_name(raw),
        key_alias=f"late-arrival-{serial}",
        models=["gpt-4o-mini"],
        team_id="team-growth",
        metadata={"description": "Created while a client was paging", "tags": ["staging"]},
        created_at=timestamps.iso(created_at),
        created_by="admin-user",
        updated_at=timestamps.iso(created_at),
        updated_by="admin-user",
        created_by_user=creator_summary(
            {
                "user_id": "admin-user",
                "user_email": "admin@example.com",
                "user_alias": "Platform Admin",
            }
        ),
    )

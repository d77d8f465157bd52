"""Deterministic, realistic key records: the same seed and `now` always give the same keys.

The first keys each carry one forced awkward trait so that even a few dozen keys cover every case
a dashboard must survive; the rest are drawn at random with realistic proportions. `people` draws
who owns, names and created each key, `key_fields` the key's own fields; this module fixes the
order of those draws and settles what depends on all keys at once.
"""

from __future__ import annotations

import gc
import hashlib
import random
import string
from datetime import datetime
from typing import Any

from keydash_fakes.litellm import timestamps
from keydash_fakes.litellm.aging import settle_updated_at
from keydash_fakes.litellm.key_fields import KeyFields
from keydash_fakes.litellm.ordering import default_order
from keydash_fakes.litellm.people import People
from keydash_fakes.litellm.records import Record, creator_summary, json_copy, key_record
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


def _secret(rng: random.Random, length: int) -> str:
    # LiteLLM's keys are `sk-` + urlsafe base64; short ones exist when admins set the key by hand.
    return "sk-" + "".join(rng.choice(_SECRET_ALPHABET) for _ in range(length))


def _key_name(raw: str) -> str:
    return "sk-..." if len(raw) < 16 else "sk-..." + raw[-4:]


class _KeyBuilder:
    def __init__(self, rng: random.Random, now: datetime, seed: int, user_count: int) -> None:
        self.rng = rng
        # People draws every user row as it is built, and those rows must stay the first draws.
        self.people = People(rng, now, seed, user_count)
        self.fields = KeyFields(rng, now)

    def key(self, trait: str | None) -> Record:
        # The output depends on the order of every draw below, keyword arguments included (Python
        # evaluates them left to right): reordering any of them changes every key after this one.
        rng, people, fields = self.rng, self.people, self.fields
        if trait == "short_key_name" or (trait is None and rng.random() < 0.02):
            raw = _secret(rng, 8)
        else:
            raw = _secret(rng, 22)
        key_name: str | None = _key_name(raw)
        if trait == "null_key_name" or (trait is None and rng.random() < 0.02):
            key_name = None  # the proxy runs with DISABLE_KEY_NAME
        owner = people.owner(trait)
        models = fields.models(trait)
        created = fields.created_at(trait)
        updated = fields.between(created) if created and rng.random() < 0.5 else created
        creator = people.creator(owner)
        creator_row = people.rows_by_id.get(creator) if creator else None
        return key_record(
            token=hashlib.sha256(raw.encode()).hexdigest(),
            key_name=key_name,
            key_alias=people.alias(owner, trait),
            expires=fields.expires(created, trait),
            models=models,
            user_id=owner.user_id,
            team_id=owner.team_id,
            metadata=fields.metadata(owner, trait),
            blocked=fields.blocked(trait),
            org_id=rng.choice([None] * 15 + ["org-acme"] * 4 + ["org-globex"]),
            created_at=timestamps.iso(created) if created else None,
            created_by=creator,
            updated_at=timestamps.iso(updated) if updated else None,
            updated_by=(creator or "admin-user") if created else None,
            last_active=timestamps.iso(fields.between(created)) if rng.random() < 0.6 else None,
            access_group_ids=rng.choice([[], [], [], None]),
            router_settings=rng.choice([{}, {}, {}, None]),
            user=owner.row,
            created_by_user=creator_summary(creator_row) if creator_row else None,
            **fields.spend(models, trait),
            **fields.limits(trait),
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
        builder = _KeyBuilder(rng, now, seed, user_count=max(8, count // 6))
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

"""New key rows for the fake's writes: a created key, a regenerated secret, a churned key."""

from __future__ import annotations

import hashlib
import random
import string
from datetime import datetime
from typing import Any

from keydash_fakes.litellm import catalog, timestamps
from keydash_fakes.litellm.records import Record, creator_summary, key_record

# LiteLLM's proxy admin placeholder: who a master-key caller is in `created_by` and `deleted_by`.
ADMIN_USER_ID = "default_user_id"
_SECRET_ALPHABET = string.ascii_letters + string.digits + "-_"


def secret(rng: random.Random) -> str:
    return "sk-" + "".join(rng.choice(_SECRET_ALPHABET) for _ in range(22))


def identity(raw: str) -> dict[str, str]:
    """`token` and `key_name` of a raw key, as LiteLLM derives them."""
    name = "sk-..." if len(raw) < 16 else "sk-..." + raw[-4:]
    return {"token": hashlib.sha256(raw.encode()).hexdigest(), "key_name": name}


def created_key(
    raw: str, fields: dict[str, Any], now: datetime, owner_row: Record | None
) -> Record:
    """A key as `/key/generate` leaves it: created and updated now, by the admin."""
    stamp = timestamps.iso(now)
    return key_record(
        **identity(raw),
        created_at=stamp,
        updated_at=stamp,
        created_by=ADMIN_USER_ID,
        updated_by=ADMIN_USER_ID,
        user=owner_row,
        created_by_user=creator_summary(
            {"user_id": ADMIN_USER_ID, "user_email": None, "user_alias": None}
        ),
        **fields,
    )


def churned_fields(rng: random.Random) -> dict[str, Any]:
    """Plausible fields for a key a churn creates: a service or a person's key, some limits."""
    service, team = rng.choice(catalog.SERVICES)
    fields: dict[str, Any] = {
        "key_alias": f"{service}-{rng.randrange(16**6):06x}",
        "team_id": team if rng.random() < 0.7 else None,
        "models": rng.sample(catalog.MODELS, rng.randint(0, 3)),
        "metadata": {
            "description": rng.choice(catalog.DESCRIPTIONS),
            "tags": rng.sample(catalog.TAGS, rng.randint(1, 2)),
        },
    }
    if rng.random() < 0.4:
        fields["max_budget"] = rng.choice(catalog.BUDGETS)
    return fields


def churned_update(rng: random.Random, record: Record) -> dict[str, Any]:
    """One admin edit of the kind people make: rename, budget, models or description."""
    choice = rng.randrange(4)
    if choice == 0:
        return {"key_alias": f"{record.get('key_alias') or 'key'}-renamed-{rng.randrange(10**6)}"}
    if choice == 1:
        return {"max_budget": rng.choice((None, *catalog.BUDGETS))}
    if choice == 2:
        return {"models": rng.sample(catalog.MODELS, rng.randint(1, 4))}
    metadata = record.get("metadata")
    base = dict(metadata) if isinstance(metadata, dict) else {}
    return {"metadata": {**base, "description": rng.choice(catalog.DESCRIPTIONS)}}

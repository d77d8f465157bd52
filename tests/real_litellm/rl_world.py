"""The keys this run creates in the real LiteLLM, and what Keydash should show for each of them
according to what was sent (independently of what LiteLLM then stores)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from rl_common import NotYet, eventually, note
from rl_expect import masked
from rl_litellm import Admin
from rl_plan import PlannedKey, plan


@dataclass
class World:
    prefix: str
    keys: list[PlannedKey]
    regenerate_status: int = 0
    regenerate_message: str = ""

    def live(self) -> list[PlannedKey]:
        return [key for key in self.keys if not key.delete]

    def by_name(self, name: str) -> PlannedKey:
        return next(key for key in self.keys if key.name == name)


def build_world(admin: Admin, prefix: str) -> World:
    users, keys = plan(prefix)
    for user_id, alias, email in users:
        admin.new_user(user_id, alias=alias, email=email)
    admin.new_team(f"{prefix}-team-a", "Team A ✓")
    admin.new_team(f"{prefix}-team-b", "Team B")
    for key in keys:
        key.created_from = datetime.now(UTC)
        answer = admin.generate(key.body)
        key.created_to = datetime.now(UTC)
        key.secret, key.token = answer["key"], answer["token"]
    world = World(prefix, keys)
    for key in keys:
        if key.block:
            admin.block(key.token)
        if key.delete:
            admin.delete([key.token])
        if key.spend:
            response = admin.chat(key.secret)
            assert response.status_code == 200, (
                f"{key.name}: {response.status_code} {response.text}"
            )
    regen = world.by_name("regen")
    response = admin.regenerate(regen.token)
    world.regenerate_status = response.status_code
    world.regenerate_message = response.text[:200]
    if response.status_code == 200:
        # A licensed proxy: the key has a new secret and a new token hash; follow it.
        answer = response.json()
        regen.secret, regen.token = answer["key"], answer["token"]
        admin.created.tokens.append(regen.token)
    note(f"/key/regenerate answered HTTP {response.status_code}: {response.text[:120]!r}")
    return world


def wait_for_spend(admin: Admin, tokens: set[str], bound: float = 60) -> float:
    """LiteLLM writes spend in batches (about every 10 s): wait until every token shows some."""
    started = time.monotonic()

    def check() -> None:
        records = {r["token"]: r for r in admin.list_all() if r["token"] in tokens}
        waiting = [t[:10] for t in tokens if not (records.get(t) or {}).get("spend")]
        if waiting:
            raise NotYet(f"no spend yet for {waiting}")

    eventually(check, bound=bound, what="LiteLLM recording spend", every=1.0)
    return time.monotonic() - started


def planned_item(key: PlannedKey) -> dict[str, Any]:
    """What Keydash should show for a planned key, from what was sent (fields LiteLLM fills in
    itself, created_at/expires_at/spend, are checked separately against the plan's windows)."""
    body = key.body
    metadata = body.get("metadata") or {}
    raw_tags = metadata.get("tags")
    tags = [raw_tags] if isinstance(raw_tags, str) else list(raw_tags or [])
    username, email, owner_id = key.owner
    description = metadata.get("description")
    return {
        "id": key.token,
        "masked_key": masked(key.secret),
        "alias": body.get("key_alias"),
        "description": description.strip() if description else None,
        "owner": username or email or owner_id,
        "owner_username": username,
        "owner_email": email,
        "owner_id": owner_id,
        "team_id": body.get("team_id"),
        "allowed_models": list(body.get("models") or []),
        "tags": list(dict.fromkeys(t.strip() for t in tags if t.strip())),
        "max_budget": body.get("max_budget"),
        "status": key.status,
        "partial": False,
        "unreadable_fields": [],
    }


def check_plan_windows(key: PlannedKey, item: dict[str, Any]) -> list[str]:
    """created_at within the create call, expires_at = creation + duration, spend as planned."""
    out = []
    slack = timedelta(seconds=5)
    created = datetime.fromisoformat(item["created_at"]) if item["created_at"] else None
    if created is None or not (key.created_from - slack <= created <= key.created_to + slack):
        out.append(f"{key.name}: created_at {item['created_at']} outside the create call")
    expires = datetime.fromisoformat(item["expires_at"]) if item["expires_at"] else None
    if key.expires_in is None:
        if expires is not None:
            out.append(f"{key.name}: expires_at {expires} but no duration was set")
    elif expires is None or not (
        key.created_from + key.expires_in - slack
        <= expires
        <= key.created_to + key.expires_in + slack
    ):
        out.append(
            f"{key.name}: expires_at {item['expires_at']} is not creation + {key.expires_in}"
        )
    spend = item["spend"]
    if key.spend and not (isinstance(spend, float) and spend > 0):
        out.append(f"{key.name}: spend {spend!r}, expected > 0 after a completion")
    if not key.spend and spend not in (0, 0.0):
        out.append(f"{key.name}: spend {spend!r}, expected 0")
    return out

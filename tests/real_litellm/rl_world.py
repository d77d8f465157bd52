"""The keys this run creates in the real LiteLLM, and what Keydash should show for each of them
according to what was sent (independently of what LiteLLM then stores)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from rl_common import NotYet, eventually, note
from rl_expect import masked
from rl_litellm import MOCK_MODEL, Admin

LONG_MODEL_LIST = [f"provider-{n % 5}/model-{n:02d}-{'xl' if n % 3 else 'mini'}" for n in range(40)]


@dataclass
class PlannedKey:
    name: str
    body: dict[str, Any]
    owner: tuple[str | None, str | None, str | None]  # username, email, id as Keydash shows them
    status: str
    expires_in: timedelta | None = None
    spend: bool = False
    block: bool = False
    delete: bool = False
    secret: str = ""
    token: str = ""
    created_from: datetime = field(default_factory=lambda: datetime.now(UTC))
    created_to: datetime = field(default_factory=lambda: datetime.now(UTC))


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


def _plan(p: str) -> tuple[list[tuple[str, str | None, str | None]], list[PlannedKey]]:
    full, mail, bare = f"{p}-u-full", f"{p}-u-mail", f"{p}-u-bare"
    ghost, ghost_named = f"{p}-ghost-1", f"{p}-ghost-2"
    team_a, team_b = f"{p}-team-a", f"{p}-team-b"
    ada = ("Ada Lovelace", f"ada.{p}@example.test", full)
    users: list[tuple[str, str | None, str | None]] = [
        (full, "Ada Lovelace", f"ada.{p}@example.test"),
        (mail, None, f"mail.{p}@example.test"),
        (bare, None, None),
    ]
    day = timedelta(days=1)
    keys = [
        PlannedKey(
            "full",
            {
                "key_alias": f"{p}-full",
                "user_id": full,
                "team_id": team_a,
                "models": [],
                "max_budget": 50.0,
                "duration": "30d",
                "metadata": {"tags": [f"{p}-prod", f"{p}-生产"], "description": f"Nightly 🚀 {p}"},
            },
            ada,
            "active",
            expires_in=30 * day,
        ),
        PlannedKey(
            "mail-owner",
            {
                "key_alias": f"{p}-mail",
                "user_id": mail,
                "team_id": team_b,
                "models": [MOCK_MODEL, "gpt-4o"],
                "metadata": {
                    "tags": [f"  {p}-padded ", f"{p}-prod", f"{p}-prod", ""],
                    "description": "  spaced out  ",
                },
            },
            (None, f"mail.{p}@example.test", mail),
            "active",
            spend=True,
        ),
        PlannedKey(
            "bare-owner",
            {"user_id": bare, "models": ["gpt-4o-mini"], "metadata": {"description": f"{p} bare"}},
            (None, None, bare),
            "active",
        ),
        PlannedKey(
            "ghost",
            {"key_alias": f"{p}-ghost", "user_id": ghost},
            (None, None, ghost),
            "active",
        ),
        PlannedKey(
            "ghost-named",
            {
                "user_id": ghost_named,
                "models": ["all-proxy-models"],
                "metadata": {"owner": "Grace Hopper", "tags": f"{p}-single"},
            },
            ("Grace Hopper", None, ghost_named),
            "active",
        ),
        PlannedKey(
            "no-owner",
            {"key_alias": f"{p}-noowner", "models": [], "metadata": {"tags": [f"{p}-prod"]}},
            (None, None, None),
            "active",
        ),
        PlannedKey(
            "long-models",
            {"key_alias": f"{p}-long", "team_id": team_a, "models": LONG_MODEL_LIST},
            (None, None, None),
            "active",
        ),
        PlannedKey(
            "tiny-budget",
            {"key_alias": f"{p}-tiny-budget", "user_id": full, "max_budget": 0.00001},
            ada,
            "active",
            spend=True,
        ),
        PlannedKey(
            "spender",
            {"key_alias": f"{p}-spender", "user_id": full, "max_budget": 1.0, "models": []},
            ada,
            "active",
            spend=True,
        ),
        PlannedKey(
            "expiring",
            {"key_alias": f"{p}-expiring", "duration": "5d", "team_id": team_b},
            (None, None, None),
            "active",
            expires_in=5 * day,
        ),
        PlannedKey(
            "expired",
            {"key_alias": f"{p}-expired", "duration": "1s", "user_id": bare},
            (None, None, bare),
            "expired",
            expires_in=timedelta(seconds=1),
        ),
        PlannedKey(
            "blocked",
            {"key_alias": f"{p}-blocked", "metadata": {"tags": [f"{p}-blocked-tag"]}},
            (None, None, None),
            "blocked",
            block=True,
        ),
        PlannedKey(
            "blocked-expired",
            {"key_alias": f"{p}-blocked-expired", "duration": "1s"},
            (None, None, None),
            "blocked",
            expires_in=timedelta(seconds=1),
            block=True,
        ),
        PlannedKey(
            "deleted",
            {"key_alias": f"{p}-deleted", "user_id": full},
            ada,
            "active",
            delete=True,
        ),
        PlannedKey(
            "formula",
            {"key_alias": f"{p}-formula", "metadata": {"description": f'=HYPERLINK("x") {p}'}},
            (None, None, None),
            "active",
        ),
        PlannedKey(
            "unicode",
            {
                "key_alias": f"{p}-unicode",
                "metadata": {"tags": [f"{p}-café", f"{p}-😀", f"{p}-ünïcödé"]},
            },
            (None, None, None),
            "active",
        ),
        # Nothing a search can find: only a full view/export shows it.
        PlannedKey("anonymous", {}, (None, None, None), "active"),
        PlannedKey("regen", {"key_alias": f"{p}-regen"}, (None, None, None), "active"),
    ]
    return users, keys


def build_world(admin: Admin, prefix: str) -> World:
    users, keys = _plan(prefix)
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

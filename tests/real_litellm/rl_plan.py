"""The keys this run plans to create in the real LiteLLM: what is sent for each, and what
Keydash should show for it according to what was sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from rl_litellm import MOCK_MODEL

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


def plan(p: str) -> tuple[list[tuple[str, str | None, str | None]], list[PlannedKey]]:
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
        # Scheduled rotation (not licensed: LiteLLM only records the schedule).
        PlannedKey(
            "rotating",
            {"key_alias": f"{p}-rotating", "auto_rotate": True, "rotation_interval": "30d"},
            (None, None, None),
            "active",
        ),
        # A budget window, used once through the mocked model: last use, spend, daily activity.
        PlannedKey(
            "windowed",
            {
                "key_alias": f"{p}-windowed",
                "max_budget": 10.0,
                "budget_duration": "30d",
                "models": [MOCK_MODEL],
            },
            (None, None, None),
            "active",
            spend=True,
        ),
    ]
    return users, keys

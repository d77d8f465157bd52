"""What Keydash's CSV export should hold for a key (docs/api.md), column by column."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from rl_expect import reaches_every_model, same_number
from rl_expect_insights import INSIGHT_DATES

CSV_COLUMNS = [
    "id",
    "masked_key",
    "alias",
    "description",
    "owner",
    "owner_username",
    "owner_email",
    "owner_id",
    "team_id",
    "status",
    "created_at",
    "expires_at",
    "allowed_models",
    "all_models",
    "tags",
    "spend",
    "max_budget",
    "last_used_at",
    "last_use",
    "created_by",
    "updated_by",
    "auto_rotate",
    "rotation_interval",
    "rotation_count",
    "last_rotated_at",
    "next_rotation_at",
    "budget_duration",
    "budget_reset_at",
    "partial",
    "unreadable_fields",
]


def spreadsheet_safe(text: str) -> str:
    """docs/api.md: a cell a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + text if text.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r")) else text


def diff_csv_row(row: Mapping[str, str], expected: Mapping[str, Any]) -> list[str]:
    label = f"csv {expected.get('alias') or ''}#{str(expected['id'])[:10]}"
    out = []

    def text(value: str | None) -> str:
        return spreadsheet_safe(value) if value else ""

    plain = {
        "id": expected["id"],
        "masked_key": text(expected["masked_key"]),
        "alias": text(expected["alias"]),
        "description": text(expected["description"]),
        "owner": text(expected["owner"]),
        "owner_username": text(expected["owner_username"]),
        "owner_email": text(expected["owner_email"]),
        "owner_id": text(expected["owner_id"]),
        "team_id": text(expected["team_id"]),
        "status": expected["status"],
        "allowed_models": text("; ".join(expected["allowed_models"])),
        "all_models": "true" if reaches_every_model(expected) else "false",
        "tags": text("; ".join(expected["tags"])),
        "partial": "false",
        "unreadable_fields": "",
        "created_by": text(expected["created_by"]),
        "updated_by": text(expected["updated_by"]),
        "auto_rotate": "true" if expected["auto_rotate"] else "false",
        "rotation_interval": text(expected["rotation_interval"]),
        "rotation_count": ""
        if expected["rotation_count"] is None
        else str(expected["rotation_count"]),
        "budget_duration": text(expected["budget_duration"]),
    }
    for name, want in plain.items():
        if row.get(name) != want:
            out.append(f"{label} {name}: {row.get(name)!r} != {want!r}")
    for name in ("created_at", "expires_at", *INSIGHT_DATES):
        cell = row.get(name) or ""
        got = datetime.fromisoformat(cell) if cell else None
        if got != expected[name]:
            out.append(f"{label} {name}: {cell!r} != {expected[name]!r}")
    for name in ("spend", "max_budget"):
        cell = row.get(name) or ""
        number = float(cell) if cell else None
        if not same_number(number, expected[name]):
            out.append(f"{label} {name}: {cell!r} != {expected[name]!r}")
    return out

"""What an export of the view holds (docs/api.md): the CSV's columns and how it writes text."""

from __future__ import annotations

CSV_COLUMNS = (
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
)


def csv_text(value: str | None) -> str:
    """A text cell as docs/api.md says the CSV holds it: empty when missing, formulas defused."""
    if not value:
        return ""
    if value.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value

"""The oracle's ordering rules: LiteLLM's own default order, and a sort by any column.

Text sorts case-insensitively, lists by their joined text, status active < expired < blocked;
empty values last in both orders, except the default view (created_at newest first), which puts
undated keys first as LiteLLM's database does (nulls rank newest in `created_at desc`); ties in
that same default order: undated keys first, then created_at newest first, then id desc.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from e2e_oracle_rows import Row

_STATUS_RANK = {"active": 0, "expired": 1, "blocked": 2}


def _sort_value(row: Row, field: str, now: datetime) -> Any:
    if field == "masked_key":
        return row.masked_key.casefold() if row.masked_key else None
    if field in {"owner", "description", "team_id", "alias"}:
        value = getattr(row, field)
        return value.casefold() if value else None
    if field in {"created_at", "expires_at", "spend", "max_budget"}:
        return getattr(row, field)
    if field == "allowed_models":
        return ", ".join(row.models).casefold() or None
    if field == "tags":
        return ", ".join(row.tags).casefold() or None
    if field == "status":
        return _STATUS_RANK[row.status(now)]
    if field == "last_used_at":
        return row.insights.last_used_at
    raise ValueError(field)


def default_order(rows: Sequence[Row]) -> list[Row]:
    """LiteLLM's own `/key/list` order: keys without created_at first (PostgreSQL ranks a null
    as the newest in `created_at desc`), then created_at newest first; ties by id descending."""
    by_id = sorted(rows, key=lambda row: row.id, reverse=True)
    dated = sorted(
        (row for row in by_id if row.created_at is not None),
        key=lambda row: row.created_at,  # type: ignore[arg-type, return-value]
        reverse=True,
    )
    return [row for row in by_id if row.created_at is None] + dated


def sort_rows(
    rows: Sequence[Row], field: str, order: str, now: datetime | None = None
) -> list[Row]:
    now = now or datetime.now(UTC)
    base = default_order(rows)
    present = [row for row in base if _sort_value(row, field, now) is not None]
    empty = [row for row in base if _sort_value(row, field, now) is None]
    present.sort(key=lambda row: _sort_value(row, field, now), reverse=order == "desc")
    if field == "created_at" and order == "desc":
        return empty + present  # the default view: undated keys first, as LiteLLM lists them
    return present + empty

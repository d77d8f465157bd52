"""How a row reads in the table: its columns, dates, amounts, badges and placeholders, in the
shape `read_rows` (e2e_pages_table) extracts from the DOM."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

from e2e_oracle_rows import Row

SHOWN_BADGES = 3  # the table folds the rest into "+N more"
SORT_FIELDS = (
    "masked_key",
    "owner",
    "description",
    "created_at",
    "allowed_models",
    "tags",
    "status",
    "expires_at",
    "spend",
    "team_id",
    "last_used_at",
)
DEFAULT_COLUMNS = (
    "masked_key",
    "owner",
    "description",
    "created_at",
    "last_used_at",
    "allowed_models",
    "tags",
)
ALL_COLUMNS = SORT_FIELDS
COLUMN_TITLES = {
    "masked_key": "Key",
    "owner": "Owner",
    "description": "Description",
    "created_at": "Created",
    "allowed_models": "Models",
    "tags": "Tags",
    "status": "Status",
    "expires_at": "Expires",
    "spend": "Spend / budget",
    "team_id": "Team",
    "last_used_at": "Last used",
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def date_text(moment: datetime) -> str:
    """Intl.DateTimeFormat('en-US', {dateStyle: 'medium'}) in UTC."""
    moment = moment.astimezone(UTC)
    return f"{_MONTHS[moment.month - 1]} {moment.day}, {moment.year}"


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def money(value: float) -> str:
    return f"${value:,.2f}"


def money_texts(value: float) -> set[str]:
    """How Intl (en-US, USD) may show an amount: half up, and either cent right on a half cent.

    Two sums of the same amounts in another order can differ in the last bits of a double, which
    decides a sum that lands on a half cent; anywhere else there is exactly one answer.
    """
    exact = Decimal(repr(value))
    cents = {
        (exact + nudge).quantize(Decimal("0.01"), ROUND_HALF_UP)
        for nudge in (Decimal("-1e-6"), Decimal(0), Decimal("1e-6"))
    }
    return {f"${amount:,.2f}" for amount in cents}


def _badges(values: tuple[str, ...], *, empty: str | None) -> list[str]:
    if not values:
        return [f"badge:{empty}"] if empty else []
    shown = [f"badge:{value}" for value in values[:SHOWN_BADGES]]
    rest = values[SHOWN_BADGES:]
    if rest:
        shown.append(f"badge:+{len(rest)} more: {', '.join(rest)}")
    return shown


def _date_cell(moment: datetime | None, missing: str) -> list[str]:
    if moment is None:
        return [f"[{missing}]"]
    return [f"time:{date_text(moment)} ({utc_text(moment)})"]


def cell(row: Row, column: str) -> list[str]:
    """The parts of one cell, in the shape `read_rows` in e2e_pages_table extracts from the DOM."""
    if column == "masked_key":
        parts = [row.masked_key] if row.masked_key else ["[Key could not be read]"]
        return parts + ([row.alias] if row.alias else [])
    if column == "owner":
        if not row.owner:
            return ["[No owner]"]
        extra = [row.owner_email] if row.owner_email and row.owner_email != row.owner else []
        return [row.owner, *extra]
    if column == "description":
        return [row.description] if row.description else ["[No description]"]
    if column == "created_at":
        return _date_cell(row.created_at, "Unknown")
    if column == "expires_at":
        return _date_cell(row.expires_at, "Never expires")
    if column == "allowed_models":
        return _badges(row.models, empty="All models")
    if column == "tags":
        return _badges(row.tags, empty=None) or ["[No tags]"]
    if column == "status":
        return [f"badge:{row.status()}"]
    if column == "spend":
        spend = "Unknown" if row.spend is None else money(row.spend)
        budget = "no limit" if row.max_budget is None else money(row.max_budget)
        return [f"{spend} / {budget}"]
    if column == "team_id":
        return [row.team_id] if row.team_id else ["[No team]"]
    if column == "last_used_at":
        last_used = row.insights.last_used_at
        if last_used is not None:
            return [f"time:({utc_text(last_used)})"]
        return [f"muted:{row.insights.last_use(row.created_at)}"]
    raise ValueError(column)


def rendered(
    rows: Sequence[Row], columns: Sequence[str] = DEFAULT_COLUMNS
) -> list[dict[str, list[str]]]:
    return [{column: cell(row, column) for column in columns} for row in rows]

"""What the browser should show, computed here from the fake LiteLLM's raw records.

Written from docs/api.md and the table's documented behaviour, not by calling Keydash's own code:
if the API and this disagree about an order, a mask or a search, a test says so.

- masked key: LiteLLM's `key_name` (`sk-...abcd`) shown as `sk-****abcd`, never more than 4 chars;
- owner: the user row's alias, else its email, else its id (or the key's `user_id`); without a user
  row, `metadata.owner`/`username`/`user`, else `user_id`;
- search: every whitespace-separated term is a case-insensitive substring of one of the owner's
  alias, email or id, the description, the alias, a tag or a model;
- sort: text case-insensitively, lists by their joined text, status active < expired < blocked;
  empty values last in both orders; ties by created_at newest first (unknown last), then id desc.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

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
)
DEFAULT_COLUMNS = ("masked_key", "owner", "description", "created_at", "allowed_models", "tags")
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
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return ()
    cleaned = [item.strip() for item in value if isinstance(item, str) and item.strip()]
    return tuple(dict.fromkeys(cleaned))


def mask(key_name: str | None) -> str | None:
    if not key_name:
        return None
    prefix, dash, rest = key_name.partition("-")
    if not dash or len(prefix) > 8:
        return "****" + key_name[-4:]
    return f"{prefix}-****{rest.lstrip('.')[-4:]}"


@dataclass(frozen=True)
class Row:
    id: str
    masked_key: str | None
    alias: str | None
    description: str | None
    owner_username: str | None
    owner_email: str | None
    owner_id: str | None
    team_id: str | None
    created_at: datetime | None
    expires_at: datetime | None
    models: tuple[str, ...]
    tags: tuple[str, ...]
    spend: float | None
    max_budget: float | None
    blocked: bool

    @property
    def owner(self) -> str | None:
        return self.owner_username or self.owner_email or self.owner_id

    def status(self, now: datetime | None = None) -> str:
        now = now or datetime.now(UTC)
        if self.blocked:
            return "blocked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"

    def haystack(self) -> tuple[str, ...]:
        fields = (
            self.owner_username,
            self.owner_email,
            self.owner_id,
            self.description,
            self.alias,
            *self.tags,
            *self.models,
        )
        return tuple(value.casefold() for value in fields if value)


def row_from_record(record: Mapping[str, Any]) -> Row:
    metadata = record.get("metadata")
    if not isinstance(metadata, dict):
        metadata = {}
    user = record.get("user")
    user_id = _text(record.get("user_id"))
    if isinstance(user, dict):
        owner_username = _text(user.get("user_alias"))
        owner_email = _text(user.get("user_email"))
        owner_id = _text(user.get("user_id")) or user_id
    else:
        named = (_text(metadata.get(name)) for name in ("owner", "username", "user"))
        owner_username = next((name for name in named if name), None)
        owner_email = None
        owner_id = user_id
    return Row(
        id=str(record["token"]),
        masked_key=mask(_text(record.get("key_name"))),
        alias=_text(record.get("key_alias")),
        description=_text(metadata.get("description")),
        owner_username=owner_username,
        owner_email=owner_email,
        owner_id=owner_id,
        team_id=_text(record.get("team_id")),
        created_at=_moment(record.get("created_at")),
        expires_at=_moment(record.get("expires")),
        models=_strings(record.get("models")) if isinstance(record.get("models"), list) else (),
        tags=_strings(metadata.get("tags")),
        spend=_number(record.get("spend")),
        max_budget=_number(record.get("max_budget")),
        blocked=record.get("blocked") is True,
    )


def rows_from(records: Sequence[Mapping[str, Any]]) -> list[Row]:
    return [row_from_record(record) for record in records]


# --- ordering and search ------------------------------------------------------------------------

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
    raise ValueError(field)


def default_order(rows: Sequence[Row]) -> list[Row]:
    """created_at newest first (unknown last), then id descending: LiteLLM's own order."""
    by_id = sorted(rows, key=lambda row: row.id, reverse=True)
    dated = sorted(
        (row for row in by_id if row.created_at is not None),
        key=lambda row: row.created_at,  # type: ignore[arg-type, return-value]
        reverse=True,
    )
    return dated + [row for row in by_id if row.created_at is None]


def sort_rows(rows: Sequence[Row], field: str, order: str) -> list[Row]:
    now = datetime.now(UTC)
    base = default_order(rows)
    present = [row for row in base if _sort_value(row, field, now) is not None]
    empty = [row for row in base if _sort_value(row, field, now) is None]
    present.sort(key=lambda row: _sort_value(row, field, now), reverse=order == "desc")
    return present + empty


def search_rows(rows: Sequence[Row], text: str) -> list[Row]:
    terms = text.casefold().split()
    return [
        row for row in rows if all(any(term in value for value in row.haystack()) for term in terms)
    ]


def view(
    rows: Sequence[Row],
    *,
    search: str = "",
    sort_by: str = "created_at",
    sort_order: str = "desc",
    page: int = 1,
    size: int = 25,
) -> tuple[list[Row], int]:
    """One page of the table as the API should answer it, and the number of matches."""
    found = search_rows(sort_rows(rows, sort_by, sort_order), search)
    start = (page - 1) * size
    return found[start : start + size], len(found)


# --- how a row reads in the table ---------------------------------------------------------------


def date_text(moment: datetime) -> str:
    """Intl.DateTimeFormat('en-US', {dateStyle: 'medium'}) in UTC."""
    moment = moment.astimezone(UTC)
    return f"{_MONTHS[moment.month - 1]} {moment.day}, {moment.year}"


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def money(value: float) -> str:
    return f"${value:,.2f}"


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
    """The parts of one cell, in the shape `read_rows` in e2e_pages extracts from the DOM."""
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
    raise ValueError(column)


def rendered(
    rows: Sequence[Row], columns: Sequence[str] = DEFAULT_COLUMNS
) -> list[dict[str, list[str]]]:
    return [{column: cell(row, column) for column in columns} for row in rows]

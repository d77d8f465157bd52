"""What the browser should show, computed here from the fake LiteLLM's raw records.

Written from docs/api.md and the table's documented behaviour, not by calling Keydash's own code:
if the API and this disagree about an order, a mask or a search, a test says so.

- masked key: LiteLLM's `key_name` (`sk-...abcd`) shown as `sk-****abcd`, never more than 4 chars;
- owner: the user row's alias, else its email, else its id (or the key's `user_id`); without a user
  row, `metadata.owner`/`username`/`user`, else `user_id`;
- search: every whitespace-separated term is a case-insensitive substring of one of the owner's
  alias, email or id, the description, the alias, a tag or a model;
- sort: text case-insensitively, lists by their joined text, status active < expired < blocked;
  empty values last in both orders, except the default view (created_at newest first), which puts
  undated keys first as LiteLLM's database does (nulls rank newest in `created_at desc`); ties in
  that same default order: undated keys first, then created_at newest first, then id desc;
- the API answers from its mirror of LiteLLM's keys: once synced, that is exactly the fake's
  records (the tests read `stack.records`, or the records a scoped key may list);
- filters (docs/api.md "Filters"): one filter's values are alternatives, different filters must
  all hold; relative dates are measured from the API's `fetched_at`, the instant the statuses
  were derived at; each facet counts the view with its own filter lifted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
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

    @property
    def reaches_every_model(self) -> bool:
        """No model list (LiteLLM then allows every model) or an `all-*` entry."""
        return not self.models or any(model.startswith("all-") for model in self.models)

    @property
    def spend_share(self) -> float | None:
        """Spend over max_budget (1.0 = used up); None without a positive budget."""
        if self.max_budget is None or self.max_budget <= 0:
            return None
        return (self.spend or 0.0) / self.max_budget

    def expires_within(self, days: int, now: datetime) -> bool:
        """Not expired yet, and expiring within `days` of `now`."""
        return self.expires_at is not None and now < self.expires_at <= now + timedelta(days=days)

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


def owned_by(records: Sequence[Mapping[str, Any]], user_id: str) -> list[Mapping[str, Any]]:
    """The records a LiteLLM key scoped to `user_id` may list: that user's keys only
    (docs/litellm-contract.md, "Visibility"); what a mirror read with such a key holds."""
    return [record for record in records if record.get("user_id") == user_id]


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


def search_rows(rows: Sequence[Row], text: str) -> list[Row]:
    terms = text.casefold().split()
    return [
        row for row in rows if all(any(term in value for value in row.haystack()) for term in terms)
    ]


# --- structured filters and facets --------------------------------------------------------------

STATUSES = ("active", "expired", "blocked")
EXPIRY_PRESETS = (7, 30, 90)  # the filter bar's "expires within" chips
SPEND_SHARES = (0.5, 0.8, 1.0)  # the shares the facets endpoint counts


@dataclass(frozen=True)
class Filters:
    """The filters of docs/api.md, by their query parameter names; the defaults filter nothing."""

    status: tuple[str, ...] = ()
    expires_within_days: int | None = None
    never_expires: bool = False
    all_models: bool = False
    owner_missing: bool = False
    team_missing: bool = False
    tag: tuple[str, ...] = ()
    model: tuple[str, ...] = ()
    team: tuple[str, ...] = ()
    owner: tuple[str, ...] = ()
    spend_share_at_least: float | None = None

    def without(self, name: str) -> Filters:
        """These filters with one lifted: what that filter's facet counts over."""
        return replace(self, **{name: getattr(NO_FILTERS, name)})

    def accepts(self, row: Row, now: datetime) -> bool:
        share = row.spend_share
        checks = (
            not self.status or row.status(now) in self.status,
            self.expires_within_days is None or row.expires_within(self.expires_within_days, now),
            not self.never_expires or row.expires_at is None,
            not self.all_models or row.reaches_every_model,
            not self.owner_missing or row.owner is None,
            not self.team_missing or row.team_id is None,
            not self.tag or any(tag in self.tag for tag in row.tags),
            not self.model or any(model in self.model for model in row.models),
            not self.team or row.team_id in self.team,
            not self.owner or row.owner in self.owner,
            self.spend_share_at_least is None
            or (share is not None and share >= self.spend_share_at_least),
        )
        return all(checks)

    def url_params(self) -> dict[str, list[str]]:
        """The active filters as the address bar carries them: the API's names, in canonical
        order (statuses as listed in STATUSES, other values sorted), numbers as JS writes them."""
        params: dict[str, list[str]] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name == "status" and value:
                params[item.name] = [status for status in STATUSES if status in value]
            elif isinstance(value, tuple) and value:
                params[item.name] = sorted(value)
            elif value is True:
                params[item.name] = ["true"]
            elif isinstance(value, int | float) and not isinstance(value, bool):
                params[item.name] = [f"{value:g}"]
        return params


NO_FILTERS = Filters()


def filter_rows(rows: Sequence[Row], filters: Filters, now: datetime) -> list[Row]:
    return [row for row in rows if filters.accepts(row, now)]


def select(
    rows: Sequence[Row],
    *,
    now: datetime,
    search: str = "",
    filters: Filters = NO_FILTERS,
    sort_by: str = "created_at",
    sort_order: str = "desc",
) -> list[Row]:
    """Every row of the view (search, filters, sort), across all pages: what an export holds."""
    ordered = sort_rows(rows, sort_by, sort_order, now)
    return filter_rows(search_rows(ordered, search), filters, now)


def view(
    rows: Sequence[Row],
    *,
    search: str = "",
    sort_by: str = "created_at",
    sort_order: str = "desc",
    page: int = 1,
    size: int = 25,
    filters: Filters = NO_FILTERS,
    now: datetime | None = None,
) -> tuple[list[Row], int]:
    """One page of the table as the API should answer it, and the number of matches."""
    found = select(
        rows,
        now=now or datetime.now(UTC),
        search=search,
        filters=filters,
        sort_by=sort_by,
        sort_order=sort_order,
    )
    start = (page - 1) * size
    return found[start : start + size], len(found)


@dataclass(frozen=True)
class Facets:
    """What GET /api/keys/facets should count for a view (docs/api.md)."""

    total: int
    total_spend: float
    status: dict[str, int]
    expires_within_days: dict[int, int]
    never_expires: int
    all_models: int
    owner_missing: int
    team_missing: int
    spend_share_at_least: dict[float, int]
    tags: dict[str, int] = field(default_factory=dict)
    models: dict[str, int] = field(default_factory=dict)
    teams: dict[str, int] = field(default_factory=dict)
    owners: dict[str, int] = field(default_factory=dict)


def _counts(values: Sequence[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def facets(
    rows: Sequence[Row], *, now: datetime, search: str = "", filters: Filters = NO_FILTERS
) -> Facets:
    """Each facet over the search and every other filter; total and spend over all of them."""
    searched = search_rows(rows, search)

    def lifted(name: str) -> list[Row]:
        return filter_rows(searched, filters.without(name), now)

    shown = filter_rows(searched, filters, now)
    by_status = lifted("status")
    by_expiry = lifted("expires_within_days")
    by_share = lifted("spend_share_at_least")
    return Facets(
        total=len(shown),
        total_spend=math.fsum(row.spend or 0.0 for row in shown),
        status={s: sum(row.status(now) == s for row in by_status) for s in STATUSES},
        expires_within_days={
            days: sum(row.expires_within(days, now) for row in by_expiry) for days in EXPIRY_PRESETS
        },
        never_expires=sum(row.expires_at is None for row in lifted("never_expires")),
        all_models=sum(row.reaches_every_model for row in lifted("all_models")),
        owner_missing=sum(row.owner is None for row in lifted("owner_missing")),
        team_missing=sum(row.team_id is None for row in lifted("team_missing")),
        spend_share_at_least={
            share: sum(row.spend_share is not None and row.spend_share >= share for row in by_share)
            for share in SPEND_SHARES
        },
        tags=_counts([tag for row in lifted("tag") for tag in row.tags]),
        models=_counts([model for row in lifted("model") for model in row.models]),
        teams=_counts([row.team_id for row in lifted("team") if row.team_id]),
        owners=_counts([row.owner for row in lifted("owner") if row.owner]),
    )


# --- exports ------------------------------------------------------------------------------------

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


# --- how a row reads in the table ---------------------------------------------------------------


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

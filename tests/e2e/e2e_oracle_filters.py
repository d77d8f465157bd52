"""Which rows a view keeps: the search, and the structured filters of docs/api.md "Filters".

- search: every whitespace-separated term is a case-insensitive substring of one of the owner's
  alias, email or id, the description, the alias, a tag or a model;
- filters: one filter's values are alternatives, different filters must all hold; relative dates
  are measured from the API's `fetched_at`, the instant the statuses were derived at.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta
from typing import Any

from e2e_oracle_rows import Row

DAY = timedelta(days=1)
STATUSES = ("active", "expired", "blocked")


def search_rows(rows: Sequence[Row], text: str) -> list[Row]:
    terms = text.casefold().split()
    return [
        row for row in rows if all(any(term in value for value in row.haystack()) for term in terms)
    ]


@dataclass(frozen=True)
class Filters:
    """The filters of docs/api.md, by their query parameter names; the defaults filter nothing."""

    status: tuple[str, ...] = ()
    expires_within_days: int | None = None
    never_expires: bool = False
    all_models: bool = False
    owner_missing: bool = False
    team_missing: bool = False
    unused_for_days: int | None = None
    never_used: bool = False
    last_use_unknown: bool = False
    zombie: bool = False
    rotation_overdue: bool = False
    no_rotation_policy: bool = False
    budget_at_risk: bool = False
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
            self.unused_for_days is None or unused_for(row, self.unused_for_days, now),
            not self.never_used or row.insights.last_use(row.created_at) == "never",
            not self.last_use_unknown or row.insights.last_use(row.created_at) == "unknown",
            not self.zombie or zombie(row, now),
            not self.rotation_overdue or row.insights.rotation_overdue(now),
            not self.no_rotation_policy or no_rotation_policy(row, now),
            not self.budget_at_risk or budget_at_risk(row, now),
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


def only(flag: str) -> Filters:
    """No filter but one yes/no filter, on."""
    on: dict[str, Any] = {flag: True}
    return replace(NO_FILTERS, **on)


def unused_for(row: Row, days: int, now: datetime) -> bool:
    since = row.insights.unused_since(row.created_at)
    return since is not None and since <= now - timedelta(days=days)


def zombie(row: Row, now: datetime) -> bool:
    wide_open = row.expires_at is None or row.reaches_every_model
    return row.status(now) == "active" and unused_for(row, 90, now) and wide_open


def no_rotation_policy(row: Row, now: datetime) -> bool:
    created = row.created_at
    return not row.insights.auto_rotate and created is not None and created <= now - 90 * DAY


def budget_at_risk(row: Row, now: datetime) -> bool:
    share, window = row.spend_share, row.insights.window_seconds()
    reset = row.insights.budget_reset_at
    if share is None or window is None or reset is None or share < 0.8:
        return False
    return (reset - now).total_seconds() > window / 4


def filter_rows(rows: Sequence[Row], filters: Filters, now: datetime) -> list[Row]:
    return [row for row in rows if filters.accepts(row, now)]

"""Structured filters: questions admins ask of their keys, combinable with search and each other.

Within one filter the values are alternatives (tag=prod&tag=finance: either tag); different filters
must all hold. Relative dates are measured from the snapshot's read time, the same instant the
keys' status was derived at, so a filter and the status column never disagree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from keydash_core.errors import InvalidQuery
from keydash_core.keys import ApiKey, KeyStatus

MAX_FILTER_VALUES = 50
MAX_FILTER_VALUE_LENGTH = 256
MAX_EXPIRES_WITHIN_DAYS = 3650
MAX_SPEND_SHARE = 100.0
# LiteLLM's special model entries that grant every model of the proxy or of the key's team.
ALL_MODELS_PREFIX = "all-"


class FilterName(StrEnum):
    """The query parameter each filter is read from: errors name it, facets are keyed by it."""

    STATUS = "status"
    EXPIRES_WITHIN_DAYS = "expires_within_days"
    NEVER_EXPIRES = "never_expires"
    ALL_MODELS = "all_models"
    OWNER_MISSING = "owner_missing"
    TAG = "tag"
    MODEL = "model"
    TEAM = "team"
    OWNER = "owner"
    SPEND_SHARE_AT_LEAST = "spend_share_at_least"


def reaches_every_model(key: ApiKey) -> bool:
    """No model list (LiteLLM then allows every model) or an `all-*` entry."""
    return not key.allowed_models or any(
        model.startswith(ALL_MODELS_PREFIX) for model in key.allowed_models
    )


def spend_share(key: ApiKey) -> float | None:
    """Spend as a share of max_budget (1.0 = the whole budget); None without a positive budget."""
    if key.max_budget is None or key.max_budget <= 0:
        return None
    return (key.spend or 0.0) / key.max_budget


@dataclass(frozen=True)
class KeyFilters:
    statuses: frozenset[KeyStatus] = frozenset()
    expires_within_days: int | None = None
    never_expires: bool = False
    all_models: bool = False
    owner_missing: bool = False
    tags: frozenset[str] = frozenset()
    models: frozenset[str] = frozenset()
    teams: frozenset[str] = frozenset()
    owners: frozenset[str] = frozenset()
    spend_share_at_least: float | None = None

    def __post_init__(self) -> None:
        days = self.expires_within_days
        if days is not None and not 1 <= days <= MAX_EXPIRES_WITHIN_DAYS:
            raise InvalidQuery(
                FilterName.EXPIRES_WITHIN_DAYS, f"must be between 1 and {MAX_EXPIRES_WITHIN_DAYS}"
            )
        share = self.spend_share_at_least
        if share is not None and not (math.isfinite(share) and 0 < share <= MAX_SPEND_SHARE):
            raise InvalidQuery(
                FilterName.SPEND_SHARE_AT_LEAST,
                f"must be a number above 0 and at most {MAX_SPEND_SHARE:g} (0.8 = 80% of budget)",
            )
        for name, values in (
            (FilterName.TAG, self.tags),
            (FilterName.MODEL, self.models),
            (FilterName.TEAM, self.teams),
            (FilterName.OWNER, self.owners),
        ):
            _check_values(name, values)

    @classmethod
    def parse(
        cls,
        *,
        status: Iterable[str] = (),
        expires_within_days: int | None = None,
        never_expires: bool = False,
        all_models: bool = False,
        owner_missing: bool = False,
        tag: Iterable[str] = (),
        model: Iterable[str] = (),
        team: Iterable[str] = (),
        owner: Iterable[str] = (),
        spend_share_at_least: float | None = None,
    ) -> KeyFilters:
        """Build filters from raw query values, turning every bad value into InvalidQuery."""
        return cls(
            statuses=frozenset(_parse_status(value) for value in status),
            expires_within_days=expires_within_days,
            never_expires=never_expires,
            all_models=all_models,
            owner_missing=owner_missing,
            tags=frozenset(tag),
            models=frozenset(model),
            teams=frozenset(team),
            owners=frozenset(owner),
            spend_share_at_least=spend_share_at_least,
        )

    @property
    def active(self) -> tuple[FilterName, ...]:
        """The filters that narrow the keys, in a fixed order."""
        values = {
            FilterName.STATUS: self.statuses,
            FilterName.EXPIRES_WITHIN_DAYS: self.expires_within_days is not None,
            FilterName.NEVER_EXPIRES: self.never_expires,
            FilterName.ALL_MODELS: self.all_models,
            FilterName.OWNER_MISSING: self.owner_missing,
            FilterName.TAG: self.tags,
            FilterName.MODEL: self.models,
            FilterName.TEAM: self.teams,
            FilterName.OWNER: self.owners,
            FilterName.SPEND_SHARE_AT_LEAST: self.spend_share_at_least is not None,
        }
        return tuple(name for name, value in values.items() if value)

    @property
    def is_empty(self) -> bool:
        return not self.active

    def without(self, name: FilterName) -> KeyFilters:
        """These filters with one of them lifted: what a facet of that filter counts over."""
        field = _FIELD_OF[name]
        return replace(self, **{field: getattr(NO_FILTERS, field)})


_FIELD_OF = {
    FilterName.STATUS: "statuses",
    FilterName.EXPIRES_WITHIN_DAYS: "expires_within_days",
    FilterName.NEVER_EXPIRES: "never_expires",
    FilterName.ALL_MODELS: "all_models",
    FilterName.OWNER_MISSING: "owner_missing",
    FilterName.TAG: "tags",
    FilterName.MODEL: "models",
    FilterName.TEAM: "teams",
    FilterName.OWNER: "owners",
    FilterName.SPEND_SHARE_AT_LEAST: "spend_share_at_least",
}


def _parse_status(value: str) -> KeyStatus:
    try:
        return KeyStatus(value.strip().lower())
    except ValueError:
        allowed = ", ".join(status.value for status in KeyStatus)
        raise InvalidQuery(FilterName.STATUS, f"must be one of: {allowed}") from None


def _check_values(name: FilterName, values: frozenset[str]) -> None:
    if len(values) > MAX_FILTER_VALUES:
        raise InvalidQuery(name, f"at most {MAX_FILTER_VALUES} values")
    for value in values:
        if not value.strip():
            raise InvalidQuery(name, "values must not be empty")
        if len(value) > MAX_FILTER_VALUE_LENGTH:
            raise InvalidQuery(name, f"values must be at most {MAX_FILTER_VALUE_LENGTH} characters")


# Frozen, so one shared instance can be every query's default.
NO_FILTERS = KeyFilters()

"""Structured filters: questions admins ask of their keys, combinable with search and each other.

Within one filter the values are alternatives (tag=prod&tag=finance: either tag); different filters
must all hold. Relative dates are measured from the snapshot's read time, the same instant the
keys' status was derived at, so a filter and the status column never disagree.

Each filter is declared once in `filter_table.FILTERS`; KeyFilters reads, checks, lists and lifts
its fields from there, so a filter needs here only its typed field.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from keydash_core.filter_kinds import MAX_FILTER_VALUE_LENGTH, MAX_FILTER_VALUES
from keydash_core.filter_table import (
    FILTER_OF,
    FILTERS,
    MAX_EXPIRES_WITHIN_DAYS,
    MAX_SPEND_SHARE,
    FilterName,
)
from keydash_core.keys import ApiKey, KeyStatus

__all__ = [
    "ALL_MODELS_PREFIX",
    "MAX_EXPIRES_WITHIN_DAYS",
    "MAX_FILTER_VALUES",
    "MAX_FILTER_VALUE_LENGTH",
    "MAX_SPEND_SHARE",
    "NO_FILTERS",
    "FilterName",
    "KeyFilters",
    "reaches_every_model",
    "spend_share",
]

# LiteLLM's special model entries that grant every model of the proxy or of the key's team.
ALL_MODELS_PREFIX = "all-"


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
    """One field per declared filter (`Filter.field`), defaulting to its kind's "off" value."""

    statuses: frozenset[KeyStatus] = frozenset()
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
    tags: frozenset[str] = frozenset()
    models: frozenset[str] = frozenset()
    teams: frozenset[str] = frozenset()
    owners: frozenset[str] = frozenset()
    spend_share_at_least: float | None = None

    def __post_init__(self) -> None:
        for spec in FILTERS:
            spec.kind.check(spec.name, getattr(self, spec.field))

    @classmethod
    def parse(cls, **raw: Any) -> KeyFilters:
        """Build filters from raw query values by parameter name (`tag=[...]`,
        `never_expires=True`), turning every bad value into InvalidQuery."""
        unknown = sorted(raw.keys() - FILTER_OF.keys())
        if unknown:
            raise TypeError(f"unknown filters: {', '.join(unknown)}")
        values = {
            spec.field: spec.kind.read(spec.name, raw[spec.name])
            for spec in FILTERS
            if spec.name in raw
        }
        return cls(**values)

    @property
    def active(self) -> tuple[FilterName, ...]:
        """The filters that narrow the keys, in the declarations' order."""
        return tuple(
            FilterName(spec.name) for spec in FILTERS if spec.is_active(getattr(self, spec.field))
        )

    @property
    def is_empty(self) -> bool:
        return self == NO_FILTERS

    def without(self, name: FilterName) -> KeyFilters:
        """These filters with one of them lifted: what a facet of that filter counts over."""
        spec = FILTER_OF[name]
        return replace(self, **{spec.field: spec.kind.default})


# Frozen, so one shared instance can be every query's default.
NO_FILTERS = KeyFilters()

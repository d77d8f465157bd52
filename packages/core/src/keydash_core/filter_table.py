"""THE list of filters: each is declared here once, and KeyFilters, the narrowing, the facets'
chip counts and the API's query parameters are derived from it (docs/architecture.md, "How to add
a filter"). The order is the API's parameter order and the order filters narrow in.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from keydash_core.filter_kinds import (
    Filter,
    KindName,
    Positions,
    days,
    enum_list,
    flag,
    share,
    text_list,
)
from keydash_core.keys import KeyStatus

MAX_EXPIRES_WITHIN_DAYS = 3650
MAX_SPEND_SHARE = 100.0
# The presets the facets count a chip for (the SPA shows one chip per preset counted).
EXPIRES_WITHIN_PRESETS = (7, 30, 90)
MAX_UNUSED_FOR_DAYS = 3650
UNUSED_FOR_PRESETS = (30, 90)
SPEND_SHARE_PRESETS = (0.5, 0.8, 1.0)
_DAY_SECONDS = 86_400.0


class FilterName(StrEnum):
    """The query parameter each filter is read from: errors name it, facets are keyed by it."""

    STATUS = "status"
    EXPIRES_WITHIN_DAYS = "expires_within_days"
    NEVER_EXPIRES = "never_expires"
    ALL_MODELS = "all_models"
    OWNER_MISSING = "owner_missing"
    TEAM_MISSING = "team_missing"
    UNUSED_FOR_DAYS = "unused_for_days"
    NEVER_USED = "never_used"
    LAST_USE_UNKNOWN = "last_use_unknown"
    ZOMBIE = "zombie"
    ROTATION_OVERDUE = "rotation_overdue"
    NO_ROTATION_POLICY = "no_rotation_policy"
    BUDGET_AT_RISK = "budget_at_risk"
    TAG = "tag"
    MODEL = "model"
    TEAM = "team"
    OWNER = "owner"
    SPEND_SHARE_AT_LEAST = "spend_share_at_least"


# How filters narrow: each is one comprehension over the survivors, reading one prepared column.


def is_in(column: Sequence[Any], found: Positions, wanted: Any, _now: float) -> list[int]:
    return [i for i in found if column[i] in wanted]


def overlaps(column: Sequence[Any], found: Positions, wanted: Any, _now: float) -> list[int]:
    return [i for i in found if not wanted.isdisjoint(column[i])]


def is_none(column: Sequence[Any], found: Positions, _on: Any, _now: float) -> list[int]:
    return [i for i in found if column[i] is None]


def is_true(column: Sequence[Any], found: Positions, _on: Any, _now: float) -> list[int]:
    return [i for i in found if column[i]]


def at_least(column: Sequence[Any], found: Positions, least: Any, _now: float) -> list[int]:
    return [i for i in found if (value := column[i]) is not None and value >= least]


def expires_within(column: Sequence[Any], found: Positions, within: Any, now: float) -> list[int]:
    """Keys not yet expired whose expiry (POSIX seconds) falls within `within` days of `now`."""
    last = now + within * _DAY_SECONDS
    return [i for i in found if (at := column[i]) is not None and now < at <= last]


def not_since(column: Sequence[Any], found: Positions, days_: Any, now: float) -> list[int]:
    """Keys whose moment (POSIX seconds) is at least `days_` days before `now`."""
    last = now - days_ * _DAY_SECONDS
    return [i for i in found if (at := column[i]) is not None and at <= last]


FILTERS: tuple[Filter, ...] = (
    Filter(FilterName.STATUS, enum_list(KeyStatus), "statuses", "statuses", is_in),
    Filter(
        FilterName.EXPIRES_WITHIN_DAYS,
        days(MAX_EXPIRES_WITHIN_DAYS),
        "expires_within_days",
        "expires_at",
        expires_within,
        presets=EXPIRES_WITHIN_PRESETS,
    ),
    Filter(FilterName.NEVER_EXPIRES, flag(), "never_expires", "expires_at", is_none, (True,)),
    Filter(FilterName.ALL_MODELS, flag(), "all_models", "every_model", is_true, (True,)),
    Filter(FilterName.OWNER_MISSING, flag(), "owner_missing", "owners", is_none, (True,)),
    Filter(FilterName.TEAM_MISSING, flag(), "team_missing", "teams", is_none, (True,)),
    Filter(
        FilterName.UNUSED_FOR_DAYS,
        days(MAX_UNUSED_FOR_DAYS),
        "unused_for_days",
        "unused_since",
        not_since,
        presets=UNUSED_FOR_PRESETS,
    ),
    Filter(FilterName.NEVER_USED, flag(), "never_used", "never_used", is_true, (True,)),
    Filter(
        FilterName.LAST_USE_UNKNOWN,
        flag(),
        "last_use_unknown",
        "last_use_unknown",
        is_true,
        (True,),
    ),
    Filter(FilterName.ZOMBIE, flag(), "zombie", "zombies", is_true, (True,)),
    Filter(
        FilterName.ROTATION_OVERDUE,
        flag(),
        "rotation_overdue",
        "rotation_overdue",
        is_true,
        (True,),
    ),
    Filter(
        FilterName.NO_ROTATION_POLICY,
        flag(),
        "no_rotation_policy",
        "rotation_missing",
        is_true,
        (True,),
    ),
    Filter(FilterName.BUDGET_AT_RISK, flag(), "budget_at_risk", "budget_at_risk", is_true, (True,)),
    Filter(FilterName.TAG, text_list(), "tags", "tags", overlaps),
    Filter(FilterName.MODEL, text_list(), "models", "models", overlaps),
    Filter(FilterName.TEAM, text_list(), "teams", "teams", is_in),
    Filter(FilterName.OWNER, text_list(), "owners", "owners", is_in),
    Filter(
        FilterName.SPEND_SHARE_AT_LEAST,
        share(MAX_SPEND_SHARE),
        "spend_share_at_least",
        "spend_shares",
        at_least,
        presets=SPEND_SHARE_PRESETS,
    ),
)
FILTER_OF: dict[str, Filter] = {spec.name: spec for spec in FILTERS}
# The yes/no filters: one chip each, counted in the facets under the filter's name.
FLAG_FILTERS = tuple(spec for spec in FILTERS if spec.kind.name is KindName.FLAG)

"""The query parameters the keys table, its facets and its export share: search, filters, sort."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query
from keydash_core.filter_table import FILTERS, MAX_UNUSED_FOR_DAYS
from keydash_core.filters import (
    MAX_EXPIRES_WITHIN_DAYS,
    MAX_FILTER_VALUES,
    MAX_SPEND_SHARE,
    KeyFilters,
)
from keydash_core.keys import KeyStatus
from keydash_core.query import MAX_SEARCH_LENGTH, SortField, SortOrder
from pydantic import BaseModel, ConfigDict, Field, JsonValue

_SORT_FIELDS = [field.value for field in SortField]
_SORT_ORDERS = [order.value for order in SortOrder]
_STATUSES = [status.value for status in KeyStatus]
_STATUS_VALUES: list[JsonValue] = list(_STATUSES)
_ALTERNATIVES = " Repeat the parameter for several values: a key matching any of them is kept."


def _no_values() -> list[str]:
    # Not `list` itself: pydantic inspects the factory's signature on every request, and for a
    # builtin that means parsing its text signature (about 0.4 ms each).
    return []


def _many(description: str) -> Any:
    # default_factory, not None: the schema is then a plain array of strings, which is what a
    # repeated query parameter is (no "or null" for clients and fuzzers to trip on).
    return Field(
        default_factory=_no_values,
        max_length=MAX_FILTER_VALUES,
        description=description + _ALTERNATIVES,
    )


class FilterParams(BaseModel):
    """The filters as one query-parameter model: validated in one pass, not ten.

    One field per filter declared in the core (`keydash_core.filter_table.FILTERS`), with its
    name, in its order; written out because these are the API's documentation (descriptions,
    bounds). test_filter_params.py fails when a declared filter is missing here.
    """

    model_config = ConfigDict(extra="ignore")

    status: list[str] = Field(
        default_factory=_no_values,
        max_length=len(_STATUSES),
        description="Keys in this status." + _ALTERNATIVES,
        json_schema_extra={"items": {"type": "string", "enum": _STATUS_VALUES}},
    )
    expires_within_days: int | None = Field(
        default=None,
        ge=1,
        le=MAX_EXPIRES_WITHIN_DAYS,
        description="Keys not yet expired that expire within this many days",
    )
    never_expires: bool = Field(default=False, description="Only keys without an expiry date")
    all_models: bool = Field(
        default=False,
        description="Only keys that reach every model: no model list, or an all-* entry",
    )
    owner_missing: bool = Field(default=False, description="Only keys with no owner at all")
    team_missing: bool = Field(default=False, description="Only keys that belong to no team")
    unused_for_days: int | None = Field(
        default=None,
        ge=1,
        le=MAX_UNUSED_FOR_DAYS,
        description="Keys provably unused for this many days: last used that long ago, or never"
        " used and created that long ago (keys whose last use is unknown never match)",
    )
    never_used: bool = Field(default=False, description="Only keys provably never used")
    last_use_unknown: bool = Field(
        default=False, description="Only keys whose last use LiteLLM has no record of"
    )
    zombie: bool = Field(
        default=False,
        description="Active keys unused for 90 days (or never used and that old) that never"
        " expire or reach every model: the ones to revoke first",
    )
    rotation_overdue: bool = Field(
        default=False, description="Auto-rotating keys whose scheduled rotation is past"
    )
    no_rotation_policy: bool = Field(
        default=False, description="Keys without auto-rotation, created over 90 days ago"
    )
    budget_at_risk: bool = Field(
        default=False,
        description="Keys with a budget window that spent 80% of the budget with more than a"
        " quarter of the window left",
    )
    tag: list[str] = _many("Keys carrying this tag.")
    model: list[str] = _many("Keys listing this model.")
    team: list[str] = _many("Keys of this team id.")
    owner: list[str] = _many("Keys of this owner (as shown in `owner`).")
    spend_share_at_least: float | None = Field(
        default=None,
        gt=0,
        le=MAX_SPEND_SHARE,
        description="Keys whose spend is at least this share of max_budget (0.8 = 80%,"
        " 1 = budget used up); keys without a budget never match",
    )


async def key_filters(params: Annotated[FilterParams, Query()]) -> KeyFilters:
    # The core validates again and names the filter; these bounds only document them in OpenAPI.
    # One field per declared filter, same name (tests/test_filter_declarations.py checks it).
    return KeyFilters.parse(**{spec.name: getattr(params, spec.name) for spec in FILTERS})


FiltersDep = Annotated[KeyFilters, Depends(key_filters)]
SearchParam = Annotated[
    str,
    Query(
        max_length=MAX_SEARCH_LENGTH,
        description="Words that must all appear in owner, description, alias, tags or models",
    ),
]
SortByParam = Annotated[str, Query(json_schema_extra={"enum": _SORT_FIELDS})]
SortOrderParam = Annotated[str, Query(json_schema_extra={"enum": _SORT_ORDERS})]

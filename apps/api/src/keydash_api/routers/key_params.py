"""The query parameters the keys table, its facets and its export share: search, filters, sort."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query
from keydash_core.filters import (
    MAX_EXPIRES_WITHIN_DAYS,
    MAX_FILTER_VALUES,
    MAX_SPEND_SHARE,
    KeyFilters,
)
from keydash_core.keys import KeyStatus
from keydash_core.query import MAX_SEARCH_LENGTH, SortField, SortOrder

_SORT_FIELDS = [field.value for field in SortField]
_SORT_ORDERS = [order.value for order in SortOrder]
_STATUSES = [status.value for status in KeyStatus]
_ALTERNATIVES = " Repeat the parameter for several values: a key matching any of them is kept."


def _no_values() -> list[str]:
    # Not `list` itself: pydantic inspects the factory's signature on every request, and for a
    # builtin that means parsing its text signature (about 0.4 ms each, 5 filters a request).
    return []


def _many(description: str) -> object:
    # default_factory, not None: the schema is then a plain array of strings, which is what a
    # repeated query parameter is (no "or null" for clients and fuzzers to trip on).
    return Query(
        default_factory=_no_values,
        max_length=MAX_FILTER_VALUES,
        description=description + _ALTERNATIVES,
    )


async def key_filters(
    *,
    status: Annotated[
        list[str],
        Query(
            default_factory=_no_values,
            max_length=len(_STATUSES),
            description="Keys in this status." + _ALTERNATIVES,
            json_schema_extra={"items": {"type": "string", "enum": _STATUSES}},
        ),
    ],
    expires_within_days: Annotated[
        int | None,
        Query(
            ge=1,
            le=MAX_EXPIRES_WITHIN_DAYS,
            description="Keys not yet expired that expire within this many days",
        ),
    ] = None,
    never_expires: Annotated[bool, Query(description="Only keys without an expiry date")] = False,
    all_models: Annotated[
        bool,
        Query(description="Only keys that reach every model: no model list, or an all-* entry"),
    ] = False,
    owner_missing: Annotated[bool, Query(description="Only keys with no owner at all")] = False,
    tag: Annotated[list[str], _many("Keys carrying this tag.")],
    model: Annotated[list[str], _many("Keys listing this model.")],
    team: Annotated[list[str], _many("Keys of this team id.")],
    owner: Annotated[list[str], _many("Keys of this owner (as shown in `owner`).")],
    spend_share_at_least: Annotated[
        float | None,
        Query(
            gt=0,
            le=MAX_SPEND_SHARE,
            description="Keys whose spend is at least this share of max_budget (0.8 = 80%,"
            " 1 = budget used up); keys without a budget never match",
        ),
    ] = None,
) -> KeyFilters:
    # The core validates again and names the filter; these bounds only document them in OpenAPI.
    return KeyFilters.parse(
        status=status,
        expires_within_days=expires_within_days,
        never_expires=never_expires,
        all_models=all_models,
        owner_missing=owner_missing,
        tag=tag,
        model=model,
        team=team,
        owner=owner,
        spend_share_at_least=spend_share_at_least,
    )


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

"""The keys table: search, sort and pages over every key LiteLLM holds."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from keydash_core.list_keys import ListKeys
from keydash_core.query import (
    MAX_PAGE,
    MAX_PAGE_SIZE,
    MAX_SEARCH_LENGTH,
    KeyQuery,
    SortField,
    SortOrder,
)

from keydash_api.routers.deps import list_keys_use_case
from keydash_api.routers.responses import errors
from keydash_api.schemas import KeyPage
from keydash_api.security import SessionDep

router = APIRouter(prefix="/api/keys", tags=["keys"])
_SORT_FIELDS = [field.value for field in SortField]
_SORT_ORDERS = [order.value for order in SortOrder]


@router.get("", response_model=KeyPage, responses=errors(401, 422, 502, 504))
async def list_keys(
    _: SessionDep,
    use_case: Annotated[ListKeys, Depends(list_keys_use_case)],
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 25,
    search: Annotated[str, Query(max_length=MAX_SEARCH_LENGTH)] = "",
    sort_by: Annotated[str, Query(json_schema_extra={"enum": _SORT_FIELDS})] = "created_at",
    sort_order: Annotated[str, Query(json_schema_extra={"enum": _SORT_ORDERS})] = "desc",
) -> KeyPage:
    # Parsed by the core, which also accepts a few natural aliases (models, key, expires...).
    query = KeyQuery.parse(
        search=search, sort_by=sort_by, sort_order=sort_order, page=page, size=size
    )
    return KeyPage.from_domain(await use_case(query))

"""The keys table: search, filters, sort and pages over every key LiteLLM holds; facets; export."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response, StreamingResponse
from keydash_core.facets import DEFAULT_FACET_LIMIT, MAX_FACET_LIMIT, FacetQuery
from keydash_core.key_usage import MAX_USAGE_DAYS, USAGE_DAYS
from keydash_core.query import MAX_PAGE, MAX_PAGE_SIZE, KeyQuery

from keydash_api.exports import csv_chunks, freshness_headers, json_chunks
from keydash_api.facet_schemas import KeyFacetsOut
from keydash_api.routers.deps import (
    ClockDep,
    CountFacetsDep,
    ExportKeysDep,
    KeyUsageDep,
    ListKeysDep,
)
from keydash_api.routers.key_params import FiltersDep, SearchParam, SortByParam, SortOrderParam
from keydash_api.routers.responses import errors
from keydash_api.schemas import KeyPage
from keydash_api.security import SessionDep
from keydash_api.usage_schemas import KeyUsageOut

router = APIRouter(prefix="/api/keys", tags=["keys"])
_MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


@router.get("", response_model=KeyPage, responses=errors(401, 422, 502, 503, 504))
async def list_keys(
    _: SessionDep,
    use_case: ListKeysDep,
    filters: FiltersDep,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 25,
    search: SearchParam = "",
    sort_by: SortByParam = "created_at",
    sort_order: SortOrderParam = "desc",
) -> Response:
    # Parsed by the core, which also accepts a few natural aliases (models, key, expires...).
    query = KeyQuery.parse(
        search=search,
        sort_by=sort_by,
        sort_order=sort_order,
        page=page,
        size=size,
        filters=filters,
    )
    body = KeyPage.from_domain(await use_case(query))
    # Built from typed domain values: FastAPI's second validation of the whole page (the
    # response_model pass) costs more than the rest of a warm request, so the body is written
    # here; response_model still documents it.
    return Response(body.model_dump_json(), media_type="application/json")


@router.get("/facets", response_model=KeyFacetsOut, responses=errors(401, 422, 502, 503, 504))
async def key_facets(
    _: SessionDep,
    use_case: CountFacetsDep,
    filters: FiltersDep,
    search: SearchParam = "",
    limit: Annotated[
        int,
        Query(ge=1, le=MAX_FACET_LIMIT, description="Values listed per tag/model/team/owner facet"),
    ] = DEFAULT_FACET_LIMIT,
) -> KeyFacetsOut:
    facets = await use_case(FacetQuery(search=search, filters=filters, limit=limit))
    return KeyFacetsOut.from_domain(facets)


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "Every key matching the query, in its sort order, as a download",
            "content": {"text/csv": {}, "application/json": {}},
        },
        **errors(401, 422, 502, 503, 504),
    },
)
async def export_keys(
    _: SessionDep,
    use_case: ExportKeysDep,
    now: ClockDep,
    filters: FiltersDep,
    export_format: Annotated[Literal["csv", "json"], Query(alias="format")] = "csv",
    search: SearchParam = "",
    sort_by: SortByParam = "created_at",
    sort_order: SortOrderParam = "desc",
) -> StreamingResponse:
    query = KeyQuery.parse(
        search=search, sort_by=sort_by, sort_order=sort_order, page=1, size=1, filters=filters
    )
    # Read (and fail with a clear 502/504) before the first byte: a stream cannot change status.
    export = await use_case(query)
    exported_at = now.now()
    filename = f"keydash-keys-{exported_at:%Y-%m-%d}.{export_format}"
    chunks = csv_chunks(export) if export_format == "csv" else json_chunks(export, exported_at)
    return StreamingResponse(
        chunks,
        media_type=_MEDIA_TYPES[export_format],
        headers={
            "content-disposition": f'attachment; filename="{filename}"',
            "cache-control": "no-store",
            "x-total-count": str(export.total),
            "x-keydash-truncated": "true" if export.truncated else "false",
            **freshness_headers(export),
        },
    )


@router.get(
    "/{key_id}/usage", response_model=KeyUsageOut, responses=errors(401, 404, 422, 502, 504)
)
async def key_usage(
    _: SessionDep,
    use_case: KeyUsageDep,
    key_id: str,
    days: Annotated[
        int, Query(ge=1, le=MAX_USAGE_DAYS, description="Days up to today (UTC)")
    ] = USAGE_DAYS,
) -> KeyUsageOut:
    """One key's spend, requests and tokens per day, from LiteLLM's daily activity: one LiteLLM
    request per key and window, shared by concurrent viewers and kept for a minute."""
    return KeyUsageOut.from_domain(await use_case(key_id, days))

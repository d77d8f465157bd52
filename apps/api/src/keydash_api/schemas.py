"""Response and request bodies: the public shape of the API, and the source of its OpenAPI."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from keydash_core.facets import KeyFacets, ValueCounts
from keydash_core.filter_table import FLAG_FILTERS, FilterName
from keydash_core.keys import ApiKey, KeyStatus
from keydash_core.query import Page
from pydantic import BaseModel, ConfigDict, Field

from keydash_api.status_schemas import FreshnessOut, SyncProgressOut


class ErrorDetail(BaseModel):
    field: str
    message: str


class ErrorBody(BaseModel):
    code: str
    message: str
    request_id: str
    details: list[ErrorDetail] | None = None
    progress: SyncProgressOut | None = Field(
        default=None, description="With code mirror_loading: how far the first load is"
    )


class ErrorEnvelope(BaseModel):
    error: ErrorBody


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    username: str = Field(min_length=1, max_length=256)
    password: str = Field(min_length=1, max_length=1024)


class LoginResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - a scheme name, not a secret
    expires_at: datetime
    expires_in: int
    username: str


class MeResponse(BaseModel):
    username: str
    expires_at: datetime


class KeyOut(BaseModel):
    id: str = Field(description="LiteLLM's token hash: a stable row id, not a secret")
    masked_key: str | None = Field(description="Never more than the last 4 characters")
    alias: str | None
    description: str | None
    owner: str | None = Field(description="Display owner: user alias, else email, else id")
    owner_username: str | None
    owner_email: str | None
    owner_id: str | None
    team_id: str | None
    created_at: datetime | None
    expires_at: datetime | None
    allowed_models: list[str] = Field(description="Empty means every model")
    tags: list[str]
    spend: float | None
    max_budget: float | None
    status: Literal["active", "expired", "blocked"]
    partial: bool = Field(description="LiteLLM sent some fields of this key in a wrong shape")
    unreadable_fields: list[str]

    @classmethod
    def from_domain(cls, key: ApiKey) -> KeyOut:
        return cls(
            id=key.id,
            masked_key=key.masked_key,
            alias=key.alias,
            description=key.description,
            owner=key.owner,
            owner_username=key.owner_username,
            owner_email=key.owner_email,
            owner_id=key.owner_id,
            team_id=key.team_id,
            created_at=key.created_at,
            expires_at=key.expires_at,
            allowed_models=list(key.allowed_models),
            tags=list(key.tags),
            spend=key.spend,
            max_budget=key.max_budget,
            status=key.status.value,
            partial=key.partial,
            unreadable_fields=list(key.unreadable_fields),
        )


class KeyPage(BaseModel):
    items: list[KeyOut]
    page: int
    size: int
    total: int = Field(description="Keys matching the search")
    total_pages: int
    total_keys: int = Field(description="Keys searched: all keys, or the newest MAX_KEYS")
    store_total_keys: int = Field(description="Keys LiteLLM holds")
    truncated: bool = Field(
        description="LiteLLM holds more keys than Keydash reads (MAX_KEYS): search and sort cover"
        " the newest total_keys of store_total_keys"
    )
    partial_count: int = Field(
        description="Keys with fields LiteLLM sent in a wrong shape: of all keys, or of this page"
        " when the default view was read straight from LiteLLM"
    )
    fetched_at: datetime = Field(description="When the keys were read from LiteLLM")
    freshness: FreshnessOut

    @classmethod
    def from_domain(cls, page: Page) -> KeyPage:
        return cls(
            items=[KeyOut.from_domain(key) for key in page.items],
            page=page.page,
            size=page.size,
            total=page.total,
            total_pages=page.total_pages,
            total_keys=page.total_keys,
            store_total_keys=page.store_total,
            truncated=page.truncated,
            partial_count=page.partial_count,
            fetched_at=page.fetched_at,
            freshness=FreshnessOut.from_domain(page.freshness, page.fetched_at),
        )


class HealthStatus(BaseModel):
    status: Literal["ok", "ready", "unavailable"]


class ValueCountOut(BaseModel):
    value: str
    count: int


class ValueCountsOut(BaseModel):
    values: list[ValueCountOut] = Field(description="Most frequent first; selected values always")
    distinct: int = Field(description="How many different values there are, listed or not")

    @classmethod
    def from_domain(cls, counts: ValueCounts) -> ValueCountsOut:
        return cls(
            values=[ValueCountOut(value=c.value, count=c.count) for c in counts.values],
            distinct=counts.distinct,
        )


class StatusCounts(BaseModel):
    active: int
    expired: int
    blocked: int


class DaysCount(BaseModel):
    days: int
    count: int


class ShareCount(BaseModel):
    share: float
    count: int


class KeyFacetsOut(BaseModel):
    """Counts for the current search and filters; each facet lifts its own filter."""

    total: int = Field(description="Keys matching the search and every filter")
    total_spend: float = Field(description="Spend of the keys matching the search and filters")
    status: StatusCounts
    expires_within_days: list[DaysCount] = Field(description="Keys expiring within each preset")
    never_expires: int
    all_models: int
    owner_missing: int
    team_missing: int
    spend_share_at_least: list[ShareCount]
    tags: ValueCountsOut
    models: ValueCountsOut
    teams: ValueCountsOut
    owners: ValueCountsOut
    total_keys: int = Field(description="Keys searched: all keys, or the newest MAX_KEYS")
    store_total_keys: int = Field(description="Keys LiteLLM holds")
    truncated: bool
    fetched_at: datetime
    freshness: FreshnessOut

    @classmethod
    def from_domain(cls, facets: KeyFacets) -> KeyFacetsOut:
        statuses = facets.statuses
        return cls(
            total=facets.total,
            total_spend=facets.total_spend,
            status=StatusCounts(
                active=statuses[KeyStatus.ACTIVE],
                expired=statuses[KeyStatus.EXPIRED],
                blocked=statuses[KeyStatus.BLOCKED],
            ),
            expires_within_days=[
                DaysCount(days=days, count=count)
                for days, count in facets.chips[FilterName.EXPIRES_WITHIN_DAYS].items()
            ],
            # One count per yes/no filter, under its name: each needs its field above.
            **{spec.name: facets.flag(FilterName(spec.name)) for spec in FLAG_FILTERS},
            spend_share_at_least=[
                ShareCount(share=share, count=count)
                for share, count in facets.chips[FilterName.SPEND_SHARE_AT_LEAST].items()
            ],
            tags=ValueCountsOut.from_domain(facets.tags),
            models=ValueCountsOut.from_domain(facets.models),
            teams=ValueCountsOut.from_domain(facets.teams),
            owners=ValueCountsOut.from_domain(facets.owners),
            total_keys=facets.total_keys,
            store_total_keys=facets.store_total,
            truncated=facets.truncated,
            fetched_at=facets.fetched_at,
            freshness=FreshnessOut.from_domain(facets.freshness, facets.fetched_at),
        )

"""Response and request bodies: the public shape of the API, and the source of its OpenAPI."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from keydash_core.facets import KeyFacets, ValueCounts
from keydash_core.freshness import Freshness, SyncProgress, SyncStatus, UpstreamProblem
from keydash_core.key_scope import KeyScope
from keydash_core.keys import ApiKey, KeyStatus
from keydash_core.query import Page
from pydantic import BaseModel, ConfigDict, Field


class ErrorDetail(BaseModel):
    field: str
    message: str


class SyncProgressOut(BaseModel):
    loaded: int = Field(description="Keys read so far")
    total: int | None = Field(description="Keys LiteLLM said it holds, once known")
    eta_seconds: float | None = Field(description="Estimated seconds until every key is read")

    @classmethod
    def from_domain(cls, progress: SyncProgress) -> SyncProgressOut:
        return cls(loaded=progress.loaded, total=progress.total, eta_seconds=progress.eta_seconds)


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


UpstreamCode = Literal[
    "upstream_unavailable",
    "upstream_timeout",
    "upstream_error",
    "upstream_auth_failed",
    "upstream_bad_response",
    "internal_error",
]


class UpstreamProblemOut(BaseModel):
    at: datetime = Field(
        description="When refreshes began failing: the first failure since the last success"
    )
    code: UpstreamCode
    message: str = Field(description="The cause in plain words, as an error answer gives it")

    @classmethod
    def from_domain(cls, problem: UpstreamProblem | None) -> UpstreamProblemOut | None:
        if problem is None:
            return None
        return cls(at=problem.at, code=problem.code, message=problem.message)


class FreshnessOut(BaseModel):
    """How current an answer is. Every answer built from the mirror or a LiteLLM page has one."""

    as_of: datetime | None = Field(description="The keys are LiteLLM's as of this moment")
    stale: bool = Field(
        description="The last refresh failed (or none succeeded for 3 sync intervals): the keys"
        " may be older than the sync interval promises"
    )
    last_error: UpstreamProblemOut | None = Field(
        description="While stale: when and why the last refresh failed"
    )
    source: Literal["mirror", "litellm_page"] = Field(
        description="mirror: this replica's copy of every key; litellm_page: one page read"
        " straight from LiteLLM while the mirror loads (LiteLLM's own order, which has no"
        " tie-breaker for sorts other than the default)"
    )

    @classmethod
    def from_domain(cls, freshness: Freshness | None, fallback: datetime) -> FreshnessOut:
        if freshness is None:
            return cls(as_of=fallback, stale=False, last_error=None, source="mirror")
        return cls(
            as_of=freshness.as_of,
            stale=freshness.stale,
            last_error=UpstreamProblemOut.from_domain(freshness.last_error),
            source=freshness.source.value,
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


class ReadyStatus(BaseModel):
    status: Literal["ready", "unavailable"]
    sync: Literal["starting", "loading", "ready"] = Field(
        description="The mirror: ready once every key is loaded (readiness does not wait for it)"
    )
    key_scope: Literal["all", "own", "unknown"] = Field(
        description="Whether Keydash's LiteLLM key sees every key or only its own user's"
    )


class SyncStatusOut(BaseModel):
    state: Literal["starting", "loading", "ready"]
    progress: SyncProgressOut
    last_success_at: datetime | None
    last_error: UpstreamProblemOut | None
    mirrored_keys: int
    interval_seconds: float

    @classmethod
    def from_domain(cls, status: SyncStatus) -> SyncStatusOut:
        return cls(
            state=status.state.value,
            progress=SyncProgressOut.from_domain(status.progress),
            last_success_at=status.last_success_at,
            last_error=UpstreamProblemOut.from_domain(status.last_error),
            mirrored_keys=status.mirrored_keys,
            interval_seconds=status.interval_seconds,
        )


class KeyScopeOut(BaseModel):
    scope: Literal["all", "own", "unknown"] = Field(
        description="all: a proxy admin (or admin viewer) key sees every key; own: LiteLLM"
        " scopes the key to its user's keys; unknown: LiteLLM did not say"
    )
    role: str | None = Field(description="LiteLLM's role for the key's user, when known")
    user_id: str | None
    visible_keys: int | None = Field(description="Keys this key sees in /key/list")
    warning: str | None = Field(description="A sentence to show the admin when scope is not all")

    @classmethod
    def from_domain(cls, scope: KeyScope) -> KeyScopeOut:
        return cls(
            scope=scope.scope.value,
            role=scope.role,
            user_id=scope.user_id,
            visible_keys=scope.visible_keys,
            warning=scope.warning,
        )


class StatusOut(BaseModel):
    sync: SyncStatusOut
    key_scope: KeyScopeOut
    freshness: FreshnessOut


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
                for days, count in facets.expires_within_days.items()
            ],
            never_expires=facets.never_expires,
            all_models=facets.all_models,
            owner_missing=facets.owner_missing,
            spend_share_at_least=[
                ShareCount(share=share, count=count)
                for share, count in facets.spend_share_at_least.items()
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

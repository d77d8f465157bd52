"""Response and request bodies: the public shape of the API, and the source of its OpenAPI."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from keydash_core.key_insights import last_use
from keydash_core.keys import ApiKey
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
    last_used_at: datetime | None = Field(description="LiteLLM's last_active")
    last_use: Literal["used", "never", "unknown"] = Field(
        description="never: created while LiteLLM recorded last use (since the earliest"
        " last_active it holds) and no use recorded; unknown: no record and no proof either way"
    )
    created_by: str | None
    updated_by: str | None
    auto_rotate: bool
    rotation_interval: str | None = Field(description="LiteLLM duration, e.g. 30d")
    rotation_count: int | None
    last_rotated_at: datetime | None
    next_rotation_at: datetime | None = Field(description="LiteLLM's key_rotation_at")
    budget_duration: str | None = Field(description="Budget window, e.g. 30d; spend resets")
    budget_reset_at: datetime | None
    partial: bool = Field(description="LiteLLM sent some fields of this key in a wrong shape")
    unreadable_fields: list[str]

    @classmethod
    def from_domain(cls, key: ApiKey, last_use_since: datetime | None = None) -> KeyOut:
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
            last_used_at=key.last_used_at,
            last_use=last_use(key, last_use_since).value,
            created_by=key.created_by,
            updated_by=key.updated_by,
            auto_rotate=key.auto_rotate,
            rotation_interval=key.rotation_interval,
            rotation_count=key.rotation_count,
            last_rotated_at=key.last_rotated_at,
            next_rotation_at=key.next_rotation_at,
            budget_duration=key.budget_duration,
            budget_reset_at=key.budget_reset_at,
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
            items=[KeyOut.from_domain(key, page.last_use_since) for key in page.items],
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

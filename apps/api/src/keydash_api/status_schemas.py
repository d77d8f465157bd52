"""Response bodies about freshness and the sync: part of the API's public shape (OpenAPI)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from keydash_core.freshness import Freshness, SyncProgress, SyncStatus, UpstreamProblem
from keydash_core.key_scope import KeyScope
from pydantic import BaseModel, Field


class SyncProgressOut(BaseModel):
    loaded: int = Field(description="Keys read so far")
    total: int | None = Field(description="Keys LiteLLM said it holds, once known")
    eta_seconds: float | None = Field(description="Estimated seconds until every key is read")

    @classmethod
    def from_domain(cls, progress: SyncProgress) -> SyncProgressOut:
        return cls(loaded=progress.loaded, total=progress.total, eta_seconds=progress.eta_seconds)


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

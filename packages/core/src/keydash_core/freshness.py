"""How current an answer is: the sync's state as every answer and the status page report it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


@dataclass(frozen=True)
class UpstreamProblem:
    """Why the last refresh failed, in the same words an error answer would use."""

    at: datetime
    code: str
    message: str


class AnswerSource(StrEnum):
    MIRROR = "mirror"
    LITELLM_PAGE = "litellm_page"


@dataclass(frozen=True)
class Freshness:
    # LiteLLM's keys as they were at this moment (the start of the last successful read).
    as_of: datetime | None
    # The last refresh failed: what is served may be older than the sync interval promises.
    stale: bool = False
    last_error: UpstreamProblem | None = None
    source: AnswerSource = AnswerSource.MIRROR


class SyncState(StrEnum):
    STARTING = "starting"
    LOADING = "loading"
    READY = "ready"


@dataclass(frozen=True)
class SyncProgress:
    loaded: int
    total: int | None
    eta_seconds: float | None


@dataclass(frozen=True)
class SyncStatus:
    state: SyncState
    progress: SyncProgress
    last_success_at: datetime | None
    last_error: UpstreamProblem | None
    mirrored_keys: int
    interval_seconds: float

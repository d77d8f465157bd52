"""Liveness and readiness, without auth and without detail that would help an attacker."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from keydash_api.routers.deps import KeySyncDep, ReadinessDep, ScopeProbeDep
from keydash_api.schemas import HealthStatus
from keydash_api.status_schemas import ReadyStatus

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/healthz", response_model=HealthStatus)
async def healthz() -> HealthStatus:
    return HealthStatus(status="ok")


@router.get(
    "/readyz",
    response_model=ReadyStatus,
    responses={503: {"model": ReadyStatus, "description": "LiteLLM is not reachable"}},
)
async def readyz(
    readiness: ReadinessDep, sync: KeySyncDep, probe: ScopeProbeDep
) -> ReadyStatus | JSONResponse:
    # Ready as soon as LiteLLM answers: a rolling update must not wait for a whole mirror.
    ready = await readiness.ready()
    answer = ReadyStatus(
        status="ready" if ready else "unavailable",
        sync=sync.status().state.value,
        key_scope=(await probe.scope(cached_only=True)).scope.value,
    )
    if not ready:
        return JSONResponse(answer.model_dump(), status_code=503)
    return answer

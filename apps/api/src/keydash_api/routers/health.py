"""Liveness and readiness, without auth and without detail that would help an attacker."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from keydash_api.schemas import HealthStatus

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/healthz", response_model=HealthStatus)
async def healthz() -> HealthStatus:
    return HealthStatus(status="ok")


@router.get(
    "/readyz",
    response_model=HealthStatus,
    responses={503: {"model": HealthStatus, "description": "LiteLLM is not reachable"}},
)
async def readyz(request: Request) -> HealthStatus | JSONResponse:
    if not await request.app.state.container.readiness().ready():
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return HealthStatus(status="ready")

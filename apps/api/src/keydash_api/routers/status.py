"""What this replica knows about LiteLLM: the sync's state, the key's scope, and freshness."""

from __future__ import annotations

from fastapi import APIRouter, Request

from keydash_api.routers.deps import container_of
from keydash_api.routers.responses import errors
from keydash_api.schemas import FreshnessOut, KeyScopeOut, StatusOut, SyncStatusOut
from keydash_api.security import SessionDep

router = APIRouter(prefix="/api", tags=["status"])


@router.get("/status", response_model=StatusOut, responses=errors(401))
async def status(_: SessionDep, request: Request) -> StatusOut:
    container = container_of(request)
    sync = container.key_sync()
    scope = await container.key_scope_probe().scope()
    freshness = container.key_repository().freshness()
    return StatusOut(
        sync=SyncStatusOut.from_domain(sync.status()),
        key_scope=KeyScopeOut.from_domain(scope),
        freshness=FreshnessOut.from_domain(freshness, fallback=container.clock().now()),
    )

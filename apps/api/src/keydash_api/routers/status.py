"""What this replica knows about LiteLLM: the sync's state, the key's scope, and freshness."""

from __future__ import annotations

from fastapi import APIRouter

from keydash_api.routers.deps import ClockDep, KeySyncDep, RepositoryDep, ScopeProbeDep
from keydash_api.routers.responses import errors
from keydash_api.security import SessionDep
from keydash_api.status_schemas import FreshnessOut, KeyScopeOut, StatusOut, SyncStatusOut

router = APIRouter(prefix="/api", tags=["status"])


@router.get("/status", response_model=StatusOut, responses=errors(401))
async def status(
    _: SessionDep,
    sync: KeySyncDep,
    probe: ScopeProbeDep,
    repository: RepositoryDep,
    clock: ClockDep,
) -> StatusOut:
    return StatusOut(
        sync=SyncStatusOut.from_domain(sync.status()),
        key_scope=KeyScopeOut.from_domain(await probe.scope()),
        freshness=FreshnessOut.from_domain(repository.freshness(), fallback=clock.now()),
    )

"""The one way endpoints reach the app's container: `from_container(pick)`, as a dependency.

Dependencies are `async` on purpose: FastAPI runs sync dependencies in a thread pool, and
concurrent first requests would then race to build the container's singletons.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from keydash_adapters.litellm.key_scope import KeyScopeProbe
from keydash_adapters.litellm.readiness import LiteLLMReadiness
from keydash_adapters.litellm.sync import KeySync
from keydash_core.export_keys import ExportKeys
from keydash_core.facets import CountFacets
from keydash_core.key_usage import GetKeyUsage
from keydash_core.list_keys import ListKeys
from keydash_core.login import LogIn
from keydash_core.ports import Clock, KeyRepository, TokenService

from keydash_api.container import Container
from keydash_api.metrics import Metrics
from keydash_api.settings import Settings

T = TypeVar("T")


def container_of(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


def from_container(pick: Callable[[Container], T]) -> Callable[[Request], Awaitable[T]]:
    async def dependency(request: Request) -> T:
        return pick(container_of(request))

    return dependency


async def _address(request: Request) -> str:
    return container_of(request).client_address().resolve(request)


SettingsDep = Annotated[Settings, Depends(from_container(lambda c: c.settings()))]
ListKeysDep = Annotated[ListKeys, Depends(from_container(lambda c: c.list_keys()))]
CountFacetsDep = Annotated[CountFacets, Depends(from_container(lambda c: c.count_facets()))]
ExportKeysDep = Annotated[ExportKeys, Depends(from_container(lambda c: c.export_keys()))]
KeyUsageDep = Annotated[GetKeyUsage, Depends(from_container(lambda c: c.key_usage()))]
LogInDep = Annotated[LogIn, Depends(from_container(lambda c: c.log_in()))]
ClockDep = Annotated[Clock, Depends(from_container(lambda c: c.clock()))]
MetricsDep = Annotated[Metrics, Depends(from_container(lambda c: c.metrics()))]
TokensDep = Annotated[TokenService, Depends(from_container(lambda c: c.token_service()))]
KeySyncDep = Annotated[KeySync, Depends(from_container(lambda c: c.key_sync()))]
RepositoryDep = Annotated[KeyRepository, Depends(from_container(lambda c: c.key_repository()))]
ScopeProbeDep = Annotated[KeyScopeProbe, Depends(from_container(lambda c: c.key_scope_probe()))]
ReadinessDep = Annotated[LiteLLMReadiness, Depends(from_container(lambda c: c.readiness()))]
ClientAddressDep = Annotated[str, Depends(_address)]

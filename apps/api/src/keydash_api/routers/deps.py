"""FastAPI dependencies that hand endpoints their use cases from the app's container.

They are `async` on purpose: FastAPI runs sync dependencies in a thread pool, and concurrent first
requests would then race to build the container's singletons (two repositories, two caches).
"""

from __future__ import annotations

from fastapi import Request
from keydash_core.export_keys import ExportKeys
from keydash_core.facets import CountFacets
from keydash_core.list_keys import ListKeys
from keydash_core.login import LogIn
from keydash_core.ports import Clock

from keydash_api.client_address import ClientAddressResolver
from keydash_api.container import Container


def container_of(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


async def list_keys_use_case(request: Request) -> ListKeys:
    use_case: ListKeys = container_of(request).list_keys()
    return use_case


async def count_facets_use_case(request: Request) -> CountFacets:
    use_case: CountFacets = container_of(request).count_facets()
    return use_case


async def export_keys_use_case(request: Request) -> ExportKeys:
    use_case: ExportKeys = container_of(request).export_keys()
    return use_case


async def clock(request: Request) -> Clock:
    found: Clock = container_of(request).clock()
    return found


async def log_in_use_case(request: Request) -> LogIn:
    use_case: LogIn = container_of(request).log_in()
    return use_case


async def client_address(request: Request) -> str:
    resolver: ClientAddressResolver = container_of(request).client_address()
    return resolver.resolve(request)

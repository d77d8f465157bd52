"""The application factory: settings in, a wired FastAPI app out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from keydash_api.container import Container
from keydash_api.errors import install_error_handlers
from keydash_api.logging_setup import configure_logging
from keydash_api.middleware import BodyLimitMiddleware, RequestContextMiddleware
from keydash_api.routers import auth, health, keys, status
from keydash_api.settings import Settings
from keydash_api.sync_task import start_sync, stop_sync


def create_app(settings: Settings, container: Container | None = None) -> FastAPI:
    configure_logging(
        level=settings.log_level, fmt=settings.log_format, secrets=settings.secret_values
    )
    container = container or Container(settings=settings)
    # Built now, on one thread, so no request ever races to create a second cache or client.
    container.list_keys()
    container.log_in()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if settings.metrics_port:
            container.metrics().serve(settings.metrics_port)
        sync = start_sync(container)
        yield
        await stop_sync(container, sync)
        await container.http_client().aclose()

    app = FastAPI(
        title="Keydash API",
        version="0.1.0",
        description="Search, sort and page the virtual keys of a LiteLLM proxy.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.container = container
    install_error_handlers(app)
    for router in (auth.router, keys.router, status.router, health.router):
        app.include_router(router)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestContextMiddleware, observe=container.metrics().observe_request)
    return app

"""The fake proxy's routes: `/key/list`, the health probes, and the `/_fake/` control routes.

`/key/list` follows LiteLLM 1.108.7: `sort_by` (spend, max_budget, created_at, updated_at, token,
key_alias; no tie-breaker, equal values in table order, nulls first descending and last
ascending), `status` (active, expired, revoked: a partition of the live keys; deleted: the
archive, with the same filters, paging and orders), `expires`, `search`, the exact filters, and
LiteLLM's 400s for other choices. A caller that is not an admin (see `callers`) lists only its
own user's keys (`visibility`); `/v2/user/info` and `/key/info` are in `whoami`. Every response
carries a `Date` header from the fake's clock.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from keydash_fakes.litellm import (
    auth,
    churn_rate,
    control,
    control_api_keys,
    control_churn,
    control_keys,
    daily_activity,
    errors,
    query,
    visibility,
    whoami,
)
from keydash_fakes.litellm.dating import DateHeader
from keydash_fakes.litellm.listing import page_json
from keydash_fakes.litellm.selection import select
from keydash_fakes.litellm.shaping import malformed, page_body
from keydash_fakes.litellm.state import FakeLiteLLM
from keydash_fakes.litellm.waiting import Release, hold

# Far longer than any sane client timeout; a hung request ends when its client gives up.
HANG_SECONDS = 3600.0


def _fake(request: Request) -> FakeLiteLLM:
    fake: FakeLiteLLM = request.app.state.fake
    return fake


def _release(request: Request) -> Release:
    release: Release = request.app.state.release
    return release


def _abandoned() -> JSONResponse:
    # Nobody reads this: the client has gone or the server is going.
    return errors.litellm_error(503, "Request abandoned", error_type="service_unavailable")


async def key_list(request: Request) -> Response:
    fake = _fake(request)
    fake.request_started(dict(request.query_params))
    try:
        return await _key_list(request, fake)
    finally:
        fake.request_finished()


async def _key_list(request: Request, fake: FakeLiteLLM) -> Response:
    faults = fake.faults
    # Trouble in front of the application (network, gateway) comes before LiteLLM's own checks.
    if faults.latency_ms > 0 and not await hold(
        request, faults.latency_ms / 1000, _release(request)
    ):
        return _abandoned()
    if faults.hang:
        await hold(request, HANG_SECONDS, _release(request))
        return _abandoned()
    if faults.rate_limit_count > 0:
        faults.rate_limit_count -= 1
        return errors.rate_limited(faults.retry_after_seconds)
    if faults.fail_status is not None and faults.failing():
        if faults.fail_count is not None:
            faults.fail_count -= 1
        return errors.injected_failure(faults.fail_status)

    caller = auth.identify(request.headers, fake.master_key, fake.api_keys)
    if isinstance(caller, Response):
        return caller
    asked = query.parse(request.query_params)
    if isinstance(asked, Response):
        return asked
    if faults.ignore_sort_by:
        asked = dataclasses.replace(asked, sort_by=None, descending=True)
    parsed = visibility.scoped(caller, asked)
    if isinstance(parsed, Response):
        return parsed

    # The database's cost for this page, offset included; concurrent pages wait side by side.
    delay_ms = fake.latency.delay_ms(parsed.page, parsed.size)
    if delay_ms > 0 and not await hold(request, delay_ms / 1000, _release(request)):
        return _abandoned()
    if faults.shifting_total:
        fake.add_late_key()
    archive = parsed.status == "deleted"
    # The archive is small and changes rarely: it is sorted per call, never kept.
    listing = None if archive else fake.listing()
    page = select(
        fake.deleted if archive else fake.keys,
        parsed,
        fake.now(),
        overlap=faults.duplicate_across_pages,
        ordered_table=listing.order if listing is not None else None,
        undated_first=fake.undated_first,
    )
    if listing is not None and faults.malformed is None:
        # Kept orders and record JSON: microseconds per page instead of a sort of every key.
        body_bytes = page_json(page, parsed, listing, legacy=faults.bare_tokens_only)
        return Response(body_bytes, media_type="application/json")
    body = page_body(page, parsed, legacy=faults.bare_tokens_only)
    if faults.malformed is not None:
        return malformed(faults.malformed, body)
    return JSONResponse(body)


async def liveliness(request: Request) -> Response:
    return JSONResponse("I'm alive!")


async def readiness(request: Request) -> Response:
    faults = _fake(request).faults
    # A proxy whose database is failing says so here too.
    if faults.fail_status is not None and faults.fail_status >= 500 and faults.failing():
        return JSONResponse(
            {"status": "unhealthy", "db": "Not connected", "error": "Database unavailable"},
            status_code=503,
        )
    return JSONResponse({"status": "healthy", "db": "connected"})


async def _http_error(request: Request, exc: Exception) -> Response:
    # FastAPI's JSON shape for unknown routes and methods, instead of Starlette's plain text.
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) else "Internal Server Error"
    return JSONResponse({"detail": detail}, status_code=status)


@asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    # Only servers run with lifespan on (the CLI) get here: a churn rate set before the start.
    churn_rate.start(app.state.fake, app.state.churn_tasks)
    yield


def create_app(fake: FakeLiteLLM) -> Starlette:
    app = Starlette(
        routes=[
            Route("/key/list", key_list, methods=["GET"]),
            Route("/health/liveliness", liveliness, methods=["GET"]),
            Route("/health/readiness", readiness, methods=["GET"]),
            *whoami.routes(),
            *daily_activity.routes(),
            *control.routes(),
            *control_api_keys.routes(),
            *control_keys.routes(),
            *control_churn.routes(),
        ],
        exception_handlers={HTTPException: _http_error},
        middleware=[Middleware(DateHeader, clock=lambda: fake.now())],
        lifespan=_lifespan,
    )
    app.state.fake = fake
    # Background churn tasks, held so they are not collected while they run.
    churn_tasks: set[asyncio.Task[None]] = set()
    app.state.churn_tasks = churn_tasks
    # Released by whoever stops the server, so held requests end instead of delaying shutdown.
    app.state.release = Release()
    return app

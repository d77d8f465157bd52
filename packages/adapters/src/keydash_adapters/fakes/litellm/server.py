"""The fake proxy's routes: `/key/list`, the health probes, and the `/_fake/` control routes."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from keydash_adapters.fakes.litellm import auth, control, errors, query
from keydash_adapters.fakes.litellm.listing import page_json
from keydash_adapters.fakes.litellm.selection import select
from keydash_adapters.fakes.litellm.shaping import malformed, page_body
from keydash_adapters.fakes.litellm.state import FakeLiteLLM
from keydash_adapters.fakes.litellm.waiting import Release, hold

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

    refused = auth.check(request.headers, fake.master_key)
    if refused is not None:
        return refused
    parsed = query.parse(request.query_params)
    if isinstance(parsed, Response):
        return parsed

    if faults.shifting_total:
        fake.add_late_key()
    listing = fake.listing()
    page = select(
        fake.keys,
        parsed,
        datetime.now(UTC),
        overlap=faults.duplicate_across_pages,
        ordered_table=listing.order if listing is not None else None,
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


def create_app(fake: FakeLiteLLM) -> Starlette:
    app = Starlette(
        routes=[
            Route("/key/list", key_list, methods=["GET"]),
            Route("/health/liveliness", liveliness, methods=["GET"]),
            Route("/health/readiness", readiness, methods=["GET"]),
            *control.routes(),
        ],
        exception_handlers={HTTPException: _http_error},
    )
    app.state.fake = fake
    # Released by whoever stops the server, so held requests end instead of delaying shutdown.
    app.state.release = Release()
    return app

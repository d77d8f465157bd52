"""Sign in, sign out, and who am I."""

# Endpoints are async: the login throttle and use cases are not thread-safe, and run on the loop.

from __future__ import annotations

from fastapi import APIRouter, Depends, Response
from keydash_core.errors import InvalidCredentials, TooManyAttempts

from keydash_api.routers.deps import ClientAddressDep, LogInDep, MetricsDep, SettingsDep
from keydash_api.routers.responses import errors
from keydash_api.schemas import LoginRequest, LoginResponse, MeResponse
from keydash_api.security import SessionDep, same_origin_only

router = APIRouter(prefix="/api/auth", tags=["auth"])
COOKIE_PATH = "/api"


@router.post(
    "/login",
    response_model=LoginResponse,
    dependencies=[Depends(same_origin_only)],
    responses=errors(400, 401, 403, 413, 422, 429),
)
async def login(
    body: LoginRequest,
    response: Response,
    log_in: LogInDep,
    address: ClientAddressDep,
    metrics: MetricsDep,
    settings: SettingsDep,
) -> LoginResponse:
    try:
        issued = log_in(username=body.username, password=body.password, address=address)
    except InvalidCredentials:
        metrics.login_failures.labels("invalid_credentials").inc()
        raise
    except TooManyAttempts:
        metrics.login_failures.labels("throttled").inc()
        raise
    lifetime = settings.token_lifetime_seconds
    response.set_cookie(
        settings.cookie_name,
        issued.token,
        max_age=lifetime,
        path=COOKIE_PATH,
        secure=settings.cookie_secure,
        httponly=True,
        samesite="strict",
    )
    response.headers["cache-control"] = "no-store"
    return LoginResponse(
        access_token=issued.token,
        expires_at=issued.expires_at,
        expires_in=lifetime,
        username=body.username,
    )


@router.post(
    "/logout",
    status_code=204,
    dependencies=[Depends(same_origin_only)],
    responses=errors(403),
)
async def logout(settings: SettingsDep) -> Response:
    # Stateless sessions cannot be revoked server-side; dropping the cookie ends the browser's.
    response = Response(status_code=204)
    response.delete_cookie(
        settings.cookie_name,
        path=COOKIE_PATH,
        secure=settings.cookie_secure,
        httponly=True,
        samesite="strict",
    )
    return response


@router.get("/me", response_model=MeResponse, responses=errors(401))
async def me(session: SessionDep) -> MeResponse:
    return MeResponse(username=session.username, expires_at=session.expires_at)

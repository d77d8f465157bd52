"""Who is calling: the session from the cookie or bearer header, and the cross-site POST guard."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from keydash_core.errors import InvalidToken
from keydash_core.ports import Session

from keydash_api.errors import ApiError
from keydash_api.routers.deps import SettingsDep, TokensDep
from keydash_api.settings import Settings

# auto_error=False: a missing credential is answered in our envelope, not FastAPI's default body.
_bearer = HTTPBearer(auto_error=False, description="The access_token from POST /api/auth/login")
# Documents the cookie under its default name (COOKIE_NAME); the session is read by the name the
# settings give, so the name is defined once, in Settings.
_cookie = APIKeyCookie(
    name=Settings.model_fields["cookie_name"].default, auto_error=False, description="Set by login"
)


async def current_session(
    request: Request,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    _: Annotated[str | None, Depends(_cookie)],
    tokens: TokensDep,
    settings: SettingsDep,
) -> Session:
    raw = bearer.credentials if bearer else request.cookies.get(settings.cookie_name)
    if not raw:
        raise ApiError(401, "not_authenticated", "Sign in to use Keydash.")
    session = tokens.verify(raw)
    if session.username != settings.admin_username:
        # A token for an account that no longer exists (the admin was renamed) is worthless.
        raise InvalidToken("unknown subject")
    return session


async def same_origin_only(request: Request, settings: SettingsDep) -> None:
    """Refuse state-changing requests a browser sent from another site."""
    origin = request.headers.get("origin")
    if origin is None:
        return  # Not a browser cross-site request: browsers always send Origin on POST.
    allowed = settings.allowed_origin_list
    if origin.rstrip("/") in allowed:
        return
    host = request.headers.get("host", "")
    if origin == "null" or urlsplit(origin).netloc.lower() != host.lower():
        raise ApiError(403, "forbidden_origin", "Cross-site requests are not allowed.")


SessionDep = Annotated[Session, Depends(current_session)]

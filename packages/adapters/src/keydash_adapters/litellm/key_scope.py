"""Does Keydash's LiteLLM key see every key, or only its own user's? Asked of LiteLLM itself.

LiteLLM's /key/list scopes every caller whose role is not proxy_admin or proxy_admin_viewer to
its own user's keys, and its answer does not say so. Asking for another user's keys tells
(docs/litellm-contract.md, "Visibility"): an admin gets 200, a scoped key 403 naming user_id, a
key without a user 403 too. The role and user come from /v2/user/info, except for the master key,
which that endpoint reports as the `default_user_id` internal user although it acts as admin.
Looked up once, then again every few minutes (roles change).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx
from keydash_core.key_scope import ADMIN_ROLES, UNKNOWN_SCOPE, KeyScope, Scope

from keydash_adapters.litellm.sync import KeySync

_REMEMBER_SECONDS = 300.0
# A user id no real user has: only an admin may list another user's keys.
PROBE_USER_ID = "keydash-scope-probe"
MASTER_KEY_USER = "default_user_id"


class KeyScopeProbe:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        api_key: str,
        sync: KeySync,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._headers = {"x-litellm-api-key": api_key, "accept": "application/json"}
        self._sync = sync
        self._monotonic = monotonic
        self._known: tuple[float, Scope, str | None, str | None] | None = None
        self._lock = asyncio.Lock()

    async def scope(self, *, cached_only: bool = False) -> KeyScope:
        if not cached_only and self._outdated():
            # One look-up for every status page asking at once, not one each.
            async with self._lock:
                if self._outdated():
                    await self._look_up()
        if self._known is None:
            return UNKNOWN_SCOPE
        _, scope, role, user_id = self._known
        return KeyScope(scope, role=role, user_id=user_id, visible_keys=self._sync.progress().total)

    def _outdated(self) -> bool:
        return self._known is None or self._monotonic() - self._known[0] > _REMEMBER_SECONDS

    async def _look_up(self) -> None:
        try:
            scope = await self._scope()
            role, user_id = await self._user() if scope is not Scope.UNKNOWN else (None, None)
        except httpx.HTTPError:
            scope, role, user_id = Scope.UNKNOWN, None, None
        if scope is Scope.ALL and (user_id == MASTER_KEY_USER or role not in ADMIN_ROLES):
            role = "proxy_admin"  # the master key: admin whatever its stand-in user row says
        self._known = (self._monotonic(), scope, role, user_id)

    async def _scope(self) -> Scope:
        response = await self._http.get(
            "/key/list",
            params={"page": "1", "size": "1", "user_id": PROBE_USER_ID},
            headers=self._headers,
        )
        if response.status_code == 200:
            return Scope.ALL
        if response.status_code == 403:
            return Scope.OWN
        return Scope.UNKNOWN  # 401 is a bad key or LiteLLM's database down: not ours to judge

    async def _user(self) -> tuple[str | None, str | None]:
        response = await self._http.get("/v2/user/info", headers=self._headers)
        if response.status_code != 200:
            return None, None
        try:
            body = response.json()
        except ValueError:
            return None, None
        if not isinstance(body, dict):
            return None, None
        role, user_id = body.get("user_role"), body.get("user_id")
        return (
            role if isinstance(role, str) else None,
            user_id if isinstance(user_id, str) else None,
        )

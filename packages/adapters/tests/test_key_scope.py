"""The key scope probe against the fake LiteLLM's callers (master, admin viewer, internal user)."""

import asyncio

import httpx
import pytest
from keydash_adapters.litellm.key_scope import KeyScopeProbe
from keydash_core.key_scope import Scope
from keydash_fakes.litellm.server import create_app
from sync_support import MASTER_KEY, make_fake, wired_sync


@pytest.mark.parametrize(
    ("role", "scope", "reported_role"),
    [
        (None, Scope.ALL, "proxy_admin"),  # the master key
        ("proxy_admin_viewer", Scope.ALL, "proxy_admin_viewer"),
        ("internal_user", Scope.OWN, "internal_user"),
    ],
)
async def test_the_probe_tells_what_the_key_sees(
    role: str | None, scope: Scope, reported_role: str
) -> None:
    fake = make_fake(200)
    secret = MASTER_KEY
    if role is not None:
        secret = "sk-probe-" + role.replace("_", "-") + "-0000000000"
        owner = str(fake.keys[0]["user_id"])
        fake.add_api_key(secret, owner, role)
    async with wired_sync(fake, api_key=secret) as sync:
        await sync.run_once()
        transport = httpx.ASGITransport(app=create_app(fake))
        async with httpx.AsyncClient(transport=transport, base_url="http://fake") as http:
            probe = KeyScopeProbe(http, api_key=secret, sync=sync)
            found = await probe.scope()
    assert (found.scope, found.role) == (scope, reported_role)
    if scope is Scope.OWN:
        assert found.user_id == owner
        assert found.visible_keys == sum(1 for key in fake.keys if key.get("user_id") == owner)
        assert found.warning is not None
        assert f"only sees {found.visible_keys:,} keys of user {owner}" in found.warning
    else:
        assert found.warning is None


async def test_concurrent_status_pages_share_one_look_up() -> None:
    fake = make_fake(20)
    calls: list[str] = []
    app = create_app(fake)

    async def counting(scope, receive, send):  # type: ignore[no-untyped-def]
        calls.append(scope["path"])
        await asyncio.sleep(0.02)
        await app(scope, receive, send)

    async with wired_sync(fake) as sync:
        transport = httpx.ASGITransport(app=counting)
        async with httpx.AsyncClient(transport=transport, base_url="http://fake") as http:
            probe = KeyScopeProbe(http, api_key=MASTER_KEY, sync=sync)
            await asyncio.gather(*(probe.scope() for _ in range(10)))
    assert calls == ["/key/list", "/v2/user/info"]

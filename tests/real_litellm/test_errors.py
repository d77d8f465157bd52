"""Keydash on a real LiteLLM that refuses its key, limits what its key sees, loses its database,
goes away or hangs. Each case starts its own Keydash API.

NEW FEATURE markers: /api/status (sync state, key_scope, warning), `key_scope` in /api/readyz,
`freshness` on answers and the `upstream_error` code come with the mirror backend; the checks that
need them fail until it lands (expected).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any

import pytest
from rl_common import (
    CHANGE_BOUND_SECONDS,
    SYNC_INTERVAL_SECONDS,
    NotYet,
    eventually,
    note,
    phase,
)
from rl_database import database_down
from rl_keydash import KeydashClient, running_keydash
from rl_litellm import Admin
from rl_proxy import Proxy
from rl_relay import relay_to
from rl_waiting import wait_ready
from rl_world import World

# Short upstream limits, so that "down" and "hanging" show within a few syncs.
SHORT_UPSTREAM = {
    "UPSTREAM_CONNECT_TIMEOUT_SECONDS": "1",
    "UPSTREAM_READ_TIMEOUT_SECONDS": "3",
    "UPSTREAM_DEADLINE_SECONDS": "5",
    "UPSTREAM_MAX_ATTEMPTS": "2",
}
FAILURE_BOUND = 2 * SYNC_INTERVAL_SECONDS + 2 * 5 + 6


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, f"{response.status_code}: {response.text[:500]}"
    error = response.json()["error"]
    assert isinstance(error, dict), error
    return error


def test_a_wrong_litellm_key_is_upstream_auth_failed(proxy: Proxy) -> None:
    wrong = "sk-wrong-" + secrets.token_hex(8)
    with running_keydash(proxy.url, wrong, "wrong-key", **SHORT_UPSTREAM) as (_, client):
        error = _error(client.keys(), 502)
        assert error["code"] == "upstream_auth_failed", error
        assert wrong not in client.keys().text
        search = client.keys(search="anything")
        assert search.status_code in {502, 503}, search.text
        if search.status_code == 502:
            assert search.json()["error"]["code"] == "upstream_auth_failed"
        readyz = client.http.get(client.api.url + "/api/readyz")
        assert readyz.status_code == 503, readyz.text


def test_an_internal_user_key_sees_only_its_own_keys_and_says_so(
    proxy: Proxy, admin: Admin
) -> None:
    prefix = "kdiu" + secrets.token_hex(4)
    user = f"{prefix}-user"
    admin.new_user(user, alias="Ivy Internal")
    own = [admin.generate({"user_id": user, "key_alias": f"{prefix}-{n}"}) for n in range(2)]
    with running_keydash(proxy.url, own[0]["key"], "internal-user") as (_, client):
        wait_ready(client, probe_search=prefix)
        items, _ = client.all_pages()
        assert {item["id"] for item in items} == {answer["token"] for answer in own}
        # NEW FEATURE: /api/status key_scope and warning; /api/readyz key_scope.
        status = client.status()
        assert status.status_code == 200, f"/api/status: {status.status_code}"
        body = status.json()
        assert body["key_scope"]["scope"] == "own", body
        warning = body.get("warning") or body["key_scope"].get("warning")
        assert isinstance(warning, str), body
        assert user in warning, warning
        assert "2" in warning, warning
        readyz = client.http.get(client.api.url + "/api/readyz").json()
        assert readyz.get("key_scope") == "own", readyz


def test_an_admin_viewer_key_sees_every_key(proxy: Proxy, admin: Admin, world: World) -> None:
    prefix = "kdav" + secrets.token_hex(4)
    viewer = f"{prefix}-viewer"
    admin.new_user(viewer, role="proxy_admin_viewer")
    key = admin.generate({"user_id": viewer, "key_alias": f"{prefix}-key"})
    with running_keydash(proxy.url, key["key"], "viewer") as (_, client):
        wait_ready(client, probe_search=world.prefix)
        items, _ = client.all_pages(search=world.prefix)
        seen = {item["id"] for item in items}
        assert {k.token for k in world.live() if k.body.get("key_alias")} <= seen
        # NEW FEATURE: /api/status key_scope
        status = client.status()
        assert status.status_code == 200, f"/api/status: {status.status_code}"
        assert status.json()["key_scope"]["scope"] == "all", status.json()


def _freshness(client: KeydashClient, search: str) -> dict[str, Any]:
    """Answers must stay 200 while LiteLLM is away; returns their freshness object."""
    response = client.keys(search=search)
    if response.status_code != 200:
        pytest.fail(f"/api/keys answered {response.status_code}: {response.text[:300]}")
    freshness = response.json().get("freshness")
    if not isinstance(freshness, dict):
        # NEW FEATURE: freshness on /api/keys
        pytest.fail(f"no freshness object on /api/keys: {sorted(response.json())}")
    return freshness


def _stale_with(
    client: KeydashClient, search: str, code: str, text: str = ""
) -> Callable[[], None]:
    def check() -> None:
        freshness = _freshness(client, search)
        error = freshness.get("last_error") or {}
        if not (freshness.get("stale") is True and error.get("code") == code):
            raise NotYet(f"freshness {freshness}")
        assert text in str(error.get("message")), error
        assert error.get("at"), error

    return check


def _fresh(client: KeydashClient, search: str) -> Callable[[], None]:
    def check() -> None:
        freshness = _freshness(client, search)
        if freshness.get("stale") is not False or freshness.get("last_error") is not None:
            raise NotYet(f"freshness {freshness}")

    return check


def test_litellm_down_then_hanging_then_back(proxy: Proxy, world: World) -> None:
    with (
        relay_to(proxy.url) as relay,
        running_keydash(relay.url, proxy.master_key, "relay", **SHORT_UPSTREAM) as (_, client),
    ):
        wait_ready(client, probe_search=world.prefix)
        before = {item["id"] for item in client.all_pages(search=world.prefix)[0]}
        with phase("relay: refuse -> stale upstream_unavailable"):
            relay.set("refuse")
            eventually(
                _stale_with(client, world.prefix, "upstream_unavailable"),
                bound=FAILURE_BOUND,
                what="stale with upstream_unavailable",
            )
        assert {item["id"] for item in client.all_pages(search=world.prefix)[0]} == before
        with phase("relay: hang -> stale upstream_timeout"):
            relay.set("hang")
            eventually(
                _stale_with(client, world.prefix, "upstream_timeout"),
                bound=FAILURE_BOUND,
                what="stale with upstream_timeout",
            )
        with phase("relay: pass -> fresh again"):
            relay.set("pass")
            eventually(
                _fresh(client, world.prefix),
                bound=CHANGE_BOUND_SECONDS + 5,
                what="freshness back after LiteLLM returned",
            )


def test_litellm_database_down(proxy: Proxy, admin: Admin, world: World) -> None:
    """Only this proxy's own database is switched off (never the shared cluster)."""
    if proxy.db_name is None:
        pytest.fail(
            "the proxy's database is unknown: set KEYDASH_REAL_LITELLM_DB (a database of this"
            " machine's PostgreSQL) to run this check against KEYDASH_REAL_LITELLM_URL",
            pytrace=False,
        )
    with running_keydash(proxy.url, proxy.master_key, "db-held", **SHORT_UPSTREAM) as (_, held):
        wait_ready(held, probe_search=world.prefix)
        try:
            with phase("database down: held mirror goes stale"), database_down(proxy.db_name):
                upstream = admin.key_list_page(1, size=5)
                note(f"/key/list with its database down: HTTP {upstream.status_code}")
                eventually(
                    _stale_with(held, world.prefix, "upstream_error", "HTTP 5"),
                    bound=FAILURE_BOUND,
                    what="stale with upstream_error",
                )
                # A Keydash with no mirror has nothing to show: the default view fails.
                with running_keydash(proxy.url, proxy.master_key, "db-fresh", **SHORT_UPSTREAM) as (
                    _,
                    fresh,
                ):
                    error = _error(fresh.keys(), 502)
                    assert error["code"] == "upstream_error", error
        finally:
            started = time.monotonic()

            def litellm_reads_again() -> None:
                response = admin.key_list_page(1, size=5)
                if response.status_code != 200:
                    raise NotYet(f"/key/list {response.status_code}")

            eventually(litellm_reads_again, bound=90, what="LiteLLM reading its database again")
            note(f"LiteLLM read its database again {time.monotonic() - started:.1f} s after")
        eventually(
            _fresh(held, world.prefix),
            bound=CHANGE_BOUND_SECONDS + 5,
            what="freshness back after the database",
        )

"""How Keydash follows the real LiteLLM: a new or blocked key shows within two sync intervals, a
fresh Keydash answers while its mirror loads, and every answer says how fresh it is."""

from __future__ import annotations

import json
import secrets
import time
from datetime import datetime
from typing import Any

import httpx
from rl_common import CHANGE_BOUND_SECONDS, NotYet, eventually, note
from rl_keydash import Keydash, KeydashClient, running_keydash
from rl_litellm import Admin
from rl_proxy import Proxy
from rl_world import World

KeydashPair = tuple[Keydash, KeydashClient]


def test_a_new_key_shows_within_two_sync_intervals(
    world: World, admin: Admin, keydash: KeydashPair
) -> None:
    _, client = keydash
    # Its own prefix: the run's other checks search for world.prefix.
    late = f"kdlate{secrets.token_hex(4)}"
    answer = admin.generate({"key_alias": late, "metadata": {"tags": [late]}})
    written = time.monotonic()

    def shown() -> None:
        items, _ = client.all_pages(search=late)
        if [item["id"] for item in items] != [answer["token"]]:
            raise NotYet(f"search shows {[item['id'][:10] for item in items]}")

    eventually(shown, bound=CHANGE_BOUND_SECONDS, what="a new key in Keydash")
    note(f"a created key showed in Keydash after {time.monotonic() - written:.1f} s")
    admin.block(answer["token"])
    written = time.monotonic()

    def blocked() -> None:
        items, _ = client.all_pages(search=late)
        if not items or items[0]["status"] != "blocked":
            raise NotYet(f"status {[item['status'] for item in items]}")

    eventually(blocked, bound=CHANGE_BOUND_SECONDS, what="a blocked key in Keydash")
    note(f"a blocked key showed as blocked after {time.monotonic() - written:.1f} s")


def test_default_view_answers_while_and_after_loading(proxy: Proxy, world: World) -> None:
    """A fresh Keydash: the default view answers 200 at once (one LiteLLM page while the mirror
    loads); views needing every key answer 200, or 503 `mirror_loading` until ready."""
    with running_keydash(proxy.url, proxy.master_key, "loading") as (_, client):
        seen_loading = False
        deadline = time.monotonic() + 60
        while True:
            default = client.keys()
            assert default.status_code == 200, default.text
            search = client.keys(search=world.prefix)
            if search.status_code == 503:
                assert search.json()["error"]["code"] == "mirror_loading", search.text
                seen_loading = True
            else:
                assert search.status_code == 200, search.text
            status = client.status()
            assert status.status_code == 200, f"/api/status: {status.status_code}"
            state = status.json()["sync"]["state"]
            if state == "ready":
                assert search.status_code == 200 or seen_loading
                break
            assert time.monotonic() < deadline, f"sync never ready: {status.text}"
            time.sleep(0.2)
        assert client.keys().status_code == 200
        assert client.keys(search=world.prefix).status_code == 200
        note(f"fresh Keydash: saw mirror_loading answers: {seen_loading}")


def _check_freshness(body: dict[str, Any], where: str) -> None:
    freshness = body.get("freshness")
    assert isinstance(freshness, dict), f"{where}: no freshness object in {sorted(body)}"
    assert set(freshness) >= {"as_of", "stale", "last_error", "source"}, (where, freshness)
    assert isinstance(freshness["as_of"], str), (where, freshness)
    datetime.fromisoformat(freshness["as_of"])
    assert freshness["stale"] is False, (where, freshness)
    assert freshness["last_error"] is None, (where, freshness)
    assert freshness["source"] in {"mirror", "litellm_page"}, (where, freshness)


def test_answers_carry_freshness(world: World, keydash: KeydashPair) -> None:
    _, client = keydash
    keys = client.keys(search=world.prefix)
    assert keys.status_code == 200
    _check_freshness(keys.json(), "/api/keys")
    assert keys.json()["freshness"]["source"] == "mirror"
    facets = client.get("/api/keys/facets", search=world.prefix)
    _check_freshness(facets.json(), "/api/keys/facets")
    response, body = client.export_json(search=world.prefix)
    _check_freshness(body, "json export")
    assert response.headers.get("x-keydash-stale") == "false", dict(response.headers)
    as_of = response.headers.get("x-keydash-as-of")
    assert as_of is not None, dict(response.headers)
    datetime.fromisoformat(as_of)


def test_status_reports_a_ready_sync_over_every_key(keydash: KeydashPair) -> None:
    _, client = keydash
    response = client.status()
    assert response.status_code == 200, f"/api/status: {response.status_code}"
    body = response.json()
    assert body["sync"]["state"] == "ready", body
    assert body["key_scope"]["scope"] == "all", body
    # A client with neither the bearer token nor the session cookie.
    unauthenticated = httpx.get(client.api.url + "/api/status", timeout=10)
    assert unauthenticated.status_code == 401, unauthenticated.text


def test_a_deletion_leaves_in_one_pass_after_a_secret_was_archived_twice(
    world: World, admin: Admin, keydash: KeydashPair
) -> None:
    """LiteLLM archives a row per deletion, so a secret made and deleted twice has two archive rows
    with one token; Keydash once took that for "no archive" and left deletions to the reconcile."""
    api, client = keydash
    prefix = f"kdtwice{secrets.token_hex(4)}"
    secret = f"sk-{prefix}-{secrets.token_hex(12)}"
    for _ in range(2):
        admin.delete([admin.generate({"key": secret, "key_alias": prefix})["token"]])
    doomed = admin.generate({"key_alias": f"{prefix}-doomed"})["token"]

    def listed() -> list[str]:
        return [item["id"] for item in client.all_pages(search=prefix)[0]]

    def shown() -> None:
        if listed() != [doomed]:
            raise NotYet(f"search shows {listed()}")

    eventually(shown, bound=CHANGE_BOUND_SECONDS, what="the key to delete in Keydash")
    logged = len(api.log_path.read_text(errors="replace").splitlines())
    admin.delete([doomed])

    def gone() -> None:
        if listed():
            raise NotYet(f"search still shows {listed()}")

    eventually(gone, bound=CHANGE_BOUND_SECONDS, what="the deleted key to leave Keydash")
    passes = [
        json.loads(line)
        for line in api.log_path.read_text(errors="replace").splitlines()[logged:]
        if '"sync_finished"' in line
    ]
    # Removed by a pass reading the archive, not by a reconcile walk.
    assert any(p["kind"] == "incremental" and p["removed"] >= 1 for p in passes), passes

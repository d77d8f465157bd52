"""`/v2/user/info` and `/key/info`, for the master key and scoped keys, as LiteLLM 1.108.7."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
from keydash_adapters.litellm.key_scope import KeyScopeProbe
from keydash_adapters.litellm.sync import KeySync
from keydash_core.key_scope import Scope
from keydash_fakes.litellm import FakeLiteLLM

# LiteLLM 1.108.7's recorded answers live with the adapter tests, which decode them too.
REAL = Path(__file__).parents[2] / "adapters/tests/fixtures/litellm/real-1.108.7"
SCOPED = "sk-whoami-test-key-ijklmnop"


def _real(name: str) -> dict[str, Any]:
    fixture: dict[str, Any] = json.loads((REAL / f"whoami-{name}.json").read_text())
    return fixture


def _as(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def _user(fake: FakeLiteLLM) -> str:
    counts = Counter(k["user_id"] for k in fake.keys if isinstance(k.get("user"), dict))
    return str(counts.most_common(1)[0][0])


def test_user_info_for_the_master_key(client: httpx.Client) -> None:
    response = client.get("/v2/user/info")
    assert response.status_code == 200
    body = response.json()
    assert list(body) == list(_real("master-key")["v2_user_info"]["body"])
    assert (body["user_id"], body["user_role"]) == ("default_user_id", "internal_user")
    assert body["created_at"].endswith("Z")


@pytest.mark.parametrize("role", ["internal_user", "internal_user_viewer", "proxy_admin_viewer"])
def test_user_info_for_a_scoped_key(fake: FakeLiteLLM, anonymous: httpx.Client, role: str) -> None:
    user = _user(fake)
    row = next(k["user"] for k in fake.keys if k.get("user_id") == user)
    fake.add_api_key(SCOPED, user, role)
    body = anonymous.get("/v2/user/info", headers=_as(SCOPED)).json()
    assert list(body) == list(_real("internal_user")["v2_user_info"]["body"])
    assert (body["user_id"], body["user_role"]) == (user, role)
    assert (body["user_email"], body["teams"]) == (row["user_email"], row["teams"])


def test_user_info_for_a_new_user_and_for_a_key_without_user(
    fake: FakeLiteLLM, anonymous: httpx.Client
) -> None:
    fake.add_api_key(SCOPED, "u-brand-new", "internal_user")
    body = anonymous.get("/v2/user/info", headers=_as(SCOPED)).json()
    assert (body["user_id"], body["user_role"]) == ("u-brand-new", "internal_user")
    assert body["spend"] == 0
    fake.add_api_key(SCOPED, None, "internal_user")
    response = anonymous.get("/v2/user/info", headers=_as(SCOPED))
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("user_id is required")
    assert anonymous.get("/v2/user/info", headers=_as("sk-unknown-0000000000")).status_code == 401


def test_key_info_for_the_master_key(client: httpx.Client) -> None:
    response = client.get("/key/info")
    expected = _real("master-key")["key_info"]
    assert (response.status_code, response.json()) == (expected["status"], expected["body"])


def test_key_info_for_a_scoped_key(fake: FakeLiteLLM, anonymous: httpx.Client) -> None:
    fake.add_api_key(SCOPED, _user(fake), "internal_user")
    response = anonymous.get("/key/info", headers=_as(SCOPED))
    assert response.status_code == 200
    body = response.json()
    real = _real("internal_user")["key_info"]["body"]
    assert list(body) == ["key", "info"]
    assert list(body["info"]) == list(real["info"])
    row = next(k for k in fake.keys if k["token"] == body["key"])
    assert body["info"]["key_alias"] == row["key_alias"] == "scoped-internal_user-mnop"
    assert body["info"]["user_id"] == _user(fake)
    assert body["info"]["status"] == "active"
    assert body["info"]["created_at"].endswith("+00:00")


def test_key_info_of_other_keys(fake: FakeLiteLLM, anonymous: httpx.Client) -> None:
    user = _user(fake)
    fake.add_api_key(SCOPED, user, "internal_user")
    mine = next(k["token"] for k in fake.keys if k.get("user_id") == user)
    other = next(k["token"] for k in fake.keys if k.get("user_id") not in (user, None))

    def ask(token: str) -> httpx.Response:
        return anonymous.get("/key/info", params={"key": token}, headers=_as(SCOPED))

    assert ask(mine).status_code == 200
    assert ask(other).status_code == 403
    fake.add_api_key(SCOPED, user, "proxy_admin_viewer")
    assert ask(other).json()["key"] == other
    fake.delete_key(other)
    archived = ask(other).json()["info"]
    assert (archived["status"], archived["deleted_by"]) == ("deleted", "default_user_id")
    assert ask("0" * 64).status_code == 404


def test_control_route_registers_scoped_keys(fake: FakeLiteLLM, anonymous: httpx.Client) -> None:
    user = _user(fake)
    body = {"key": SCOPED, "user_id": user, "role": "internal_user"}
    created = anonymous.post("/_fake/api-keys", json=body)
    assert created.status_code == 201
    assert created.json() == {
        "token": fake.keys[-1]["token"],
        "key_name": "sk-...mnop",
        "user_id": user,
        "role": "internal_user",
    }
    probe = {"size": "1", "user_id": "keydash-scope-probe"}
    assert anonymous.get("/key/list", params=probe, headers=_as(SCOPED)).status_code == 403
    changed = anonymous.post("/_fake/api-keys", json={**body, "role": "proxy_admin"})
    assert (changed.status_code, changed.json()["role"]) == (200, "proxy_admin")
    assert anonymous.get("/key/list", params=probe, headers=_as(SCOPED)).status_code == 200
    listed = anonymous.get("/_fake/api-keys").json()
    assert [k["role"] for k in listed["api_keys"]] == ["proxy_admin"]
    assert SCOPED not in json.dumps(listed)


@pytest.mark.parametrize(
    ("body", "problems"),
    [
        ({"key": SCOPED}, ["user_id is required"]),
        ({"key": SCOPED, "user_id": "u", "role": "x"}, ["role must be one of"]),
        ({"key": "nope", "user_id": None, "extra": 1}, ["unknown field: extra"]),
    ],
)
def test_control_route_refusals(
    anonymous: httpx.Client, body: dict[str, Any], problems: list[str]
) -> None:
    response = anonymous.post("/_fake/api-keys", json=body)
    assert response.status_code == 400
    found = response.json()["problems"]
    assert len(found) == len(problems)
    assert all(p.startswith(q) for p, q in zip(found, problems, strict=True))


class _Sync:
    def progress(self) -> Any:
        return type("Progress", (), {"total": 1})()


def _probe(url: str, secret: str) -> Any:
    async def run() -> Any:
        async with httpx.AsyncClient(base_url=url) as http:
            probe = KeyScopeProbe(http, api_key=secret, sync=cast(KeySync, _Sync()))
            return await probe.scope()

    return asyncio.run(run())


@pytest.mark.parametrize(
    ("role", "scope", "reported"),
    [
        (None, Scope.ALL, "proxy_admin"),
        ("proxy_admin_viewer", Scope.ALL, "proxy_admin_viewer"),
        ("internal_user", Scope.OWN, "internal_user"),
    ],
)
def test_keydash_scope_probe_against_the_fake(
    fake: FakeLiteLLM, base_url: str, role: str | None, scope: Scope, reported: str
) -> None:
    secret = fake.master_key
    if role is not None:
        secret = SCOPED
        fake.add_api_key(SCOPED, _user(fake), role)
    found = _probe(base_url, secret)
    assert (found.scope, found.role) == (scope, reported)
    assert (found.warning is not None) == (scope is Scope.OWN)

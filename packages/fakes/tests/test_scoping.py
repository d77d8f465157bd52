"""`/key/list` for keys that are not the master key: scoped as LiteLLM 1.108.7 scopes them."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from keydash_fakes.litellm import FakeLiteLLM

# LiteLLM 1.108.7's recorded answers live with the adapter tests, which decode them too.
REAL = Path(__file__).parents[2] / "adapters/tests/fixtures/litellm/real-1.108.7"
SCOPED = "sk-scoped-test-key-abcdefgh"
PROBE = {"size": "1", "user_id": "keydash-scope-probe"}


def _real_403(case: str) -> dict[str, Any]:
    fixture: dict[str, Any] = json.loads((REAL / "error-403.json").read_text())[case]["body"]
    return fixture


def _busiest_user(fake: FakeLiteLLM) -> str:
    counts = Counter(k["user_id"] for k in fake.keys if isinstance(k.get("user"), dict))
    return str(counts.most_common(1)[0][0])


def _as(secret: str) -> dict[str, str]:
    return {"x-litellm-api-key": secret}


def _tokens(anonymous: httpx.Client, secret: str, **params: str) -> tuple[int, set[str]]:
    response = anonymous.get("/key/list", params={"size": "100", **params}, headers=_as(secret))
    assert response.status_code == 200, response.text
    body = response.json()
    return body["total_count"], set(body["keys"])


def _owned(records: list[dict[str, Any]], user: str) -> set[str]:
    return {r["token"] for r in records if r.get("user_id") == user}


@pytest.mark.parametrize("role", ["internal_user", "internal_user_viewer", "org_admin"])
def test_a_scoped_key_sees_exactly_its_users_keys(
    fake: FakeLiteLLM, anonymous: httpx.Client, role: str
) -> None:
    user = _busiest_user(fake)
    fake.add_api_key(SCOPED, user, role)
    expected = _owned(fake.keys, user)
    assert len(expected) >= 3  # the user's generated keys plus the scoped key's own row
    assert _tokens(anonymous, SCOPED) == (len(expected), expected)
    # Its own user id is allowed, and changes nothing.
    assert _tokens(anonymous, SCOPED, user_id=user) == (len(expected), expected)
    page = anonymous.get("/key/list", params={"size": "1"}, headers=_as(SCOPED)).json()
    assert (page["total_count"], page["total_pages"]) == (len(expected), len(expected))


def test_the_scoped_key_is_a_row_of_its_user(fake: FakeLiteLLM, client: httpx.Client) -> None:
    user = _busiest_user(fake)
    fake.add_api_key(SCOPED, user, "internal_user")
    body = client.get("/key/list", params={"key_alias": "scoped-internal_user-efgh"}).json()
    assert body["total_count"] == 1
    assert client.get("/key/list").json()["total_count"] == 58
    # Registering again (a role change) adds no second row.
    fake.add_api_key(SCOPED, user, "internal_user_viewer")
    assert client.get("/key/list").json()["total_count"] == 58


def test_every_filter_stays_within_the_users_keys(
    fake: FakeLiteLLM, anonymous: httpx.Client
) -> None:
    user = _busiest_user(fake)
    fake.add_api_key(SCOPED, user, "internal_user")
    mine = [r for r in fake.keys if r.get("user_id") == user]
    for params in (
        {"status": "active"},
        {"expires": "active"},
        {"search": "a"},
        {"key_alias": "a", "substring_matching": "true"},
        {"sort_by": "spend", "sort_order": "asc"},
    ):
        total, _ = _tokens(anonymous, SCOPED, **params)
        admin_total, _ = _tokens(anonymous, "sk-test-master-key-0123456789", **params)
        assert total <= min(len(mine), admin_total), params
    # LiteLLM compares the given user id with the caller's as strings, whatever the matching.
    prefix = {"size": "1", "user_id": user[:3], "substring_matching": "true"}
    assert anonymous.get("/key/list", params=prefix, headers=_as(SCOPED)).status_code == 403
    others = [r for r in fake.keys if r.get("user_id") != user]
    assert _tokens(anonymous, SCOPED, key_hash=others[0]["token"]) == (0, set())
    full = anonymous.get(
        "/key/list", params={"size": "100", "expand": "user"}, headers=_as(SCOPED)
    ).json()
    assert {k["user_id"] for k in full["keys"]} == {user}


def test_the_archive_is_scoped_too(fake: FakeLiteLLM, anonymous: httpx.Client) -> None:
    user = _busiest_user(fake)
    fake.add_api_key(SCOPED, user, "internal_user")
    mine = next(r["token"] for r in fake.keys if r.get("user_id") == user)
    other = next(r["token"] for r in fake.keys if r.get("user_id") not in (user, None))
    fake.delete_key(mine)
    fake.delete_key(other)
    assert _tokens(anonymous, SCOPED, status="deleted") == (1, {mine})
    assert _tokens(anonymous, SCOPED, status="deleted", key_hash=other) == (0, set())


@pytest.mark.parametrize("role", ["internal_user", "internal_user_viewer"])
@pytest.mark.parametrize("extra", [{}, {"substring_matching": "true"}, {"status": "deleted"}])
def test_asking_for_another_users_keys_is_refused(
    fake: FakeLiteLLM, anonymous: httpx.Client, role: str, extra: dict[str, str]
) -> None:
    fake.add_api_key(SCOPED, _busiest_user(fake), role)
    response = anonymous.get("/key/list", params={**PROBE, **extra}, headers=_as(SCOPED))
    assert response.status_code == 403
    assert response.json() == _real_403("key_list_other_user_probe")


@pytest.mark.parametrize("params", [{"size": "1"}, PROBE, {"status": "deleted"}])
def test_a_key_without_a_user_cannot_list(
    fake: FakeLiteLLM, anonymous: httpx.Client, params: dict[str, str]
) -> None:
    fake.add_api_key(SCOPED, None, "internal_user")
    response = anonymous.get("/key/list", params=params, headers=_as(SCOPED))
    assert response.status_code == 403
    assert response.json() == _real_403("key_list_key_without_user")


@pytest.mark.parametrize("role", ["proxy_admin", "proxy_admin_viewer"])
def test_admin_roles_see_every_key(fake: FakeLiteLLM, anonymous: httpx.Client, role: str) -> None:
    fake.add_api_key(SCOPED, "u-some-admin", role)
    every = {r["token"] for r in fake.keys}
    assert len(every) == 58
    assert _tokens(anonymous, SCOPED) == (58, every)
    assert _tokens(anonymous, SCOPED, **PROBE) == (0, set())
    fake.delete_key(fake.keys[0]["token"])
    assert _tokens(anonymous, SCOPED, status="deleted")[0] == 1


def test_a_role_change_takes_effect_at_once(fake: FakeLiteLLM, anonymous: httpx.Client) -> None:
    fake.add_api_key(SCOPED, _busiest_user(fake), "internal_user_viewer")
    assert anonymous.get("/key/list", params=PROBE, headers=_as(SCOPED)).status_code == 403
    fake.add_api_key(SCOPED, _busiest_user(fake), "proxy_admin_viewer")
    assert anonymous.get("/key/list", params=PROBE, headers=_as(SCOPED)).status_code == 200


def test_unregistered_keys_are_still_refused(fake: FakeLiteLLM, anonymous: httpx.Client) -> None:
    fake.add_api_key(SCOPED, "u-1", "internal_user")
    response = anonymous.get("/key/list", headers=_as(SCOPED + "x"))
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("secret", "user_id", "role", "problem"),
    [
        ("not-sk", "u-1", "internal_user", "key must be a string starting with sk-"),
        ("sk-test-master-key-0123456789", "u-1", "internal_user", "must not be the master key"),
        (SCOPED, "", "internal_user", "user_id must be a non-empty string or null"),
        (SCOPED, "u-1", "superuser", "role must be one of"),
    ],
)
def test_invalid_registrations_are_refused(
    fake: FakeLiteLLM, secret: str, user_id: str, role: str, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        fake.add_api_key(secret, user_id, role)
    assert fake.api_keys == {}

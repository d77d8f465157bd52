"""What each key looks like: a bare hash, a full object, or a full object with its user row."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from keydash_fakes.litellm import FakeLiteLLM
from keydash_fakes.litellm.records import KEY_TEMPLATE


def _keys(client: httpx.Client, **params: Any) -> list[Any]:
    response = client.get("/key/list", params={"size": 100, **params})
    assert response.status_code == 200
    keys: list[Any] = response.json()["keys"]
    return keys


def test_bare_token_hashes_by_default(client: httpx.Client, fake: FakeLiteLLM) -> None:
    assert _keys(client) == [key["token"] for key in fake.keys]


@pytest.mark.parametrize("expand", ["USER", "user,team", "users", " user"])
def test_only_the_exact_expand_value_expands(client: httpx.Client, expand: str) -> None:
    assert all(isinstance(key, str) for key in _keys(client, expand=expand))


def test_expand_user_returns_the_records_with_user_rows(
    client: httpx.Client, fake: FakeLiteLLM
) -> None:
    keys = _keys(client, expand="user")
    assert keys == fake.keys
    assert any(key["user"] is not None for key in keys)
    assert any(key["user"] is None for key in keys)
    assert any(key["created_by_user"] is not None for key in keys)


def test_expanded_user_rows_include_the_password_hash(client: httpx.Client) -> None:
    rows = [key["user"] for key in _keys(client, expand="user") if key["user"]]
    assert all("password" in row for row in rows)
    assert any(row["password"] for row in rows)


@pytest.mark.parametrize("flag", ["false", "0"])
def test_expand_gives_full_objects_whatever_return_full_object_says(
    client: httpx.Client, flag: str
) -> None:
    keys = _keys(client, expand="user", return_full_object=flag)
    assert all(isinstance(key, dict) for key in keys)


@pytest.mark.parametrize("flag", ["true", "True", "1", "yes"])
def test_full_objects_without_expand_have_null_user_fields(
    client: httpx.Client, fake: FakeLiteLLM, flag: str
) -> None:
    keys = _keys(client, return_full_object=flag)
    assert [key["token"] for key in keys] == [key["token"] for key in fake.keys]
    for key in keys:
        assert list(key) == list(KEY_TEMPLATE)
        assert key["user"] is None
        assert key["created_by_user"] is None
    assert "password" not in str(keys)


def test_full_objects_match_the_table_apart_from_expansion(
    client: httpx.Client, fake: FakeLiteLLM
) -> None:
    keys = _keys(client, return_full_object="true")
    for served, stored in zip(keys, fake.keys, strict=True):
        assert {**served, "user": None, "created_by_user": None} == {
            **stored,
            "user": None,
            "created_by_user": None,
        }


@pytest.mark.parametrize("flag", ["false", "0", "no"])
def test_return_full_object_false_gives_hashes(client: httpx.Client, flag: str) -> None:
    assert all(isinstance(key, str) for key in _keys(client, return_full_object=flag))


def test_unicode_is_sent_as_utf8_json(client: httpx.Client) -> None:
    response = client.get("/key/list", params={"size": 100, "expand": "user"})
    assert response.headers["content-type"].startswith("application/json")
    assert "Ünïcödé" in response.content.decode("utf-8")

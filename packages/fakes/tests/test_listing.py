"""Which keys `/key/list` returns: paging arithmetic, LiteLLM's orders, and its filters."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from keydash_fakes.litellm import FakeLiteLLM, generate_keys


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _tokens(client: httpx.Client, **params: Any) -> list[str]:
    response = client.get("/key/list", params={"size": 100, **params})
    assert response.status_code == 200
    tokens: list[str] = response.json()["keys"]
    return tokens


def _expired(key: dict[str, Any]) -> bool:
    return bool(key["expires"]) and _time(key["expires"]) < datetime.now(UTC)


@pytest.mark.parametrize("size", [1, 7, 10, 19, 57, 100])
def test_paging_arithmetic(client: httpx.Client, size: int) -> None:
    body = client.get("/key/list", params={"size": size, "page": 2}).json()
    assert body["total_count"] == 57
    assert body["total_pages"] == math.ceil(57 / size)
    assert body["current_page"] == 2
    assert len(body["keys"]) == max(0, min(size, 57 - size))


def test_defaults_are_page_1_of_10(client: httpx.Client) -> None:
    body = client.get("/key/list").json()
    assert (body["current_page"], body["total_pages"], len(body["keys"])) == (1, 6, 10)


def test_a_page_past_the_end_is_empty(client: httpx.Client) -> None:
    body = client.get("/key/list", params={"size": 10, "page": 99}).json()
    assert body == {"keys": [], "total_count": 57, "current_page": 99, "total_pages": 6}


def test_no_keys_means_zero_pages(client: httpx.Client, fake: FakeLiteLLM) -> None:
    fake.keys = []
    body = client.get("/key/list").json()
    assert body == {"keys": [], "total_count": 0, "current_page": 1, "total_pages": 0}


def test_reading_every_page_yields_every_key_once_in_default_order(
    client: httpx.Client, fake: FakeLiteLLM
) -> None:
    seen: list[str] = []
    for page in range(1, 8):
        seen += _tokens(client, size=9, page=page)
    assert seen == [key["token"] for key in fake.keys]


def test_default_order_breaks_created_at_ties_by_token_desc(
    client: httpx.Client, fake: FakeLiteLLM
) -> None:
    # Reversed table order, so only the server's sort can produce the expected order.
    fake.keys = list(reversed(generate_keys(300, seed=5)))
    seen = [t for page in (1, 2, 3) for t in _tokens(client, page=page)]
    by_token = {key["token"]: key for key in fake.keys}
    stamps = [by_token[t]["created_at"] for t in seen]
    ties = [i for i in range(1, len(seen)) if stamps[i] is not None and stamps[i] == stamps[i - 1]]
    assert ties, "the generated keys share some creation times"
    assert all(seen[i - 1] > seen[i] for i in ties)
    dated = [_time(s) for s in stamps if s is not None]
    assert dated == sorted(dated, reverse=True)
    assert stamps[0] is None, "keys without created_at come first, as nulls in a desc sort"


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_sort_by_a_number_column(client: httpx.Client, fake: FakeLiteLLM, order: str) -> None:
    seen = _tokens(client, sort_by="spend", sort_order=order)
    spends = [next(k["spend"] for k in fake.keys if k["token"] == t) for t in seen]
    assert spends == sorted(spends, reverse=order == "desc")


def test_sort_by_puts_nulls_where_postgres_does(client: httpx.Client, fake: FakeLiteLLM) -> None:
    aliases = {k["token"]: k["key_alias"] for k in fake.keys}
    ascending = [aliases[t] for t in _tokens(client, sort_by="key_alias", sort_order="asc")]
    descending = [aliases[t] for t in _tokens(client, sort_by="key_alias", sort_order="desc")]
    assert ascending[-1] is None
    assert descending[0] is None
    named = [a for a in ascending if a is not None]
    assert named == sorted(named)


def test_sort_by_keeps_table_order_for_equal_values(
    client: httpx.Client, fake: FakeLiteLLM
) -> None:
    zero_spend = [k["token"] for k in fake.keys if k["spend"] == 0]
    seen = [t for t in _tokens(client, sort_by="spend", sort_order="asc") if t in zero_spend]
    assert seen == zero_spend


def _expected(fake: FakeLiteLLM, keep: Any) -> list[str]:
    return [key["token"] for key in fake.keys if keep(key)]


def test_exact_filters(client: httpx.Client, fake: FakeLiteLLM) -> None:
    owner = next(k["user_id"] for k in fake.keys if k["user_id"])
    team = next(k["team_id"] for k in fake.keys if k["team_id"])
    alias = next(k["key_alias"] for k in fake.keys if k["key_alias"])
    token = fake.keys[5]["token"]
    assert _tokens(client, user_id=owner) == _expected(fake, lambda k: k["user_id"] == owner)
    assert _tokens(client, team_id=team) == _expected(fake, lambda k: k["team_id"] == team)
    assert _tokens(client, key_alias=alias) == _expected(fake, lambda k: k["key_alias"] == alias)
    assert _tokens(client, key_hash=token) == [token]
    assert _tokens(client, key_alias=alias.upper() + "x") == []
    assert _tokens(client, organization_id="org-acme") == _expected(
        fake, lambda k: k["org_id"] == "org-acme"
    )


def test_substring_matching(client: httpx.Client, fake: FakeLiteLLM) -> None:
    assert _tokens(client, key_alias="PIPE", substring_matching="true") == _expected(
        fake, lambda k: "pipe" in (k["key_alias"] or "").lower()
    )
    assert _tokens(client, user_id="EXAMPLE", substring_matching="true") == _expected(
        fake, lambda k: "example" in (k["user_id"] or "").lower()
    )
    assert _tokens(client, key_alias="PIPE") == []


def test_search_matches_token_or_alias_part(client: httpx.Client, fake: FakeLiteLLM) -> None:
    token = fake.keys[3]["token"]
    assert _tokens(client, search=token) == [token]
    assert _tokens(client, search="Ünï") == _expected(
        fake, lambda k: "ünï" in (k["key_alias"] or "").lower()
    )
    assert _tokens(client, search="Ünï")


def test_status_filters(client: httpx.Client, fake: FakeLiteLLM) -> None:
    active = _tokens(client, status="active")
    expired = _tokens(client, status="expired")
    revoked = _tokens(client, status="revoked")
    assert active == _expected(fake, lambda k: k["blocked"] is not True and not _expired(k))
    assert expired == _expected(fake, lambda k: k["blocked"] is not True and _expired(k))
    assert revoked == _expected(fake, lambda k: k["blocked"] is True)
    assert active, "the fixture has active keys"
    assert expired, "the fixture has expired keys"
    assert any(k["blocked"] is True and _expired(k) for k in fake.keys), "blocked counts first"
    assert revoked, "the fixture has revoked keys"
    assert _tokens(client, status="deleted") == []


def test_expires_filters(client: httpx.Client, fake: FakeLiteLLM) -> None:
    assert _tokens(client, expires="expired") == _expected(fake, _expired)
    assert _tokens(client, expires="active") == _expected(fake, lambda k: not _expired(k))


def test_filters_combine_and_count(client: httpx.Client, fake: FakeLiteLLM) -> None:
    team = next(k["team_id"] for k in fake.keys if k["team_id"])
    body = client.get("/key/list", params={"team_id": team, "status": "active", "size": 2}).json()
    expected = _expected(
        fake, lambda k: k["team_id"] == team and not _expired(k) and not k["blocked"]
    )
    assert body["total_count"] == len(expected)
    assert body["total_pages"] == math.ceil(len(expected) / 2)
    assert body["keys"] == expected[:2]

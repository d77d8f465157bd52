"""`sort_by` as PostgreSQL answers it: nulls first descending, no tie-breaker; the default order."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from keydash_fakes.litellm import FakeLiteLLM
from keydash_fakes.litellm.records import key_record


def _tokens(client: httpx.Client, **params: Any) -> list[str]:
    response = client.get("/key/list", params={"size": 100, **params})
    assert response.status_code == 200, response.text
    tokens: list[str] = response.json()["keys"]
    return tokens


def _key(token: str, **fields: Any) -> dict[str, Any]:
    return key_record(token=token, **fields)


@pytest.mark.parametrize("column", ["spend", "max_budget", "created_at", "updated_at", "token"])
def test_every_sortable_column_is_accepted(client: httpx.Client, column: str) -> None:
    assert len(_tokens(client, sort_by=column)) == 57


def test_updated_at_nulls_first_descending_last_ascending(
    client: httpx.Client, fake: FakeLiteLLM
) -> None:
    fake.keys = [
        _key("a", updated_at="2026-01-02T00:00:00.100000Z"),
        _key("b", updated_at=None),
        _key("c", updated_at="2026-03-01T00:00:00.200000Z"),
        _key("d", updated_at="2025-12-31T23:59:59.999000Z"),
    ]
    assert _tokens(client, sort_by="updated_at", sort_order="desc") == ["b", "c", "a", "d"]
    assert _tokens(client, sort_by="updated_at", sort_order="asc") == ["d", "a", "c", "b"]
    assert _tokens(client, sort_by="updated_at") == ["b", "c", "a", "d"], "desc by default"


def test_sort_by_has_no_token_tie_breaker(client: httpx.Client, fake: FakeLiteLLM) -> None:
    same = "2026-05-05T05:05:05.555000Z"
    # Table order is neither token order nor its reverse, so a token tie-break would show.
    fake.keys = [_key(token, updated_at=same) for token in ("m", "z", "a", "q")]
    assert _tokens(client, sort_by="updated_at", sort_order="desc") == ["m", "z", "a", "q"]
    assert _tokens(client, sort_by="updated_at", sort_order="asc") == ["m", "z", "a", "q"]


def test_default_order_lists_undated_keys_first(client: httpx.Client, fake: FakeLiteLLM) -> None:
    same = "2026-02-02T00:00:00Z"
    fake.keys = [
        _key("b", created_at=same),
        _key("x", created_at=None),
        _key("d", created_at=same),
        _key("c", created_at="2026-04-01T00:00:00Z"),
        _key("y", created_at=None),
    ]
    assert _tokens(client) == ["y", "x", "c", "d", "b"]
    fake.undated_first = False  # the fake's historical order, on request
    assert _tokens(client) == ["c", "d", "b", "y", "x"]


def test_created_at_sort_places_nulls_like_postgres(
    client: httpx.Client, fake: FakeLiteLLM
) -> None:
    fake.keys = [_key("a", created_at="2026-01-01T00:00:00Z"), _key("n", created_at=None)]
    assert _tokens(client, sort_by="created_at", sort_order="desc") == ["n", "a"]
    assert _tokens(client, sort_by="created_at", sort_order="asc") == ["a", "n"]


def test_paging_a_sort_by_order_is_consistent_with_the_whole(
    client: httpx.Client, fake: FakeLiteLLM
) -> None:
    whole = _tokens(client, sort_by="updated_at", sort_order="asc")
    pages = [t for page in range(1, 8) for t in _tokens(client, sort_by="updated_at",
             sort_order="asc", size=9, page=page)]  # fmt: skip
    assert pages == whole

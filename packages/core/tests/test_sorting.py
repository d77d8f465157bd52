from datetime import UTC, datetime

import pytest
from keydash_core.keys import KeyStatus
from keydash_core.query import SortField, SortOrder
from keyfactory import make_key
from ordering import sort_keys


def _ids(keys: list) -> list[str]:  # type: ignore[type-arg]
    return [key.alias for key in keys]


@pytest.mark.parametrize("order", list(SortOrder))
def test_empty_values_sort_last_in_both_orders(order: SortOrder) -> None:
    keys = [
        make_key(alias="none", owner_username=None),
        make_key(alias="bob", owner_username="bob"),
        make_key(alias="empty-str", owner_username=""),
        make_key(alias="Alice", owner_username="Alice"),
    ]
    ordered = _ids(sort_keys(keys, SortField.OWNER, order))
    assert set(ordered[-2:]) == {"none", "empty-str"}
    assert ordered[:2] == (["Alice", "bob"] if order is SortOrder.ASC else ["bob", "Alice"])


def test_strings_sort_case_insensitively() -> None:
    keys = [make_key(alias=name) for name in ["beta", "Alpha", "alpha2", "Gamma"]]
    assert _ids(sort_keys(keys, SortField.ALIAS, SortOrder.ASC)) == [
        "Alpha",
        "alpha2",
        "beta",
        "Gamma",
    ]


def test_lists_sort_by_their_joined_text_and_empty_lists_last() -> None:
    keys = [
        make_key(alias="all", allowed_models=()),
        make_key(alias="gpt", allowed_models=("gpt-4o", "claude")),
        make_key(alias="claude", allowed_models=("claude", "gpt-4o")),
    ]
    assert _ids(sort_keys(keys, SortField.ALLOWED_MODELS, SortOrder.ASC)) == [
        "claude",
        "gpt",
        "all",
    ]
    assert _ids(sort_keys(keys, SortField.ALLOWED_MODELS, SortOrder.DESC)) == [
        "gpt",
        "claude",
        "all",
    ]


@pytest.mark.parametrize("order", list(SortOrder))
def test_ties_break_like_litellms_default_order(order: SortOrder) -> None:
    # LiteLLM's default: created_at desc with nulls first (PostgreSQL's descending), token desc.
    older = datetime(2025, 1, 1, tzinfo=UTC)
    newer = datetime(2026, 1, 1, tzinfo=UTC)
    keys = [
        make_key(id="b", alias="old-b", tags=("t",), created_at=older),
        make_key(id="a", alias="old-a", tags=("t",), created_at=older),
        make_key(id="c", alias="new", tags=("t",), created_at=newer),
        make_key(id="d", alias="undated", tags=("t",), created_at=None),
    ]
    assert _ids(sort_keys(keys, SortField.TAGS, order)) == ["undated", "new", "old-b", "old-a"]


def test_numbers_sort_numerically_not_as_text() -> None:
    keys = [make_key(alias=str(spend), spend=spend) for spend in (10.0, 9.5, 100.0)]
    assert _ids(sort_keys(keys, SortField.SPEND, SortOrder.ASC)) == ["9.5", "10.0", "100.0"]


def test_status_sorts_active_expired_blocked() -> None:
    keys = [make_key(alias=status.value, status=status) for status in reversed(KeyStatus)]
    assert _ids(sort_keys(keys, SortField.STATUS, SortOrder.ASC)) == [
        "active",
        "expired",
        "blocked",
    ]


def test_created_at_places_undated_keys_as_litellms_database_does() -> None:
    keys = [
        make_key(alias="undated", created_at=None),
        make_key(alias="2024", created_at=datetime(2024, 1, 1, tzinfo=UTC)),
        make_key(alias="2026", created_at=datetime(2026, 1, 1, tzinfo=UTC)),
    ]
    # PostgreSQL: NULLS FIRST when descending, NULLS LAST when ascending.
    assert _ids(sort_keys(keys, SortField.CREATED_AT, SortOrder.DESC)) == [
        "undated",
        "2026",
        "2024",
    ]
    assert _ids(sort_keys(keys, SortField.CREATED_AT, SortOrder.ASC)) == [
        "2024",
        "2026",
        "undated",
    ]

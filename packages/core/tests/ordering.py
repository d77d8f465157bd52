"""Whole-list forms of the core's ordering and search, for tests to state expectations with."""

from __future__ import annotations

from collections.abc import Sequence

from keydash_core.keys import ApiKey
from keydash_core.query import SortField, SortOrder
from keydash_core.sorting import sort_positions, tie_break_positions


def sort_keys(keys: Sequence[ApiKey], field: SortField, order: SortOrder) -> list[ApiKey]:
    return [keys[i] for i in sort_positions(keys, tie_break_positions(keys), field, order)]


def tie_break_order(keys: Sequence[ApiKey]) -> list[ApiKey]:
    return [keys[i] for i in tie_break_positions(keys)]


def matches(text: str, terms: tuple[str, ...]) -> bool:
    return all(term in text for term in terms)

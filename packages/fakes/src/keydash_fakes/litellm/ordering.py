"""Row orders of LiteLLM's key table: its default order and the single-column `sort_by` order."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from keydash_fakes.litellm import timestamps
from keydash_fakes.litellm.records import Record

# What 1.106 and 1.108.7 accept (some 1.109 builds add more). Order matters: the 400 quotes it.
SORT_COLUMNS = ("spend", "max_budget", "created_at", "updated_at", "token", "key_alias")
_TIME_COLUMNS = frozenset({"created_at", "updated_at", "expires", "last_active", "budget_reset_at"})
_NUMBER_COLUMNS = frozenset({"spend", "max_budget", "total_spend", "tpm_limit", "rpm_limit"})


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _reader(column: str) -> Callable[[object], Any]:
    if column in _TIME_COLUMNS:
        return timestamps.parse
    if column in _NUMBER_COLUMNS:
        return _number
    return _text


def default_order(records: Iterable[Record], *, undated_first: bool = True) -> list[Record]:
    """`created_at desc, token desc`.

    The token tie-breaker is what makes paging over keys created in the same instant stable.
    PostgreSQL puts nulls first in a descending order, so real LiteLLM lists undated keys first;
    `undated_first=False` is the fake's historical order (see `FakeLiteLLM.undated_first`).
    """
    rows = list(records)
    dated: list[tuple[datetime, str, Record]] = []
    undated: list[tuple[str, Record]] = []
    for row in rows:
        created = timestamps.parse(row.get("created_at"))
        token = _text(row.get("token")) or ""
        if created is None:
            undated.append((token, row))
        else:
            dated.append((created, token, row))
    dated.sort(key=lambda item: (item[0], item[1]), reverse=True)
    undated.sort(key=lambda item: item[0], reverse=True)
    with_dates = [row for *_, row in dated]
    without = [row for _, row in undated]
    return without + with_dates if undated_first else with_dates + without


def sort_by_column(records: Iterable[Record], column: str, descending: bool) -> list[Record]:
    """One column, no tie-breaker, like LiteLLM's `ORDER BY <column>` with `sort_by`.

    Equal values keep table order. Nulls compare as larger than any value, as in Postgres, so they
    come last ascending and first descending. Values of the wrong type count as null.
    """
    read = _reader(column)

    def key(row: Record) -> tuple[bool, Any]:
        value = read(row.get(column))
        return (value is None, value if value is not None else 0)

    return sorted(records, key=key, reverse=descending)

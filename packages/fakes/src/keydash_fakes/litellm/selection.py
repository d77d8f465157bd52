"""Which keys one `/key/list` call returns: LiteLLM's filters, its order, then offset paging."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from keydash_fakes.litellm import timestamps
from keydash_fakes.litellm.ordering import default_order, sort_by_column
from keydash_fakes.litellm.query import KeyListQuery
from keydash_fakes.litellm.records import Record


@dataclass(frozen=True)
class Page:
    keys: list[Record]
    total_count: int
    total_pages: int


def _text(record: Record, field: str) -> str | None:
    value = record.get(field)
    return value if isinstance(value, str) else None


def _expired(record: Record, now: datetime) -> bool:
    expires = timestamps.parse(record.get("expires"))
    return expires is not None and expires < now


def _blocked(record: Record) -> bool:
    # Null and false both mean "not blocked".
    return record.get("blocked") is True


def status_of(record: Record, now: datetime) -> str:
    """`/key/info`'s derived `status` of a live key: blocked wins over expired."""
    if _blocked(record):
        return "revoked"
    return "expired" if _expired(record, now) else "active"


def _equals_or_contains(wanted: str, substring: bool) -> Callable[[str | None], bool]:
    if substring:
        return lambda value: value is not None and wanted.lower() in value.lower()
    return lambda value: value == wanted


def _field_equals(field: str, wanted: str) -> Callable[[Record], bool]:
    return lambda record: record.get(field) == wanted


def _predicates(query: KeyListQuery, now: datetime) -> list[Callable[[Record], bool]]:
    tests: list[Callable[[Record], bool]] = []
    if query.owner_id is not None:
        tests.append(_field_equals("user_id", query.owner_id))
    if query.user_id:
        user_matches = _equals_or_contains(query.user_id, query.substring_matching)
        tests.append(lambda r: user_matches(_text(r, "user_id")))
    if query.key_alias:
        alias_matches = _equals_or_contains(query.key_alias, query.substring_matching)
        tests.append(lambda r: alias_matches(_text(r, "key_alias")))
    for param, field in (
        ("team_id", "team_id"),
        ("organization_id", "org_id"),
        ("key_hash", "token"),
    ):
        wanted = getattr(query, param)
        if wanted:
            tests.append(_field_equals(field, wanted))
    if query.search:
        needle = query.search
        tests.append(
            lambda r: (
                r.get("token") == needle or needle.lower() in (_text(r, "key_alias") or "").lower()
            )
        )
    # The three live statuses partition the live keys; `deleted` picks another table (the
    # caller's choice of `records`), so it filters nothing here.
    if query.status == "active":
        tests.append(lambda r: not _blocked(r) and not _expired(r, now))
    elif query.status == "expired":
        tests.append(lambda r: not _blocked(r) and _expired(r, now))
    elif query.status == "revoked":
        tests.append(_blocked)
    if query.expires == "active":
        tests.append(lambda r: not _expired(r, now))
    elif query.expires == "expired":
        tests.append(lambda r: _expired(r, now))
    return tests


def select(
    records: list[Record],
    query: KeyListQuery,
    now: datetime,
    *,
    overlap: bool = False,
    ordered_table: Callable[[str | None, bool], list[Record]] | None = None,
    undated_first: bool = True,
) -> Page:
    """One page of keys; with `overlap`, each page repeats the previous page's last key first.

    `ordered_table(sort_by, descending)`, when given, returns all of `records` already in that
    order (kept between calls, honouring `undated_first`); filtering a stably sorted table keeps
    the same order as sorting the filtered rows, so the answer is the same without a sort per call.
    """
    tests = _predicates(query, now)
    if ordered_table is not None:
        ordered = ordered_table(query.sort_by, query.descending)
        if tests:
            ordered = [r for r in ordered if all(test(r) for test in tests)]
    else:
        matching = [r for r in records if all(test(r) for test in tests)]
        if query.sort_by is None:
            ordered = default_order(matching, undated_first=undated_first)
        else:
            ordered = sort_by_column(matching, query.sort_by, query.descending)
    total = len(ordered)
    skip = (query.page - 1) * query.size
    keys = ordered[skip : skip + query.size]
    if overlap and keys and skip > 0:
        # An extra leading key rather than a shifted window, so no key is ever skipped.
        keys = [ordered[skip - 1], *keys]
    return Page(keys=keys, total_count=total, total_pages=-(-total // query.size))

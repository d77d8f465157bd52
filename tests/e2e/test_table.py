"""The keys table against the fake LiteLLM's own records: content, sort, search and paging."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from e2e_oracle import ALL_COLUMNS, COLUMN_TITLES, SORT_FIELDS, Row, rows_from, view
from e2e_pages import (
    count_label,
    expect_query,
    expect_rows,
    expect_sorted,
    header,
    match_count,
    open_signed_in,
    page_size_select,
    pagination_text,
    rows,
    search_box,
    showing,
)
from e2e_support import Stack
from playwright.sync_api import expect


@pytest.fixture
def all_rows(shared_stack: Stack) -> list[Row]:
    records: list[dict[str, Any]] = shared_stack.records
    return rows_from(records)


def _show_all_columns(page: Any) -> None:
    page.get_by_role("button", name="Columns", exact=True).click()
    menu = page.get_by_role("group", name="Visible columns")
    for accessor in ALL_COLUMNS:
        box = menu.get_by_role("checkbox", name=COLUMN_TITLES[accessor], exact=True)
        if not box.is_checked():
            box.check()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()


def test_table_shows_every_key_the_fake_holds(
    shared_stack: Stack, page: Any, all_rows: list[Row]
) -> None:
    open_signed_in(page, shared_stack.url)
    total = len(all_rows)
    first_page, _ = view(all_rows)
    expect_rows(page, first_page)
    expect(match_count(page)).to_have_text(count_label(total, searching=False))
    expect(pagination_text(page)).to_have_text(showing(1, 25, total))

    # Every key, every column, on two pages of 100.
    _show_all_columns(page)
    page_size_select(page).select_option("100")
    expect_query(page, size="100", page=None)
    expect_rows(page, view(all_rows, size=100)[0], ALL_COLUMNS)
    page.get_by_role("button", name="Page 2").click()
    expect_query(page, size="100", page="2")
    expect_rows(page, view(all_rows, size=100, page=2)[0], ALL_COLUMNS)

    # The data really had the awkward cases the comparison above covered.
    assert any(not row.models for row in all_rows), "no key without models ('All models')"
    assert any(len(row.models) > 3 for row in all_rows), "no key with a '+N more' model list"
    assert any(not row.owner for row in all_rows), "no key without an owner"
    assert any(row.created_at is None for row in all_rows), "no key with an unknown date"
    assert any(row.masked_key is None for row in all_rows), "no key without a key name"
    assert any(not row.tags for row in all_rows), "no key without tags"
    assert {row.status() for row in all_rows} == {"active", "expired", "blocked"}


def test_sort_by_each_column_both_ways(shared_stack: Stack, page: Any, all_rows: list[Row]) -> None:
    open_signed_in(page, shared_stack.url)
    _show_all_columns(page)

    for accessor in SORT_FIELDS:
        # A fresh column sorts A to Z first; the default column (newest first) flips to oldest.
        for order in ("asc", "desc"):
            header(page, accessor).click()
            expect_query(
                page,
                sort_by=None if accessor == "created_at" else accessor,
                sort_order=None if order == "desc" else order,
            )
            expect_sorted(page, accessor, order)
            expected, _ = view(all_rows, sort_by=accessor, sort_order=order)
            expect_rows(page, expected, ALL_COLUMNS, context=f"sorted by {accessor} {order}")


def _common(values: list[str], total: int) -> str:
    """The most common value that does not match every key (a search that narrows)."""
    for value, count in Counter(values).most_common():
        if 1 < count < total:
            return value
    raise AssertionError("no value narrows the search")


def _description_word(all_rows: list[Row]) -> str:
    words = [
        word.strip(".,").lower()
        for row in all_rows
        if row.description
        for word in row.description.split()
        if len(word.strip(".,")) >= 6 and word.isascii()
    ]
    return _common(words, len(all_rows))


def _search_terms(all_rows: list[Row]) -> dict[str, str]:
    return {
        "owner": _common(
            [row.owner_username for row in all_rows if row.owner_username], len(all_rows)
        ),
        "tag": _common([tag for row in all_rows for tag in row.tags], len(all_rows)),
        "model": _common([model for row in all_rows for model in row.models], len(all_rows)),
        "description word": _description_word(all_rows),
    }


def test_search_by_owner_tag_model_and_description_word_then_clear(
    shared_stack: Stack, page: Any, all_rows: list[Row]
) -> None:
    open_signed_in(page, shared_stack.url)
    total = len(all_rows)

    for kind, term in _search_terms(all_rows).items():
        # Typed as a person types it, upper case and all: search ignores case.
        search_box(page).fill("")
        search_box(page).press_sequentially(term.upper(), delay=5)
        expect_query(page, search=term.upper(), page=None)
        expected, matches = view(all_rows, search=term)
        assert 0 < matches < total, f"the {kind} search {term!r} does not narrow"
        expect(match_count(page)).to_have_text(count_label(matches, searching=True))
        expect_rows(page, expected)

    # Two words must both match, each anywhere.
    terms = _search_terms(all_rows)
    both = f"{terms['tag']} {terms['model']}"
    search_box(page).fill(both)
    expected, matches = view(all_rows, search=both)
    expect(match_count(page)).to_have_text(count_label(matches, searching=True))
    expect_rows(page, expected)

    page.get_by_role("button", name="Clear search").click()
    expect(search_box(page)).to_have_value("")
    expect_query(page, search=None)
    expect(match_count(page)).to_have_text(count_label(total, searching=False))
    expect_rows(page, view(all_rows)[0])

    # Nothing matches: the no-match state clears the search too.
    search_box(page).fill("no-key-is-called-this")
    no_match = page.get_by_test_id("keys-no-match")
    expect(no_match).to_contain_text("No keys match your search")
    expect(match_count(page)).to_have_text(count_label(0, searching=True))
    no_match.get_by_role("button", name="Clear search").click()
    expect(search_box(page)).to_have_value("")
    expect_rows(page, view(all_rows)[0])


def test_paginate_to_the_last_page_and_change_page_size(
    shared_stack: Stack, page: Any, all_rows: list[Row]
) -> None:
    open_signed_in(page, shared_stack.url)
    total = len(all_rows)
    last = -(-total // 25)
    assert total % 25, "the last page should be a partial one"

    page.get_by_role("button", name=f"Page {last}").click()
    expect_query(page, page=str(last))
    expect(pagination_text(page)).to_have_text(showing((last - 1) * 25 + 1, total, total))
    expect_rows(page, view(all_rows, page=last)[0])
    expect(rows(page)).to_have_count(total - (last - 1) * 25)
    expect(page.get_by_role("button", name="Next page")).to_be_disabled()
    expect(page.get_by_role("button", name=f"Page {last}")).to_have_attribute(
        "aria-current", "page"
    )

    page.get_by_role("button", name="Previous page").click()
    expect_query(page, page=str(last - 1))
    expect_rows(page, view(all_rows, page=last - 1)[0])

    # A new page size starts again at page 1.
    page_size_select(page).select_option("10")
    expect_query(page, size="10", page=None)
    expect(pagination_text(page)).to_have_text(showing(1, 10, total))
    expect_rows(page, view(all_rows, size=10)[0])
    last = -(-total // 10)
    page.get_by_role("button", name=f"Page {last}").click()
    expect(pagination_text(page)).to_have_text(showing((last - 1) * 10 + 1, total, total))
    expect_rows(page, view(all_rows, size=10, page=last)[0])

    page_size_select(page).select_option("50")
    expect_query(page, size="50", page=None)
    expect(pagination_text(page)).to_have_text(showing(1, 50, total))
    expect(rows(page)).to_have_count(50)
    expect_rows(page, view(all_rows, size=50)[0])

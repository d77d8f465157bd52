"""A view that lasts: hidden columns survive a reload; a URL carries sort, search and page."""

from __future__ import annotations

import json
import re
from typing import Any

from e2e_oracle import COLUMN_TITLES, DEFAULT_COLUMNS, rows_from, view
from e2e_pages import (
    count_label,
    current_url,
    expect_query,
    expect_rows,
    expect_sorted,
    header,
    match_count,
    open_signed_in,
    page_size_select,
    pagination_text,
    search_box,
    showing,
    sign_in,
    visible_columns,
    wait_for_rows,
)
from e2e_support import Stack
from playwright.sync_api import expect


def _toggle(page: Any, title: str, visible: bool) -> None:
    page.get_by_role("button", name="Columns", exact=True).click()
    box = page.get_by_role("group", name="Visible columns").get_by_role(
        "checkbox", name=title, exact=True
    )
    box.set_checked(visible)
    page.keyboard.press("Escape")


def test_hide_and_show_columns_kept_across_reload(shared_stack: Stack, page: Any) -> None:
    open_signed_in(page, shared_stack.url)
    assert visible_columns(page) == list(DEFAULT_COLUMNS)

    _toggle(page, COLUMN_TITLES["description"], visible=False)
    _toggle(page, COLUMN_TITLES["team_id"], visible=True)
    _toggle(page, COLUMN_TITLES["status"], visible=True)
    shown = [
        "masked_key",
        "owner",
        "created_at",
        "last_used_at",
        "allowed_models",
        "tags",
        "status",
        "team_id",
    ]
    expect(header(page, "description")).to_have_count(0)
    assert visible_columns(page) == shown
    expected, _ = view(rows_from(shared_stack.records))
    expect_rows(page, expected, shown)

    page.reload()
    wait_for_rows(page)
    assert visible_columns(page) == shown
    expect_rows(page, expected, shown)
    stored = json.loads(page.evaluate("localStorage.getItem('keydash.keys.columns')"))
    assert stored["description"] is False
    assert stored["team_id"] is True

    # The menu shows the kept choice, and Reset brings the defaults back.
    page.get_by_role("button", name="Columns", exact=True).click()
    menu = page.get_by_role("group", name="Visible columns")
    expect(menu.get_by_role("checkbox", name="Description", exact=True)).not_to_be_checked()
    expect(menu.get_by_role("checkbox", name="Team", exact=True)).to_be_checked()
    menu.get_by_role("button", name="Reset columns").click()
    page.keyboard.press("Escape")
    expect(header(page, "description")).to_have_count(1)
    assert visible_columns(page) == list(DEFAULT_COLUMNS)
    page.reload()
    wait_for_rows(page)
    assert visible_columns(page) == list(DEFAULT_COLUMNS)


def test_shared_url_opens_the_same_view(shared_stack: Stack, new_context: Any) -> None:
    all_rows = rows_from(shared_stack.records)
    search = "gpt"
    expected, matches = view(
        all_rows, search=search, sort_by="owner", sort_order="desc", page=2, size=10
    )
    assert matches > 20, "the shared view needs a second page"

    # One person sets the view up by hand...
    alice = new_context().new_page()
    open_signed_in(alice, shared_stack.url)
    search_box(alice).fill(search)
    expect(match_count(alice)).to_have_text(count_label(matches, searching=True))
    header(alice, "owner").click()
    expect_sorted(alice, "owner", "asc")
    header(alice, "owner").click()
    expect_sorted(alice, "owner", "desc")
    page_size_select(alice).select_option("10")
    expect(pagination_text(alice)).to_have_text(showing(1, 10, matches))
    alice.get_by_role("button", name="Page 2").click()
    expect_query(alice, search=search, sort_by="owner", sort_order=None, size="10", page="2")
    expect_rows(alice, expected)
    shared = current_url(alice)
    assert re.search(r"[?&]sort_by=owner(&|$)", shared)

    # ...and sends the link to someone who is not signed in yet.
    bob = new_context().new_page()
    bob.goto(shared)
    expect(bob).to_have_url(re.compile(r"/login\?next="))
    sign_in(bob)
    expect(bob).to_have_url(shared)
    expect(search_box(bob)).to_have_value(search)
    expect_sorted(bob, "owner", "desc")
    expect(page_size_select(bob)).to_have_value("10")
    expect(bob.get_by_role("button", name="Page 2")).to_have_attribute("aria-current", "page")
    expect(pagination_text(bob)).to_have_text(showing(11, min(20, matches), matches))
    expect_rows(bob, expected)

    # Plain /keys brings back the last view (all but the page), as the README promises.
    alice.goto(shared_stack.url + "/keys")
    expect_query(alice, search=search, sort_by="owner", size="10", page=None)
    expect_rows(
        alice, view(all_rows, search=search, sort_by="owner", sort_order="desc", size=10)[0]
    )

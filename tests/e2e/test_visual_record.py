"""Screenshots of the four screens people see, for the README (docs/screenshots/) and as artifacts.

They are written on every run, so the README shows the app as it is now.
"""

from __future__ import annotations

import shutil
from typing import Any

from e2e_oracle import rows_from, view
from e2e_pages import (
    count_label,
    drawer,
    expect_rows,
    match_count,
    open_signed_in,
    rows,
    search_box,
    username_box,
)
from e2e_support import ARTIFACTS, SCREENSHOTS, Stack
from playwright.sync_api import expect


def _settled(page: Any) -> None:
    """No pointer hover, no running transition, fonts loaded: a still picture."""
    page.mouse.move(0, page.viewport_size["height"] - 1)
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_function("() => document.getAnimations().length === 0")


def _save(page: Any, name: str) -> None:
    _settled(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / name
    page.screenshot(path=str(target))
    copies = ARTIFACTS / "screenshots"
    copies.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(target, copies / name)
    assert target.stat().st_size > 10_000, f"{name} looks empty"


def test_screenshots_of_login_table_search_and_drawer(
    shared_stack: Stack, new_context: Any
) -> None:
    page = new_context(viewport={"width": 1440, "height": 900}).new_page()
    all_rows = rows_from(shared_stack.records)

    page.goto(shared_stack.url + "/login")
    expect(username_box(page)).to_be_focused()
    _save(page, "login.png")

    open_signed_in(page, shared_stack.url)
    expect_rows(page, view(all_rows)[0])
    _save(page, "table.png")

    search_box(page).fill("prod")
    expected, matches = view(all_rows, search="prod")
    expect(match_count(page)).to_have_text(count_label(matches, searching=True))
    expect_rows(page, expected)
    _save(page, "search.png")

    # A key with every field filled, so the picture shows what the drawer can say.
    index = next(
        i
        for i, row in enumerate(expected)
        if row.alias and row.description and row.owner_email and row.tags and row.models
    )
    rows(page).nth(index).click()
    expect(drawer(page)).to_be_visible()
    _save(page, "drawer.png")

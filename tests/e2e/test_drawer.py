"""The key detail drawer: by mouse and by keyboard, copying, and closing with Escape."""

from __future__ import annotations

from typing import Any

from e2e_oracle import Row, date_text, money, rows_from, utc_text, view
from e2e_pages import drawer, open_signed_in, rows
from e2e_support import Stack
from playwright.sync_api import expect

FOCUSED_ROW = "document.activeElement?.dataset?.testid === 'key-row'"


def _field(panel: Any, label: str) -> Any:
    """The value next to a label in the drawer's list."""
    return panel.locator(
        f"xpath=.//*[normalize-space(text())='{label}']/following-sibling::*[1]"
    ).first


def _expect_details(page: Any, row: Row) -> None:
    panel = drawer(page)
    expect(panel).to_be_visible()
    expect(panel.get_by_test_id("key-drawer")).to_be_visible()
    texts = {
        "Key": row.masked_key or "Could not be read",
        "Key ID": row.id,
        "Alias": row.alias or "Not set",
        "Description": row.description or "Not set",
        "Status": row.status(),
        "Owner": row.owner or "Not set",
        "Owner username": row.owner_username or "Not set",
        "Owner email": row.owner_email or "Not set",
        "Owner ID": row.owner_id or "Not set",
        "Team": row.team_id or "Not set",
        "Spend": "Unknown" if row.spend is None else money(row.spend),
        "Budget": "No limit" if row.max_budget is None else money(row.max_budget),
    }
    for label, value in texts.items():
        expect(_field(panel, label)).to_contain_text(value)
    if row.created_at is not None:
        expect(_field(panel, "Created")).to_contain_text(date_text(row.created_at))
        expect(_field(panel, "Created")).to_contain_text(utc_text(row.created_at))
    if row.expires_at is None:
        expect(_field(panel, "Expires")).to_have_text("Never expires")
    # All badges, nothing folded into "+N more" here.
    models = _field(panel, "Models").locator(".mantine-Badge-label")
    expect(models).to_have_text(list(row.models) or ["All models"])
    tags = _field(panel, "Tags").locator(".mantine-Badge-label")
    if row.tags:
        expect(tags).to_have_text(list(row.tags))
    else:
        expect(_field(panel, "Tags")).to_have_text("No tags")


def _rich_row(first_page: list[Row]) -> tuple[int, Row]:
    """A row with something in every field, so every field is checked for real."""
    for index, row in enumerate(first_page):
        if row.masked_key and row.alias and row.description and row.owner_email and row.tags:
            return index, row
    raise AssertionError("no fully filled key on the first page")


def test_drawer_opens_from_a_row_copies_and_closes_with_escape(
    shared_stack: Stack, new_context: Any
) -> None:
    context = new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=shared_stack.url)
    page = context.new_page()
    open_signed_in(page, shared_stack.url)
    first_page, _ = view(rows_from(shared_stack.records))
    index, row = _rich_row(first_page)

    rows(page).nth(index).click()
    _expect_details(page, row)

    copy = drawer(page).get_by_role("button", name="Copy masked key")
    copy.click()
    expect(drawer(page).get_by_role("button", name="masked key copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == row.masked_key
    drawer(page).get_by_role("button", name="Copy key ID").click()
    expect(drawer(page).get_by_role("button", name="key ID copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == row.id
    # The "copied" state is brief.
    expect(drawer(page).get_by_role("button", name="Copy masked key")).to_be_visible(timeout=5000)

    page.keyboard.press("Escape")
    expect(drawer(page)).to_be_hidden()
    # Another row opens its own key.
    other = (index + 1) % len(first_page)
    rows(page).nth(other).click()
    _expect_details(page, first_page[other])
    drawer(page).get_by_role("button", name="Close key details").click()
    expect(drawer(page)).to_be_hidden()


def test_drawer_opens_by_keyboard_and_escape_returns_focus(shared_stack: Stack, page: Any) -> None:
    open_signed_in(page, shared_stack.url)
    first_page, _ = view(rows_from(shared_stack.records))

    # Tab from the search box, past the column headers, to the first row.
    page.get_by_role("searchbox", name="Search keys").focus()
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_ROW):
            break
    assert page.evaluate(FOCUSED_ROW), "Tab never reached a table row"
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED_ROW)
    focused_text = page.evaluate("document.activeElement.innerText")
    second = first_page[1]
    assert second.masked_key is None or second.masked_key in focused_text

    page.keyboard.press("Enter")
    _expect_details(page, second)
    page.keyboard.press("Escape")
    expect(drawer(page)).to_be_hidden()
    # Focus goes back to the row it came from, so keyboard users keep their place.
    assert page.evaluate(FOCUSED_ROW)
    assert page.evaluate("document.activeElement.innerText") == focused_text

    page.keyboard.press("Space")
    _expect_details(page, second)
    page.keyboard.press("Escape")
    expect(drawer(page)).to_be_hidden()

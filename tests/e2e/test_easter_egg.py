"""The team logo's hello: shows on hover and on click, and never covers a control."""

from __future__ import annotations

from typing import Any

import pytest
from e2e_pages import open_signed_in
from e2e_support import Stack
from playwright.sync_api import expect

LINE = "Made with care by the Keydash team — keep your keys tidy!"

# Every control a person could want while the tooltip is open, with its box and whether the
# point at its centre still reaches it (nothing drawn on top).
_CONTROLS = """
(tooltip) => {
  const t = tooltip.getBoundingClientRect();
  const selector = 'button, a[href], input, select, textarea, [role="button"], [tabindex="0"]';
  return [...document.querySelectorAll(selector)]
    .filter((el) => !tooltip.contains(el) && el.getClientRects().length > 0)
    .map((el) => {
      const r = el.getBoundingClientRect();
      // The part of the control inside the viewport (wide tables scroll sideways).
      const left = Math.max(r.left, 0), right = Math.min(r.right, innerWidth);
      const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, innerHeight);
      const inView = right > left && bottom > top;
      const hit = inView ? document.elementFromPoint((left + right) / 2, (top + bottom) / 2) : null;
      return {
        name: el.getAttribute('aria-label') || el.innerText.trim().slice(0, 40) || el.tagName,
        overlaps: inView && left < t.right && t.left < right && top < t.bottom && t.top < bottom,
        intercepted: hit !== null && tooltip.contains(hit),
      };
    });
}
"""


def _assert_covers_no_control(page: Any) -> None:
    tooltip = page.get_by_role("tooltip").filter(has_text=LINE)
    expect(tooltip).to_be_visible()
    controls = tooltip.evaluate(_CONTROLS)
    assert len(controls) > 10, controls  # header buttons, search, columns, headers, rows, pages
    covered = [c["name"] for c in controls if c["overlaps"] or c["intercepted"]]
    assert covered == [], f"the easter egg covers {covered}"


@pytest.mark.parametrize(
    "viewport",
    [{"width": 1440, "height": 900}, {"width": 390, "height": 844}],
    ids=["wide", "phone"],
)
def test_easter_egg_on_hover_and_click_covers_no_control(
    shared_stack: Stack, new_context: Any, viewport: dict[str, int]
) -> None:
    page = new_context(viewport=viewport).new_page()
    open_signed_in(page, shared_stack.url)
    logo = page.get_by_role("button", name="Keydash team logo")
    tooltip = page.get_by_role("tooltip").filter(has_text=LINE)
    expect(tooltip).to_have_count(0)

    logo.hover()
    expect(tooltip).to_be_visible()
    expect(logo.locator("svg")).to_have_attribute("data-playing", "true")
    _assert_covers_no_control(page)
    page.mouse.move(viewport["width"] - 5, viewport["height"] - 5)
    expect(tooltip).to_be_hidden()

    # A click pins it open after the pointer leaves; a second click lets it go.
    away = (viewport["width"] - 5, viewport["height"] - 5)
    logo.click()
    expect(logo).to_have_attribute("aria-pressed", "true")
    page.mouse.move(*away)
    expect(tooltip).to_be_visible()
    _assert_covers_no_control(page)
    logo.click()
    expect(logo).to_have_attribute("aria-pressed", "false")
    page.mouse.move(*away)
    expect(tooltip).to_be_hidden()

    # Pinned open, the page still works: the search box takes the click, and the hello goes.
    logo.click()
    page.mouse.move(*away)
    expect(tooltip).to_be_visible()
    search = page.get_by_role("searchbox", name="Search keys")
    search.click()
    expect(search).to_be_focused()
    expect(tooltip).to_be_hidden()
    expect(logo).to_have_attribute("aria-pressed", "false")

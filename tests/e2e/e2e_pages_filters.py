"""The filter bar, the summary cards and the no-match state: reading them, and the steps a person
takes with them (each waits for the page to show its change)."""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import datetime

from e2e_oracle_filters import Filters
from e2e_pages_address import current_url, url_lists
from e2e_polling import poll
from playwright.sync_api import Locator, Page, expect

FILTER_PARAMS = tuple(item.name for item in fields(Filters))


def api_fetched_at(page: Page) -> datetime:
    """When the API read the keys it answers from: relative filters count from this instant.

    Asked the way the page asks (same origin, the session cookie), for one value only.
    """
    text: str = page.evaluate(
        """async () => {
             const response = await fetch('/api/keys/facets?limit=1');
             if (!response.ok) throw new Error(`facets answered ${response.status}`);
             return (await response.json()).fetched_at;
           }"""
    )
    return datetime.fromisoformat(text)


def expect_url_filters(page: Page, filters: Filters) -> None:
    """The address bar carries exactly these filters, in the app's canonical form."""
    wanted = filters.url_params()

    def read() -> dict[str, list[str]]:
        return {name: values for name, values in url_lists(page).items() if name in FILTER_PARAMS}

    seen = poll(read, lambda value: value == wanted)
    assert seen == wanted, f"URL {current_url(page)} carries filters {seen}, expected {wanted}"


# --- locators -----------------------------------------------------------------------------------


def filter_chip(page: Page, name: str) -> Locator:
    """A toggle chip of the filter bar: status-expired, expires-30, all-models, spend-80..."""
    return page.get_by_test_id(f"filter-chip-{name}")


def active_filter(page: Page, filter_id: str) -> Locator:
    """The removable pill of one active filter value: status-expired, tag-prod, expires-within."""
    return page.get_by_test_id(f"active-filter-{filter_id}")


def summary_card(page: Page, name: str) -> Locator:
    return page.get_by_test_id(f"summary-card-{name}")


def facet_select(page: Page, name: str) -> Locator:
    """The input of the tag, model, team or owner multi-select."""
    return page.get_by_test_id(f"filter-{name}-select")


def facet_option(page: Page, value: str) -> Locator:
    """An option of the open multi-select's list, by its exact value."""
    return page.get_by_role("option", name=re.compile(rf"^{re.escape(value)}( [\d,]+)?$"))


def no_match(page: Page) -> Locator:
    return page.get_by_test_id("keys-no-match")


# --- readings -----------------------------------------------------------------------------------

_READ_MARKED = """
(prefix) => Object.fromEntries(
  [...document.querySelectorAll(`[data-testid^="${prefix}"]`)].map((el) => [
    el.dataset.testid.slice(prefix.length),
    {
      value: el.dataset.count ?? el.dataset.value ?? null,
      text: el.textContent.trim(),
      pressed: el.getAttribute('aria-pressed'),
    },
  ]),
)
"""


def chips(page: Page) -> dict[str, dict[str, str | None]]:
    """Every filter chip by name: its count (data-count), text and aria-pressed."""
    result: dict[str, dict[str, str | None]] = page.evaluate(_READ_MARKED, "filter-chip-")
    return result


def cards(page: Page) -> dict[str, dict[str, str | None]]:
    """Every summary card by name: its number (data-value), text and aria-pressed."""
    result: dict[str, dict[str, str | None]] = page.evaluate(_READ_MARKED, "summary-card-")
    return result


def shown_pills(page: Page) -> list[str]:
    """The ids of the removable pills the filter bar shows, in its order."""
    found: list[str] = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid^="active-filter-"]')]
                 .map((el) => el.dataset.testid.slice('active-filter-'.length))"""
    )
    return found


# --- steps --------------------------------------------------------------------------------------
# Each step waits for the page to show its change, as a person waits to see it; quick clicks
# without waiting have their own journey (test_quick_clicks_never_undo_each_other).


def choose_values(page: Page, name: str, values: dict[str, int | None]) -> None:
    """Pick values in a multi-select; each option must show its count (when one is given)."""
    facet_select(page, name).click()
    for value, count in values.items():
        option = facet_option(page, value)
        if count is not None:
            expect(option).to_have_text(re.compile(rf"^{re.escape(value)}\s*{count:,}$"))
        option.click()
        expect(option).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Escape")
    expect(page.get_by_role("listbox")).to_have_count(0)


def toggle_chip(page: Page, name: str, pressed: bool) -> None:
    filter_chip(page, name).click()
    expect(filter_chip(page, name)).to_have_attribute("aria-pressed", str(pressed).lower())


def press_card(page: Page, name: str, pressed: bool | None = None) -> None:
    summary_card(page, name).click()
    if pressed is not None:
        expect(summary_card(page, name)).to_have_attribute("aria-pressed", str(pressed).lower())


def remove_pill(page: Page, filter_id: str) -> None:
    active_filter(page, filter_id).click()
    expect(active_filter(page, filter_id)).to_have_count(0)

"""How a person drives Keydash, in Playwright terms: by role, label and the app's test ids."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

from e2e_oracle import DEFAULT_COLUMNS, Filters, Row, rendered
from e2e_support import PASSWORD, USERNAME
from playwright.sync_api import Locator, Page, expect

T = TypeVar("T")

# Every cell as a list of parts: text of paragraphs and times, badge labels, and the accessible
# names of the "—" placeholders. The relative age under a date ("last week") is left out: it
# depends on the moment the test runs.
_READ_ROWS = """
() => {
  const table = document.querySelector('table[aria-label="API keys"]');
  if (!table) return null;
  const columns = [...table.querySelectorAll('thead th')].map((th) => th.dataset.accessor);
  const rows = [...table.querySelectorAll('tbody tr[data-testid="key-row"]')];
  return rows.map((tr) => {
    const cells = {};
    [...tr.children].forEach((td, index) => {
      const parts = [];
      for (const el of td.querySelectorAll('p, time, .mantine-Badge-label, span[aria-label]')) {
        if (el.matches('span[aria-label]')) parts.push(`[${el.getAttribute('aria-label')}]`);
        else if (el.matches('.mantine-Badge-label')) parts.push(`badge:${el.textContent.trim()}`);
        else if (el.matches('time')) parts.push(`time:${el.textContent.trim()} (${el.title})`);
        else if (el.previousElementSibling && el.previousElementSibling.matches('time')) continue;
        else if (el.closest('.mantine-Badge-root')) continue;
        else parts.push(el.textContent.trim());
      }
      cells[columns[index]] = parts;
    });
    return cells;
  });
}
"""


def poll(read: Callable[[], T], wanted: Callable[[T], bool], timeout: float = 10.0) -> T:
    """Read until `wanted` holds or time runs out; return the last reading either way."""
    deadline = time.monotonic() + timeout
    value = read()
    while not wanted(value) and time.monotonic() < deadline:
        time.sleep(0.05)
        value = read()
    return value


# --- signing in ---------------------------------------------------------------------------------


def username_box(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Username")


def password_box(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Password", exact=True)


def sign_in(page: Page, password: str = PASSWORD, username: str = USERNAME) -> None:
    """Fill the login form and submit it (the page must be showing the form)."""
    expect(username_box(page)).to_be_visible()
    username_box(page).fill(username)
    password_box(page).fill(password)
    page.get_by_role("button", name="Sign in").click()


def open_signed_in(page: Page, base_url: str, path: str = "/keys") -> None:
    """Open `path` as a signed-out person would: the login page, then back to `path`."""
    page.goto(base_url + path)
    expect(page).to_have_url(re.compile(r"/login\?next="))
    sign_in(page)
    wait_for_rows(page)


# --- the keys table -----------------------------------------------------------------------------


def rows(page: Page) -> Locator:
    return page.get_by_test_id("key-row")


def wait_for_rows(page: Page, timeout: float = 20_000) -> None:
    expect(rows(page).first).to_be_visible(timeout=timeout)


def read_rows(page: Page) -> list[dict[str, list[str]]] | None:
    result: list[dict[str, list[str]]] | None = page.evaluate(_READ_ROWS)
    return result


def expect_rows(
    page: Page,
    expected_rows: Sequence[Row],
    columns: Sequence[str] = DEFAULT_COLUMNS,
    timeout: float = 15.0,
    context: str = "",
) -> None:
    """The table shows exactly these rows, in this order (waiting out a loading page)."""
    wanted = rendered(expected_rows, columns)
    seen = poll(lambda: read_rows(page), lambda value: value == wanted, timeout)
    if seen != wanted:
        seen = seen or []
        where = f" ({context})" if context else ""
        for index, (got, want) in enumerate(zip(seen, wanted, strict=False)):
            assert got == want, f"row {index + 1} differs{where}"
        assert len(seen) == len(wanted), f"{len(seen)} rows shown, {len(wanted)} expected{where}"


def header(page: Page, accessor: str) -> Locator:
    return page.locator(f'table[aria-label="API keys"] thead th[data-accessor="{accessor}"]')


def expect_sorted(page: Page, accessor: str, order: str) -> None:
    """The column's header shows the sort (the table has re-rendered, not just the URL)."""
    icon = header(page, accessor).locator('[role="img"][aria-label]')
    label = "Sorted ascending" if order == "asc" else "Sorted descending"
    expect(icon).to_have_attribute("aria-label", label)


def visible_columns(page: Page) -> list[str]:
    result: list[str] = page.evaluate(
        """() => [...document.querySelectorAll('table[aria-label="API keys"] thead th')]
                 .map((th) => th.dataset.accessor)"""
    )
    return result


def search_box(page: Page) -> Locator:
    return page.get_by_role("searchbox", name="Search keys")


def match_count(page: Page) -> Locator:
    return page.get_by_test_id("match-count")


def pagination_text(page: Page) -> Locator:
    return page.locator(".mantine-datatable-pagination-text")


def page_size_select(page: Page) -> Locator:
    return page.get_by_label("Rows per page")


def current_url(page: Page) -> str:
    """The address bar as the document sees it (Playwright's page.url can lag a replaceState)."""
    href: str = page.evaluate("location.href")
    return href


def url_query(page: Page) -> dict[str, str]:
    query = urlsplit(current_url(page)).query
    return {name: values[0] for name, values in parse_qs(query).items()}


def expect_query(page: Page, /, **wanted: str | None) -> None:
    """The address bar carries these view parameters (None: absent)."""

    def matches(query: dict[str, str]) -> bool:
        return all(query.get(name) == value for name, value in wanted.items())

    query = poll(lambda: url_query(page), matches)
    assert matches(query), f"URL {current_url(page)} does not carry {wanted}"


def drawer(page: Page) -> Locator:
    return page.get_by_role("dialog", name="Key details")


def count_label(total: int, searching: bool) -> str:
    noun = (
        ("key matches" if total == 1 else "keys match")
        if searching
        else ("key" if total == 1 else "keys")
    )
    return f"{total:,} {noun}"


def showing(first: int, last: int, total: int) -> str:
    return f"Showing {first:,}–{last:,} of {total:,}"  # noqa: RUF001 - the table's en dash


# --- filters, summary cards, export -------------------------------------------------------------

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


def url_lists(page: Page) -> dict[str, list[str]]:
    """Every parameter of the address bar with all its values (tag=a&tag=b: ["a", "b"])."""
    return parse_qs(urlsplit(current_url(page)).query)


def expect_url_filters(page: Page, filters: Filters) -> None:
    """The address bar carries exactly these filters, in the app's canonical form."""
    wanted = filters.url_params()

    def read() -> dict[str, list[str]]:
        return {name: values for name, values in url_lists(page).items() if name in FILTER_PARAMS}

    seen = poll(read, lambda value: value == wanted)
    assert seen == wanted, f"URL {current_url(page)} carries filters {seen}, expected {wanted}"


def stored_view(page: Page) -> dict[str, object]:
    """The view the page keeps in localStorage for plain /keys."""
    raw = page.evaluate("localStorage.getItem('keydash.keys.view')")
    value: dict[str, object] = json.loads(raw) if isinstance(raw, str) else {}
    return value


def filter_chip(page: Page, name: str) -> Locator:
    """A toggle chip of the filter bar: status-expired, expires-30, all-models, spend-80..."""
    return page.get_by_test_id(f"filter-chip-{name}")


def active_filter(page: Page, filter_id: str) -> Locator:
    """The removable pill of one active filter value: status-expired, tag-prod, expires-within."""
    return page.get_by_test_id(f"active-filter-{filter_id}")


def summary_card(page: Page, name: str) -> Locator:
    return page.get_by_test_id(f"summary-card-{name}")


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


def facet_select(page: Page, name: str) -> Locator:
    """The input of the tag, model, team or owner multi-select."""
    return page.get_by_test_id(f"filter-{name}-select")


def facet_option(page: Page, value: str) -> Locator:
    """An option of the open multi-select's list, by its exact value."""
    return page.get_by_role("option", name=re.compile(rf"^{re.escape(value)}( [\d,]+)?$"))


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


def no_match(page: Page) -> Locator:
    return page.get_by_test_id("keys-no-match")


# --- the mirror: load progress, freshness, stale and scope warnings -----------------------------


def api_status(page: Page) -> dict[str, Any]:
    """GET /api/status as the page would ask it (same origin, the session cookie)."""
    status: dict[str, Any] = page.evaluate(
        """async () => {
             const response = await fetch('/api/status');
             if (!response.ok) throw new Error(`status answered ${response.status}`);
             return await response.json();
           }"""
    )
    return status


def sync_progress(page: Page) -> Locator:
    """The load progress: `data-variant` "panel" in place of the table, "banner" above rows."""
    return page.get_by_test_id("sync-progress")


def progress_counts(text: str) -> tuple[int, int | None]:
    """(loaded, total) from "... 1,200 of 5,000 ..." or "... 300 so far ..."."""
    found = re.search(r"([\d,]+) of ([\d,]+)", text)
    if found:
        return int(found.group(1).replace(",", "")), int(found.group(2).replace(",", ""))
    found = re.search(r"([\d,]+) so far", text)
    assert found, f"no progress numbers in {text!r}"
    return int(found.group(1).replace(",", "")), None


def freshness_line(page: Page) -> Locator:
    """ "Updated 12 s ago", next to the result count."""
    return page.get_by_test_id("freshness")


def stale_warning(page: Page) -> Locator:
    return page.get_by_test_id("stale-warning")


def scope_warning(page: Page) -> Locator:
    return page.get_by_test_id("scope-warning")


def clock_text(moment: datetime) -> str:
    """HH:MM as the page writes a time of today (the browser runs in UTC, 24-hour clock)."""
    return f"{moment.astimezone(UTC):%H:%M}"

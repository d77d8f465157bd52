"""The keys table as people read it: rows cell by cell, headers and sorting, the search box, the
result count, paging, and the key drawer."""

from __future__ import annotations

import re
from collections.abc import Sequence

from e2e_oracle_render import DEFAULT_COLUMNS, rendered
from e2e_oracle_rows import Row
from e2e_polling import poll
from playwright.sync_api import Locator, Page, expect

# Every cell as a list of parts: text of paragraphs and times, badge labels, and the accessible
# names of the "—" placeholders, muted words ("never"). Relative ages ("last week", "3 days ago")
# are left out, the exact instant (a time's title) kept: they depend on the moment the test runs.
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
      const found = td.querySelectorAll(
        'p, time, .mantine-Badge-label, span[aria-label], [data-muted]',
      );
      for (const el of found) {
        if (el.matches('span[aria-label]')) parts.push(`[${el.getAttribute('aria-label')}]`);
        else if (el.matches('[data-muted]')) parts.push(`muted:${el.textContent.trim()}`);
        else if (el.matches('time[data-relative]')) parts.push(`time:(${el.title})`);
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


def shown_total(page: Page) -> int:
    """The number of keys the result count reads."""
    text = match_count(page).inner_text()
    found = re.match(r"([\d,]+) key", text)
    assert found, f"match count reads {text!r}"
    return int(found.group(1).replace(",", ""))


def count_label(total: int, searching: bool) -> str:
    noun = (
        ("key matches" if total == 1 else "keys match")
        if searching
        else ("key" if total == 1 else "keys")
    )
    return f"{total:,} {noun}"


def pagination_text(page: Page) -> Locator:
    return page.locator(".mantine-datatable-pagination-text")


def page_size_select(page: Page) -> Locator:
    return page.get_by_label("Rows per page")


def showing(first: int, last: int, total: int) -> str:
    return f"Showing {first:,}–{last:,} of {total:,}"  # noqa: RUF001 - the table's en dash


def drawer(page: Page) -> Locator:
    return page.get_by_role("dialog", name="Key details")

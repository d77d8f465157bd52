"""The address bar and the view the page keeps in localStorage."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from e2e_polling import poll
from playwright.sync_api import Page


def current_url(page: Page) -> str:
    """The address bar as the document sees it (Playwright's page.url can lag a replaceState)."""
    href: str = page.evaluate("location.href")
    return href


def url_query(page: Page) -> dict[str, str]:
    query = urlsplit(current_url(page)).query
    return {name: values[0] for name, values in parse_qs(query).items()}


def url_lists(page: Page) -> dict[str, list[str]]:
    """Every parameter of the address bar with all its values (tag=a&tag=b: ["a", "b"])."""
    return parse_qs(urlsplit(current_url(page)).query)


def expect_query(page: Page, /, **wanted: str | None) -> None:
    """The address bar carries these view parameters (None: absent)."""

    def matches(query: dict[str, str]) -> bool:
        return all(query.get(name) == value for name, value in wanted.items())

    query = poll(lambda: url_query(page), matches)
    assert matches(query), f"URL {current_url(page)} does not carry {wanted}"


def stored_view(page: Page) -> dict[str, object]:
    """The view the page keeps in localStorage for plain /keys."""
    raw = page.evaluate("localStorage.getItem('keydash.keys.view')")
    value: dict[str, object] = json.loads(raw) if isinstance(raw, str) else {}
    return value

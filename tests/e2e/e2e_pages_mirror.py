"""The API's mirror as the page shows it: load progress, freshness, stale and scope warnings."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from playwright.sync_api import Locator, Page


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

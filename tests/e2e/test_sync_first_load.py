"""The API's first load of LiteLLM's keys, as people see it: a growing determinate progress panel
for a search, the banner over LiteLLM's first page for the default view, and both views complete
by themselves once loaded.

The journey has its own stack of 5,000 slow keys. Expectations come from the fake's records
(e2e_oracle), never from Keydash.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from e2e_oracle import rows_from, view
from e2e_pages import (
    count_label,
    expect_rows,
    match_count,
    open_signed_in,
    poll,
    progress_counts,
    rows,
    sign_in,
    summary_card,
    sync_progress,
)
from e2e_support import Stack, new_fake
from keydash_fakes.litellm import PageLatency
from playwright.sync_api import Page, expect

LOADING_KEYS = 5_000
# Slow enough (2 pages in flight, 2 s each: 100 keys/s, 50 s in all) that the load cannot end
# while the test watches it grow, even on a busy machine; the test then makes LiteLLM fast and
# the load ends at once. While loading, the search is asked again per Retry-After (up to 10 s),
# so the panel takes that long to show one growth; the banner follows the 3 s status poll.
SLOW_PAGE_MS = 2_000


def _panel_reading(page: Page) -> tuple[int, int | None, str | None]:
    """(loaded, total, aria-valuenow) of the progress panel."""
    text = sync_progress(page).get_by_test_id("sync-progress-text").inner_text()
    loaded, total = progress_counts(text)
    bar = sync_progress(page).get_by_role("progressbar")
    return loaded, total, bar.get_attribute("aria-valuenow")


def _banner_loaded(page: Page) -> int:
    return progress_counts(sync_progress(page).inner_text())[0]


def test_progress_while_the_mirror_loads_then_the_search_opens_by_itself(
    stack_factory: Any, new_context: Any
) -> None:
    fake = new_fake(
        LOADING_KEYS, frozen_records=True, latency=PageLatency(page_base_ms=SLOW_PAGE_MS)
    )
    stack: Stack = stack_factory(fake=fake, synced=False, UPSTREAM_CONCURRENCY="2")
    all_rows = rows_from(stack.records)
    tag = next(
        tag
        for tag, count in Counter(tag for row in all_rows for tag in row.tags).most_common()
        if count < len(all_rows)
    )
    expected, matches = view(all_rows, search=tag)

    # A search needs every key: a determinate progress bar in place of the table, no error.
    searcher = new_context().new_page()
    searcher.goto(f"{stack.url}/keys?search={tag}")
    expect(searcher).to_have_url(re.compile(r"/login\?next="))
    sign_in(searcher)
    panel = sync_progress(searcher)
    expect(panel).to_be_visible(timeout=20_000)
    expect(panel).to_have_attribute("data-variant", "panel")
    expect(panel.get_by_test_id("sync-progress-text")).to_contain_text("Loading keys from LiteLLM")
    expect(searcher.get_by_test_id("keys-error")).to_have_count(0)
    expect(rows(searcher)).to_have_count(0)
    first = _panel_reading(searcher)
    assert first[0] < LOADING_KEYS, f"the load already ended: {first}"

    # The default view meanwhile: LiteLLM's first page at once, the slim bar above it.
    browser = new_context().new_page()
    open_signed_in(browser, stack.url)
    banner = sync_progress(browser)
    expect(banner).to_have_attribute("data-variant", "banner")
    expect(banner).to_contain_text("Search, filters and every sort are available once all keys")
    expect_rows(browser, view(all_rows)[0], context="LiteLLM's first page while loading")
    expect(browser.get_by_test_id("facets-loading")).to_be_visible()
    banner_first = _banner_loaded(browser)

    # Both move while the keys load, without anyone touching the page.
    banner_seen = poll(lambda: _banner_loaded(browser), lambda n: n > banner_first, 10)
    assert banner_seen > banner_first, f"the banner stayed at {banner_first} keys"
    panel_seen = poll(
        lambda: _panel_reading(searcher),
        lambda reading: reading[0] > first[0] and reading[1] == LOADING_KEYS,
        15,
    )
    loaded, total, percent = panel_seen
    assert loaded > first[0], f"the panel stayed at {first}: {panel_seen}"
    assert total == LOADING_KEYS, f"the panel went {first} -> {panel_seen}"
    assert percent == str(round(100 * loaded / LOADING_KEYS)), panel_seen
    # One progress display per page, never both.
    expect(sync_progress(searcher)).to_have_count(1)
    expect(sync_progress(browser)).to_have_count(1)
    assert stack.sync_state() == "loading"

    # LiteLLM gets fast: the load ends, and both pages show the full views by themselves.
    stack.control.latency(page_base_ms=0)
    expect_rows(searcher, expected, timeout=30, context=f"search {tag!r} once loaded")
    expect(match_count(searcher)).to_have_text(count_label(matches, searching=True))
    expect(sync_progress(searcher)).to_have_count(0)
    expect(sync_progress(browser)).to_have_count(0, timeout=15_000)
    expect(browser.get_by_test_id("facets-loading")).to_have_count(0)
    expect(summary_card(browser, "total")).to_have_attribute("data-value", str(LOADING_KEYS))
    expect_rows(browser, view(all_rows)[0], context="the default view from the mirror")

"""Key hygiene (issue 8), no match: filters that keep no key say so and offer to clear them,
keeping the search."""

from __future__ import annotations

from e2e_hygiene import expect_view, oracle_for, searchable_words
from e2e_oracle import NO_FILTERS, Filters
from e2e_pages import filter_chip, no_match, open_signed_in, search_box, summary_card, toggle_chip
from e2e_support import Stack
from playwright.sync_api import Page, expect


def test_filters_that_match_nothing_offer_to_clear_them(shared_stack: Stack, page: Page) -> None:
    open_signed_in(page, shared_stack.url)
    oracle = oracle_for(page, shared_stack)
    # A search with expired keys among its matches.
    search = next(
        word
        for word in searchable_words(oracle.rows)
        if oracle.total(word, Filters(status=("expired",))) >= 1
        and oracle.total(word, NO_FILTERS) < len(oracle.rows)
    )
    search_box(page).fill(search)
    oracle.search = search
    searched = expect_view(page, oracle, f"search {search!r}")

    toggle_chip(page, "status-expired", pressed=True)
    oracle.filters = Filters(status=("expired",))
    expect_view(page, oracle)
    # An expired key cannot expire within 30 days: the chip says 0 before it is clicked.
    expect(filter_chip(page, "expires-30")).to_have_attribute("data-count", "0")
    toggle_chip(page, "expires-30", pressed=True)
    oracle.filters = Filters(status=("expired",), expires_within_days=30)
    assert expect_view(page, oracle, "expired and expiring") == 0
    expect(no_match(page)).to_contain_text("No keys match these filters")
    expect(no_match(page)).to_contain_text(search)
    expect(summary_card(page, "total")).to_have_attribute("data-value", "0")
    expect(no_match(page).get_by_role("button", name="Clear search")).to_be_visible()

    page.get_by_test_id("no-match-clear-filters").click()
    expect(page.get_by_test_id("active-filters")).to_have_count(0)
    oracle.filters = NO_FILTERS
    assert expect_view(page, oracle, "filters cleared from the no-match state") == searched
    expect(search_box(page)).to_have_value(search)
    expect(no_match(page)).to_have_count(0)

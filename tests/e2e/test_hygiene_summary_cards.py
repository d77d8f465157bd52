"""Key hygiene (issue 8), summary cards: their numbers count the view, each card applies its
filter, and the spend card sorts by spend; every number from the oracle."""

from __future__ import annotations

import re

from e2e_hygiene import expect_cards, expect_view, oracle_for
from e2e_oracle import Filters
from e2e_pages import current_url, open_signed_in, press_card, summary_card
from e2e_support import Stack
from playwright.sync_api import Page, expect


def test_summary_cards_count_the_view_and_apply_their_filter(
    shared_stack: Stack, page: Page
) -> None:
    open_signed_in(page, shared_stack.url)
    oracle = oracle_for(page, shared_stack)
    expect_cards(page, oracle)
    counted = oracle.facets()
    assert counted.expires_within_days[30] > 0, "no key expires within 30 days"

    # Expiring within 30 days: the card's number is the table's total once clicked.
    press_card(page, "expiring", pressed=True)
    oracle.filters = Filters(expires_within_days=30)
    assert expect_view(page, oracle) == counted.expires_within_days[30]
    expect_cards(page, oracle)
    press_card(page, "expiring", pressed=False)  # and off again

    # Blocked, then all-model keys among them: the cards follow the view.
    press_card(page, "blocked", pressed=True)
    oracle.filters = Filters(status=("blocked",))
    assert expect_view(page, oracle) == counted.status["blocked"]
    expect_cards(page, oracle)
    all_models = oracle.facets().all_models
    press_card(page, "all-models", pressed=True)
    oracle.filters = Filters(status=("blocked",), all_models=True)
    assert expect_view(page, oracle) == all_models
    expect_cards(page, oracle)

    # Total spend sorts by spend, highest first.
    press_card(page, "spend", pressed=True)
    oracle.sort_by = "spend"
    expect_view(page, oracle, "blocked all-model keys by spend")
    assert re.search(r"[?&]sort_by=spend(&|$)", current_url(page))

    # Total keys shows every status again; the other filter stays.
    press_card(page, "total")
    oracle.filters = Filters(all_models=True)
    assert expect_view(page, oracle) == counted.all_models
    expect_cards(page, oracle)
    expect(summary_card(page, "blocked")).to_have_attribute("aria-pressed", "false")

"""Key hygiene (issue 8), status chips: counts, URL, localStorage, reload, pills, quick clicks.

Every number and row is checked against the oracle (e2e_hygiene); a chip's count is also checked
to be the table's total once it is clicked.
"""

from __future__ import annotations

from e2e_hygiene import expect_chip_counts, expect_view, oracle_for
from e2e_oracle import NO_FILTERS, Filters
from e2e_pages import (
    active_filter,
    current_url,
    filter_chip,
    open_signed_in,
    remove_pill,
    shown_pills,
    shown_total,
    stored_view,
    toggle_chip,
    wait_for_rows,
)
from e2e_support import Stack
from playwright.sync_api import Page, expect


def test_quick_clicks_never_undo_each_other(shared_stack: Stack, page: Page) -> None:
    # Regression: with React Router rendering URLs in a transition, the second of two quick
    # clicks was built on the view before the first and undid it (8 times in 10).
    open_signed_in(page, shared_stack.url)
    for _ in range(3):
        filter_chip(page, "status-expired").click()
        filter_chip(page, "never-expires").click()
        filter_chip(page, "all-models").click()
        for name in ("status-expired", "never-expires", "all-models"):
            expect(filter_chip(page, name)).to_have_attribute("aria-pressed", "true")
        assert sorted(shown_pills(page)) == ["all-models", "never-expires", "status-expired"]
        filter_chip(page, "status-expired").click()
        filter_chip(page, "never-expires").click()
        filter_chip(page, "all-models").click()
        for name in ("status-expired", "never-expires", "all-models"):
            expect(filter_chip(page, name)).to_have_attribute("aria-pressed", "false")


def test_status_chips_filter_count_and_last_across_reload(shared_stack: Stack, page: Page) -> None:
    open_signed_in(page, shared_stack.url)
    oracle = oracle_for(page, shared_stack)
    total = expect_view(page, oracle, "no filter")
    counts = expect_chip_counts(page, oracle)
    assert all(int(count) > 0 for name, count in counts.items() if name.startswith("status-"))

    # One status: the chip's count is the table's total once clicked.
    toggle_chip(page, "status-expired", pressed=True)
    oracle.filters = Filters(status=("expired",))
    assert expect_view(page, oracle) == int(counts["status-expired"]) == shown_total(page)
    expect(active_filter(page, "status-expired")).to_have_text("Status: Expired")
    # The other chips now count within expired keys; the status chips still count every status.
    counts = expect_chip_counts(page, oracle)

    # A second status is an alternative: either one.
    toggle_chip(page, "status-blocked", pressed=True)
    oracle.filters = Filters(status=("expired", "blocked"))
    both = expect_view(page, oracle)
    assert both == int(counts["status-expired"]) + int(counts["status-blocked"]) < total
    counts = expect_chip_counts(page, oracle)

    # Narrowed further by an access chip; its count was the total it leads to.
    owner_missing = int(counts["owner-missing"])
    toggle_chip(page, "owner-missing", pressed=True)
    oracle.filters = Filters(status=("expired", "blocked"), owner_missing=True)
    assert expect_view(page, oracle) == owner_missing
    expect_chip_counts(page, oracle)

    # Kept in the URL and in localStorage: a reload and plain /keys bring the same view back.
    stored = stored_view(page)["filters"]
    assert isinstance(stored, dict)
    assert stored["status"] == ["expired", "blocked"]
    assert stored["ownerMissing"] is True
    page.reload()
    wait_for_rows(page)
    expect(filter_chip(page, "status-blocked")).to_have_attribute("aria-pressed", "true")
    expect_view(page, oracle, "after a reload")
    page.goto(shared_stack.url + "/keys")
    wait_for_rows(page)
    expect_view(page, oracle, "plain /keys, from localStorage")

    # Removed one by one with their pills, back to the whole table.
    remove_pill(page, "status-expired")
    oracle.filters = Filters(status=("blocked",), owner_missing=True)
    expect_view(page, oracle)
    expect(filter_chip(page, "status-expired")).to_have_attribute("aria-pressed", "false")
    remove_pill(page, "owner-missing")
    oracle.filters = Filters(status=("blocked",))
    expect_view(page, oracle)
    remove_pill(page, "status-blocked")
    oracle.filters = NO_FILTERS
    assert expect_view(page, oracle, "every filter removed") == total
    expect(page.get_by_test_id("active-filters")).to_have_count(0)
    assert "status" not in current_url(page)
    stored = stored_view(page)["filters"]
    assert isinstance(stored, dict)
    assert stored["status"] == []

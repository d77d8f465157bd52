"""Beyond the list (issue 15): an admin answers in two clicks which keys nobody used for 90 days
(and the zombie keys to revoke first), which auto-rotating keys are overdue, which will run out
of budget before their reset, and what a key spent per day this month; the table's density and
the folded filter panel are remembered. Every number from the oracle or the fake's own records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from e2e_hygiene import expect_view, oracle_for
from e2e_oracle import Filters, view
from e2e_pages import (
    drawer,
    filter_chip,
    open_signed_in,
    press_card,
    rows,
    summary_card,
    toggle_chip,
    wait_for_rows,
)
from e2e_settings import LITELLM_KEY
from e2e_support import Stack
from playwright.sync_api import Page, expect


def test_the_insight_questions_take_two_clicks(shared_stack: Stack, page: Page) -> None:
    open_signed_in(page, shared_stack.url)
    oracle = oracle_for(page, shared_stack)
    counted = oracle.facets()
    for name in ("zombie", "rotation_overdue", "budget_at_risk", "never_used"):
        assert counted.flags[name] > 0, f"the fake has no {name} key"
    expect(summary_card(page, "zombie")).to_have_attribute(
        "data-value", str(counted.flags["zombie"])
    )

    press_card(page, "zombie", pressed=True)
    oracle.filters = Filters(zombie=True)
    assert expect_view(page, oracle) == counted.flags["zombie"]
    press_card(page, "zombie", pressed=False)

    for chip, filters, total in (
        ("unused-90", Filters(unused_for_days=90), counted.unused_for_days[90]),
        ("rotation-overdue", Filters(rotation_overdue=True), counted.flags["rotation_overdue"]),
        ("budget-at-risk", Filters(budget_at_risk=True), counted.flags["budget_at_risk"]),
    ):
        toggle_chip(page, chip, True)
        oracle.filters = filters
        assert expect_view(page, oracle, context=chip) == total
        toggle_chip(page, chip, False)


def _activity(stack: Stack, token: str, days: int = 30) -> dict[str, int]:
    today = datetime.now(UTC).date()
    answer = httpx.get(
        stack.fake_server.url + "/user/daily/activity",
        params={
            "api_key": token,
            "start_date": (today - timedelta(days=days - 1)).isoformat(),
            "end_date": today.isoformat(),
        },
        headers={"x-litellm-api-key": LITELLM_KEY},
        timeout=10,
    ).json()
    results = answer["results"]
    return {
        "requests": sum(day["metrics"]["api_requests"] for day in results),
        "tokens": sum(day["metrics"]["total_tokens"] for day in results),
    }


def test_a_keys_drawer_shows_its_daily_usage(shared_stack: Stack, page: Page) -> None:
    open_signed_in(page, shared_stack.url)
    oracle = oracle_for(page, shared_stack)
    first_page, _ = view(oracle.rows)
    recent = datetime.now(UTC) - timedelta(days=20)
    index, row = next(
        (i, r)
        for i, r in enumerate(first_page)
        if r.insights.last_used_at is not None and r.insights.last_used_at >= recent
    )
    expected = _activity(shared_stack, row.id)
    assert expected["requests"] > 0
    rows(page).nth(index).click()
    panel = drawer(page).get_by_test_id("usage-totals")
    expect(panel).to_contain_text(f"{expected['requests']:,}")
    expect(panel).to_contain_text(f"{expected['tokens']:,}")
    expect(drawer(page).get_by_test_id("usage-note")).to_contain_text("#37144")
    # The chart's bars carry the figures for screen readers and on hover.
    expect(drawer(page).locator("svg title").first).to_be_attached()


def test_density_and_folded_filters_are_remembered(shared_stack: Stack, page: Page) -> None:
    open_signed_in(page, shared_stack.url)
    wait_for_rows(page)
    hide = page.get_by_role("button", name="Hide filters")
    expect(hide).to_have_attribute("aria-expanded", "true")
    hide.click()
    expect(filter_chip(page, "zombie")).to_have_count(0)
    show = page.get_by_role("button", name="Show filters")
    expect(show).to_have_attribute("aria-expanded", "false")
    before = rows(page).first.bounding_box()
    compact = page.get_by_role("button", name="Compact rows")
    compact.click()
    expect(compact).to_have_attribute("aria-pressed", "true")
    page.reload()
    wait_for_rows(page)
    expect(page.get_by_role("button", name="Show filters")).to_be_visible()
    expect(page.get_by_role("button", name="Compact rows")).to_have_attribute(
        "aria-pressed", "true"
    )
    after = rows(page).first.bounding_box()
    assert before is not None
    assert after is not None
    assert after["height"] < before["height"], (before, after)

"""How old the keys on screen are, and a LiteLLM that stops answering: "Updated … ago", the stale
warning with both times and the cause while LiteLLM answers 500, gone after recovery, and a key
made meanwhile shown on refresh.

The journey has its own stack (the API refreshes its mirror every SYNC_INTERVAL_SECONDS = 1).
Expectations come from the fake's records (e2e_oracle), never from Keydash.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from e2e_oracle import rows_from, utc_text, view
from e2e_pages import (
    api_status,
    clock_text,
    count_label,
    expect_rows,
    freshness_line,
    match_count,
    open_signed_in,
    poll,
    stale_warning,
)
from e2e_support import Stack
from playwright.sync_api import Page, expect

# The SPA asks GET /api/status every 30 s once the mirror is ready (apps/web/README.md).
STATUS_POLL_READY_MS = 30_000
AGO = re.compile(r"^Updated (just now|\d+ s ago)$")


def _wait_for_stale(page: Page, stale: bool, seconds: float = 20) -> dict[str, Any]:
    """Until the API's freshness says so: a sync pass failed, or one succeeded again."""
    status = poll(lambda: api_status(page), lambda s: s["freshness"]["stale"] is stale, seconds)
    assert status["freshness"]["stale"] is stale, f"freshness stayed {status['freshness']}"
    return status


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_freshness_then_stale_while_litellm_fails_then_current_again(
    stack_factory: Any, new_context: Any
) -> None:
    stack: Stack = stack_factory(60, UPSTREAM_MAX_ATTEMPTS="1")
    page = new_context().new_page()
    # Time flows as usual; the clock only lets the test skip to the page's next status poll
    # (every 30 s) instead of waiting it out.
    page.clock.install()
    open_signed_in(page, stack.url)
    before = rows_from(stack.records)
    expect_rows(page, view(before)[0])

    # "Updated just now", with the exact instant of LiteLLM's keys on hover.
    line = freshness_line(page)
    expect(line).to_have_text(AGO)
    shown = line.locator("time")
    as_of = _moment(str(shown.get_attribute("datetime")))
    assert abs(datetime.now(UTC) - as_of) < timedelta(seconds=30), as_of
    expect(shown).to_have_attribute("title", re.compile(re.escape(f"({utc_text(as_of)})")))
    expect(stale_warning(page)).to_have_count(0)

    # LiteLLM fails. The next sync pass notices; the page says so at its next status poll.
    stack.control.faults(fail_status=500)
    failing = _wait_for_stale(page, stale=True)
    cause = failing["freshness"]["last_error"]["message"]
    assert re.fullmatch(r"LiteLLM answered with an error \(HTTP 500(: .+)?\)\.", cause), cause
    created = stack.control.create_key(
        key_alias="e2e-made-while-litellm-failed", metadata={"description": "Made during an outage"}
    )
    page.clock.fast_forward(STATUS_POLL_READY_MS + 1_000)
    warning = stale_warning(page)
    expect(warning).to_be_visible()
    expect(warning).to_have_attribute("role", "status")
    expect(warning.get_by_test_id("stale-cause")).to_have_text(cause)
    since = {clock_text(_moment(failing["freshness"]["last_error"]["at"]))}
    since.add(clock_text(_moment(api_status(page)["freshness"]["last_error"]["at"])))
    sentence = re.compile(
        rf"^LiteLLM has not answered since ({'|'.join(sorted(since))}); "
        rf"showing keys as of {clock_text(as_of)}\.$"
    )
    expect(warning.get_by_text("LiteLLM has not answered since")).to_have_text(sentence)
    # The keys on screen stay, and say how old they are (the page's clock moved 31 s).
    expect(line).to_have_text(re.compile(r"^Updated \d+ s ago$"))
    expect_rows(page, view(before)[0])
    expect(match_count(page)).to_have_text(count_label(len(before), searching=False))

    # LiteLLM answers again: after the next pass and status poll the warning goes by itself,
    # and a refresh shows the key made during the outage.
    stack.control.faults(fail_status=None)
    _wait_for_stale(page, stale=False)
    page.clock.fast_forward(STATUS_POLL_READY_MS + 1_000)
    expect(warning).to_have_count(0)
    refresh = page.get_by_role("button", name="Refresh keys")
    expect(refresh).to_have_attribute("data-newer", "true")
    refresh.click()
    after = rows_from(stack.records)
    assert len(after) == len(before) + 1
    assert created["token"] in {row.id for row in view(after)[0]}, "the new key is not on page 1"
    expect_rows(page, view(after)[0], context="after recovery")
    expect(match_count(page)).to_have_text(count_label(len(after), searching=False))
    made = _moment(created["updated_at"])
    recovered = poll(lambda: _moment(str(shown.get_attribute("datetime"))), lambda t: t > made)
    assert recovered > made, f"the keys on screen are as of {recovered}, before {made}"
    expect(warning).to_have_count(0)

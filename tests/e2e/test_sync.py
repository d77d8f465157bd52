"""The API's mirror of LiteLLM's keys, as people see it: a key that sees only its user's keys,
the first load's progress, how old the keys on screen are, and a LiteLLM that stops answering.

Each journey has its own stack (the API refreshes its mirror every SYNC_INTERVAL_SECONDS = 1).
Expectations come from the fake's records (e2e_oracle), never from Keydash.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from e2e_oracle import owned_by, rows_from, utc_text, view
from e2e_pages import (
    api_status,
    clock_text,
    count_label,
    expect_rows,
    freshness_line,
    match_count,
    open_signed_in,
    poll,
    progress_counts,
    rows,
    scope_warning,
    sign_in,
    stale_warning,
    summary_card,
    sync_progress,
    wait_for_rows,
)
from e2e_support import SCOPED_ROLE, Stack, new_fake, start_scoped_stack
from keydash_fakes.litellm import PageLatency
from playwright.sync_api import Page, expect

# The SPA asks GET /api/status every 30 s once the mirror is ready (apps/web/README.md).
STATUS_POLL_READY_MS = 30_000
AGO = re.compile(r"^Updated (just now|\d+ s ago)$")


def _answered_status(page: Page, action: Any) -> dict[str, Any]:
    """Run `action`; the body of the page's own GET /api/status it led to, once rendered."""
    with page.expect_response(lambda r: r.url.endswith("/api/status"), timeout=20_000) as seen:
        action()
    body: dict[str, Any] = seen.value.json()
    page.wait_for_timeout(500)  # React renders the answer in far less
    return body


def _wait_for_stale(page: Page, stale: bool, seconds: float = 20) -> dict[str, Any]:
    """Until the API's freshness says so: a sync pass failed, or one succeeded again."""
    status = poll(lambda: api_status(page), lambda s: s["freshness"]["stale"] is stale, seconds)
    assert status["freshness"]["stale"] is stale, f"freshness stayed {status['freshness']}"
    return status


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# --- a key that sees only its own user's keys -------------------------------------------------


def test_scoped_key_warns_shows_only_its_users_keys_until_dismissed(
    stack_factory: Any, new_context: Any
) -> None:
    stack, user = start_scoped_stack(stack_factory)
    visible = owned_by(stack.records, user)
    assert 3 <= len(visible) < len(stack.records) // 4
    page = new_context().new_page()
    open_signed_in(page, stack.url)

    warning = scope_warning(page)
    expect(warning).to_be_visible()
    expect(warning).to_have_attribute("data-scope", "own")
    expect(warning).to_have_attribute("role", "alert")
    expect(warning).to_contain_text("Keydash sees only some of LiteLLM's keys")
    expect(warning).to_contain_text(
        f"only sees {len(visible)} keys of user {user} (LiteLLM role {SCOPED_ROLE})"
    )
    expect(warning).to_contain_text("use a proxy-admin or proxy-admin-viewer key")
    # The table, the count and the cards hold that user's keys, and nothing else.
    expect_rows(page, view(rows_from(visible))[0])
    expect(match_count(page)).to_have_text(count_label(len(visible), searching=False))
    expect(summary_card(page, "total")).to_have_attribute("data-value", str(len(visible)))

    # Dismissed: gone, and still gone after a reload in this browser session...
    warning.get_by_role("button", name="Dismiss for this session").click()
    expect(warning).to_have_count(0)
    status = _answered_status(page, page.reload)
    assert status["key_scope"]["scope"] == "own", status["key_scope"]
    wait_for_rows(page)
    expect(warning).to_have_count(0)
    expect_rows(page, view(rows_from(visible))[0])

    # ...but a new session (another browser) is warned again.
    other = new_context().new_page()
    open_signed_in(other, stack.url)
    expect(scope_warning(other)).to_be_visible()
    expect(scope_warning(other)).to_contain_text(f"of user {user}")


def test_master_key_shows_no_scope_warning(shared_stack: Stack, page: Page) -> None:
    status = _answered_status(page, lambda: open_signed_in(page, shared_stack.url))
    assert status["key_scope"]["scope"] == "all", status["key_scope"]
    assert status["key_scope"]["warning"] is None
    assert status["sync"]["state"] == "ready"
    expect(scope_warning(page)).to_have_count(0)
    expect(stale_warning(page)).to_have_count(0)
    expect(sync_progress(page)).to_have_count(0)


# --- the first load: progress, then the view by itself ------------------------------------------

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


# --- how old the keys are, and a LiteLLM that stops answering ---------------------------------


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

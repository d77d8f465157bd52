"""The API's mirror read with a LiteLLM key that sees only its user's keys: the scope warning
(naming user and count), only that user's keys, dismissed for the session, back in a new one;
none with the master key.

The scoped journey has its own stack (the API refreshes its mirror every
SYNC_INTERVAL_SECONDS = 1). Expectations come from the fake's records (e2e_oracle), never from
Keydash.
"""

from __future__ import annotations

from typing import Any

from e2e_oracle import owned_by, rows_from, view
from e2e_pages import (
    count_label,
    expect_rows,
    match_count,
    open_signed_in,
    scope_warning,
    stale_warning,
    summary_card,
    sync_progress,
    wait_for_rows,
)
from e2e_support import SCOPED_ROLE, Stack, start_scoped_stack
from playwright.sync_api import Page, expect


def _answered_status(page: Page, action: Any) -> dict[str, Any]:
    """Run `action`; the body of the page's own GET /api/status it led to, once rendered."""
    with page.expect_response(lambda r: r.url.endswith("/api/status"), timeout=20_000) as seen:
        action()
    body: dict[str, Any] = seen.value.json()
    page.wait_for_timeout(500)  # React renders the answer in far less
    return body


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

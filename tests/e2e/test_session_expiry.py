"""A session that ends under the user: the next action leads to login, which says why."""

from __future__ import annotations

import os
import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from e2e_oracle import rows_from, view
from e2e_pages import expect_rows, header, open_signed_in, rows, sign_in
from e2e_support import COOKIE_NAME, JWT_SECRET, TEST_LOG_OFFSETS, USERNAME, Stack
from playwright.sync_api import expect

LIFETIME_SECONDS = 60  # the shortest TOKEN_LIFETIME_SECONDS the API accepts
EXPIRED_NOTE = "Your session expired. Please sign in again."


def _expired_token(seconds_ago: int = 120) -> str:
    """A token exactly like the API's, signed with the test stack's secret, long past its exp."""
    issued = datetime.now(UTC) - timedelta(seconds=LIFETIME_SECONDS + seconds_ago)
    claims = {
        "sub": USERNAME,
        "iat": issued,
        "nbf": issued,
        "exp": issued + timedelta(seconds=LIFETIME_SECONDS),
        "iss": "keydash",
        "aud": "keydash-admin",
    }
    return jwt.encode(claims, JWT_SECRET, algorithm="HS256")


def _session_cookie(context: Any) -> dict[str, Any]:
    (cookie,) = [c for c in context.cookies() if c["name"] == COOKIE_NAME]
    return dict(cookie)


def _expect_expiry_login(page: Any, stack: Stack, next_path: str) -> None:
    expect(page).to_have_url(re.compile(r"/login\?next="))
    note = page.get_by_test_id("session-expired")
    expect(note).to_have_text(EXPIRED_NOTE)
    expect(note).to_have_attribute("role", "status")
    expect(rows(page)).to_have_count(0)
    # Signing in again picks up where the person was.
    sign_in(page)
    expect(page).to_have_url(stack.url + next_path)
    expect(note).to_have_count(0)


def test_expired_token_sends_the_next_action_to_login_with_the_note(
    stack_factory: Any, page: Any
) -> None:
    stack = stack_factory(TOKEN_LIFETIME_SECONDS=str(LIFETIME_SECONDS))
    open_signed_in(page, stack.url)
    cookie = _session_cookie(page.context)
    assert cookie["expires"] - time.time() <= LIFETIME_SECONDS + 5

    # What the browser holds once the lifetime has passed on a server whose clock is ahead:
    # the cookie is still sent, and the API answers 401 token_expired.
    page.context.add_cookies([{**cookie, "value": _expired_token(), "expires": time.time() + 600}])
    status = page.evaluate(
        "fetch('/api/keys').then(async (r) => [r.status, (await r.json()).error.code])"
    )
    assert status == [401, "token_expired"]

    header(page, "owner").click()  # the next action: sort the table

    _expect_expiry_login(page, stack, "/keys?sort_by=owner&sort_order=asc")
    expect_rows(page, view(rows_from(stack.records), sort_by="owner", sort_order="asc")[0])


@pytest.mark.skipif(
    os.environ.get("KEYDASH_E2E_QUICK", "").lower() in {"1", "true", "yes"},
    reason="KEYDASH_E2E_QUICK: waiting out a whole token lifetime takes a minute",
)
def test_real_short_lifetime_ends_the_session(early_expiry: Any, journey_record: Any) -> None:
    """TOKEN_LIFETIME_SECONDS=60, and a real minute: the browser drops the cookie (Max-Age).

    The person signed in and searched at the start of the run (conftest.early_expiry); this test
    runs last, so the minute passed while the other journeys ran. The page asks GET /api/status
    by itself (every 30 s once the mirror is ready), so it has usually gone to the login page
    on its own by now; if not, the person's next action (Refresh) takes it there.
    """
    assert early_expiry is not None
    assert early_expiry.error is None, early_expiry.error
    stack, page = early_expiry.stack, early_expiry.page
    journey_record.sessions.append(early_expiry.session)  # its screenshots if this fails
    for service in stack.services():
        TEST_LOG_OFFSETS[service.log_path] = 0
    assert stack.api_settings["TOKEN_LIFETIME_SECONDS"] == str(LIFETIME_SECONDS)
    assert early_expiry.cookie_expires is not None
    assert early_expiry.cookie_expires - time.time() <= LIFETIME_SECONDS
    time.sleep(max(0.0, early_expiry.cookie_expires - time.time()) + 1.5)
    assert page.context.cookies() == [], "the session cookie outlived its Max-Age"
    if page.get_by_role("button", name="Refresh keys").is_visible():
        page.get_by_role("button", name="Refresh keys").click()

    _expect_expiry_login(page, stack, "/keys?search=gpt")
    expect(page.get_by_role("searchbox", name="Search keys")).to_have_value("gpt")
    expect(rows(page).first).to_be_visible()
    assert early_expiry.session.failures == []

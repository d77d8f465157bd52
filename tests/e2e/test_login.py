"""Signing in and out, as a person does it, through NGINX and the real API."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from e2e_oracle import rows_from, view
from e2e_pages import (
    expect_rows,
    open_signed_in,
    password_box,
    rows,
    search_box,
    sign_in,
    wait_for_rows,
)
from e2e_support import COOKIE_NAME, Stack
from playwright.sync_api import expect

ME = "() => fetch('/api/auth/me', {credentials: 'same-origin'}).then((r) => r.status)"


def _session_cookies(context: Any) -> list[dict[str, Any]]:
    return [cookie for cookie in context.cookies() if cookie["name"] == COOKIE_NAME]


def test_wrong_password_shows_the_error_and_no_session(shared_stack: Stack, page: Any) -> None:
    page.goto(shared_stack.url + "/login")
    sign_in(page, password="not-the-password")

    error = page.get_by_test_id("login-error")
    expect(error).to_have_text("Wrong username or password.")
    expect(page).to_have_url(re.compile(r"/login$"))
    # The password stays for correcting a typo; nothing of a session exists.
    expect(password_box(page)).to_have_value("not-the-password")
    assert _session_cookies(page.context) == []
    assert page.evaluate(ME) == 401
    expect(rows(page)).to_have_count(0)


def test_right_password_lands_on_the_keys_table(shared_stack: Stack, page: Any) -> None:
    page.goto(shared_stack.url + "/")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fkeys$"))
    expect(page.get_by_role("heading", name="Keydash")).to_be_visible()

    sign_in(page)

    expect(page).to_have_url(re.compile(r"/keys$"))
    wait_for_rows(page)
    expect(page.get_by_role("heading", name="API keys")).to_be_visible()
    expect(page.get_by_test_id("signed-in-user")).to_have_text("admin")
    (cookie,) = _session_cookies(page.context)
    # The session is script-proof and scoped to the API.
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/api"
    assert page.evaluate("document.cookie") == ""
    assert page.evaluate(ME) == 200


def test_deep_link_opened_signed_out_returns_there_after_login(
    shared_stack: Stack, page: Any
) -> None:
    wanted = "/keys?search=prod&sort_by=owner&sort_order=asc&size=10&page=2"
    page.goto(shared_stack.url + wanted)
    expect(page).to_have_url(re.compile(r"/login\?next=" + re.escape(quote(wanted, safe=""))))
    # Signed out, the session-expired note is not shown: nothing expired.
    expect(page.get_by_test_id("session-expired")).to_have_count(0)

    sign_in(page)

    expect(page).to_have_url(shared_stack.url + wanted)
    expect(search_box(page)).to_have_value("prod")
    expected, _ = view(
        rows_from(shared_stack.records),
        search="prod",
        sort_by="owner",
        sort_order="asc",
        page=2,
        size=10,
    )
    expect_rows(page, expected)


def test_logout_returns_to_login_and_back_shows_no_keys(shared_stack: Stack, page: Any) -> None:
    open_signed_in(page, shared_stack.url)
    # A second page load in this tab, so Back has a document with keys to return to.
    page.goto(shared_stack.url + "/keys?sort_by=owner&sort_order=asc")
    wait_for_rows(page)

    page.get_by_role("button", name="Log out").click()

    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert _session_cookies(page.context) == []
    assert page.evaluate(ME) == 401

    # "commit": a page restored from the back/forward cache fires no load event to wait for.
    page.go_back(wait_until="commit")
    # Back lands on a keys URL, which must send the signed-out person to login again, without
    # ever drawing a key (no back/forward cache of the signed-in page, no cached API answer).
    expect(page).to_have_url(re.compile(r"/login\?next="))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(rows(page)).to_have_count(0)
    assert "sk-****" not in page.content()
    expect(page.get_by_test_id("session-expired")).to_have_count(0)

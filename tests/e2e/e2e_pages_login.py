"""The login page, and signing in as a person does."""

from __future__ import annotations

import re

from e2e_pages_table import wait_for_rows
from e2e_settings import PASSWORD, USERNAME
from playwright.sync_api import Locator, Page, expect


def username_box(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Username")


def password_box(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Password", exact=True)


def sign_in(page: Page, password: str = PASSWORD, username: str = USERNAME) -> None:
    """Fill the login form and submit it (the page must be showing the form)."""
    expect(username_box(page)).to_be_visible()
    username_box(page).fill(username)
    password_box(page).fill(password)
    page.get_by_role("button", name="Sign in").click()


def open_signed_in(page: Page, base_url: str, path: str = "/keys") -> None:
    """Open `path` as a signed-out person would: the login page, then back to `path`."""
    page.goto(base_url + path)
    expect(page).to_have_url(re.compile(r"/login\?next="))
    sign_in(page)
    wait_for_rows(page)

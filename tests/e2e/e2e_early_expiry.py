"""A real session lifetime, waited out while the other journeys run.

A person signs in on a stack with TOKEN_LIFETIME_SECONDS=60 when the run starts and leaves a
search open; the journey that checks the session ended (test_session_expiry) runs last, so its
minute passes during the other journeys. `KEYDASH_E2E_QUICK=1` skips it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from e2e_browser import BrowserSession, close_browser_session, open_browser_session
from e2e_fake_litellm import new_fake
from e2e_settings import COOKIE_NAME
from e2e_stack import Stack, live_stack

REAL_EXPIRY_TEST = "test_real_short_lifetime_ends_the_session"
REAL_EXPIRY_LIFETIME = 60  # the shortest TOKEN_LIFETIME_SECONDS the API accepts
QUICK = os.environ.get("KEYDASH_E2E_QUICK", "").lower() in {"1", "true", "yes"}


def run_real_expiry_last(items: list[pytest.Item], is_e2e: Callable[[pytest.Item], bool]) -> None:
    """Move the real-lifetime journey after the other journeys: its minute passes during them."""
    waiting = [item for item in items if item.name == REAL_EXPIRY_TEST and is_e2e(item)]
    for item in waiting:
        items.remove(item)
    if waiting:
        last = max((i for i, item in enumerate(items) if is_e2e(item)), default=len(items) - 1)
        items[last + 1 : last + 1] = waiting


def real_expiry_selected(items: list[pytest.Item]) -> bool:
    return not QUICK and any(item.name == REAL_EXPIRY_TEST for item in items)


@dataclass
class EarlyExpiry:
    """A person who signed in on a stack with TOKEN_LIFETIME_SECONDS=60 and left a search open."""

    stack: Stack | None = None
    session: BrowserSession | None = None
    page: Any = None
    error: str | None = None
    # When the browser drops the session cookie (its expiry as the browser holds it).
    cookie_expires: float | None = None


@contextlib.contextmanager
def signed_in_early(browser: Any) -> Iterator[EarlyExpiry]:
    """Sign in and search on a short-lifetime stack, both kept until the context ends.

    A failure here is kept in `error` for the real-lifetime journey to report, so it cannot take
    every other journey down with it.
    """
    handle = EarlyExpiry()
    with contextlib.ExitStack() as running:
        try:
            handle.stack = running.enter_context(
                live_stack(new_fake(40), TOKEN_LIFETIME_SECONDS=str(REAL_EXPIRY_LIFETIME))
            )
            handle.session = open_browser_session(browser, "expiry")
            running.callback(close_browser_session, handle.session)
            handle.page = handle.session.context.new_page()
            from e2e_pages import expect_query, open_signed_in, search_box

            open_signed_in(handle.page, handle.stack.url)
            handle.cookie_expires = max(
                cookie["expires"]
                for cookie in handle.session.context.cookies()
                if cookie["name"] == COOKIE_NAME
            )
            search_box(handle.page).fill("gpt")
            expect_query(handle.page, search="gpt")
        except Exception as error:  # reported by the test that needs it
            handle.error = f"signing in for the real-lifetime journey failed: {error!r}"
        yield handle

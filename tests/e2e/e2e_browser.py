"""Chromium and its contexts: each context is a person on their own machine (signed out, empty
storage, its own client address), and remembers what its pages said and did wrong."""

from __future__ import annotations

import contextlib
import itertools
import os
from dataclasses import dataclass, field
from typing import Any

from e2e_settings import CHROMIUM, CHROMIUM_ARGS

# KEYDASH_E2E_TRACE=1 records a Playwright trace of every context, kept for failing tests (open
# with `uv run playwright show-trace FILE`); off by default, it makes the suite about 30% slower.
TRACE = os.environ.get("KEYDASH_E2E_TRACE", "").lower() in {"1", "true", "yes"}

_client_numbers = itertools.count(1)


def next_client_ip() -> str:
    """A distinct documentation-range address per browser context (RFC 2544 benchmark net)."""
    number = next(_client_numbers)
    return f"198.18.{number // 250}.{number % 250 + 1}"


def launch_chromium(playwright_driver: Any) -> Any:
    """Debian's Chromium, headless, never Playwright's own download."""
    # launch() gives the browser a fresh temporary user-data dir, removed when it closes.
    # Playwright turns the back/forward cache off by default; people have it on, and the logout
    # journey checks that Back cannot bring a signed-in page back from it.
    return playwright_driver.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        ignore_default_args=["--disable-back-forward-cache"],
    )


@dataclass
class BrowserSession:
    """One context and what it saw; `failures` are problems no journey may cause."""

    context: Any
    name: str
    client_ip: str
    console: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    traced: bool = False


def open_browser_session(browser: Any, name: str, **options: Any) -> BrowserSession:
    """A fresh browser context: a person on their own machine, signed out, empty storage."""
    client_ip = options.pop("client_ip", None) or next_client_ip()
    headers = {"X-Forwarded-For": client_ip, **options.pop("extra_http_headers", {})}
    settings = {
        "locale": "en-US",
        "timezone_id": "UTC",
        "viewport": {"width": 1440, "height": 900},
        "extra_http_headers": headers,
        **options,
    }
    context = browser.new_context(**settings)
    context.set_default_timeout(15_000)
    session = BrowserSession(context, name, client_ip, traced=TRACE)
    if TRACE:
        context.tracing.start(screenshots=True, snapshots=True)

    def on_console(message: Any) -> None:
        session.console.append(f"[{message.type}] {message.text}")
        if "Content Security Policy" in message.text:
            session.failures.append(f"CSP violation: {message.text}")

    def on_page(page: Any) -> None:
        page.on("console", on_console)
        page.on(
            "pageerror",
            lambda error: session.failures.append(f"uncaught error in the page: {error}"),
        )

    context.on("page", on_page)
    return session


def close_browser_session(session: BrowserSession) -> None:
    # A context the test closed itself has no trace to stop and cannot be closed twice.
    if session.traced:
        with contextlib.suppress(Exception):
            session.context.tracing.stop()
    with contextlib.suppress(Exception):
        session.context.close()

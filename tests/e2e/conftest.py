"""Fixtures for the browser journeys: Chromium, the stacks it talks to, and failure artifacts.

Every journey gets fresh browser contexts (no cookies, no storage), each its own client address
(see e2e_support.start_nginx). One stack serves the journeys that only read; journeys that break
LiteLLM or sessions build their own. A failing test leaves, under artifacts/e2e/<test>/, a
screenshot of every open page, the browser console, the NGINX and API log lines written while
it ran, and the fake LiteLLM's counters (with KEYDASH_E2E_TRACE=1 also a Playwright trace).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from keydash_fakes.litellm import FakeLiteLLM

sys.path.insert(0, str(Path(__file__).parent))

from e2e_support import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    COOKIE_NAME,
    LIVE_STACKS,
    TEST_LOG_OFFSETS,
    FakeControl,
    Stack,
    artifact_dir,
    check_prerequisites,
    ensure_dist,
    new_fake,
    register_stack,
    running_stack,
    unregister_stack,
)

# KEYDASH_E2E_TRACE=1 records a Playwright trace of every context, kept for failing tests (open
# with `uv run playwright show-trace FILE`); off by default, it makes the suite about 30% slower.
TRACE = os.environ.get("KEYDASH_E2E_TRACE", "").lower() in {"1", "true", "yes"}

# Enough keys for six pages of 25 (the last one partial) and every awkward trait of the generator.
SHARED_KEY_COUNT = 137

_client_numbers = itertools.count(1)


def next_client_ip() -> str:
    """A distinct documentation-range address per browser context (RFC 2544 benchmark net)."""
    number = next(_client_numbers)
    return f"198.18.{number // 250}.{number % 250 + 1}"


@dataclass
class BrowserSession:
    """One context and what it saw; `failures` are problems no journey may cause."""

    context: Any
    name: str
    client_ip: str
    console: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    traced: bool = False


@dataclass
class _TestRecord:
    sessions: list[BrowserSession] = field(default_factory=list)
    saved: bool = False


_CURRENT: dict[str, _TestRecord] = {}


# --- session-wide: prerequisites, the SPA build, Chromium ---------------------------------------


@pytest.fixture(scope="session")
def e2e_ready() -> None:
    check_prerequisites()
    ensure_dist()


@pytest.fixture(scope="session")
def playwright_driver(e2e_ready: None) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Any) -> Iterator[Any]:
    # launch() gives the browser a fresh temporary user-data dir, removed when it closes.
    # Playwright turns the back/forward cache off by default; people have it on, and the logout
    # journey checks that Back cannot bring a signed-in page back from it.
    chromium = playwright_driver.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        ignore_default_args=["--disable-back-forward-cache"],
    )
    yield chromium
    chromium.close()


@pytest.fixture(scope="session")
def shared_stack(e2e_ready: None) -> Iterator[Stack]:
    """Read-only journeys share this one: 137 keys, default API settings."""
    with running_stack(new_fake(SHARED_KEY_COUNT)) as stack:
        register_stack(stack)
        try:
            yield stack
        finally:
            unregister_stack(stack)


@pytest.fixture
def stack_factory(e2e_ready: None) -> Iterator[Callable[..., Stack]]:
    """Builds a private stack for a journey that breaks things; stopped when the test ends."""
    started: list[Any] = []

    def build(
        key_count: int = 60,
        *,
        fake: FakeLiteLLM | None = None,
        fake_up: bool = True,
        synced: bool = True,
        before_api: Callable[[FakeControl], object] | None = None,
        **api_settings: str,
    ) -> Stack:
        """`fake`: a fake set up beforehand (else `key_count` generated keys); `fake_up=False`:
        LiteLLM's port stays closed; `before_api`: control-route calls made before the API
        starts; `synced=False`: the API may still be loading its mirror when this returns."""
        manager = running_stack(
            fake if fake is not None else new_fake(key_count),
            fake_up=fake_up,
            synced=synced,
            before_api=before_api,
            **api_settings,
        )
        stack = manager.__enter__()
        started.append((manager, stack))
        register_stack(stack)
        return stack

    yield build
    for manager, stack in reversed(started):
        unregister_stack(stack)
        manager.__exit__(None, None, None)


# --- a real session lifetime, waited out while the other journeys run -----------------------

REAL_EXPIRY_TEST = "test_real_short_lifetime_ends_the_session"
REAL_EXPIRY_LIFETIME = 60  # the shortest TOKEN_LIFETIME_SECONDS the API accepts
QUICK = os.environ.get("KEYDASH_E2E_QUICK", "").lower() in {"1", "true", "yes"}


def _is_e2e(item: pytest.Item) -> bool:
    return Path(item.path).is_relative_to(Path(__file__).parent)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The real-lifetime journey runs after the other journeys: its minute passes during them."""
    waiting = [item for item in items if item.name == REAL_EXPIRY_TEST and _is_e2e(item)]
    for item in waiting:
        items.remove(item)
    if waiting:
        last = max((i for i, item in enumerate(items) if _is_e2e(item)), default=len(items) - 1)
        items[last + 1 : last + 1] = waiting


@dataclass
class EarlyExpiry:
    """A person who signed in on a stack with TOKEN_LIFETIME_SECONDS=60 and left a search open."""

    stack: Stack | None = None
    session: BrowserSession | None = None
    page: Any = None
    error: str | None = None
    # When the browser drops the session cookie (its expiry as the browser holds it).
    cookie_expires: float | None = None


@pytest.fixture(scope="session", autouse=True)
def early_expiry(request: pytest.FixtureRequest, browser: Any) -> Iterator[EarlyExpiry | None]:
    """Signs in at the start of the run for the real-lifetime journey (test_session_expiry).

    Only when that test is selected. A failure here is kept for that test to report, so it
    cannot take every other journey down with it.
    """
    if QUICK or not any(item.name == REAL_EXPIRY_TEST for item in request.session.items):
        yield None
        return
    handle = EarlyExpiry()
    manager = running_stack(new_fake(40), TOKEN_LIFETIME_SECONDS=str(REAL_EXPIRY_LIFETIME))
    try:
        handle.stack = manager.__enter__()
        register_stack(handle.stack)
        handle.session = open_browser_session(browser, "expiry")
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
    if handle.session is not None:
        close_browser_session(handle.session)
    if handle.stack is not None:
        unregister_stack(handle.stack)
    manager.__exit__(None, None, None)


# --- per test: browser contexts and artifacts ---------------------------------------------------


@pytest.fixture(autouse=True)
def journey_record(request: pytest.FixtureRequest) -> Iterator[_TestRecord]:
    record = _TestRecord()
    TEST_LOG_OFFSETS.clear()
    for stack in LIVE_STACKS:
        for service in stack.services():
            TEST_LOG_OFFSETS[service.log_path] = service.log_size()
    _CURRENT["test"] = record
    yield record
    _CURRENT.pop("test", None)
    # Whatever the browser saw, the API must not have crashed on any request of this test.
    crashes = [
        line
        for stack in LIVE_STACKS
        for line in stack.api.log_since(TEST_LOG_OFFSETS.get(stack.api.log_path, 0)).splitlines()
        if '"unhandled_error"' in line
    ]
    if crashes and not record.saved:
        save_artifacts(request.node, record)
    assert not crashes, "the API failed on a request (500):\n" + "\n".join(crashes)[:4000]


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


@pytest.fixture
def new_context(
    browser: Any, journey_record: _TestRecord, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Any]]:
    """Opens fresh browser contexts for this test; each is closed when the test ends.

    Uncaught errors in a page and Content-Security-Policy violations fail the test.
    """

    def open_context(**options: Any) -> Any:
        name = f"context{len(journey_record.sessions) + 1}"
        session = open_browser_session(browser, name, **options)
        journey_record.sessions.append(session)
        return session.context

    yield open_context

    problems = [problem for session in journey_record.sessions for problem in session.failures]
    if problems and not journey_record.saved:
        save_artifacts(request.node, journey_record)
    for session in journey_record.sessions:
        close_browser_session(session)
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(new_context: Callable[..., Any]) -> Any:
    return new_context().new_page()


# --- failure artifacts --------------------------------------------------------------------------


def save_artifacts(item: pytest.Item, record: _TestRecord) -> Path:
    record.saved = True
    target = artifact_dir(item.nodeid)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True, exist_ok=True)
    for session in record.sessions:
        try:
            for number, open_page in enumerate(session.context.pages, start=1):
                open_page.screenshot(path=str(target / f"{session.name}-page{number}.png"))
                (target / f"{session.name}-page{number}.url").write_text(open_page.url + "\n")
        except Exception as error:  # keep collecting the rest
            (target / f"{session.name}-screenshot-error.txt").write_text(repr(error))
        if session.traced:
            try:
                session.context.tracing.stop(path=str(target / f"{session.name}-trace.zip"))
                session.traced = False
            except Exception as error:
                (target / f"{session.name}-trace-error.txt").write_text(repr(error))
        (target / f"{session.name}-console.log").write_text(
            f"client address {session.client_ip}\n" + "\n".join(session.console) + "\n"
        )
    for stack in LIVE_STACKS:
        for service in stack.services():
            offset = TEST_LOG_OFFSETS.get(service.log_path, 0)
            (target / f"{service.name}-{service.port}.log").write_text(service.log_since(offset))
        (target / f"fake-litellm-{stack.fake_server.port}.json").write_text(
            json.dumps(
                {"settings": stack.api_settings, **stack.fake.stats()}, indent=2, default=str
            )
        )
    return target


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    record = _CURRENT.get("test")
    if (
        record is not None
        and report.failed
        and report.when in {"setup", "call"}
        and str(Path(item.path)).startswith(str(Path(__file__).parent))
        and not record.saved
    ):
        target = save_artifacts(item, record)
        report.sections.append(("e2e artifacts", str(target.relative_to(ARTIFACTS.parents[1]))))
    return report

"""Fixtures for the browser journeys: Chromium, the stacks it talks to, and failure artifacts.

Every journey gets fresh browser contexts (no cookies, no storage), each its own client address
(see e2e_nginx_process.start_nginx). One stack serves the journeys that only read; journeys that
break LiteLLM or sessions build their own. A failing test leaves, under artifacts/e2e/<test>/, a
screenshot of every open page, the browser console, the NGINX and API log lines written while
it ran, and the fake LiteLLM's counters (with KEYDASH_E2E_TRACE=1 also a Playwright trace).

The helpers live in the e2e_* modules next to this file (see README.md); this file holds only
the fixtures and hooks, with the scopes that keep servers and Chromium from starting too often.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from e2e_artifacts import CURRENT, JourneyRecord, api_crashes, mark_log_offsets, save_artifacts
from e2e_browser import close_browser_session, launch_chromium, open_browser_session
from e2e_early_expiry import (
    EarlyExpiry,
    real_expiry_selected,
    run_real_expiry_last,
    signed_in_early,
)
from e2e_fake_litellm import new_fake
from e2e_prerequisites import check_prerequisites, ensure_dist
from e2e_settings import ARTIFACTS
from e2e_stack import PrivateStacks, Stack, live_stack

# Enough keys for six pages of 25 (the last one partial) and every awkward trait of the generator.
SHARED_KEY_COUNT = 137


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
    chromium = launch_chromium(playwright_driver)
    yield chromium
    chromium.close()


# --- stacks: one shared for the whole run, private ones per test --------------------------------


@pytest.fixture(scope="session")
def shared_stack(e2e_ready: None) -> Iterator[Stack]:
    """Read-only journeys share this one: 137 keys, default API settings."""
    with live_stack(new_fake(SHARED_KEY_COUNT)) as stack:
        yield stack


@pytest.fixture
def stack_factory(e2e_ready: None) -> Iterator[Callable[..., Stack]]:
    """Builds a private stack for a journey that breaks things; stopped when the test ends.

    Takes the arguments of e2e_stack.PrivateStacks.build.
    """
    stacks = PrivateStacks()
    yield stacks.build
    stacks.stop_all()


# --- a real session lifetime, waited out while the other journeys run -----------------------


def _is_e2e(item: pytest.Item) -> bool:
    return Path(item.path).is_relative_to(Path(__file__).parent)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The real-lifetime journey runs after the other journeys: its minute passes during them."""
    run_real_expiry_last(items, _is_e2e)


@pytest.fixture(scope="session", autouse=True)
def early_expiry(request: pytest.FixtureRequest, browser: Any) -> Iterator[EarlyExpiry | None]:
    """Signs in at the start of the run for the real-lifetime journey (test_session_expiry).

    Only when that test is selected. A failure here is kept for that test to report, so it
    cannot take every other journey down with it.
    """
    if not real_expiry_selected(request.session.items):
        yield None
        return
    with signed_in_early(browser) as handle:
        yield handle


# --- per test: browser contexts and artifacts ---------------------------------------------------


@pytest.fixture(autouse=True)
def journey_record(request: pytest.FixtureRequest) -> Iterator[JourneyRecord]:
    record = JourneyRecord()
    mark_log_offsets()
    CURRENT["test"] = record
    yield record
    CURRENT.pop("test", None)
    # Whatever the browser saw, the API must not have crashed on any request of this test.
    crashes = api_crashes()
    if crashes and not record.saved:
        save_artifacts(request.node, record)
    assert not crashes, "the API failed on a request (500):\n" + "\n".join(crashes)[:4000]


@pytest.fixture
def new_context(
    browser: Any, journey_record: JourneyRecord, request: pytest.FixtureRequest
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


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    record = CURRENT.get("test")
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

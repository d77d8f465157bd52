"""LiteLLM down, too slow, or refusing Keydash's key: the right words, then Retry recovers.

One stack for this module, with the cache off (CACHE_TTL_SECONDS=0: every view reads LiteLLM, so
no cached snapshot hides a fault) and short upstream timeouts, so a fault shows in about a second.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from e2e_oracle import rows_from, view
from e2e_pages import expect_rows, rows, sign_in, wait_for_rows
from e2e_support import (
    LITELLM_KEY,
    Stack,
    new_fake,
    register_stack,
    running_stack,
    unregister_stack,
)
from playwright.sync_api import expect

SETTINGS = {
    "CACHE_TTL_SECONDS": "0",
    "UPSTREAM_CONNECT_TIMEOUT_SECONDS": "0.5",
    "UPSTREAM_READ_TIMEOUT_SECONDS": "1",
    "UPSTREAM_DEADLINE_SECONDS": "2",
    "UPSTREAM_MAX_ATTEMPTS": "2",
}
NOT_REACHABLE = "LiteLLM is not reachable."
TOO_SLOW = "LiteLLM took too long to answer."
WRONG_KEY = "LiteLLM rejected Keydash's API key. Check LITELLM_API_KEY."


@pytest.fixture(scope="module")
def fault_stack(e2e_ready: None) -> Iterator[Stack]:
    with running_stack(new_fake(40), **SETTINGS) as stack:
        register_stack(stack)
        try:
            yield stack
        finally:
            unregister_stack(stack)


@pytest.fixture
def stack(fault_stack: Stack) -> Iterator[Stack]:
    """A healthy LiteLLM at the start and end of every test."""
    fault_stack.fake.reset()
    fault_stack.fake.master_key = LITELLM_KEY
    if not fault_stack.fake_server.running:
        fault_stack.fake_server.start()
    yield fault_stack
    fault_stack.fake.reset()
    fault_stack.fake.master_key = LITELLM_KEY
    if not fault_stack.fake_server.running:
        fault_stack.fake_server.start()


def _sign_in_to_failing_table(page: Any, stack: Stack, message: str) -> Any:
    page.goto(stack.url + "/keys")
    sign_in(page)
    error = page.get_by_test_id("keys-error")
    expect(error).to_be_visible(timeout=20_000)
    expect(error.get_by_role("alert")).to_contain_text("Could not load the keys")
    expect(error).to_contain_text(message)
    expect(rows(page)).to_have_count(0)
    return error


def _retry_recovers(page: Any, stack: Stack, error: Any) -> None:
    error.get_by_role("button", name="Retry").click()
    wait_for_rows(page)
    expect(page.get_by_test_id("keys-error")).to_have_count(0)
    expect_rows(page, view(rows_from(stack.records))[0])


def test_litellm_down_then_back(stack: Stack, page: Any) -> None:
    stack.fake_server.stop()
    error = _sign_in_to_failing_table(page, stack, NOT_REACHABLE)
    # Retrying while it is still down says the same, and keeps the button.
    error.get_by_role("button", name="Retry").click()
    expect(error).to_contain_text(NOT_REACHABLE)
    expect(error.get_by_role("button", name="Retry")).to_be_enabled()

    stack.fake_server.start()
    _retry_recovers(page, stack, error)

    # Down again after the table loaded: the keys stay, with a note, until a refresh works.
    stack.fake_server.stop()
    page.get_by_role("button", name="Refresh keys").click()
    note = page.get_by_test_id("refresh-error")
    expect(note).to_have_text(f"Refresh failed: {NOT_REACHABLE} Showing the last loaded keys.")
    expect_rows(page, view(rows_from(stack.records))[0])
    stack.fake_server.start()
    page.get_by_role("button", name="Refresh keys").click()
    expect(note).to_have_count(0)


def test_litellm_slower_than_the_timeout_then_fast_again(stack: Stack, page: Any) -> None:
    stack.fake.faults.latency_ms = 5_000
    error = _sign_in_to_failing_table(page, stack, TOO_SLOW)
    stack.fake.faults.latency_ms = 0
    _retry_recovers(page, stack, error)


def test_litellm_rejects_the_key_then_accepts_it(stack: Stack, page: Any) -> None:
    # LiteLLM's master key was rotated: Keydash's LITELLM_API_KEY is now wrong (a real 401).
    stack.fake.master_key = "sk-rotated-" + "0" * 24
    error = _sign_in_to_failing_table(page, stack, WRONG_KEY)
    assert stack.fake.key_list_calls >= 1
    stack.fake.master_key = LITELLM_KEY
    _retry_recovers(page, stack, error)


def test_litellm_answering_401_through_the_fault_switch(stack: Stack, page: Any) -> None:
    stack.fake.faults.fail_status = 401
    error = _sign_in_to_failing_table(page, stack, WRONG_KEY)
    stack.fake.faults.fail_status = None
    _retry_recovers(page, stack, error)

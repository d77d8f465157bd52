"""LiteLLM refusing connections, too slow, or refusing Keydash's key: the backend's own words in
the browser, then Retry recovers; LiteLLM down after the mirror loaded: the keys stay, as of then.

The API keeps a mirror of LiteLLM's keys, so a fault only reaches the page as an error before the
first load has ended. Each journey therefore starts its own API with LiteLLM already failing
(short upstream timeouts, so a fault shows in about a second); afterwards the API keeps serving
its mirror and says how old it is (`stale-warning`).
"""

from __future__ import annotations

import re
from typing import Any

from e2e_oracle import rows_from, view
from e2e_pages import (
    api_status,
    count_label,
    expect_rows,
    match_count,
    poll,
    rows,
    sign_in,
    stale_warning,
    wait_for_rows,
)
from e2e_support import LITELLM_KEY, Stack, new_fake
from keydash_fakes.litellm import Faults
from playwright.sync_api import expect

SETTINGS = {
    "UPSTREAM_CONNECT_TIMEOUT_SECONDS": "0.5",
    "UPSTREAM_READ_TIMEOUT_SECONDS": "1",
    "UPSTREAM_DEADLINE_SECONDS": "2",
    "UPSTREAM_MAX_ATTEMPTS": "2",
}
# The backend's words (keydash_core.errors.upstream_words), shown as sent.
NOT_REACHABLE = "LiteLLM is not reachable (connection refused)."
# Any reason in the same sentence: the journey runs on with it and checks the reason last.
UNREACHABLE = re.compile(r"LiteLLM is not reachable \(([^)]+)\)\.")
TOO_SLOW = "LiteLLM did not answer in time."
WRONG_KEY = re.compile(r"LiteLLM rejected Keydash's API key \(.+\); check LITELLM_API_KEY\.")
KEY_COUNT = 40


def _failing_stack(stack_factory: Any, **fake_options: Any) -> Stack:
    """A stack whose LiteLLM fails from the start: the API never had a mirror."""
    stack: Stack = stack_factory(fake=new_fake(KEY_COUNT, **fake_options), synced=False, **SETTINGS)
    return stack


def _sign_in_to_failing_table(page: Any, stack: Stack, message: str | re.Pattern[str]) -> Any:
    page.goto(stack.url + "/keys")
    sign_in(page)
    error = page.get_by_test_id("keys-error")
    expect(error).to_be_visible(timeout=20_000)
    expect(error.get_by_role("alert")).to_contain_text("Could not load the keys")
    expect(error).to_contain_text(message)
    expect(rows(page)).to_have_count(0)
    # An error, not a load in progress.
    expect(page.get_by_test_id("sync-progress")).to_have_count(0)
    return error


def _retry_recovers(page: Any, stack: Stack, error: Any) -> None:
    error.get_by_role("button", name="Retry").click()
    wait_for_rows(page)
    expect(page.get_by_test_id("keys-error")).to_have_count(0)
    expect_rows(page, view(rows_from(stack.records))[0])
    expect(match_count(page)).to_have_text(count_label(len(stack.records), searching=False))


def _wait_for_sync(stack: Stack, wanted: str = "ready", seconds: float = 30) -> None:
    state = poll(stack.sync_state, lambda value: value == wanted, seconds)
    assert state == wanted, f"the API's mirror is {state!r}, expected {wanted!r}"


def _wait_for_stale(page: Any, stale: bool, seconds: float = 20) -> dict[str, Any]:
    """Until the API's own freshness says so (a sync pass has failed, or succeeded again)."""
    status = poll(lambda: api_status(page), lambda s: s["freshness"]["stale"] is stale, seconds)
    assert status["freshness"]["stale"] is stale, f"freshness stayed {status['freshness']}"
    return status


def test_litellm_refusing_connections_then_up_then_down_after_the_mirror_loaded(
    stack_factory: Any, page: Any
) -> None:
    # LiteLLM's port is closed from the start: the first load never got a key.
    stack: Stack = stack_factory(KEY_COUNT, fake_up=False, synced=False, **SETTINGS)
    error = _sign_in_to_failing_table(page, stack, UNREACHABLE)
    said = {_reason(error.inner_text())}
    # Retrying while it is still down says the same, and keeps the button.
    error.get_by_role("button", name="Retry").click()
    expect(error).to_contain_text(UNREACHABLE)
    expect(error.get_by_role("button", name="Retry")).to_be_enabled()

    stack.fake_server.start()
    _retry_recovers(page, stack, error)

    # Down again once the mirror holds every key: the keys stay, and the page says since when.
    _wait_for_sync(stack)
    stack.fake_server.stop()
    status = _wait_for_stale(page, stale=True)
    cause = status["freshness"]["last_error"]["message"]
    said.add(_reason(cause))
    page.get_by_role("button", name="Refresh keys").click()
    warning = stale_warning(page)
    expect(warning).to_be_visible()
    expect(warning.get_by_test_id("stale-cause")).to_have_text(cause)
    expect(page.get_by_test_id("keys-error")).to_have_count(0)
    expect(page.get_by_test_id("refresh-error")).to_have_count(0)
    expect_rows(page, view(rows_from(stack.records))[0])

    stack.fake_server.start()
    _wait_for_stale(page, stale=False)
    page.get_by_role("button", name="Refresh keys").click()
    expect(warning).to_have_count(0)
    expect_rows(page, view(rows_from(stack.records))[0])

    # The words for a closed port, checked last so that the journey above runs whatever they say.
    assert said == {"connection refused"}, (
        f"a refused connection was shown as {sorted(said)}, not as {NOT_REACHABLE!r}"
    )


def _reason(text: str) -> str:
    found = UNREACHABLE.search(text)
    assert found, f"{text!r} does not say LiteLLM is not reachable"
    return found.group(1)


def test_litellm_slower_than_the_timeout_then_fast_again(stack_factory: Any, page: Any) -> None:
    stack = _failing_stack(stack_factory, faults=Faults(latency_ms=5_000))
    error = _sign_in_to_failing_table(page, stack, TOO_SLOW)
    stack.control.faults(latency_ms=0)
    _retry_recovers(page, stack, error)


def test_litellm_rejects_the_key_then_accepts_it(stack_factory: Any, page: Any) -> None:
    # LiteLLM's master key was rotated: Keydash's LITELLM_API_KEY is now wrong (a real 401).
    stack = _failing_stack(stack_factory, master_key="sk-rotated-" + "0" * 24)
    error = _sign_in_to_failing_table(page, stack, WRONG_KEY)
    assert stack.fake.key_list_calls >= 1
    stack.fake.master_key = LITELLM_KEY
    _retry_recovers(page, stack, error)


def test_litellm_answering_401_through_the_fault_switch(stack_factory: Any, page: Any) -> None:
    stack = _failing_stack(stack_factory, faults=Faults(fail_status=401))
    error = _sign_in_to_failing_table(page, stack, WRONG_KEY)
    stack.control.faults(fail_status=None)
    _retry_recovers(page, stack, error)

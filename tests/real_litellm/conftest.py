"""Keydash against a real LiteLLM 1.108.7 + PostgreSQL (run by `uv run nox -s real-litellm` only;
the default pytest run ignores this folder, see pyproject.toml).

The proxy: KEYDASH_REAL_LITELLM_URL + KEYDASH_REAL_LITELLM_KEY (a proxy-admin key), or else the
machine's real-litellm tool in ../shared/real-litellm, started for the run and stopped after it
(see rl_litellm.real_proxy). Without either, or when the proxy cannot start, every test errors with
the reason: this suite never skips (a skip is turned into a failure, in CI and elsewhere).
"""

from __future__ import annotations

import secrets
import sys
import time
from collections.abc import Generator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from rl_common import DELETE_BOUND_SECONDS, NOTES, PHASES, Phase, in_ci, note, phase
from rl_expect import diff_sets, expected_from_record, matches
from rl_keydash import LOG_DIR, Keydash, KeydashClient, start_keydash
from rl_litellm import MOCK_MODEL, Admin
from rl_proxy import Proxy, ProxyUnavailable, real_proxy
from rl_waiting import until_shown, wait_ready
from rl_world import World, build_world, wait_for_spend

RUN_STARTED = time.monotonic()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None]:
    outcome: Any = yield
    report: pytest.TestReport = outcome.get_result()
    if report.skipped and Path(str(item.path)).is_relative_to(Path(__file__).parent):
        reason = "CI=true: " if in_ci() else ""
        report.outcome = "failed"
        report.longrepr = f"{reason}the real-LiteLLM suite never skips: {report.longrepr}"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not PHASES and not NOTES:
        return
    terminalreporter.section("real LiteLLM: phases")
    for item in PHASES:
        terminalreporter.write_line(f"{item.seconds:7.1f} s  {item.name}")
    terminalreporter.write_line(f"{time.monotonic() - RUN_STARTED:7.1f} s  whole run")
    for line in NOTES:
        terminalreporter.write_line(f"note: {line}")
    terminalreporter.write_line(f"Keydash API logs: {LOG_DIR}")


@pytest.fixture(scope="session")
def proxy() -> Iterator[Proxy]:
    """The real proxy for the whole run (started and stopped here if needed)."""
    manager = real_proxy()
    started = time.monotonic()
    try:
        found = manager.__enter__()
    except ProxyUnavailable as error:
        pytest.fail(f"real LiteLLM unavailable: {error}", pytrace=False)
    PHASES.append(Phase("LiteLLM: find, or set up and start", time.monotonic() - started))
    origin = "started by this run" if found.started_here else "already there"
    note(f"LiteLLM at {found.url} ({origin}; database {found.db_name or 'unknown'})")
    try:
        yield found
    finally:
        with phase("LiteLLM: stop (only if started here)"):
            manager.__exit__(None, None, None)


@pytest.fixture(scope="session")
def admin(proxy: Proxy) -> Iterator[Admin]:
    client = Admin(proxy)
    if not client.has_mock_model():
        pytest.fail(
            f"the proxy at {proxy.url} has no model {MOCK_MODEL}"
            " (start it with tests/real_litellm/litellm-config.yaml)",
            pytrace=False,
        )
    try:
        yield client
    finally:
        with phase("cleanup of what the run created in LiteLLM"):
            for problem in client.cleanup():
                note(f"cleanup: {problem}")
            client.close()


@pytest.fixture(scope="session")
def run_prefix() -> str:
    """Unique per run, so runs against a long-lived (staging) proxy never collide."""
    return f"kdrl{time.strftime('%m%d%H%M')}{secrets.token_hex(2)}"


@pytest.fixture(scope="session")
def keydash(proxy: Proxy) -> Iterator[tuple[Keydash, KeydashClient]]:
    """The Keydash API of the run, on the real proxy with the master key; ready before use."""
    with phase("Keydash: start and first sync"):
        api = start_keydash(proxy.url, proxy.master_key, "main")
        client = KeydashClient(api)
        how = wait_ready(client, probe_search="kdrl")
        note(f"main Keydash readiness seen via {how}")
    try:
        yield api, client
    finally:
        client.close()
        api.stop()


@pytest.fixture(scope="session")
def world(admin: Admin, run_prefix: str, keydash: tuple[Keydash, KeydashClient]) -> World:
    """The run's keys, created through LiteLLM's API after Keydash is up, and shown by it."""
    _, client = keydash
    with phase("LiteLLM: create users, teams, keys; block, delete, spend, regenerate"):
        built = build_world(admin, run_prefix)
    with phase("LiteLLM: spend written (batched)"):
        wait_for_spend(admin, {key.token for key in built.keys if key.spend})
    with phase("Keydash: shows the created world (incl. the deleted key gone)"):
        tokens = {key.token for key in built.keys}

        def check() -> None:
            raw = [r for r in admin.list_all() if r["token"] in tokens]
            items, _ = client.all_pages(search=run_prefix)
            expected = [expected_from_record(r, datetime.now(UTC)) for r in raw]
            problems = diff_sets(items, [e for e in expected if matches(e, run_prefix)], "search")
            assert not problems, "\n".join(problems[:30])

        # The deleted key may need the reconcile to go: the larger bound.
        until_shown(check, bound=DELETE_BOUND_SECONDS, what="Keydash showing the created keys")
    return built

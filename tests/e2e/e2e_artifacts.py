"""What a failing journey leaves under artifacts/e2e/<module>.<test>/: a screenshot and the URL of
every open page, the browser console, the NGINX and API log lines written while it ran, and the
fake LiteLLM's counters (with KEYDASH_E2E_TRACE=1 also a Playwright trace per context)."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from e2e_browser import BrowserSession
from e2e_settings import ARTIFACTS
from e2e_stack import LIVE_STACKS, TEST_LOG_OFFSETS


@dataclass
class JourneyRecord:
    """The browser sessions of the running test, and whether its artifacts are saved yet."""

    sessions: list[BrowserSession] = field(default_factory=list)
    saved: bool = False


# The running test's record, while it runs (read by the report hook).
CURRENT: dict[str, JourneyRecord] = {}


def artifact_dir(nodeid: str) -> Path:
    name = nodeid.split("::", 1)[-1] if "::" in nodeid else nodeid
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)[:120]
    module = Path(nodeid.split("::", 1)[0]).stem
    return ARTIFACTS / f"{module}.{safe}"


def mark_log_offsets() -> None:
    """Where every live service's log stands as a test begins: its artifacts start there."""
    TEST_LOG_OFFSETS.clear()
    for stack in LIVE_STACKS:
        for service in stack.services():
            TEST_LOG_OFFSETS[service.log_path] = service.log_size()


def api_crashes() -> list[str]:
    """The API's log lines of unhandled errors (500) written since the test began."""
    return [
        line
        for stack in LIVE_STACKS
        for line in stack.api.log_since(TEST_LOG_OFFSETS.get(stack.api.log_path, 0)).splitlines()
        if '"unhandled_error"' in line
    ]


def save_artifacts(item: pytest.Item, record: JourneyRecord) -> Path:
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

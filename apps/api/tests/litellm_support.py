"""Keydash apps wired to a fake LiteLLM over real HTTP: with the sync running, or without it.

`AppClients.synced` enters the TestClient (so the lifespan starts the sync loop), signs in and
waits, bounded, for `/api/status` to say the mirror is ready. `AppClients.unsynced` gives the
client one event loop of its own (a portal, as uvicorn keeps one loop) without running the
lifespan: the sync never starts, so the store-page path and the "no mirror yet" answers can be
tested without racing a first load. Every wait polls against a deadline; nothing sleeps blind.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import anyio.from_thread
from api_support import logged_in, make_app
from fastapi.testclient import TestClient
from keydash_adapters.litellm.sync import KeySync
from keydash_api.container import Container
from keydash_fakes.litellm import FakeLiteLLM, generate_keys, running_fake_litellm

# Short enough that a change shows within a second, long enough not to flood the fake.
SHORT_INTERVAL = 0.5
# No pass of its own during a test: passes run only when the test wakes the sync.
LONG_INTERVAL = 600.0
# Far more than any healthy wait here takes; only a broken sync ever reaches it.
DEADLINE_SECONDS = 10.0
POLL_SECONDS = 0.02
# Small tries and timeouts, so failing LiteLLMs are judged in well under a second (hang: 2 s).
FAST_FAILURE: dict[str, Any] = {
    "upstream_read_timeout_seconds": 0.5,
    "upstream_deadline_seconds": 2.0,
}

T = TypeVar("T")


def wait_for(probe: Callable[[], T | None], what: str, timeout: float = DEADLINE_SECONDS) -> T:
    """Poll `probe` until it returns something truthy; fail naming `what` past the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(POLL_SECONDS)


@contextlib.contextmanager
def serving_fake(keys: int, seed: int, master_key: str) -> Iterator[FakeLiteLLM]:
    """A fake LiteLLM with `keys` generated keys, served on 127.0.0.1; `fake.url` is its URL."""
    litellm = FakeLiteLLM(keys=generate_keys(keys, seed=seed), master_key=master_key)
    with running_fake_litellm(litellm) as url:
        litellm.url = url  # type: ignore[attr-defined]
        yield litellm


def fake_url(fake: FakeLiteLLM) -> str:
    url: str = fake.url  # type: ignore[attr-defined]
    return url


def container_of(client: TestClient) -> Container:
    container: Container = client.app.state.container  # type: ignore[attr-defined]
    return container


def key_sync(client: TestClient) -> KeySync:
    sync: KeySync = container_of(client).key_sync()
    return sync


def status(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/status")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def wait_until_ready(client: TestClient) -> dict[str, Any]:
    return wait_for(
        lambda: (found := status(client))["sync"]["state"] == "ready" and found,
        "/api/status to say sync.state == ready",
    )


def wake(client: TestClient) -> None:
    """Run the next sync pass now, on the app's own event loop (asyncio is not thread-safe)."""
    portal = client.portal
    assert portal is not None, "only a started (entered) client has a sync to wake"
    portal.call(key_sync(client).wake)


def run_pass(client: TestClient) -> None:
    """Wake the sync and wait for a pass to succeed. Twice in a row guarantees that a whole
    pass began after the call (the first may have been under way already)."""
    sync = key_sync(client)
    before = sync.passes
    wake(client)
    wait_for(lambda: sync.passes > before, "a successful sync pass")


def fresh_pass(client: TestClient) -> None:
    run_pass(client)
    run_pass(client)


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


class AppClients:
    """Builds clients for one test and closes every one of them afterwards."""

    def __init__(self, fake: FakeLiteLLM) -> None:
        self.fake = fake
        self._stack = contextlib.ExitStack()

    def started(self, **settings: Any) -> TestClient:
        """The app with its lifespan entered (the sync runs), signed in, not waited for."""
        settings.setdefault("sync_interval_seconds", SHORT_INTERVAL)
        settings.setdefault("litellm_base_url", fake_url(self.fake))
        app, _ = make_app(**settings)
        client = self._stack.enter_context(TestClient(app))
        return logged_in(client)

    def synced(self, **settings: Any) -> TestClient:
        """Started, first load done and its catch-up pass over: the mirror serves."""
        client = self.started(**settings)
        wait_until_ready(client)
        # After the first load the sync runs one incremental pass at once; let it end.
        sync = key_sync(client)
        wait_for(lambda: sync.passes >= 2, "the pass that follows the first load")
        return client

    def unsynced(self, **settings: Any) -> TestClient:
        """The app on one event loop of its own, without its lifespan: no sync, ever."""
        settings.setdefault("litellm_base_url", fake_url(self.fake))
        app, container = make_app(**settings)
        client = TestClient(app)
        portal = self._stack.enter_context(anyio.from_thread.start_blocking_portal("asyncio"))
        client.portal = portal
        # Runs before the portal closes (ExitStack unwinds last in, first out).
        self._stack.callback(portal.call, container.http_client().aclose)
        return logged_in(client)

    def close(self) -> None:
        self._stack.close()

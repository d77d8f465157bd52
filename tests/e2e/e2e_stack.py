"""The whole Keydash stack on loopback: fake LiteLLM -> API -> NGINX, and the stacks alive now.

Everything binds to 127.0.0.1; every child is stopped by its own PID. A live stack is registered
while it runs, so a failing test can collect the log lines each of its services wrote.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from e2e_api_process import start_api, sync_state, wait_until_synced
from e2e_fake_litellm import FakeControl, FakeServer, new_fake
from e2e_nginx_process import copy_web_root, start_nginx
from e2e_processes import Service, make_scratch
from keydash_fakes.litellm import FakeLiteLLM


@dataclass
class Stack:
    """Fake LiteLLM + API + NGINX; `url` is what the browser opens."""

    fake_server: FakeServer
    api: Service
    nginx: Service
    scratch: Path
    api_settings: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.nginx.url

    @property
    def fake(self) -> FakeLiteLLM:
        return self.fake_server.fake

    @property
    def records(self) -> list[dict[str, Any]]:
        return self.fake.keys

    @property
    def control(self) -> FakeControl:
        return FakeControl(self.fake_server)

    def sync_state(self) -> str | None:
        return sync_state(self.api.url)

    def services(self) -> list[Service]:
        return [self.nginx, self.api]

    def stop(self) -> None:
        for service in (self.nginx, self.api):
            with contextlib.suppress(Exception):
                service.stop()
        self.fake_server.stop()
        shutil.rmtree(self.scratch, ignore_errors=True)


@contextlib.contextmanager
def running_stack(
    fake: FakeLiteLLM,
    *,
    fake_up: bool = True,
    synced: bool = True,
    before_api: Callable[[FakeControl], object] | None = None,
    **api_settings: str,
) -> Iterator[Stack]:
    """The whole stack. `fake_up=False` leaves LiteLLM's port closed (start it later with
    `stack.fake_server.start()`); `before_api` sets the running fake up over its control routes
    before the API starts; `synced=False` does not wait for the API's first load."""
    scratch = make_scratch()
    server = FakeServer(fake)
    api: Service | None = None
    nginx: Service | None = None
    try:
        if fake_up:
            server.start()
            if before_api is not None:
                before_api(FakeControl(server))
        else:
            server.reserve_port()
        api = start_api(scratch, server.url, **api_settings)
        if synced:
            wait_until_synced(api)
        nginx = start_nginx(scratch, copy_web_root(scratch), api.port)
        stack = Stack(server, api, nginx, scratch, dict(api_settings))
        yield stack
    finally:
        for service in (nginx, api):
            if service is not None:
                with contextlib.suppress(Exception):
                    service.stop()
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)


# --- the stacks alive now -----------------------------------------------------------------------

# Stacks alive now, and where each log stood when the running test began (for its artifacts).
LIVE_STACKS: list[Stack] = []
TEST_LOG_OFFSETS: dict[Path, int] = {}


def register_stack(stack: Stack) -> None:
    LIVE_STACKS.append(stack)
    for service in stack.services():
        TEST_LOG_OFFSETS.setdefault(service.log_path, 0)


def unregister_stack(stack: Stack) -> None:
    if stack in LIVE_STACKS:
        LIVE_STACKS.remove(stack)


@contextlib.contextmanager
def live_stack(fake: FakeLiteLLM, **options: Any) -> Iterator[Stack]:
    """`running_stack`, registered among the live stacks while it runs."""
    with running_stack(fake, **options) as stack:
        register_stack(stack)
        try:
            yield stack
        finally:
            unregister_stack(stack)


class PrivateStacks:
    """The stacks one test builds for itself (the `stack_factory` fixture); stopped at its end."""

    def __init__(self) -> None:
        self._running = contextlib.ExitStack()

    def build(
        self,
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
        return self._running.enter_context(
            live_stack(
                fake if fake is not None else new_fake(key_count),
                fake_up=fake_up,
                synced=synced,
                before_api=before_api,
                **api_settings,
            )
        )

    def stop_all(self) -> None:
        """Stop every stack built, the last built first."""
        self._running.close()

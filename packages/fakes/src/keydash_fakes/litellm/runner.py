"""Serving a fake proxy from a background thread, for tests that need a real HTTP peer."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from keydash_fakes.litellm.server import create_app
from keydash_fakes.litellm.state import FakeLiteLLM

LOOPBACK = "127.0.0.1"
_STARTUP_TIMEOUT_SECONDS = 10.0
_SHUTDOWN_TIMEOUT_SECONDS = 10.0
# After this long, requests still running at shutdown are cancelled rather than awaited.
GRACEFUL_SHUTDOWN_SECONDS = 2


class _Server(uvicorn.Server):
    async def main_loop(self) -> None:
        # uvicorn notices `should_exit` within 100 ms; tests stop servers by the hundred, so look
        # every 10 ms, and run uvicorn's own once-per-100-ms housekeeping as before.
        ticks = 0
        should_exit = await self.on_tick(0)
        while not should_exit:
            await asyncio.sleep(0.01)
            ticks += 1
            if ticks % 10:
                should_exit = self.should_exit or self.force_exit
            else:
                should_exit = await self.on_tick(ticks // 10)


def _bound_socket(port: int) -> socket.socket:
    # Binding here rather than in uvicorn makes port 0 usable: the chosen port is known at once.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((LOOPBACK, port))
    except OSError:
        sock.close()
        raise
    return sock


@contextmanager
def running_fake_litellm(fake: FakeLiteLLM, port: int = 0) -> Iterator[str]:
    """Serve `fake` on 127.0.0.1 (port 0: any free port) and yield its base URL.

    Leaving the block releases held requests (latency, hang) and stops the server.
    """
    app = create_app(fake)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        # The app stamps `Date` from the fake's clock (see `dating`).
        date_header=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    server = _Server(config)
    sock = _bound_socket(port)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="fake-litellm", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + _STARTUP_TIMEOUT_SECONDS
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the fake LiteLLM server did not start")
            time.sleep(0.01)
        yield f"http://{LOOPBACK}:{sock.getsockname()[1]}"
    finally:
        app.state.release.release()
        server.should_exit = True
        thread.join(_SHUTDOWN_TIMEOUT_SECONDS)
        sock.close()

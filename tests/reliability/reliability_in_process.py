"""Keydash in this process: apps built like the API's own tests, served over real HTTP or ASGI.

The apps' log lines are kept for the leak guard (see reliability_leak_guard).
"""

from __future__ import annotations

import contextlib
import io
import socket
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import uvicorn
from api_support import make_app
from fastapi import FastAPI
from fastapi.testclient import TestClient
from keydash_api.container import Container
from keydash_fakes.litellm import running_fake_litellm
from reliability_fake_litellm import new_fake
from reliability_leak_guard import LOG_SINK, watched
from reliability_machine import LOOPBACK


class _LogTee(io.TextIOBase):
    """Structlog prints to the stdout it saw at configuration; keep a copy of every line."""

    def write(self, text: str) -> int:
        LOG_SINK.append(text)
        return sys.stdout.write(text) if sys.stdout is not self else len(text)

    def flush(self) -> None:
        if sys.stdout is not self:
            sys.stdout.flush()


def build_app(**overrides: Any) -> tuple[FastAPI, Container]:
    """`api_support.make_app`, with the app's log lines kept for the leak guard."""
    with contextlib.redirect_stdout(_LogTee()):
        return make_app(**overrides)


@contextlib.contextmanager
def serving(app: Any, port: int = 0) -> Iterator[str]:
    """Serve any ASGI app from a thread on 127.0.0.1 and yield its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((LOOPBACK, port))
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("test server did not start")
            time.sleep(0.01)
        yield f"http://{LOOPBACK}:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@contextlib.contextmanager
def app_on_a_fake(keys: int, **overrides: Any) -> Iterator[TestClient]:
    """An app with its sync running (the lifespan), reading a fake LiteLLM of `keys` keys over
    HTTP; a client of it on http://keydash.test, whose answers the leak guard sees."""
    with running_fake_litellm(new_fake(keys)) as url:
        app, _ = build_app(litellm_base_url=url, **overrides)
        with TestClient(app, base_url="http://keydash.test") as client:
            yield watched(client)

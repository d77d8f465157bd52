"""Clients of Keydash: signed in, their answers seen by the leak guard, sync or async."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import httpx
from api_support import PASSWORD, USERNAME
from reliability_leak_guard import watched

T = TypeVar("T")


def login_body(password: str = PASSWORD, username: str = USERNAME) -> dict[str, str]:
    return {"username": username, "password": password}


def logged_in_client(base_url: str, **headers: str) -> httpx.Client:
    client = watched(httpx.Client(base_url=base_url, timeout=30, headers=headers))
    response = client.post("/api/auth/login", json=login_body())
    assert response.status_code == 200, response.text
    return client


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end on a thread of its own.

    Another suite (Playwright's sync API in tests/e2e) may leave an event loop running on the
    main thread for the rest of the session, where asyncio.run and async tests cannot work.
    """
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:  # handed to the caller below
            outcome["error"] = error

    thread = threading.Thread(target=target, name="reliability-async")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    value: T = outcome["value"]
    return value


def timed(call: Callable[[], httpx.Response]) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


async def storm(base_url: str, params: list[dict[str, Any]]) -> list[httpx.Response]:
    """One signed-in client asking /api/keys with each of `params`, all at once."""
    async with watched(httpx.AsyncClient(base_url=base_url, timeout=30)) as http:
        login = await http.post("/api/auth/login", json=login_body())
        assert login.status_code == 200
        return list(await asyncio.gather(*(http.get("/api/keys", params=p) for p in params)))

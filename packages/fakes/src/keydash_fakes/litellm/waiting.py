"""Slow answers that never outlive their client or their server.

A hung request that ignored both would keep uvicorn from shutting down and would count as
in flight long after the client gave up, which would make the concurrency figures lie.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading

from starlette.requests import Request


class Release:
    """Wakes every held request at once, from any thread (the one stopping the server)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._released = False
        self._events: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []

    def event(self) -> asyncio.Event:
        """The event for the running loop; asyncio events must be set from their own loop."""
        loop = asyncio.get_running_loop()
        with self._lock:
            for owner, event in self._events:
                if owner is loop:
                    return event
            event = asyncio.Event()
            if self._released:
                event.set()
            self._events.append((loop, event))
            return event

    def release(self) -> None:
        with self._lock:
            self._released = True
            events = list(self._events)
        for loop, event in events:
            # A loop that already finished has nothing left to wake.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(event.set)


async def _client_gone(request: Request) -> None:
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def hold(request: Request, seconds: float, release: Release) -> bool:
    """Wait `seconds`. False when the client left or the server began stopping first."""
    waiters = [
        asyncio.ensure_future(_client_gone(request)),
        asyncio.ensure_future(release.event().wait()),
    ]
    try:
        done, _ = await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
        await asyncio.gather(*waiters, return_exceptions=True)
    return not done

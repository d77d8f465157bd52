"""A controllable TCP relay on 127.0.0.1, between Keydash and the real proxy.

Modes: "pass" forwards bytes both ways; "refuse" closes the listener (connections are refused);
"hang" accepts connections and never answers. Every mode change drops the open connections, so
Keydash's pooled keep-alive connections cannot carry on past a change. Runs its own asyncio loop in
a thread of the test process.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine, Iterator
from typing import Any, Literal

from rl_common import LOOPBACK, free_port

Mode = Literal["pass", "refuse", "hang"]


class Relay:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self.mode: Mode = "pass"
        self.loop = asyncio.new_event_loop()
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        self.thread = threading.Thread(target=self.loop.run_forever, name="relay", daemon=True)
        self.thread.start()
        self._call(self._listen())

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def _call(self, coroutine: Coroutine[Any, Any, None]) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=10)

    async def _listen(self) -> None:
        self.server = await asyncio.start_server(
            self._serve, LOOPBACK, self.port, reuse_address=True
        )

    async def _drop_connections(self) -> None:
        for writer in list(self.writers):
            writer.transport.abort()
        self.writers.clear()

    async def _set(self, mode: Mode) -> None:
        await self._drop_connections()
        if mode == "refuse":
            if self.server is not None:
                self.server.close()
                await self.server.wait_closed()
                self.server = None
        elif self.server is None:
            await self._listen()
        self.mode = mode

    def set(self, mode: Mode) -> None:
        self._call(self._set(mode))

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.writers.add(writer)
        try:
            if self.mode == "hang":
                while await reader.read(65536):
                    pass  # swallow the request, never answer
                return
            up_reader, up_writer = await asyncio.open_connection(*self.target)
            self.writers.add(up_writer)
            await asyncio.gather(
                self._pipe(reader, up_writer), self._pipe(up_reader, writer), return_exceptions=True
            )
        except OSError:
            pass
        finally:
            writer.transport.abort()
            self.writers.discard(writer)

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while data := await source.read(65536):
                sink.write(data)
                await sink.drain()
        finally:
            sink.transport.abort()
            self.writers.discard(sink)

    def close(self) -> None:
        async def shutdown() -> None:
            await self._set("refuse")

        with contextlib.suppress(Exception):
            self._call(shutdown())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


@contextlib.contextmanager
def relay_to(url: str) -> Iterator[Relay]:
    host_port = url.split("://", 1)[1].rstrip("/")
    host, _, port = host_port.partition(":")
    relay = Relay(host, int(port or 80))
    try:
        yield relay
    finally:
        relay.close()

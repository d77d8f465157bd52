"""A stand-in for the Kubernetes Service in front of two API replicas (kube-proxy's TCP round
robin over ready endpoints), for the rolling runs."""

from __future__ import annotations

import asyncio
import contextlib
import threading

from load.stack_processes import LOOPBACK, free_port


class Balancer:
    """A stand-in for a Kubernetes Service (kube-proxy): each new TCP connection goes to the next
    ready endpoint, round robin, and stays there. Like kube-proxy it neither retries a refused
    connection elsewhere nor knows a pod is stopping until its endpoint is removed."""

    def __init__(self) -> None:
        self.port = free_port()
        self.endpoints: list[int] = []
        self._turn = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="balancer", daemon=True)

    def start(self) -> Balancer:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("balancer did not start")
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._connection, LOOPBACK, self.port)
        )
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            server.close()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        endpoints = list(self.endpoints)
        if not endpoints:
            writer.transport.abort()
            return
        port = endpoints[self._turn % len(endpoints)]
        self._turn += 1
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(LOOPBACK, port)
        except OSError:
            writer.transport.abort()  # the client sees the refusal, as through kube-proxy
            return

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except OSError:
                pass
            finally:
                with contextlib.suppress(OSError):
                    sink.close()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))

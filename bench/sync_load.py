"""Load for bench/sync_bench.py: a closed-loop mix that runs until told to stop (in a thread),
and one admin's dashboard paced at a view every few seconds.

The mix reuses bench/loadgen.py's HTTP/1.1 framing; it records each request under its label, so
the answers during a first load (200 from one LiteLLM page, 503 mirror_loading) are told apart.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from loadgen import LoadResult, _read_response, _request_bytes

Labelled = tuple[str, str]  # (label, path)


@dataclass
class MixResult:
    by_label: dict[str, LoadResult] = field(default_factory=dict)
    overall: LoadResult = field(default_factory=LoadResult)
    wall_s: float = 0.0


async def _mix(
    url: str,
    paths: Sequence[Labelled],
    token: str,
    concurrency: int,
    stop: threading.Event,
    max_seconds: float,
    max_requests: int,
    timeout_s: float,
) -> MixResult:
    host, _, port_text = url.removeprefix("http://").partition(":")
    port = int(port_text)
    headers = {"Authorization": f"Bearer {token}"}
    requests = [(label, _request_bytes(host, port, path, headers)) for label, path in paths]
    result = MixResult()
    result.overall.concurrency = concurrency
    for label, _ in paths:
        result.by_label.setdefault(label, LoadResult(concurrency=concurrency))
    budget = [max_requests]
    turn = [0]
    deadline = time.perf_counter() + max_seconds

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while budget[0] > 0 and not stop.is_set() and time.perf_counter() < deadline:
                budget[0] -= 1
                label, payload = requests[turn[0] % len(requests)]
                turn[0] += 1
                sent = time.perf_counter()
                try:
                    writer.write(payload)
                    status = await asyncio.wait_for(_read_response(reader), timeout_s)
                except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError):
                    result.overall.failures += 1
                    result.by_label[label].failures += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
                    continue
                elapsed = (time.perf_counter() - sent) * 1000
                for target in (result.overall, result.by_label[label]):
                    target.latencies_ms.append(elapsed)
                    target.statuses[status] += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    result.wall_s = time.perf_counter() - started
    for target in (result.overall, *result.by_label.values()):
        target.wall_s = result.wall_s
    return result


class BackgroundMix:
    """A closed-loop mix in its own thread and event loop, from start() until stop()."""

    def __init__(
        self,
        url: str,
        paths: Sequence[Labelled],
        token: str,
        *,
        concurrency: int,
        max_seconds: float,
        max_requests: int,
        timeout_s: float = 30.0,
    ) -> None:
        self._stop = threading.Event()
        self._result: MixResult | None = None
        self._error: BaseException | None = None
        self._args = (url, paths, token, concurrency, self._stop, max_seconds, max_requests)
        self._timeout_s = timeout_s
        self._max_seconds = max_seconds
        self._thread = threading.Thread(target=self._run, name="sync-bench-mix", daemon=True)

    def _run(self) -> None:
        try:
            self._result = asyncio.run(_mix(*self._args, self._timeout_s))
        except BaseException as error:
            self._error = error

    def start(self) -> BackgroundMix:
        self._thread.start()
        return self

    def stop(self) -> MixResult:
        self._stop.set()
        self._thread.join(self._timeout_s + 10)
        if self._error is not None:
            raise RuntimeError(f"the load mix failed: {self._error!r}") from self._error
        if self._result is None:
            raise RuntimeError("the load mix did not finish")
        return self._result


def paced_admin(
    url: str,
    paths: Sequence[Labelled],
    token: str,
    *,
    every_s: float,
    duration_s: float,
    timeout_s: float,
) -> MixResult:
    """One admin: a view every `every_s` seconds (or right after a slower answer), in turn."""
    return asyncio.run(_paced(url, paths, token, every_s, duration_s, timeout_s))


async def _paced(
    url: str,
    paths: Sequence[Labelled],
    token: str,
    every_s: float,
    duration_s: float,
    timeout_s: float,
) -> MixResult:
    host, _, port_text = url.removeprefix("http://").partition(":")
    port = int(port_text)
    headers = {"Authorization": f"Bearer {token}"}
    result = MixResult()
    started = time.perf_counter()
    deadline = started + duration_s
    turn = 0
    while time.perf_counter() < deadline:
        label, path = paths[turn % len(paths)]
        turn += 1
        target = result.by_label.setdefault(label, LoadResult())
        sent = time.perf_counter()
        try:
            reader, writer = await asyncio.open_connection(host, port)
            try:
                writer.write(_request_bytes(host, port, path, headers))
                status = await asyncio.wait_for(_read_response(reader), timeout_s)
            finally:
                writer.close()
        except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError):
            target.failures += 1
            result.overall.failures += 1
        else:
            elapsed = (time.perf_counter() - sent) * 1000
            for each in (target, result.overall):
                each.latencies_ms.append(elapsed)
                each.statuses[status] += 1
        pause = every_s - (time.perf_counter() - sent)
        await asyncio.sleep(max(0.0, min(pause, deadline - time.perf_counter())))
    result.wall_s = time.perf_counter() - started
    return result

"""A small closed-loop HTTP/1.1 load generator on asyncio streams.

Each of `concurrency` connections sends one request, reads the whole answer, and sends the next,
until the time or the request budget runs out. It parses only the status line and the framing,
so a request costs the generator tens of microseconds and the latencies are the server's.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: int = 0
    wall_s: float = 0.0
    concurrency: int = 1

    @property
    def count(self) -> int:
        return len(self.latencies_ms)

    @property
    def ok(self) -> int:
        return self.statuses.get(200, 0)

    @property
    def errors(self) -> int:
        return self.count - self.ok + self.failures

    @property
    def throughput(self) -> float:
        return self.count / self.wall_s if self.wall_s > 0 else 0.0

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the latencies, in ms."""
        if not self.latencies_ms:
            return math.nan
        ordered = sorted(self.latencies_ms)
        rank = max(1, math.ceil(p / 100 * len(ordered)))
        return ordered[rank - 1]

    @property
    def p50(self) -> float:
        return self.percentile(50)

    @property
    def p95(self) -> float:
        return self.percentile(95)

    @property
    def p99(self) -> float:
        return self.percentile(99)

    @property
    def max(self) -> float:
        return max(self.latencies_ms) if self.latencies_ms else math.nan


def _request_bytes(host: str, port: int, path: str, headers: dict[str, str]) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", "Accept: application/json"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    status = int(status_line.split(" ", 2)[1])
    length, chunked = None, False
    for line in header_lines:
        name, _, value = line.partition(":")
        lowered = name.strip().lower()
        if lowered == "content-length":
            length = int(value.strip())
        elif lowered == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
    if length is not None:
        await reader.readexactly(length)
    elif chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def run_load(
    host: str,
    port: int,
    paths: Sequence[str],
    *,
    headers: dict[str, str],
    concurrency: int,
    duration_s: float,
    max_requests: int,
    timeout_s: float = 60.0,
) -> LoadResult:
    """Closed loop: `paths` are sent in turn until `duration_s` or `max_requests` is reached."""
    requests = [_request_bytes(host, port, path, headers) for path in paths]
    turn = itertools.cycle(range(len(requests)))
    result = LoadResult(concurrency=concurrency)
    budget = [max_requests]
    deadline = time.perf_counter() + duration_s

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while budget[0] > 0 and time.perf_counter() < deadline:
                budget[0] -= 1
                payload = requests[next(turn)]
                sent = time.perf_counter()
                try:
                    writer.write(payload)
                    status = await asyncio.wait_for(_read_response(reader), timeout_s)
                except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError):
                    result.failures += 1
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
                    continue
                result.latencies_ms.append((time.perf_counter() - sent) * 1000)
                result.statuses[status] += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    result.wall_s = time.perf_counter() - started
    return result


def load(
    url: str,
    paths: Sequence[str],
    *,
    token: str,
    concurrency: int,
    duration_s: float,
    max_requests: int,
) -> LoadResult:
    host, _, port = url.removeprefix("http://").partition(":")
    return asyncio.run(
        run_load(
            host,
            int(port),
            paths,
            headers={"Authorization": f"Bearer {token}"},
            concurrency=concurrency,
            duration_s=duration_s,
            max_requests=max_requests,
        )
    )

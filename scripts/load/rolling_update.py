"""Mid-run changes to the APIs behind the Service stand-in, as Kubernetes makes them: one pod
retired for good, or both replaced in turn (a rolling update)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from load.load_config import LoadConfig
from load.load_stack import Stack, start_api
from load.stack_processes import free_port, stop


async def terminate(stack: Stack, port: int, config: LoadConfig, note: Any) -> None:
    """A pod going away: its endpoint leaves the Service after `rolling_lag` s (propagation),
    while the kubelet runs the preStop pause (`rolling_prestop` s) and then sends SIGTERM."""
    assert stack.balancer is not None
    balancer = stack.balancer

    async def remove_endpoint() -> None:
        await asyncio.sleep(config.rolling_lag)
        balancer.endpoints = [other for other in balancer.endpoints if other != port]
        note(f"endpoint :{port} removed")

    removal = asyncio.create_task(remove_endpoint())
    await asyncio.sleep(config.rolling_prestop)
    note(f"SIGTERM api :{port}")
    await asyncio.to_thread(stop, stack.apis.pop(port))
    note(f"api :{port} exited")
    await removal


async def rolling_update(
    stack: Stack, config: LoadConfig, started: float, events: list[dict[str, Any]]
) -> None:
    """Mid-run, stop one API for good, or roll both as Kubernetes does with two replicas
    (maxSurge 1, maxUnavailable 0): start a new one, once healthy add it, then retire an old one."""
    assert stack.balancer is not None

    def note(what: str) -> None:
        events.append({"at": time.monotonic() - started, "what": what})

    await asyncio.sleep(config.duration * 0.25)
    if config.rolling == "stop-one":
        await terminate(stack, next(iter(stack.apis)), config, note)
        return
    for old in list(stack.apis):
        port = free_port()
        stack.apis[port] = await asyncio.to_thread(start_api, stack.env, port, stack.scratch)
        stack.balancer.endpoints = [*stack.balancer.endpoints, port]
        note(f"new api :{port} ready, endpoint added")
        await terminate(stack, old, config, note)

"""The sync loop's life: it starts with the process (not the first request) and ends with it."""

from __future__ import annotations

import asyncio
import contextlib

from keydash_adapters.litellm.mirrored_repository import MirroredKeyRepository

from keydash_api.container import Container


def start_sync(container: Container) -> asyncio.Task[None] | None:
    # Tests that plug in an in-memory repository have no mirror to keep.
    if not isinstance(container.key_repository(), MirroredKeyRepository):
        return None
    return asyncio.create_task(container.key_sync().run(), name="keydash-sync")


async def stop_sync(container: Container, task: asyncio.Task[None] | None) -> None:
    if task is None:
        return
    task.cancel()
    await container.key_sync().stop()
    with contextlib.suppress(asyncio.CancelledError):
        await task

"""Is LiteLLM answering our key? One smallest-page read, remembered briefly.

Probes hit this every few seconds from every replica, unauthenticated: the short memory keeps
them (and anyone hammering the endpoint) from turning into load on LiteLLM's database.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from keydash_core.errors import UpstreamError

from keydash_adapters.litellm.client import LiteLLMKeyListClient


class LiteLLMReadiness:
    def __init__(
        self,
        client: LiteLLMKeyListClient,
        *,
        memory_seconds: float = 2.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._memory = memory_seconds
        self._monotonic = monotonic
        self._last: tuple[float, bool] | None = None

    async def ready(self) -> bool:
        now = self._monotonic()
        if self._last is not None and now - self._last[0] < self._memory:
            return self._last[1]
        try:
            await self._client.fetch_page(1, 1)
        except UpstreamError:
            ok = False
        else:
            ok = True
        self._last = (self._monotonic(), ok)
        return ok

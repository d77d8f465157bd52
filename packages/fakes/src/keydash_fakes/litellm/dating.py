"""The `Date` header, from the fake's own clock.

uvicorn stamps the wall clock; with a frozen or shifted `FakeLiteLLM.clock` that would disagree
with the `updated_at` of the fake's writes. So the servers that `runner` and the CLI start turn
uvicorn's header off (`date_header=False`) and this middleware stamps every response instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from keydash_fakes.litellm.timestamps import http_date


class DateHeader:
    def __init__(self, app: ASGIApp, clock: Callable[[], datetime]) -> None:
        self.app = app
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() != b"date"
                ]
                headers.append((b"date", http_date(self.clock()).encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, stamped)

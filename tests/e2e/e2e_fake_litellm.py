"""The fake LiteLLM of a test stack: served over HTTP from a thread of the test process (so a test
can read its keys), on a loopback port it can leave and come back to, and steered over its own
`/_fake/` control routes."""

from __future__ import annotations

import contextlib
from typing import Any

import httpx
from e2e_processes import free_port
from e2e_settings import LITELLM_KEY, LOOPBACK
from keydash_fakes.litellm import FakeLiteLLM, generate_keys, running_fake_litellm


def new_fake(count: int, seed: int = 7, **options: Any) -> FakeLiteLLM:
    """`count` generated keys behind Keydash's LITELLM_KEY (unless `master_key` says otherwise)."""
    settings: dict[str, Any] = {"master_key": LITELLM_KEY, **options}
    return FakeLiteLLM(keys=generate_keys(count, seed=seed), **settings)


class FakeServer:
    """The fake LiteLLM served on a fixed loopback port; it can go down and come back there."""

    def __init__(self, fake: FakeLiteLLM) -> None:
        self.fake = fake
        self.port = 0
        self._serving: contextlib.AbstractContextManager[str] | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def running(self) -> bool:
        return self._serving is not None

    def reserve_port(self) -> None:
        """Pick the loopback port it will serve on, and leave it closed (connections refused)."""
        self.port = free_port()

    def start(self) -> None:
        serving = running_fake_litellm(self.fake, port=self.port)
        url = serving.__enter__()
        self.port = int(url.rsplit(":", 1)[1])
        self._serving = serving

    def stop(self) -> None:
        if self._serving is not None:
            serving, self._serving = self._serving, None
            serving.__exit__(None, None, None)


class FakeControl:
    """The fake's `/_fake/` control routes, over HTTP as any other client would use them."""

    def __init__(self, server: FakeServer) -> None:
        self._server = server

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        response = httpx.post(f"{self._server.url}{path}", json=body, timeout=10)
        assert response.is_success, f"POST {path} answered {response.status_code}: {response.text}"
        return response.json()

    def faults(self, **faults: Any) -> Any:
        return self._post("/_fake/faults", faults)

    def latency(self, **latency: float) -> Any:
        return self._post("/_fake/latency", latency)

    def create_key(self, **fields: Any) -> dict[str, Any]:
        created: dict[str, Any] = self._post("/_fake/keys", fields)
        return created

    def add_api_key(self, key: str, user_id: str | None, role: str) -> Any:
        return self._post("/_fake/api-keys", {"key": key, "user_id": user_id, "role": role})

"""The fake LiteLLM for the reliability suites: its records (with a planted raw key), and a server
on a loopback port that can be taken down and brought back."""

from __future__ import annotations

import contextlib
from typing import Any

from api_support import LITELLM_KEY
from keydash_fakes.litellm import FakeLiteLLM, generate_keys, running_fake_litellm
from reliability_leak_guard import EXTRA_SECRETS, PLANTED_RAW_KEY
from reliability_machine import LOOPBACK


def fake_keys(count: int, seed: int = 21) -> list[dict[str, Any]]:
    """Generated LiteLLM records, one carrying a full raw key where a careless proxy might put it.

    The users' password hashes are registered as secrets for the leak guard.
    """
    keys = generate_keys(count, seed=seed)
    if keys:
        keys[-1]["key_name"] = PLANTED_RAW_KEY
        keys[-1]["api_key"] = PLANTED_RAW_KEY
    for key in keys:
        user = key.get("user")
        if isinstance(user, dict) and isinstance(user.get("password"), str):
            EXTRA_SECRETS.add(user["password"])
    return keys


def new_fake(count: int = 250, seed: int = 21) -> FakeLiteLLM:
    return FakeLiteLLM(keys=fake_keys(count, seed), master_key=LITELLM_KEY)


class FakeServer:
    """The fake LiteLLM on a fixed loopback port that can be taken down and brought back."""

    def __init__(self, fake: FakeLiteLLM, port: int = 0) -> None:
        self.fake = fake
        self.port = port
        self._running: contextlib.AbstractContextManager[str] | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> FakeServer:
        self._running = running_fake_litellm(self.fake, port=self.port)
        url = self._running.__enter__()
        self.port = int(url.rsplit(":", 1)[1])
        return self

    def stop(self) -> None:
        if self._running is not None:
            self._running.__exit__(None, None, None)
            self._running = None

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

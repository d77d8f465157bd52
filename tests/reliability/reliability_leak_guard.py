"""The leak guard: every response and log line a test saw is searched for secrets when it ends.

Responses reach the guard of the running test through `watched` clients; the in-process apps' log
lines through LOG_SINK, and the API processes' log files through LOG_FILES.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
from api_support import JWT_SECRET, LITELLM_KEY, PASSWORD

# A raw LiteLLM key planted in fake records (in `key_name` and `api_key`, where a careless proxy
# or an old version might put it). It must never come out of Keydash.
PLANTED_RAW_KEY = "sk-" + secrets.token_urlsafe(24)
RAW_KEY_PATTERN = re.compile(r"sk-[A-Za-z0-9_\-]{8,}")
# What a masked key may look like: an optional short prefix, four stars, at most 4 characters.
MASKED_KEY_PATTERN = re.compile(r"^(?:[^*\s]{1,8}-)?\*{4}[^*]{0,4}$")

# Every log line the in-process apps printed (see `build_app`), and every API process log file.
LOG_SINK: list[str] = []
LOG_FILES: set[Path] = set()
# Secrets that fixtures discover (password hashes in the fake's user rows).
EXTRA_SECRETS: set[str] = set()


@dataclass
class LeakGuard:
    """Collects what one test saw and fails it if any secret or unmasked key is in there."""

    texts: list[tuple[str, str]] = field(default_factory=list)
    log_start: int = field(default_factory=lambda: len(LOG_SINK))
    responses_seen: int = 0

    def secrets(self) -> set[str]:
        # LiteLLM names a key by its SHA-256 in its own errors: that hash is a secret here too.
        litellm_key_hash = hashlib.sha256(LITELLM_KEY.encode()).hexdigest()
        return {
            LITELLM_KEY,
            JWT_SECRET,
            PASSWORD,
            PLANTED_RAW_KEY,
            litellm_key_hash,
            *EXTRA_SECRETS,
        }

    def see(self, response: httpx.Response) -> None:
        self.responses_seen += 1
        label = f"{response.request.method} {response.request.url} -> {response.status_code}"
        headers = "\n".join(f"{name}: {value}" for name, value in response.headers.multi_items())
        self.texts.append((label + " (headers)", headers))
        self.texts.append((label + " (body)", response.text))
        check_masked_keys(response, label)

    def check(self) -> None:
        texts = list(self.texts)
        texts += [("in-process log", line) for line in LOG_SINK[self.log_start :]]
        for path in sorted(LOG_FILES):
            if path.exists():
                texts.append((f"log file {path.name}", path.read_text(errors="replace")))
        problems = []
        for label, text in texts:
            for secret in self.secrets():
                if secret and secret in text:
                    problems.append(f"{label}: contains a secret ({secret[:6]}...)")
            match = RAW_KEY_PATTERN.search(text)
            if match:
                problems.append(f"{label}: contains a raw key-like string {match.group()[:10]}...")
        assert not problems, "\n".join(problems[:20])


_guard_holder: list[LeakGuard] = []


class _CurrentGuard:
    """The guard of the running test (set by the autouse fixture in conftest)."""

    def set(self, guard: LeakGuard) -> int:
        _guard_holder.append(guard)
        return len(_guard_holder) - 1

    def reset(self, token: int) -> None:
        del _guard_holder[token:]

    def get(self) -> LeakGuard | None:
        return _guard_holder[-1] if _guard_holder else None


current_guard = _CurrentGuard()


def _see(response: httpx.Response) -> None:
    guard = current_guard.get()
    if guard is not None:
        guard.see(response)


ClientT = TypeVar("ClientT", bound=httpx.Client | httpx.AsyncClient)


def watched(client: ClientT) -> ClientT:
    """Let the leak guard of whichever test is running see every response this client gets."""
    if isinstance(client, httpx.AsyncClient):

        async def async_hook(response: httpx.Response) -> None:
            await response.aread()
            _see(response)

        client.event_hooks["response"].append(async_hook)
    else:

        def hook(response: httpx.Response) -> None:
            response.read()
            _see(response)

        client.event_hooks["response"].append(hook)
    return client


def _masked_values(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for name, item in value.items():
            if name == "masked_key":
                yield item
            else:
                yield from _masked_values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _masked_values(item)


def check_masked_keys(response: httpx.Response, label: str = "") -> None:
    if not response.request.url.path.startswith("/api/keys"):
        return
    if "json" not in response.headers.get("content-type", ""):
        return
    try:
        body = response.json()
    except ValueError:
        return
    for masked in _masked_values(body):
        assert masked is None or (isinstance(masked, str) and MASKED_KEY_PATTERN.match(masked)), (
            f"{label}: masked_key {masked!r} shows too much"
        )

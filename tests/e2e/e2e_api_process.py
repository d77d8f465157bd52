"""The Keydash API as the image runs it: `uvicorn keydash_api.main:app` in a subprocess, settings
from the environment only, and its mirror of LiteLLM's keys as `/api/readyz` reports it."""

# Tests start the API with fixed arguments.
# ruff: noqa: S603

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from e2e_processes import Service, free_port, wait_for_answer
from e2e_settings import (
    JWT_SECRET,
    LITELLM_KEY,
    LOOPBACK,
    PASSWORD,
    REPO,
    SYNC_INTERVAL_SECONDS,
    USERNAME,
)

# Settings the API reads; a developer's shell must not leak any of them into a test API.
_API_SETTING_PREFIXES = (
    "LITELLM_",
    "ADMIN_",
    "JWT_",
    "TOKEN_",
    "COOKIE_",
    "ALLOWED_",
    "CACHE_",
    "MAX_",
    "UPSTREAM_",
    "LOGIN_",
    "TRUSTED_",
    "LOG_",
    "METRICS_",
    "SYNC_",
)


def api_environment(litellm_url: str, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_API_SETTING_PREFIXES)}
    env.update(
        {
            "LITELLM_BASE_URL": litellm_url,
            "LITELLM_API_KEY": LITELLM_KEY,
            "ADMIN_USERNAME": USERNAME,
            "ADMIN_PASSWORD": PASSWORD,
            "JWT_SECRET": JWT_SECRET,
            # NGINX is the only client of the API and tells it who the browser is.
            "TRUSTED_PROXIES": "127.0.0.1",
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "INFO",
            "METRICS_PORT": "0",
            # The mirror's incremental pass every second: a fault or a new key shows within one.
            "SYNC_INTERVAL_SECONDS": str(SYNC_INTERVAL_SECONDS),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(overrides)
    return env


def sync_state(api_url: str) -> str | None:
    """The mirror's state as `/api/readyz` reports it (no session needed), None if unanswered."""
    with contextlib.suppress(httpx.HTTPError, ValueError):
        body = httpx.get(f"{api_url}/api/readyz", timeout=5).json()
        state = body.get("sync") if isinstance(body, dict) else None
        return state if isinstance(state, str) else None
    return None


def wait_until_synced(api: Service, seconds: float = 60) -> None:
    """Until the API's first load of LiteLLM's keys has ended: every view answers from it."""
    deadline = time.monotonic() + seconds
    state = None
    while time.monotonic() < deadline:
        if api.process.poll() is not None:
            raise RuntimeError(
                f"api exited {api.process.returncode}:\n" + api.log_path.read_text(errors="replace")
            )
        state = sync_state(api.url)
        if state == "ready":
            return
        time.sleep(0.05)
    raise RuntimeError(
        f"the API's mirror was still {state!r} after {seconds} s:\n"
        + api.log_path.read_text(errors="replace")[-4000:]
    )


def start_api(scratch: Path, litellm_url: str, **overrides: str) -> Service:
    """The API as the image runs it: uvicorn, settings from the environment only."""
    port = free_port()
    log_path = scratch / f"api-{port}.log"
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "keydash_api.main:app",
        "--host",
        LOOPBACK,
        "--port",
        str(port),
        "--no-proxy-headers",
        "--no-access-log",
        "--timeout-graceful-shutdown",
        "5",
    ]
    with log_path.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env=api_environment(litellm_url, **overrides),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    api = Service("api", process, port, log_path)
    wait_for_answer(f"{api.url}/api/healthz", api)
    return api

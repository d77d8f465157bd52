"""Keydash's API as production runs it (`uvicorn keydash_api.main:app`, settings from env only),
a logged-in client for it."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import httpx
from rl_common import (
    LOOPBACK,
    REPO,
    SYNC_INTERVAL_SECONDS,
    SYNC_RECONCILE_SECONDS,
    NotYet,
    free_port,
)

T = TypeVar("T")

ADMIN_USERNAME = "rl-admin"
ADMIN_PASSWORD = "rl-" + secrets.token_urlsafe(18)
JWT_SECRET = secrets.token_urlsafe(48)
LOG_DIR = Path(tempfile.mkdtemp(prefix="keydash-real-litellm-"))

# Short sync settings for the mirror design (SYNC_* are being added; the settings ignore unknown
# variables, `extra="ignore"`, so they are passed already). CACHE_TTL_SECONDS=1 makes today's
# read-through cache converge as fast as the mirror should, so the suite's bounds mean the same.
API_SETTINGS = {
    "SYNC_INTERVAL_SECONDS": str(int(SYNC_INTERVAL_SECONDS)),
    "SYNC_RECONCILE_SECONDS": str(int(SYNC_RECONCILE_SECONDS)),
    "CACHE_TTL_SECONDS": "1",
}


@dataclass
class Keydash:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    name: str

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """Stop this process by its own PID."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_keydash(litellm_url: str, litellm_key: str, name: str, **settings: str) -> Keydash:
    port = free_port()
    env = {
        name_: value
        for name_, value in os.environ.items()
        # Nothing of the caller's own Keydash/LiteLLM settings leaks into the API under test.
        if not name_.startswith(("LITELLM_", "CACHE_", "UPSTREAM_", "SYNC_", "MAX_KEYS"))
    }
    env.update(
        {
            "LITELLM_BASE_URL": litellm_url,
            "LITELLM_API_KEY": litellm_key,
            "ADMIN_USERNAME": ADMIN_USERNAME,
            "ADMIN_PASSWORD": ADMIN_PASSWORD,
            "JWT_SECRET": JWT_SECRET,
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "INFO",
            "METRICS_PORT": "0",
            "PYTHONUNBUFFERED": "1",
            **API_SETTINGS,
            **settings,
        }
    )
    log_path = LOG_DIR / f"api-{name}-{port}.log"
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "keydash_api.main:app",
        "--host",
        LOOPBACK,
        "--port",
        str(port),
        "--no-access-log",
    ]
    with log_path.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    api = Keydash(process=process, port=port, log_path=log_path, name=name)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not api.alive():
            raise RuntimeError(f"Keydash API exited {process.returncode}:\n{api.log_tail()}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(api.url + "/api/healthz", timeout=2).status_code == 200:
                return api
        time.sleep(0.1)
    api.stop()
    raise RuntimeError(f"Keydash API did not answer /api/healthz in 60 s:\n{api.log_tail()}")


@contextlib.contextmanager
def running_keydash(
    litellm_url: str, litellm_key: str, name: str, **settings: str
) -> Iterator[tuple[Keydash, KeydashClient]]:
    api = start_keydash(litellm_url, litellm_key, name, **settings)
    client = KeydashClient(api)
    try:
        yield api, client
    finally:
        client.close()
        api.stop()


class KeydashClient:
    """A logged-in HTTP client for one Keydash API."""

    def __init__(self, api: Keydash) -> None:
        self.api = api
        self.http = httpx.Client(base_url=api.url, timeout=httpx.Timeout(60, connect=5))
        login = self.http.post(
            "/api/auth/login", json={"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD}
        )
        assert login.status_code == 200, f"login: {login.status_code} {login.text[:300]}"
        self.http.headers["Authorization"] = f"Bearer {login.json()['access_token']}"

    def close(self) -> None:
        self.http.close()

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.http.get(path, params=params)

    def keys(self, **params: Any) -> httpx.Response:
        return self.get("/api/keys", **params)

    def all_pages(self, size: int = 100, **params: Any) -> tuple[list[dict[str, Any]], int]:
        """Every item of a view, page by page; also the number of pages read."""
        items: list[dict[str, Any]] = []
        page = 1
        while True:
            response = self.keys(page=page, size=size, **params)
            if response.status_code != 200:
                raise NotYet(f"/api/keys page {page}: {response.status_code} {response.text[:300]}")
            body = response.json()
            items += body["items"]
            if page >= body["total_pages"]:
                return items, page
            page += 1

    def export_json(self, **params: Any) -> tuple[httpx.Response, dict[str, Any]]:
        response = self.get("/api/keys/export", format="json", **params)
        if response.status_code != 200:
            raise NotYet(f"export json: {response.status_code} {response.text[:300]}")
        return response, json.loads(response.text)

    def export_csv(self, **params: Any) -> tuple[httpx.Response, list[dict[str, str]]]:
        response = self.get("/api/keys/export", format="csv", **params)
        if response.status_code != 200:
            raise NotYet(f"export csv: {response.status_code} {response.text[:300]}")
        return response, list(csv.DictReader(io.StringIO(response.text, newline="")))

    def status(self) -> httpx.Response:
        # NEW FEATURE (mirror): GET /api/status does not exist before the mirror lands.
        return self.get("/api/status")

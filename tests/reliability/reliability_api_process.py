"""The API as production runs it: a `uvicorn keydash_api.main:app` process, settings from env
only, JSON logs (registered with the leak guard) and Prometheus metrics on their own port.

Child processes are stopped by their own PID.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from api_support import JWT_SECRET, LITELLM_KEY, PASSWORD, USERNAME
from reliability_leak_guard import LOG_FILES
from reliability_machine import LOOPBACK, REPO, free_port


def api_env(litellm_url: str, **overrides: str) -> dict[str, str]:
    """Production-like settings for an API process: JSON logs, metrics on, real timeouts."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LITELLM_", "ADMIN_", "JWT_", "UPSTREAM_", "LOGIN_", "CACHE_"))
    }
    env.update(
        {
            "LITELLM_BASE_URL": litellm_url,
            "LITELLM_API_KEY": LITELLM_KEY,
            "ADMIN_USERNAME": USERNAME,
            "ADMIN_PASSWORD": PASSWORD,
            "JWT_SECRET": JWT_SECRET,
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "INFO",
            "METRICS_PORT": str(free_port()),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(overrides)
    return env


@dataclass
class ApiProcess:
    process: subprocess.Popen[bytes]
    port: int
    env: dict[str, str]
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def metrics_url(self) -> str:
        return f"http://{LOOPBACK}:{self.env['METRICS_PORT']}/metrics"

    def alive(self) -> bool:
        return self.process.poll() is None

    def rss_kib(self) -> int:
        """Resident memory of the API process, from /proc."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        assert match, status
        return int(match.group(1))

    def log_lines(self) -> list[dict[str, Any]]:
        lines = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            with contextlib.suppress(ValueError):
                parsed = json.loads(line)
                if isinstance(parsed, dict):
                    lines.append(parsed)
        return lines

    def events(self, name: str) -> list[dict[str, Any]]:
        """The process's JSON log lines of one event (`request`, `sync_failed`, ...), in order."""
        return [line for line in self.log_lines() if line.get("event") == name]

    def metric(self, name: str, **labels: str) -> float:
        """Sum of a Prometheus sample over series whose labels include `labels`."""
        text = httpx.get(self.metrics_url, timeout=5).text
        total = 0.0
        for line in text.splitlines():
            if not line.startswith(name):
                continue
            head, _, value = line.rpartition(" ")
            series, _, label_text = head.partition("{")
            if series != name:
                continue
            found = dict(re.findall(r'(\w+)="([^"]*)"', label_text))
            if all(found.get(key) == wanted for key, wanted in labels.items()):
                total += float(value)
        return total

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> int:
        """Stop this process (by its own PID) and return its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        return int(self.process.returncode)


def start_api(
    litellm_url: str,
    *,
    log_dir: Path | None = None,
    port: int | None = None,
    startup_seconds: float = 30,
    settings: dict[str, str] | None = None,
    **overrides: str,
) -> ApiProcess:
    """The API as production runs it: `uvicorn keydash_api.main:app`, settings from env only."""
    port = port or free_port()
    env = api_env(litellm_url, **(settings or {}), **overrides)
    log_dir = log_dir or Path(tempfile.mkdtemp(prefix="keydash-reliability-"))
    log_path = log_dir / f"api-{port}.log"
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
        "--no-server-header",
        "--timeout-graceful-shutdown",
        "20",
    ]
    with log_path.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    LOG_FILES.add(log_path)
    api = ApiProcess(process=process, port=port, env=env, log_path=log_path)
    wait_until_healthy(api, startup_seconds)
    return api


def wait_until_healthy(api: ApiProcess, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not api.alive():
            raise RuntimeError(f"API exited {api.process.returncode}:\n{api.log_path.read_text()}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(api.url + "/api/healthz", timeout=1).status_code == 200:
                return
        time.sleep(0.05)
    api.stop(signal.SIGKILL)
    raise RuntimeError(f"API did not answer within {seconds} s:\n{api.log_path.read_text()}")

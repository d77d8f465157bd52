"""The processes a benchmark run starts: the fake LiteLLM and the API, both on 127.0.0.1.

Each is a real subprocess started the way it runs in production (uvicorn, production flags,
configured only from the environment), stopped by its own pid when the run ends.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from keydash_fakes.ports import free_port as free_port

LOOPBACK = "127.0.0.1"
FAKE_MASTER_KEY = "sk-bench-" + secrets.token_urlsafe(24)
ADMIN_USERNAME = "bench-admin"
ADMIN_PASSWORD = secrets.token_urlsafe(18)
JWT_SECRET = secrets.token_urlsafe(48)


def http_json(
    method: str,
    url: str,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> tuple[int, Any, dict[str, str]]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - loopback only
    request.add_header("accept", "application/json")
    if data is not None:
        request.add_header("content-type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            raw = response.read()
            return response.status, json.loads(raw) if raw else None, dict(response.headers)
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode(errors="replace")
        return error.code, parsed, dict(error.headers)


def _wait_until(
    url: str, process: subprocess.Popen[bytes], timeout: float, what: str, poll_s: float = 0.1
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(poll_s)
    raise RuntimeError(f"{what} did not answer {url} within {timeout:.0f} s")


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    url: str
    log_path: Path
    started_s: float = 0.0
    env: dict[str, str] = field(default_factory=dict)
    listening: float = 0.0  # monotonic: when it first answered its health check

    @property
    def pid(self) -> int:
        return self.popen.pid

    def rss_mb(self) -> tuple[float, float]:
        """(VmRSS, VmHWM) in MiB, from /proc/<pid>/status."""
        values: dict[str, float] = {}
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = int(rest.split()[0]) / 1024
        return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=5)

    def __enter__(self) -> Process:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def _python_env() -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        # The API reads its settings only from the environment: start it from a clean slate.
        if not name.startswith(("LITELLM_", "CACHE_", "UPSTREAM_", "MAX_KEYS", "LOG_", "JWT_"))
        and name not in ("ADMIN_USERNAME", "ADMIN_PASSWORD", "METRICS_PORT", "ALLOWED_ORIGINS")
    }
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def start_fake(keys: int, latency_ms: float, workdir: Path, seed: int = 7) -> Process:
    port = free_port()
    log_path = workdir / f"fake-{keys}.log"
    env = {**_python_env(), "FAKE_LITELLM_MASTER_KEY": FAKE_MASTER_KEY}
    command = [sys.executable, "-m", "keydash_fakes.litellm", "--host", LOOPBACK]
    command += ["--port", str(port), "--keys", str(keys), "--seed", str(seed)]
    command += ["--latency-ms", str(latency_ms)]
    started = time.monotonic()
    with log_path.open("wb") as log:
        popen = subprocess.Popen(command, env=env, stdout=log, stderr=log)  # noqa: S603
    url = f"http://{LOOPBACK}:{port}"
    process = Process("fake", popen, url, log_path)
    try:
        # Generating and serializing 100,000 keys takes a while; the timeout scales with them.
        _wait_until(f"{url}/health/liveliness", popen, 60 + keys / 1000, "the fake LiteLLM")
    except BaseException:
        process.stop()
        raise
    process.started_s = time.monotonic() - started
    return process


def start_api(
    fake_url: str,
    workdir: Path,
    label: str,
    settings: dict[str, str] | None = None,
    *,
    poll_s: float = 0.1,
) -> Process:
    """The API, once /api/healthz answers (polled every `poll_s`: a first load timed from then
    needs a fine poll, since the sync starts with the process, not with a request)."""
    port = free_port()
    log_path = workdir / f"api-{label}.log"
    env = {
        **_python_env(),
        "LITELLM_BASE_URL": fake_url,
        "LITELLM_API_KEY": FAKE_MASTER_KEY,
        "ADMIN_USERNAME": ADMIN_USERNAME,
        "ADMIN_PASSWORD": ADMIN_PASSWORD,
        "JWT_SECRET": JWT_SECRET,
        "METRICS_PORT": "0",
        **(settings or {}),
    }
    # The production command line (apps/api/Dockerfile), bound to loopback.
    command = [sys.executable, "-m", "uvicorn", "keydash_api.main:app", "--host", LOOPBACK]
    command += ["--port", str(port), "--no-proxy-headers", "--no-access-log"]
    command += ["--no-server-header", "--timeout-graceful-shutdown", "5"]
    started = time.monotonic()
    with log_path.open("wb") as log:
        popen = subprocess.Popen(command, env=env, stdout=log, stderr=log)  # noqa: S603
    url = f"http://{LOOPBACK}:{port}"
    process = Process("api", popen, url, log_path, env=dict(settings or {}))
    try:
        _wait_until(f"{url}/api/healthz", popen, 60, "the API", poll_s)
    except BaseException:
        process.stop()
        raise
    process.listening = time.monotonic()
    process.started_s = process.listening - started
    return process


def log_in(api_url: str) -> str:
    status, body, _ = http_json(
        "POST",
        f"{api_url}/api/auth/login",
        {"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD},
    )
    if status != 200:
        raise RuntimeError(f"login failed: HTTP {status} {body}")
    token: str = body["access_token"]
    return token


def fake_calls(fake_url: str) -> int:
    """/key/list calls the fake has answered so far (its /_fake/stats counter)."""
    status, body, _ = http_json("GET", f"{fake_url}/_fake/stats", timeout=60)
    if status != 200:
        raise RuntimeError(f"/_fake/stats answered HTTP {status}")
    calls: int = body["key_list_calls"]
    return calls

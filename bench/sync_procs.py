"""Processes for bench/sync_bench.py: the fake LiteLLM with its sync-era options, the API (the
current one, or an older commit's code from a git worktree) and their cleanup.

Every child is registered so that the benchmark stops it on any exit (normal, exception,
SIGINT/SIGTERM, its own time budget); each child also asks the kernel for SIGTERM when the
benchmark dies, so a SIGKILLed run leaves nothing behind.
"""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import processes
from processes import Process, free_port, http_json
from sync_metrics import read_metrics

LOOPBACK = processes.LOOPBACK
_CHILDREN: list[Process] = []
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    # Runs in the child between fork and exec: SIGTERM when the benchmark process goes away.
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


def stop_all() -> None:
    """Stop every child still running, newest first (each by its own pid)."""
    while _CHILDREN:
        child = _CHILDREN.pop()
        try:
            child.stop()
        except Exception as error:
            print(f"could not stop {child.name} ({child.pid}): {error}", file=sys.stderr)


def stop(child: Process) -> None:
    if child in _CHILDREN:
        _CHILDREN.remove(child)
    child.stop()


def _spawn(name: str, command: list[str], env: dict[str, str], log_path: Path, url: str) -> Process:
    with log_path.open("ab") as log:
        popen = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command, env=env, stdout=log, stderr=log, preexec_fn=_die_with_parent
        )
    child = Process(name, popen, url, log_path)
    _CHILDREN.append(child)
    return child


def _wait_ok(url: str, child: Process, timeout: float, poll: float = 0.02) -> float:
    """Poll `url` until 200; the monotonic time it first answered."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.popen.poll() is not None:
            tail = child.log_path.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{child.name} exited with {child.popen.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return time.monotonic()
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(poll)
    raise RuntimeError(f"{child.name} did not answer {url} within {timeout:.0f} s")


def start_fake(
    keys: int,
    workdir: Path,
    *,
    label: str,
    real_latency: bool = False,
    page_latency_ms: float = 0.0,
    per_1000_offset_ms: float = 0.0,
    seed: int = 7,
) -> Process:
    port = free_port()
    env = {**processes._python_env(), "FAKE_LITELLM_MASTER_KEY": processes.FAKE_MASTER_KEY}
    command = [sys.executable, "-m", "keydash_fakes.litellm", "--host", LOOPBACK]
    command += ["--port", str(port), "--keys", str(keys), "--seed", str(seed)]
    if real_latency:
        command.append("--real-latency")
    else:
        command += ["--page-latency-ms", str(page_latency_ms)]
        command += ["--latency-per-1000-offset-ms", str(per_1000_offset_ms)]
    started = time.monotonic()
    url = f"http://{LOOPBACK}:{port}"
    child = _spawn(f"fake-{label}", command, env, workdir / f"fake-{label}.log", url)
    try:
        # Generating and serializing the keys takes a while; the timeout scales with them.
        _wait_ok(f"{url}/health/liveliness", child, 60 + keys / 500, poll=0.2)
    except BaseException:
        stop(child)
        raise
    child.started_s = time.monotonic() - started
    return child


def fake_command(keys: int, *, real_latency: bool, page_latency_ms: float = 0.0) -> str:
    latency = "--real-latency" if real_latency else f"--page-latency-ms {page_latency_ms:g}"
    return f"python -m keydash_fakes.litellm --keys {keys} --seed 7 {latency}"


class Api:
    """An API process and what a benchmark needs of it."""

    def __init__(self, child: Process, metrics_port: int, spawned: float, listening: float):
        self.child = child
        self.metrics_port = metrics_port
        self.spawned = spawned  # monotonic: Popen
        self.listening = listening  # monotonic: first 200 from /api/healthz
        self.token = ""

    @property
    def url(self) -> str:
        return self.child.url

    def get(self, path: str, timeout: float = 30) -> tuple[int, Any]:
        status, body, _ = http_json(
            "GET",
            f"{self.url}{path}",
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=timeout,
        )
        return status, body

    def metrics(self) -> dict[str, float]:
        return read_metrics(self.metrics_port)


def start_api(
    fake_url: str,
    workdir: Path,
    label: str,
    settings: dict[str, str] | None = None,
    *,
    pythonpath: str | None = None,
) -> Api:
    port, metrics_port = free_port(), free_port()
    env = {
        **processes._python_env(),
        "LITELLM_BASE_URL": fake_url,
        "LITELLM_API_KEY": processes.FAKE_MASTER_KEY,
        "ADMIN_USERNAME": processes.ADMIN_USERNAME,
        "ADMIN_PASSWORD": processes.ADMIN_PASSWORD,
        "JWT_SECRET": processes.JWT_SECRET,
        "METRICS_PORT": str(metrics_port),
        **(settings or {}),
    }
    env.pop("PYTHONPATH", None)
    if pythonpath:
        # The older commit's packages shadow the installed (editable) ones.
        env["PYTHONPATH"] = pythonpath
    # The production command line (apps/api/Dockerfile), bound to loopback.
    command = [sys.executable, "-m", "uvicorn", "keydash_api.main:app", "--host", LOOPBACK]
    command += ["--port", str(port), "--no-proxy-headers", "--no-access-log"]
    command += ["--no-server-header", "--timeout-graceful-shutdown", "5"]
    url = f"http://{LOOPBACK}:{port}"
    spawned = time.monotonic()
    child = _spawn(f"api-{label}", command, env, workdir / f"api-{label}.log", url)
    try:
        listening = _wait_ok(f"{url}/api/healthz", child, 90)
        api = Api(child, metrics_port, spawned, listening)
        api.token = processes.log_in(url)
    except BaseException:
        stop(child)
        raise
    child.started_s = listening - spawned
    return api

"""Shared helpers for the delivery tests: finding tools, free ports, and child processes.

A missing tool skips a test on a developer's machine but fails it in CI (CI=true): a delivery
check that silently did not run would look exactly like one that passed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from keydash_fakes.ports import free_port as free_port

REPO = Path(__file__).resolve().parents[2]
TOOLS_BIN = REPO / ".tools" / "bin"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_tool(name: str, install_hint: str) -> str:
    """The tool's path; otherwise fail in CI, skip elsewhere."""
    search = os.pathsep.join([str(TOOLS_BIN), os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    found = shutil.which(name, path=search)
    if found:
        return found
    message = f"{name} is not installed ({install_hint})"
    if in_ci():
        pytest.fail(f"CI=true and {message}: this delivery check must run in CI", pytrace=False)
    pytest.skip(message)


def wait_for_http(
    url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 30
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited {process.returncode}:\n{log.read_text()}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds} s:\n{log.read_text()}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop one child we started, by its own PID, politely first."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def make_scratch() -> Path:
    """A world-readable temp dir: nginx started as root reads files in its workers as nobody."""
    path = Path(tempfile.mkdtemp(prefix="keydash-delivery-"))
    path.chmod(0o755)
    return path


def dockerfile_instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", path.read_text())
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            pairs.append((word.upper(), rest.strip()))
    return pairs

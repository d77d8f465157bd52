"""Where the reliability suites run: the checkout, loopback, free ports, and missing tools.

A prerequisite that is absent skips a check on a developer's machine but fails it in CI (CI=true).
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LOOPBACK = "127.0.0.1"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def missing(what: str) -> None:
    """A prerequisite is absent: skip on a developer's machine, fail in CI (CI=true)."""
    if in_ci():
        pytest.fail(f"CI=true and {what} is missing: this check must run in CI", pytrace=False)
    pytest.skip(f"{what} is missing")


def find_tool(name: str) -> str | None:
    search = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    return shutil.which(name, path=search)


_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A port nothing listens on, never one this process handed out before: a child told to use
    a port may not have bound it yet, and the kernel can offer the same free port twice."""
    while True:
        with socket.socket() as sock:
            sock.bind((LOOPBACK, 0))
            port = int(sock.getsockname()[1])
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port

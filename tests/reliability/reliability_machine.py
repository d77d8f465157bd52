"""Where the reliability suites run: the checkout, loopback, free ports, and missing tools.

A prerequisite that is absent skips a check on a developer's machine but fails it in CI (CI=true).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from keydash_fakes.ports import free_port as free_port

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

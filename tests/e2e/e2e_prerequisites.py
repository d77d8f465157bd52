"""What the browser journeys need before they start: Chromium, NGINX, playwright, axe-core, and
an up-to-date build of the SPA (apps/web/dist, built here when missing or stale)."""

# Tests start the tools they check (npm) with fixed arguments.
# ruff: noqa: S607

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from e2e_settings import AXE_JS, CHROMIUM, DIST, WEB

# --- prerequisites ------------------------------------------------------------------------------


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def missing(what: str) -> None:
    """A prerequisite is absent: fail loudly in CI (CI=true), skip with the reason elsewhere."""
    if in_ci():
        pytest.fail(f"CI=true and {what}: the browser journeys must run in CI", pytrace=False)
    pytest.skip(f"browser journeys skipped: {what}")


def find_tool(name: str) -> str | None:
    search = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    return shutil.which(name, path=search)


def check_prerequisites() -> None:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        missing(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    if find_tool("nginx") is None or find_tool("envsubst") is None:
        missing(
            "nginx is not installed (apt-get install -y --no-install-recommends nginx gettext-base)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("the playwright Python package is not installed (uv sync)")
    if not (WEB / "node_modules").is_dir() or not AXE_JS.is_file():
        missing("apps/web/node_modules (with axe-core) is not installed (cd apps/web && npm ci)")


# --- the built SPA ------------------------------------------------------------------------------

_WEB_INPUTS = ("src", "public", "index.html", "package.json", "package-lock.json", "vite.config.ts")


def _newest_input() -> float:
    newest = 0.0
    for name in (*_WEB_INPUTS, *(p.name for p in WEB.glob("tsconfig*.json"))):
        path = WEB / name
        paths = path.rglob("*") if path.is_dir() else [path]
        for item in paths:
            if item.is_file():
                newest = max(newest, item.stat().st_mtime)
    return newest


def dist_is_stale() -> bool:
    index = DIST / "index.html"
    return not index.is_file() or index.stat().st_mtime < _newest_input()


def ensure_dist() -> None:
    """Build apps/web/dist when it is missing or older than its sources (one builder at a time)."""
    if not dist_is_stale():
        return
    if find_tool("npm") is None:
        missing("apps/web/dist must be built and npm is not installed")
    lock_path = Path(tempfile.gettempdir()) / "keydash-web-build.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if dist_is_stale():
            built = subprocess.run(
                ["npm", "run", "build"],
                cwd=WEB,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            if built.returncode != 0:
                pytest.fail(
                    f"npm run build failed ({built.returncode}):\n{built.stdout}\n{built.stderr}",
                    pytrace=False,
                )

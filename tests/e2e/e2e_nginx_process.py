"""NGINX exactly as the web image starts it, serving a private copy of the built SPA."""

# Tests start the tools they check (sh, nginx) with fixed arguments.
# ruff: noqa: S603, S607

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from e2e_processes import Service, free_port, wait_for_answer
from e2e_settings import DIST, LOOPBACK, NGINX_ENTRYPOINT


def copy_web_root(scratch: Path) -> Path:
    """A private copy of dist/, so a rebuild during the run cannot pull assets from under us."""
    root = scratch / "web"
    shutil.copytree(DIST, root)
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return root


def start_nginx(scratch: Path, web_root: Path, api_port: int) -> Service:
    """NGINX exactly as the web image starts it: infra/nginx/entrypoint.sh renders the config.

    KEYDASH_REAL_IP_FROM trusts loopback as the proxy in front (as an ingress would be), so each
    browser context can be its own client address through X-Forwarded-For: the login rate limit
    (10/min per address) then applies per simulated person, as in production, and a suite that
    signs in twenty times a minute from one address is not mistaken for a password guesser.
    """
    port = free_port()
    runtime = scratch / f"nginx-{port}"
    env = {
        **os.environ,
        "KEYDASH_API_UPSTREAM": f"{LOOPBACK}:{api_port}",
        "KEYDASH_LISTEN": f"{LOOPBACK}:{port}",
        "KEYDASH_WEB_ROOT": str(web_root),
        "KEYDASH_NGINX_RUNTIME": str(runtime),
        "KEYDASH_REAL_IP_FROM": LOOPBACK,
        "PATH": os.environ.get("PATH", "") + ":/usr/sbin:/sbin",
    }
    checked = subprocess.run(
        ["sh", str(NGINX_ENTRYPOINT), "-t"], env=env, capture_output=True, timeout=30, check=False
    )
    if checked.returncode != 0:
        raise RuntimeError(f"nginx -t refused the rendered config:\n{checked.stderr.decode()}")
    log_path = scratch / f"nginx-{port}.log"
    with log_path.open("wb") as out:
        process = subprocess.Popen(
            ["sh", str(NGINX_ENTRYPOINT)], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    nginx = Service("nginx", process, port, log_path)
    wait_for_answer(f"{nginx.url}/index.html", nginx)
    return nginx

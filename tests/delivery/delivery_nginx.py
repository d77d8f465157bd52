"""The real nginx (Debian package) with infra/nginx, and the real Keydash API behind it, started
for the delivery tests on loopback; what every answer through nginx must carry.

The API runs as a uvicorn subprocess whose LITELLM_BASE_URL points at a port where nothing
listens: login works without LiteLLM, and /api/keys then answers the API's own 502 envelope.
nginx serves a dist/-like folder made here, so these tests do not depend on the real SPA build.
"""

# Starts the tools under test (uvicorn, and nginx through `sh` from PATH) with fixed arguments.
# ruff: noqa: S603, S607

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
from delivery_support import REPO, free_port, require_tool, wait_for_http

ENTRYPOINT = REPO / "infra" / "nginx" / "entrypoint.sh"
PASSWORD = "correct-horse-battery-staple"
INDEX_HTML = (
    '<!doctype html><html><head><script type="module" src="/assets/app-abc123.js"></script>'
    '</head><body><div id="root"></div></body></html>\n'
)
# Big enough to be worth compressing (gzip_min_length), so the gzip check means something.
APP_JS = "export const rows = [" + ",".join(f'"row-{n}"' for n in range(400)) + "];\n"
APP_CSS = "".join(f".c{n} {{ color: #{n:06x}; }}\n" for n in range(200))
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self' "
    "'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}


@dataclass
class Stack:
    url: str
    metrics_url: str
    origin: str
    nginx_log: Path


def dist(root: Path) -> Path:
    """A dist/-like folder: what `vite build` makes, without depending on the real build."""
    dist = root / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(INDEX_HTML)
    (dist / "favicon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (dist / "assets" / "app-abc123.js").write_text(APP_JS)
    (dist / "assets" / "app-abc123.css").write_text(APP_CSS)
    return dist


def start_api(scratch: Path) -> tuple[subprocess.Popen[bytes], int, int]:
    port, metrics_port, dead_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "LITELLM_BASE_URL": f"http://127.0.0.1:{dead_port}",
        "LITELLM_API_KEY": "sk-delivery-test",
        "ADMIN_USERNAME": "admin",
        "ADMIN_PASSWORD": PASSWORD,
        "JWT_SECRET": "delivery-test-secret-" + "x" * 40,
        "METRICS_PORT": str(metrics_port),
        "TRUSTED_PROXIES": "127.0.0.1",
        "LOGIN_MAX_FAILURES_PER_ADDRESS": "3",
        "UPSTREAM_MAX_ATTEMPTS": "1",
        "UPSTREAM_CONNECT_TIMEOUT_SECONDS": "1",
    }
    log = scratch / "api.log"
    # --no-proxy-headers: the image runs uvicorn this way, so only TRUSTED_PROXIES decides.
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "keydash_api.main:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-proxy-headers",
        "--no-access-log",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    wait_for_http(f"http://127.0.0.1:{port}/api/healthz", process, log)
    return process, port, metrics_port


def start_nginx(
    scratch: Path, dist: Path, upstream: str, **extra_env: str
) -> tuple[subprocess.Popen[bytes], str, Path]:
    require_tool("nginx", "apt-get install -y --no-install-recommends nginx")
    require_tool("envsubst", "apt-get install -y gettext-base")
    port = free_port()
    runtime = scratch / f"nginx-{port}"
    env = {
        **os.environ,
        "KEYDASH_API_UPSTREAM": upstream,
        "KEYDASH_LISTEN": f"127.0.0.1:{port}",
        "KEYDASH_WEB_ROOT": str(dist),
        "KEYDASH_NGINX_RUNTIME": str(runtime),
        "PATH": os.environ.get("PATH", "") + ":/usr/sbin",
        **extra_env,
    }
    log = scratch / f"nginx-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            ["sh", str(ENTRYPOINT)], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    wait_for_http(url + "/", process, log)
    return process, url, log


def assert_security_headers(response: httpx.Response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (
            f"{name} on {response.request.url} ({response.status_code})"
        )
    assert "camera=()" in response.headers["permissions-policy"]
    assert "strict-transport-security" not in response.headers  # only with KEYDASH_HSTS=true
    assert response.headers["server"] == "nginx"  # server_tokens off: no version


def assert_envelope(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert error["request_id"] == response.headers["x-request-id"]

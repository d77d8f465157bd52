"""The real nginx (Debian package) with infra/nginx, in front of the real Keydash API, on loopback.

The API runs as a uvicorn subprocess whose LITELLM_BASE_URL points at a port where nothing
listens: login works without LiteLLM, and /api/keys then answers the API's own 502 envelope.
"""

# Tests start the tools they check (nginx, helm, hadolint) and name /tmp in fixtures.
# ruff: noqa: S603, S607

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from delivery_support import REPO, free_port, make_scratch, require_tool, stop, wait_for_http

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


def _dist(root: Path) -> Path:
    """A dist/-like folder: what `vite build` makes, without depending on the real build."""
    dist = root / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(INDEX_HTML)
    (dist / "favicon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (dist / "assets" / "app-abc123.js").write_text(APP_JS)
    (dist / "assets" / "app-abc123.css").write_text(APP_CSS)
    return dist


def _start_api(scratch: Path) -> tuple[subprocess.Popen[bytes], int, int]:
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


def _start_nginx(
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


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    scratch = make_scratch()
    processes: list[subprocess.Popen[bytes]] = []
    try:
        api, api_port, metrics_port = _start_api(scratch)
        processes.append(api)
        # Trust loopback as a proxy so each test can be "a different client" via X-Forwarded-For.
        nginx, url, log = _start_nginx(
            scratch, _dist(scratch), f"127.0.0.1:{api_port}", KEYDASH_REAL_IP_FROM="127.0.0.1"
        )
        processes.append(nginx)
        yield Stack(url, f"http://127.0.0.1:{metrics_port}/metrics", url, log)
    finally:
        for process in reversed(processes):
            stop(process)
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture
def client(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=stack.url, timeout=10) as http:
        yield http


def _login(
    client: httpx.Client,
    stack: Stack,
    client_ip: str,
    password: str = PASSWORD,
    username: str = "admin",
) -> httpx.Response:
    return client.post(
        "/api/auth/login",
        json={"username": username, "password": password},
        headers={"Origin": stack.origin, "X-Forwarded-For": client_ip},
    )


def _assert_security_headers(response: httpx.Response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (
            f"{name} on {response.request.url} ({response.status_code})"
        )
    assert "camera=()" in response.headers["permissions-policy"]
    assert "strict-transport-security" not in response.headers  # only with KEYDASH_HSTS=true
    assert response.headers["server"] == "nginx"  # server_tokens off: no version


def _assert_envelope(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert error["request_id"] == response.headers["x-request-id"]


def test_client_routes_fall_back_to_index_html_uncached(client: httpx.Client) -> None:
    for path in ("/", "/keys", "/keys/some/deep/route", "/login?next=/keys"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.text == INDEX_HTML, path
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["cache-control"] == "no-store", path
        _assert_security_headers(response)


def test_hashed_assets_are_immutable_for_a_year(client: httpx.Client) -> None:
    for path, kind in (
        ("/assets/app-abc123.js", "javascript"),
        ("/assets/app-abc123.css", "text/css"),
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert kind in response.headers["content-type"]
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        _assert_security_headers(response)


def test_unhashed_root_files_revalidate(client: httpx.Client) -> None:
    response = client.get("/favicon.svg")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"


def test_missing_asset_is_404_not_index_html(client: httpx.Client) -> None:
    response = client.get("/assets/app-gone999.js")
    assert response.status_code == 404
    assert "root" not in response.text
    assert response.headers["cache-control"] == "no-store"  # a 404 must never be cached
    _assert_security_headers(response)


def test_text_is_gzipped(client: httpx.Client) -> None:
    for path in ("/assets/app-abc123.js", "/assets/app-abc123.css"):
        # stream=True keeps the body as sent, so we see the encoding nginx chose.
        with client.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as response:
            raw = b"".join(response.iter_raw())
        assert response.headers.get("content-encoding") == "gzip", path
        assert "accept-encoding" in response.headers.get("vary", "").lower()
        assert len(raw) < len(APP_JS if path.endswith(".js") else APP_CSS)
        assert gzip.decompress(raw).decode().startswith(("export", ".c0"))
    plain = client.get("/assets/app-abc123.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers


def test_api_is_routed_with_no_store_and_request_id(client: httpx.Client) -> None:
    response = client.get("/api/healthz", headers={"X-Request-ID": "trace-0123456789"})
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-request-id"] == "trace-0123456789"  # nginx passed it on
    _assert_security_headers(response)
    generated = client.get("/api/healthz").headers["x-request-id"]
    assert len(generated) == 32  # nginx's $request_id, handed to the API


def test_api_errors_keep_headers_and_envelope(client: httpx.Client) -> None:
    unauthenticated = client.get("/api/keys")
    _assert_envelope(unauthenticated, 401, "not_authenticated")
    _assert_security_headers(unauthenticated)
    assert unauthenticated.headers["cache-control"] == "no-store"
    unknown = client.get("/api/nope")
    _assert_envelope(unknown, 404, "not_found")
    _assert_security_headers(unknown)


def test_login_sets_the_session_cookie_and_it_works(client: httpx.Client, stack: Stack) -> None:
    response = _login(client, stack, "198.51.100.10")
    assert response.status_code == 200, response.text
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("keydash_session=")
    for attribute in ("HttpOnly", "Path=/api", "SameSite=strict"):
        assert attribute in cookie
    assert response.headers["cache-control"] == "no-store"
    _assert_security_headers(response)
    me = client.get("/api/auth/me")  # the client kept the cookie
    assert me.status_code == 200
    assert me.json()["username"] == "admin"


def test_upstream_failure_is_the_apis_own_502(client: httpx.Client, stack: Stack) -> None:
    assert _login(client, stack, "198.51.100.11").status_code == 200
    response = client.get("/api/keys")
    # The API's envelope passed through untouched, not replaced by nginx's 502 page.
    _assert_envelope(response, 502, "upstream_unavailable")
    _assert_security_headers(response)


def test_cross_site_post_is_refused_so_host_reaches_the_api(client: httpx.Client) -> None:
    # Same-origin logins succeed (other tests) only if the API saw Host with its port;
    # a cross-site Origin must be refused by the API behind nginx.
    response = client.post(
        "/api/auth/login",
        json={"username": "admin", "password": PASSWORD},
        headers={"Origin": "https://evil.example", "X-Forwarded-For": "198.51.100.12"},
    )
    _assert_envelope(response, 403, "forbidden_origin")
    _assert_security_headers(response)


def test_metrics_are_not_routed(client: httpx.Client, stack: Stack) -> None:
    direct = httpx.get(stack.metrics_url, timeout=5)
    assert direct.status_code == 200
    assert "keydash_http_request_duration_seconds" in direct.text  # they exist, on their own port
    for path in ("/metrics", "/api/metrics", "/api/../metrics"):
        response = client.get(path)
        assert "keydash_http_request_duration_seconds" not in response.text, path


def test_login_rate_limit_answers_json_429(client: httpx.Client, stack: Stack) -> None:
    statuses = []
    for _ in range(10):
        response = _login(
            client, stack, "198.51.100.30", password="wrong-password", username="rl-user"
        )
        statuses.append(response.status_code)
        if response.status_code == 429 and response.json()["error"]["code"] == "too_many_requests":
            break
    else:
        pytest.fail(f"nginx never rate limited the login: {statuses}")
    _assert_envelope(response, 429, "too_many_requests")
    assert response.headers["retry-after"] == "60"
    assert response.headers["cache-control"] == "no-store"
    _assert_security_headers(response)
    # Burst 5 with nodelay: six attempts pass, the next is refused.
    assert len(statuses) == 7, statuses
    # Another client is unaffected: the limit is per address, as nginx determined it.
    assert _login(client, stack, "198.51.100.31").status_code == 200


def test_client_address_reaches_the_api(client: httpx.Client, stack: Stack) -> None:
    # LOGIN_MAX_FAILURES_PER_ADDRESS=3 in the API: it throttles the client nginx named,
    # not nginx's own address (which every request shares).
    for _ in range(3):
        assert (
            _login(client, stack, "203.0.113.7", "wrong-password", "addr-user").status_code == 401
        )
    throttled = _login(client, stack, "203.0.113.7", "wrong-password", "addr-user")
    _assert_envelope(throttled, 429, "too_many_attempts")  # the API's code, not nginx's
    assert _login(client, stack, "203.0.113.8", "wrong-password", "addr-user").status_code == 401


def test_oversized_body_is_json_413(client: httpx.Client, stack: Stack) -> None:
    response = client.post(
        "/api/auth/login",
        content=b'{"username": "' + b"a" * 100_000 + b'"}',
        headers={
            "Content-Type": "application/json",
            "Origin": stack.origin,
            "X-Forwarded-For": "198.51.100.40",
        },
    )
    _assert_envelope(response, 413, "payload_too_large")
    _assert_security_headers(response)


def test_access_log_is_json_with_the_request_id(client: httpx.Client, stack: Stack) -> None:
    client.get("/api/healthz", headers={"X-Request-ID": "logged-request-42"})
    stop_marker = '"request_id":"logged-request-42"'
    assert any(stop_marker in line for line in stack.nginx_log.read_text().splitlines())


@pytest.fixture
def down_stack() -> Iterator[tuple[str, Path]]:
    """nginx whose API is not running, with HSTS switched on."""
    scratch = make_scratch()
    process = None
    try:
        process, url, _ = _start_nginx(
            scratch, _dist(scratch), f"127.0.0.1:{free_port()}", KEYDASH_HSTS="true"
        )
        yield url, scratch
    finally:
        if process is not None:
            stop(process)
        shutil.rmtree(scratch, ignore_errors=True)


def test_api_down_is_json_502_with_headers(down_stack: tuple[str, Path]) -> None:
    url, _ = down_stack
    response = httpx.get(url + "/api/keys", timeout=10)
    _assert_envelope(response, 502, "api_unavailable")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert (
        response.headers["content-security-policy"] == SECURITY_HEADERS["content-security-policy"]
    )


def test_hsts_only_when_switched_on(down_stack: tuple[str, Path]) -> None:
    url, _ = down_stack
    for path in ("/", "/assets/app-abc123.js", "/api/healthz", "/assets/missing.js"):
        response = httpx.get(url + path, timeout=10)
        assert (
            response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
        ), path


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "KEYDASH_API_UPSTREAM is required"),
        ({"KEYDASH_API_UPSTREAM": "api:8000; include /etc/passwd"}, "must be host:port"),
        (
            {"KEYDASH_API_UPSTREAM": "api:8000", "KEYDASH_REAL_IP_FROM": "10.0.0.0/8,evil;"},
            "not an address",
        ),
        ({"KEYDASH_API_UPSTREAM": "api:8000", "KEYDASH_HSTS": "yes"}, "KEYDASH_HSTS must be"),
    ],
)
def test_entrypoint_refuses_bad_settings(env: dict[str, str], message: str, tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith("KEYDASH_")}
    result = subprocess.run(
        ["sh", str(ENTRYPOINT), "-t"],
        env={**base, "KEYDASH_NGINX_RUNTIME": str(tmp_path / "rt"), **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert message in result.stderr

"""nginx in front of the running API: the SPA's files with their caching, compression and security
headers, and the API routed with its own answers, the client's address, and nginx's own limits.

One stack (the API process and nginx, see delivery_nginx) serves every test here.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
from collections.abc import Iterator

import httpx
import pytest
from delivery_nginx import (
    APP_CSS,
    APP_JS,
    INDEX_HTML,
    PASSWORD,
    Stack,
    assert_envelope,
    assert_security_headers,
    dist,
    start_api,
    start_nginx,
)
from delivery_support import make_scratch, stop


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    scratch = make_scratch()
    processes: list[subprocess.Popen[bytes]] = []
    try:
        api, api_port, metrics_port = start_api(scratch)
        processes.append(api)
        # Trust loopback as a proxy so each test can be "a different client" via X-Forwarded-For.
        nginx, url, log = start_nginx(
            scratch, dist(scratch), f"127.0.0.1:{api_port}", KEYDASH_REAL_IP_FROM="127.0.0.1"
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


def test_client_routes_fall_back_to_index_html_uncached(client: httpx.Client) -> None:
    for path in ("/", "/keys", "/keys/some/deep/route", "/login?next=/keys"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.text == INDEX_HTML, path
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["cache-control"] == "no-store", path
        assert_security_headers(response)


def test_hashed_assets_are_immutable_for_a_year(client: httpx.Client) -> None:
    for path, kind in (
        ("/assets/app-abc123.js", "javascript"),
        ("/assets/app-abc123.css", "text/css"),
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert kind in response.headers["content-type"]
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert_security_headers(response)


def test_unhashed_root_files_revalidate(client: httpx.Client) -> None:
    response = client.get("/favicon.svg")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"


def test_missing_asset_is_404_not_index_html(client: httpx.Client) -> None:
    response = client.get("/assets/app-gone999.js")
    assert response.status_code == 404
    assert "root" not in response.text
    assert response.headers["cache-control"] == "no-store"  # a 404 must never be cached
    assert_security_headers(response)


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
    assert_security_headers(response)
    generated = client.get("/api/healthz").headers["x-request-id"]
    assert len(generated) == 32  # nginx's $request_id, handed to the API


def test_api_errors_keep_headers_and_envelope(client: httpx.Client) -> None:
    unauthenticated = client.get("/api/keys")
    assert_envelope(unauthenticated, 401, "not_authenticated")
    assert_security_headers(unauthenticated)
    assert unauthenticated.headers["cache-control"] == "no-store"
    unknown = client.get("/api/nope")
    assert_envelope(unknown, 404, "not_found")
    assert_security_headers(unknown)


def test_login_sets_the_session_cookie_and_it_works(client: httpx.Client, stack: Stack) -> None:
    response = _login(client, stack, "198.51.100.10")
    assert response.status_code == 200, response.text
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("keydash_session=")
    for attribute in ("HttpOnly", "Path=/api", "SameSite=strict"):
        assert attribute in cookie
    assert response.headers["cache-control"] == "no-store"
    assert_security_headers(response)
    me = client.get("/api/auth/me")  # the client kept the cookie
    assert me.status_code == 200
    assert me.json()["username"] == "admin"


def test_upstream_failure_is_the_apis_own_502(client: httpx.Client, stack: Stack) -> None:
    assert _login(client, stack, "198.51.100.11").status_code == 200
    response = client.get("/api/keys")
    # The API's envelope passed through untouched, not replaced by nginx's 502 page.
    assert_envelope(response, 502, "upstream_unavailable")
    assert_security_headers(response)


def test_cross_site_post_is_refused_so_host_reaches_the_api(client: httpx.Client) -> None:
    # Same-origin logins succeed (other tests) only if the API saw Host with its port;
    # a cross-site Origin must be refused by the API behind nginx.
    response = client.post(
        "/api/auth/login",
        json={"username": "admin", "password": PASSWORD},
        headers={"Origin": "https://evil.example", "X-Forwarded-For": "198.51.100.12"},
    )
    assert_envelope(response, 403, "forbidden_origin")
    assert_security_headers(response)


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
    assert_envelope(response, 429, "too_many_requests")
    assert response.headers["retry-after"] == "60"
    assert response.headers["cache-control"] == "no-store"
    assert_security_headers(response)
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
    assert_envelope(throttled, 429, "too_many_attempts")  # the API's code, not nginx's
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
    assert_envelope(response, 413, "payload_too_large")
    assert_security_headers(response)


def test_access_log_is_json_with_the_request_id(client: httpx.Client, stack: Stack) -> None:
    client.get("/api/healthz", headers={"X-Request-ID": "logged-request-42"})
    stop_marker = '"request_id":"logged-request-42"'
    assert any(stop_marker in line for line in stack.nginx_log.read_text().splitlines())

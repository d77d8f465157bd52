"""Bad requests: login bodies of every wrong shape and size, unknown routes and methods, and
request ids that are not safe to echo. Each gets a clear 4xx in the error envelope.

Every test gets a fresh app: failed logins must not throttle the next test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from reliability_answers import assert_envelope
from reliability_in_process import build_app
from reliability_leak_guard import watched

# --- login edge cases ---------------------------------------------------------------------------


@pytest.fixture
def login_client() -> Iterator[TestClient]:
    # A fresh app per test: failed logins must not throttle the next test.
    app, _ = build_app()
    with TestClient(app, base_url="http://keydash.test") as http:
        watched(http)
        yield http


JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"content": b"", "headers": JSON}, 422, "invalid_request"),
        ({}, 422, "invalid_request"),
        ({"content": b"{}", "headers": JSON}, 422, "invalid_request"),
        ({"content": b"null", "headers": JSON}, 422, "invalid_request"),
        ({"content": b"[]", "headers": JSON}, 422, "invalid_request"),
        ({"content": b'"admin"', "headers": JSON}, 422, "invalid_request"),
        ({"json": {"username": "admin"}}, 422, "invalid_request"),
        ({"json": {"password": "x"}}, 422, "invalid_request"),
        ({"json": {"username": None, "password": None}}, 422, "invalid_request"),
        ({"json": {"username": 1, "password": 2}}, 422, "invalid_request"),
        ({"json": {"username": ["admin"], "password": {"a": 1}}}, 422, "invalid_request"),
        ({"json": {"username": "", "password": ""}}, 422, "invalid_request"),
        ({"content": b"{not json", "headers": JSON}, 400, "invalid_request"),
        ({"content": b'{"username": "admin",', "headers": JSON}, 400, "invalid_request"),
        ({"content": b"\xff\xfe\x00", "headers": JSON}, 400, "invalid_request"),
        (
            {"content": b"username=admin&password=x", "headers": {"content-type": "text/plain"}},
            422,
            "invalid_request",
        ),
        ({"data": {"username": "admin", "password": "x"}}, 422, "invalid_request"),
        (
            {"content": b"<login/>", "headers": {"content-type": "application/xml"}},
            422,
            "invalid_request",
        ),
        ({"json": {"username": "admin", "password": "p" * 1025}}, 422, "invalid_request"),
        ({"json": {"username": "a" * 257, "password": "x"}}, 422, "invalid_request"),
    ],
    ids=lambda value: json.dumps(value, default=str)[:50] if isinstance(value, dict) else None,
)
def test_bad_login_bodies_get_a_clear_4xx(
    login_client: TestClient, kwargs: dict[str, Any], status: int, code: str
) -> None:
    response = login_client.post("/api/auth/login", **kwargs)
    assert_envelope(response, status, code)
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize("size", [16_385, 100_000, 5_000_000])
def test_huge_declared_bodies_are_refused_by_size(login_client: TestClient, size: int) -> None:
    body = json.dumps({"username": "admin", "password": "p" * size}).encode()
    response = login_client.post("/api/auth/login", content=body, headers=JSON)
    assert_envelope(response, 413, "payload_too_large")


def test_huge_streamed_bodies_are_refused_by_size(login_client: TestClient) -> None:
    # No Content-Length (chunked): the limit must hold while the body streams in.
    def chunks() -> Iterator[bytes]:
        yield b'{"username": "admin", "password": "'
        for _ in range(64):
            yield b"p" * 1024
        yield b'"}'

    response = login_client.post("/api/auth/login", content=chunks(), headers=JSON)
    assert_envelope(response, 413, "payload_too_large")


def test_a_lying_content_length_is_refused(login_client: TestClient) -> None:
    response = login_client.post(
        "/api/auth/login", content=b"{}", headers={**JSON, "content-length": "abc"}
    )
    assert response.status_code in (400, 413)


def test_non_ascii_credentials_are_just_wrong(login_client: TestClient) -> None:
    for username, password in [("admín", "pässwörd"), ("\u202eadmin", "x" * 8), ("😀", "😀")]:
        response = login_client.post(
            "/api/auth/login", json={"username": username, "password": password}
        )
        assert_envelope(response, 401, "invalid_credentials")


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/auth/login", 405),
        ("PUT", "/api/keys", 405),
        ("DELETE", "/api/keys", 405),
        ("GET", "/api/nope", 404),
        ("GET", "/api/keys/../../etc/passwd", 404),
        ("GET", "/api/%2e%2e/%2e%2e/etc/passwd", 404),
        ("GET", "/", 404),
    ],
)
def test_unknown_routes_and_methods_use_the_envelope(
    login_client: TestClient, method: str, path: str, status: int
) -> None:
    assert_envelope(login_client.request(method, path), status)


@pytest.mark.parametrize(
    "request_id",
    ["short", "x" * 65, "has space", "<script>", "a\r\nSet-Cookie: x=1", "ok-request-id-123"],
)
def test_request_ids_are_echoed_only_when_safe(login_client: TestClient, request_id: str) -> None:
    try:
        response = login_client.get("/api/nope", headers={"x-request-id": request_id})
    except httpx.LocalProtocolError:
        return  # the client refuses to send it, which is also fine
    echoed = response.headers["x-request-id"]
    if request_id == "ok-request-id-123":
        assert echoed == request_id
    else:
        assert echoed != request_id
        assert len(echoed) == 32

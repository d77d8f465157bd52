from datetime import timedelta

import jwt
import pytest
from api_support import JWT_SECRET, PASSWORD, USERNAME, logged_in, make_app, memory_repository
from fastapi.testclient import TestClient
from keydash_adapters.auth.jwt_tokens import AUDIENCE, ISSUER
from keydash_fakes.memory import FixedClock


@pytest.fixture
def client() -> TestClient:
    app, _ = make_app(memory_repository())
    return TestClient(app, base_url="http://keydash.test")


def test_login_sets_a_locked_down_cookie_and_returns_the_token(client: TestClient) -> None:
    response = client.post("/api/auth/login", json={"username": USERNAME, "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600
    assert body["username"] == USERNAME
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"keydash_session={body['access_token']}")
    for attribute in ("HttpOnly", "SameSite=strict", "Path=/api", "Max-Age=3600"):
        assert attribute.lower() in cookie.lower()
    assert "secure" not in cookie.lower()
    assert response.headers["cache-control"] == "no-store"


def test_secure_cookie_when_configured() -> None:
    app, _ = make_app(memory_repository(), cookie_secure=True)
    response = TestClient(app).post(
        "/api/auth/login", json={"username": USERNAME, "password": PASSWORD}
    )
    assert "; secure" in response.headers["set-cookie"].lower()


@pytest.mark.parametrize(
    "body",
    [{"username": USERNAME, "password": "wrong"}, {"username": "root", "password": PASSWORD}],
)
def test_wrong_credentials_get_the_same_answer(client: TestClient, body: dict[str, str]) -> None:
    response = client.post("/api/auth/login", json=body)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_credentials"
    assert "set-cookie" not in response.headers


def test_me_works_with_cookie_and_with_bearer(client: TestClient) -> None:
    token = logged_in(client).cookies["keydash_session"]
    assert client.get("/api/auth/me").json()["username"] == USERNAME
    fresh = TestClient(client.app)
    bearer = fresh.get("/api/auth/me", headers={"authorization": f"Bearer {token}"})
    assert bearer.status_code == 200


def test_logout_clears_the_cookie(client: TestClient) -> None:
    logged_in(client)
    response = client.post("/api/auth/logout")
    assert response.status_code == 204
    assert 'keydash_session=""' in response.headers["set-cookie"]
    assert "Max-Age=0" in response.headers["set-cookie"]
    assert client.get("/api/auth/me").status_code == 401


@pytest.mark.parametrize(
    "path", ["/api/keys", "/api/keys/facets", "/api/keys/export", "/api/status", "/api/auth/me"]
)
def test_protected_routes_need_a_session(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "not_authenticated"
    assert error["request_id"] == response.headers["x-request-id"]


def _token(**claims: object) -> str:
    now = FixedClock().now()
    payload = {"sub": USERNAME, "iat": now, "nbf": now, "exp": now + timedelta(hours=1)}
    payload |= {"iss": ISSUER, "aud": AUDIENCE} | claims
    return jwt.encode(payload, JWT_SECRET, algorithm="HS256")


def test_expired_session_says_so() -> None:
    clock = FixedClock()
    app, _ = make_app(memory_repository(), clock=clock)
    client = logged_in(TestClient(app))
    clock.advance(3600 + 60)
    response = client.get("/api/keys")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_expired"


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(_token(sub="someone-else"), id="unknown-subject"),
        pytest.param(_token(aud="other"), id="wrong-audience"),
        pytest.param(jwt.encode({"sub": USERNAME}, JWT_SECRET), id="missing-claims"),
        pytest.param("garbage", id="garbage"),
    ],
)
def test_invalid_tokens_are_refused(token: str) -> None:
    app, _ = make_app(memory_repository(), clock=FixedClock())
    response = TestClient(app).get("/api/keys", headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


def test_a_valid_token_from_our_clock_is_accepted() -> None:
    app, _ = make_app(memory_repository(), clock=FixedClock())
    response = TestClient(app).get("/api/keys", headers={"authorization": f"Bearer {_token()}"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "null", "http://keydash.test.evil.example"]
)
def test_cross_site_posts_are_refused(client: TestClient, origin: str) -> None:
    response = client.post(
        "/api/auth/login",
        json={"username": USERNAME, "password": PASSWORD},
        headers={"origin": origin},
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden_origin"


def test_same_origin_post_is_allowed(client: TestClient) -> None:
    response = client.post(
        "/api/auth/login",
        json={"username": USERNAME, "password": PASSWORD},
        headers={"origin": "http://keydash.test"},
    )
    assert response.status_code == 200


def test_configured_extra_origin_is_allowed() -> None:
    app, _ = make_app(memory_repository(), allowed_origins="http://localhost:5173")
    response = TestClient(app).post(
        "/api/auth/login",
        json={"username": USERNAME, "password": PASSWORD},
        headers={"origin": "http://localhost:5173"},
    )
    assert response.status_code == 200


def test_login_throttle_answers_429_with_retry_after() -> None:
    app, _ = make_app(memory_repository(), login_max_failures_per_address=3)
    client = TestClient(app)
    for _ in range(3):
        client.post("/api/auth/login", json={"username": USERNAME, "password": "x"})
    response = client.post("/api/auth/login", json={"username": USERNAME, "password": PASSWORD})
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "too_many_attempts"
    assert 0 < int(response.headers["retry-after"]) <= 300


def test_throttle_uses_forwarded_address_only_from_trusted_proxy() -> None:
    app, _ = make_app(memory_repository(), login_max_failures_per_address=2)
    # TestClient's peer is "testclient", not an IP, so it is never trusted: X-Forwarded-For is
    # ignored and every attempt counts against the same address.
    client = TestClient(app)
    for i in range(2):
        client.post(
            "/api/auth/login",
            json={"username": USERNAME, "password": "x"},
            headers={"x-forwarded-for": f"10.0.0.{i}"},
        )
    response = client.post(
        "/api/auth/login",
        json={"username": USERNAME, "password": PASSWORD},
        headers={"x-forwarded-for": "10.0.0.99"},
    )
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        (
            {"content": b"{not json", "headers": {"content-type": "application/json"}},
            400,
            "invalid_request",
        ),
        ({"json": {}}, 422, "invalid_request"),
        ({"json": {"username": "", "password": "x"}}, 422, "invalid_request"),
        ({"json": {"username": "a" * 300, "password": "x"}}, 422, "invalid_request"),
        ({"json": {"username": USERNAME, "password": "p" * 20_000}}, 413, "payload_too_large"),
        ({"data": {"username": USERNAME, "password": PASSWORD}}, 422, "invalid_request"),
    ],
)
def test_bad_login_bodies_get_clear_4xx(
    client: TestClient, kwargs: dict[str, object], status: int, code: str
) -> None:
    response = client.post("/api/auth/login", **kwargs)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code

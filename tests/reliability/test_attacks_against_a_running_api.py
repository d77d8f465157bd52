"""Attacks on a running API: password guessing, session cookies, and what its metrics and logs
let out.

Password guessing runs against a real uvicorn process that trusts 127.0.0.1 as its proxy, so each
attempt can come from a different client address through X-Forwarded-For, as it would behind
NGINX. The same process, once guessed at, must show no secret in its metrics or its log.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest
from api_support import JWT_SECRET, LITELLM_KEY, PASSWORD, USERNAME
from fastapi.testclient import TestClient
from reliability_answers import assert_envelope
from reliability_api_process import ApiProcess, start_api
from reliability_clients import login_body
from reliability_fake_litellm import FakeServer, new_fake
from reliability_in_process import build_app
from reliability_leak_guard import RAW_KEY_PATTERN, watched

# --- password guessing --------------------------------------------------------------------------

PER_ADDRESS = 10  # LOGIN_MAX_FAILURES_PER_ADDRESS, as documented
PER_USERNAME = 20  # LOGIN_MAX_FAILURES_PER_USERNAME, as documented
WINDOW = 300  # LOGIN_THROTTLE_WINDOW_SECONDS, as documented


@pytest.fixture(scope="module")
def guarded() -> Iterator[ApiProcess]:
    """A real API with the documented throttle defaults, trusting loopback as its proxy."""
    server = FakeServer(new_fake(10)).start()
    api = start_api(server.url, TRUSTED_PROXIES="127.0.0.1")
    try:
        yield api
    finally:
        api.stop()
        server.stop()


@pytest.fixture
def http(guarded: ApiProcess) -> Iterator[httpx.Client]:
    with watched(httpx.Client(base_url=guarded.url, timeout=10)) as client:
        yield client


def _attempt(
    http: httpx.Client,
    address: str,
    username: str = USERNAME,
    password: str = "wrong-password",  # noqa: S107 - a wrong one, on purpose
) -> httpx.Response:
    return http.post(
        "/api/auth/login",
        json={"username": username, "password": password},
        headers={"x-forwarded-for": address},
    )


def _retry_after(response: httpx.Response) -> int:
    assert_envelope(response, 429, "too_many_attempts")
    wait = int(response.headers["retry-after"])
    assert 1 <= wait <= WINDOW
    assert str(wait) in response.json()["error"]["message"]
    return wait


def test_throttle_per_address_after_the_documented_failures(http: httpx.Client) -> None:
    attacker = "198.51.100.1"
    for attempt in range(PER_ADDRESS):
        response = _attempt(http, attacker, username=f"guess-{attempt}")
        assert_envelope(response, 401, "invalid_credentials")
    _retry_after(_attempt(http, attacker, username="guess-next"))
    # Throttled means throttled: even the right password learns nothing from this address.
    _retry_after(_attempt(http, attacker, password=PASSWORD))
    # Everyone else is unaffected: the admin from another address, a stranger elsewhere.
    assert _attempt(http, "198.51.100.2", password=PASSWORD).status_code == 200
    assert_envelope(_attempt(http, "198.51.100.3", username="guess-0"), 401, "invalid_credentials")


def test_throttle_per_username_across_many_addresses(http: httpx.Client) -> None:
    # A distributed guesser: one failure from each of 20 addresses against one account.
    for n in range(PER_USERNAME):
        assert _attempt(http, f"203.0.113.{n + 1}", username="victim").status_code == 401
    _retry_after(_attempt(http, "203.0.113.1", username="victim"))
    _retry_after(_attempt(http, "203.0.113.3", username="VICTIM"))  # same account, any case
    # A fresh address gets one try (so nobody can lock the real user out from afar), then the
    # account's lock binds it too: a distributed guesser gets one guess per address, not ten.
    assert_envelope(_attempt(http, "203.0.113.200", username="victim"), 401, "invalid_credentials")
    _retry_after(_attempt(http, "203.0.113.200", username="victim"))
    # Other accounts, and the admin, from those very addresses, are not locked out.
    assert_envelope(_attempt(http, "203.0.113.1", username="bystander"), 401, "invalid_credentials")
    assert _attempt(http, "203.0.113.2", password=PASSWORD).status_code == 200


def test_the_client_is_the_last_untrusted_hop_not_what_it_claims(http: httpx.Client) -> None:
    # The attacker writes its own X-Forwarded-For; the trusted proxy appends the real address.
    for n in range(PER_ADDRESS):
        spoofed = f"10.{n}.0.1, 192.0.2.77"
        assert _attempt(http, spoofed, username=f"spoof-{n}").status_code == 401
    _retry_after(_attempt(http, "10.99.0.1, 192.0.2.77", username="spoof-x"))


def test_a_success_clears_the_address_count(http: httpx.Client) -> None:
    address = "198.51.100.60"
    for n in range(PER_ADDRESS - 1):
        assert _attempt(http, address, username=f"typo-{n}").status_code == 401
    assert _attempt(http, address, password=PASSWORD).status_code == 200
    for n in range(PER_ADDRESS - 1):
        assert _attempt(http, address, username=f"typo-again-{n}").status_code == 401
    assert _attempt(http, address, password=PASSWORD).status_code == 200


def test_session_cookie_attributes_over_http(http: httpx.Client) -> None:
    response = _attempt(http, "198.51.100.70", password=PASSWORD)
    assert response.status_code == 200
    cookies = response.headers.get_list("set-cookie")
    assert len(cookies) == 1
    attributes = [part.strip() for part in cookies[0].split(";")]
    name, _, value = attributes[0].partition("=")
    assert (name, value) == ("keydash_session", response.json()["access_token"])
    lowered = {attribute.lower() for attribute in attributes[1:]}
    assert {"httponly", "samesite=strict", "path=/api", "max-age=3600"} <= lowered
    assert "secure" not in lowered  # COOKIE_SECURE=false here
    assert not any(attribute.startswith("domain=") for attribute in lowered)
    assert response.headers["cache-control"] == "no-store"
    # Logout answers a cookie that expires now, with the same name, path and flags.
    logout = http.post("/api/auth/logout")
    assert logout.status_code == 204
    cleared = {part.strip().lower() for part in logout.headers["set-cookie"].split(";")}
    assert {
        'keydash_session=""',
        "max-age=0",
        "path=/api",
        "httponly",
        "samesite=strict",
    } <= cleared
    assert http.get("/api/auth/me").status_code == 401  # the client dropped it


def test_secure_cookie_when_configured() -> None:
    app, _ = build_app(cookie_secure=True)
    with TestClient(app, base_url="https://keydash.test") as client:
        watched(client)
        login = client.post("/api/auth/login", json=login_body())
        logout = client.post("/api/auth/logout")
    for response in (login, logout):
        lowered = {part.strip().lower() for part in response.headers["set-cookie"].split(";")}
        assert {"secure", "httponly", "samesite=strict", "path=/api"} <= lowered


def test_a_copied_token_outlives_logout_until_it_expires(http: httpx.Client) -> None:
    # Documented property of stateless sessions: logout ends the browser's session only.
    token = _attempt(http, "198.51.100.80", password=PASSWORD).json()["access_token"]
    http.post("/api/auth/logout")
    me = http.get("/api/auth/me", headers={"authorization": f"Bearer {token}"})
    assert me.status_code == 200


def test_zz_guessing_the_admin_name_does_not_lock_the_admin_out(http: httpx.Client) -> None:
    # The per-username limit protects the one account against distributed guessing without
    # handing anyone a way to lock the admin out: it binds only addresses that failed themselves.
    for n in range(PER_USERNAME):
        _attempt(http, f"192.0.2.{n + 1}")
    _retry_after(_attempt(http, "192.0.2.1", password=PASSWORD))
    assert _attempt(http, "192.0.2.250", password=PASSWORD).status_code == 200


# --- what the process lets out --------------------------------------------------------------------


def test_metrics_carry_no_secret(guarded: ApiProcess) -> None:
    text = httpx.get(guarded.metrics_url, timeout=5).text
    assert "keydash_http_request_duration_seconds" in text
    for secret in (LITELLM_KEY, JWT_SECRET, PASSWORD):
        assert secret not in text
    assert not RAW_KEY_PATTERN.search(text)


def test_api_process_logs_name_no_secret_and_no_token(guarded: ApiProcess) -> None:
    log = guarded.log_path.read_text()
    assert '"event": "request"' in log
    assert not re.search(r"eyJ[A-Za-z0-9_-]{10,}\.", log), "a session token was logged"

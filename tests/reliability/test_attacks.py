"""Attacks: forged and stale sessions, password guessing, secrets leaking, cookie attributes.

JWT attacks go through the HTTP API (in-process, cookie and bearer). Password guessing runs
against a real uvicorn process that trusts 127.0.0.1 as its proxy, so each attempt can come from
a different client address through X-Forwarded-For, as it would behind NGINX.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from api_support import JWT_SECRET, LITELLM_KEY, PASSWORD, USERNAME
from fastapi.testclient import TestClient
from keydash_adapters.auth.jwt_tokens import AUDIENCE, ISSUER
from keydash_fakes.litellm import running_fake_litellm
from reliability_support import (
    EXTRA_SECRETS,
    RAW_KEY_PATTERN,
    REPO,
    ApiProcess,
    FakeServer,
    assert_envelope,
    build_app,
    login_body,
    missing,
    new_fake,
    start_api,
    watched,
)

# --- forged, stale and malformed sessions -------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": USERNAME,
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
        "iss": ISSUER,
        "aud": AUDIENCE,
    }
    claims.update(overrides)
    return {name: value for name, value in claims.items() if value is not None}


def _raw_token(
    header: dict[str, Any], claims: dict[str, Any], sign: Callable[[bytes], bytes]
) -> str:
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    return f"{signing_input}.{_b64(sign(signing_input.encode()))}"


def _hmac(secret: str, digest: Any = hashlib.sha256) -> Callable[[bytes], bytes]:
    return lambda data: hmac.new(secret.encode(), data, digest).digest()


def _hs256(secret: str = JWT_SECRET, **overrides: Any) -> str:
    return _raw_token({"alg": "HS256", "typ": "JWT"}, _claims(**overrides), _hmac(secret))


OTHER_SECRET = "another-secret-that-is-long-enough-0123456789"
OLD_SECRET = "the-secret-before-rotation-0123456789-abcdefgh"
RSA_LIKE_SIGNATURE = bytes(range(256))

FORGED_TOKENS: dict[str, str] = {
    "alg-none": _raw_token({"alg": "none", "typ": "JWT"}, _claims(), lambda data: b""),
    "alg-None": _raw_token({"alg": "None"}, _claims(), lambda data: b""),
    "alg-NONE-with-signature": _raw_token({"alg": "NONE"}, _claims(), _hmac(JWT_SECRET)),
    "no-alg": _raw_token({"typ": "JWT"}, _claims(), _hmac(JWT_SECRET)),
    "hs256-other-secret": _hs256(OTHER_SECRET),
    "hs256-empty-secret": _raw_token({"alg": "HS256"}, _claims(), _hmac("")),
    "hs512-our-secret": _raw_token({"alg": "HS512"}, _claims(), _hmac(JWT_SECRET, hashlib.sha512)),
    "hs384-our-secret": _raw_token({"alg": "HS384"}, _claims(), _hmac(JWT_SECRET, hashlib.sha384)),
    # RS256 <-> HS256 confusion, both ways: an RS256 header the server must not honour, and an
    # RS256 header over an HMAC made with our own secret (as if the "public key" were the secret).
    "rs256-header": _raw_token({"alg": "RS256"}, _claims(), lambda data: RSA_LIKE_SIGNATURE),
    "rs256-header-hmac-signed": _raw_token({"alg": "RS256"}, _claims(), _hmac(JWT_SECRET)),
    "es256-header": _raw_token({"alg": "ES256"}, _claims(), lambda data: bytes(64)),
    "kid-traversal": _raw_token(
        {"alg": "HS256", "kid": "../../../../dev/null"}, _claims(), _hmac("")
    ),
    "jku-injection": _raw_token(
        {"alg": "HS256", "jku": "http://127.0.0.1:9/jwks.json"}, _claims(), _hmac(OTHER_SECRET)
    ),
    "before-rotation": _hs256(OLD_SECRET),
    "expired": _hs256(exp=int(time.time()) - 3600, iat=int(time.time()) - 7200),
    "expired-beyond-leeway": _hs256(exp=int(time.time()) - 11),
    "not-yet-valid": _hs256(nbf=int(time.time()) + 3600),
    "missing-exp": _hs256(exp=None),
    "missing-sub": _hs256(sub=None),
    "missing-aud": _hs256(aud=None),
    "missing-iss": _hs256(iss=None),
    "missing-nbf": _hs256(nbf=None),
    "missing-iat": _hs256(iat=None),
    "wrong-iss": _hs256(iss="someone-else"),
    "wrong-aud": _hs256(aud="litellm"),
    "aud-list-without-ours": _hs256(aud=["litellm", "grafana"]),
    "other-subject": _hs256(sub="root"),
    "empty-subject": _hs256(sub=""),
    "numeric-subject": _hs256(sub=12345),
    "exp-as-string": _hs256(exp="9999999999"),
    "exp-overflow": _hs256(exp=10**20),
    "exp-negative": _hs256(exp=-1),
    "nbf-as-bool": _hs256(nbf=True),
    "tampered-payload": (
        lambda token: ".".join(
            [
                token.split(".")[0],
                _b64(json.dumps(_claims(sub="root")).encode()),
                token.split(".")[2],
            ]
        )
    )(_hs256()),
    "signature-stripped": ".".join(_hs256().split(".")[:2]) + ".",
    "two-parts": ".".join(_hs256().split(".")[:2]),
    "garbage": "not-a-jwt",
    "huge": "a" * 8000,
    "unicode": "ключ.ключ.ключ",
}
EXPIRED = {"expired", "expired-beyond-leeway", "exp-negative"}


@pytest.fixture(scope="module")
def session_app() -> Iterator[TestClient]:
    fake = new_fake(30)
    with running_fake_litellm(fake) as url:
        app, _ = build_app(litellm_base_url=url)
        with TestClient(app, base_url="http://keydash.test") as client:
            watched(client)
            yield client


def test_a_genuine_token_works_both_ways(session_app: TestClient) -> None:
    token = _hs256()
    assert session_app.get("/api/keys", headers={"authorization": f"Bearer {token}"}).is_success
    session_app.cookies.set("keydash_session", token, domain="keydash.test", path="/api")
    try:
        assert session_app.get("/api/keys").status_code == 200
    finally:
        session_app.cookies.clear()


@pytest.mark.parametrize("carrier", ["bearer", "cookie"])
@pytest.mark.parametrize("name", sorted(FORGED_TOKENS))
def test_forged_stale_and_malformed_tokens_are_401(
    session_app: TestClient, name: str, carrier: str
) -> None:
    # Raw bytes, so that even a non-ASCII token reaches the server as a client could send it.
    token = FORGED_TOKENS[name].encode()
    header = (
        {"authorization": b"Bearer " + token}
        if carrier == "bearer"
        else {"cookie": b"keydash_session=" + token}
    )
    response = session_app.get("/api/keys", headers=header)
    expected = "token_expired" if name in EXPIRED else "invalid_token"
    assert_envelope(response, 401, expected)
    assert session_app.get("/api/auth/me", headers=header).status_code == 401


def test_a_bad_bearer_is_not_rescued_by_a_good_cookie(session_app: TestClient) -> None:
    session_app.cookies.set("keydash_session", _hs256(), domain="keydash.test", path="/api")
    try:
        response = session_app.get("/api/keys", headers={"authorization": "Bearer not-a-jwt"})
    finally:
        session_app.cookies.clear()
    assert_envelope(response, 401, "invalid_token")


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Basic YWRtaW46eA==", "bearer", "Token x"])
def test_malformed_authorization_headers_are_not_authenticated(
    session_app: TestClient, header: str
) -> None:
    assert_envelope(
        session_app.get("/api/keys", headers={"authorization": header}), 401, "not_authenticated"
    )


def test_rotating_the_secret_signs_everyone_out() -> None:
    before, _ = build_app(jwt_secret=OLD_SECRET)
    token = TestClient(before).post("/api/auth/login", json=login_body()).json()["access_token"]
    after, _ = build_app()  # the same deployment, JWT_SECRET rotated
    with TestClient(after) as client:
        watched(client)
        response = client.get("/api/auth/me", headers={"authorization": f"Bearer {token}"})
    assert_envelope(response, 401, "invalid_token")


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


# --- leaks --------------------------------------------------------------------------------------


def test_a_rejected_litellm_key_is_never_echoed_nor_its_hash() -> None:
    wrong_key = "sk-wrong-key-for-leak-test-0123456789"
    # LiteLLM's own 401 names the presented key's hash; Keydash must not pass that on.
    EXTRA_SECRETS.update({wrong_key, hashlib.sha256(wrong_key.encode()).hexdigest()})
    fake = new_fake(5)
    with running_fake_litellm(fake) as url:
        app, _ = build_app(litellm_base_url=url, litellm_api_key=wrong_key)
        with TestClient(app) as client:
            watched(client)
            client.post("/api/auth/login", json=login_body())
            assert_envelope(client.get("/api/keys"), 502, "upstream_auth_failed")
            assert client.get("/api/readyz").status_code == 503


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


SPA_DIST = REPO / "apps" / "web" / "dist"
# What a bundle must never carry: keys, tokens, private keys, and names of server-side secrets.
BUNDLE_PATTERNS = [
    RAW_KEY_PATTERN,
    re.compile(r"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}"),
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    # A server-side variable with a value (its bare name in a help message is fine).
    re.compile(r"(LITELLM_API_KEY|JWT_SECRET|ADMIN_PASSWORD)\s*[=:]\s*[\"'`]?[^\s\"'`,.]{4,}"),
    re.compile(r"sk-fake-master-key|keydash-demo"),
]


def test_the_spa_bundle_contains_no_secret() -> None:
    files = [path for path in SPA_DIST.rglob("*") if path.is_file()] if SPA_DIST.exists() else []
    if not any(path.suffix == ".js" for path in files):
        missing("the built SPA in apps/web/dist (run `npm run build` in apps/web)")
    found = []
    for path in files:
        text = path.read_text(errors="replace")
        for secret in (LITELLM_KEY, JWT_SECRET, PASSWORD, *EXTRA_SECRETS):
            if secret in text:
                found.append(f"{path.relative_to(REPO)}: a test secret")
        for pattern in BUNDLE_PATTERNS:
            match = pattern.search(text)
            if match:
                found.append(f"{path.relative_to(REPO)}: {match.group()[:24]}...")
    assert not found, found

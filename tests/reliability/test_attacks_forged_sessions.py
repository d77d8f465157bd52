"""Attacks on sessions: forged, stale and malformed tokens, and a rotated secret.

JWT attacks go through the HTTP API (in-process), carried both as a bearer token and as the
session cookie.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from api_support import JWT_SECRET, USERNAME
from fastapi.testclient import TestClient
from keydash_adapters.auth.jwt_tokens import AUDIENCE, ISSUER
from reliability_answers import assert_envelope
from reliability_clients import login_body
from reliability_in_process import app_on_a_fake, build_app
from reliability_leak_guard import watched


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
    with app_on_a_fake(30) as client:
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

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from keydash_adapters.auth.jwt_tokens import AUDIENCE, ISSUER, JwtTokenService
from keydash_core.errors import InvalidToken, TokenExpired
from keydash_fakes.memory import FixedClock

SECRET = "s" * 48
# HS512 with our own 48-byte secret is the point of one case: it must still be refused.
pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")


def _service(clock: FixedClock | None = None, secret: str = SECRET) -> JwtTokenService:
    return JwtTokenService(secret, clock or FixedClock(), lifetime=timedelta(hours=1))


def _claims(**overrides: Any) -> dict[str, Any]:
    now = FixedClock().now()
    claims: dict[str, Any] = {
        "sub": "admin",
        "iat": now,
        "nbf": now,
        "exp": now + timedelta(hours=1),
        "iss": ISSUER,
        "aud": AUDIENCE,
    }
    claims.update(overrides)
    return {name: value for name, value in claims.items() if value is not None}


def test_issued_token_verifies_to_its_subject_and_expiry() -> None:
    service = _service()
    issued = service.issue("admin")
    session = service.verify(issued.token)
    assert session.username == "admin"
    assert session.expires_at == issued.expires_at == FixedClock().now() + timedelta(hours=1)


def test_expired_token_is_reported_as_expired() -> None:
    clock = FixedClock()
    service = _service(clock)
    token = service.issue("admin").token
    clock.advance(3600 + 11)  # past the 10 s leeway
    with pytest.raises(TokenExpired):
        service.verify(token)


def test_leeway_absorbs_small_clock_skew() -> None:
    clock = FixedClock()
    service = _service(clock)
    token = service.issue("admin").token
    clock.advance(3600 + 5)
    assert service.verify(token).username == "admin"


def _unsigned(claims: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        raw = json.dumps(data, default=lambda d: int(d.timestamp())).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


@pytest.mark.parametrize(
    "token_factory",
    [
        pytest.param(lambda: _unsigned(_claims()), id="alg-none"),
        pytest.param(lambda: jwt.encode(_claims(), "o" * 48, algorithm="HS256"), id="other-secret"),
        pytest.param(lambda: jwt.encode(_claims(), SECRET, algorithm="HS512"), id="hs512"),
        pytest.param(lambda: jwt.encode(_claims(sub=None), SECRET), id="no-sub"),
        pytest.param(lambda: jwt.encode(_claims(exp=None), SECRET), id="no-exp"),
        pytest.param(lambda: jwt.encode(_claims(iat=None), SECRET), id="no-iat"),
        pytest.param(lambda: jwt.encode(_claims(nbf=None), SECRET), id="no-nbf"),
        pytest.param(lambda: jwt.encode(_claims(aud=None), SECRET), id="no-aud"),
        pytest.param(lambda: jwt.encode(_claims(iss=None), SECRET), id="no-iss"),
        pytest.param(lambda: jwt.encode(_claims(aud="someone-else"), SECRET), id="wrong-aud"),
        pytest.param(lambda: jwt.encode(_claims(iss="evil"), SECRET), id="wrong-iss"),
        pytest.param(
            lambda: jwt.encode(_claims(nbf=FixedClock().now() + timedelta(hours=1)), SECRET),
            id="not-yet-valid",
        ),
        pytest.param(lambda: jwt.encode(_claims(sub=""), SECRET), id="empty-sub"),
        pytest.param(lambda: "not.a.jwt", id="garbage"),
        pytest.param(lambda: "", id="empty"),
    ],
)
def test_forged_or_incomplete_tokens_are_invalid(token_factory: Any) -> None:
    with pytest.raises(InvalidToken):
        _service().verify(token_factory())


def test_tampered_payload_is_invalid() -> None:
    token = _service().issue("admin").token
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = "root"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(InvalidToken):
        _service().verify(f"{header}.{forged}.{signature}")


def test_rs256_hs256_confusion_is_refused() -> None:
    # A token that claims RS256 but is HMAC-signed with our secret must not pass as HS256.
    def part(data: dict[str, Any]) -> bytes:
        raw = json.dumps(data, default=lambda d: int(d.timestamp())).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=")

    signing_input = part({"alg": "RS256", "typ": "JWT"}) + b"." + part(_claims())
    signature = hmac.new(SECRET.encode(), signing_input, hashlib.sha256).digest()
    token = signing_input + b"." + base64.urlsafe_b64encode(signature).rstrip(b"=")
    with pytest.raises(InvalidToken):
        _service().verify(token.decode())


def test_a_token_from_before_a_secret_rotation_is_invalid() -> None:
    old = _service(secret="a" * 40).issue("admin").token
    with pytest.raises(InvalidToken):
        _service(secret="b" * 40).verify(old)


def test_short_secret_refuses_to_start() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        JwtTokenService("short", FixedClock(), lifetime=timedelta(hours=1))


def test_issue_uses_the_clock() -> None:
    clock = FixedClock(datetime(2030, 1, 1, tzinfo=UTC))
    assert _service(clock).issue("a").expires_at == datetime(2030, 1, 1, 1, tzinfo=UTC)

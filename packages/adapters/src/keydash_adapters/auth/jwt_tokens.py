"""Stateless sessions as HS256 JWTs: any replica can verify what any other issued."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
from keydash_core.errors import InvalidToken, TokenExpired
from keydash_core.ports import Clock, IssuedToken, Session

ALGORITHM = "HS256"
ISSUER = "keydash"
AUDIENCE = "keydash-admin"
MIN_SECRET_BYTES = 32
_REQUIRED_CLAIMS = ["sub", "iat", "nbf", "exp", "iss", "aud"]


class JwtTokenService:
    def __init__(
        self,
        secret: str,
        clock: Clock,
        *,
        lifetime: timedelta,
        leeway: timedelta = timedelta(seconds=10),
    ) -> None:
        if len(secret.encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"JWT secret must be at least {MIN_SECRET_BYTES} bytes")
        self._secret = secret
        self._clock = clock
        self._lifetime = lifetime
        self._leeway = leeway

    def issue(self, username: str) -> IssuedToken:
        now = self._clock.now().replace(microsecond=0)
        expires_at = now + self._lifetime
        claims = {
            "sub": username,
            "iat": now,
            "nbf": now,
            "exp": expires_at,
            "iss": ISSUER,
            "aud": AUDIENCE,
        }
        token = jwt.encode(claims, self._secret, algorithm=ALGORITHM)
        return IssuedToken(token=token, expires_at=expires_at)

    def verify(self, token: str) -> Session:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                # Pinned: the token's own header never chooses the algorithm (no none, no RS256).
                algorithms=[ALGORITHM],
                audience=AUDIENCE,
                issuer=ISSUER,
                # Times are checked below against our clock, so tests and replicas agree on "now".
                options={
                    "require": _REQUIRED_CLAIMS,
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                },
            )
        except jwt.PyJWTError:
            raise InvalidToken("invalid session token") from None
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            raise InvalidToken("invalid session token")
        now = self._clock.now()
        not_before = _from_timestamp(claims["nbf"])
        expires_at = _from_timestamp(claims["exp"])
        if now + self._leeway < not_before:
            raise InvalidToken("session token not valid yet")
        if now - self._leeway >= expires_at:
            raise TokenExpired("session expired")
        return Session(username=subject, expires_at=expires_at)


def _from_timestamp(value: object) -> datetime:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise InvalidToken("invalid session token")
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        raise InvalidToken("invalid session token") from None

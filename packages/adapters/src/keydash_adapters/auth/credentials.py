"""The one admin account, from env, checked in constant time."""

from __future__ import annotations

import hashlib
import hmac


def _digest(value: str) -> bytes:
    # Hashing first gives equal-length inputs, so compare_digest's time does not leak lengths.
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).digest()


class EnvCredentialVerifier:
    def __init__(self, username: str, password: str) -> None:
        self._username = _digest(username)
        self._password = _digest(password)

    def verify(self, username: str, password: str) -> bool:
        # Both comparisons always run: an unknown user costs the same as a wrong password.
        username_ok = hmac.compare_digest(_digest(username), self._username)
        password_ok = hmac.compare_digest(_digest(password), self._password)
        return username_ok & password_ok

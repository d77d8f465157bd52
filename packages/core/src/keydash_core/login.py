"""Use case: exchange a username and password for a session token."""

from __future__ import annotations

from keydash_core.errors import InvalidCredentials, TooManyAttempts
from keydash_core.ports import CredentialVerifier, IssuedToken, LoginThrottle, TokenService


class LogIn:
    def __init__(
        self, credentials: CredentialVerifier, tokens: TokenService, throttle: LoginThrottle
    ) -> None:
        self._credentials = credentials
        self._tokens = tokens
        self._throttle = throttle

    def __call__(self, *, username: str, password: str, address: str) -> IssuedToken:
        # Checked before the password so a throttled attacker learns nothing, even when right.
        wait = self._throttle.retry_after(address, username)
        if wait is not None:
            raise TooManyAttempts(wait)
        if not self._credentials.verify(username, password):
            self._throttle.record_failure(address, username)
            raise InvalidCredentials
        self._throttle.record_success(address, username)
        return self._tokens.issue(username)

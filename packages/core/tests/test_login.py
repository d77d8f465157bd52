from datetime import UTC, datetime

import pytest
from keydash_core.errors import InvalidCredentials, TooManyAttempts
from keydash_core.login import LogIn
from keydash_core.ports import IssuedToken, Session


class AcceptOnly:
    def __init__(self, username: str, password: str) -> None:
        self.pair = (username, password)

    def verify(self, username: str, password: str) -> bool:
        return (username, password) == self.pair


class RecordingTokens:
    def __init__(self) -> None:
        self.issued: list[str] = []

    def issue(self, username: str) -> IssuedToken:
        self.issued.append(username)
        return IssuedToken(
            token=f"token-for-{username}", expires_at=datetime(2030, 1, 1, tzinfo=UTC)
        )

    def verify(self, token: str) -> Session:
        raise NotImplementedError


class RecordingThrottle:
    def __init__(self, blocked_for: int | None = None) -> None:
        self.blocked_for = blocked_for
        self.failures: list[tuple[str, str]] = []
        self.successes: list[tuple[str, str]] = []

    def retry_after(self, address: str, username: str) -> int | None:
        return self.blocked_for

    def record_failure(self, address: str, username: str) -> None:
        self.failures.append((address, username))

    def record_success(self, address: str, username: str) -> None:
        self.successes.append((address, username))


def test_right_credentials_issue_a_token_and_clear_failures() -> None:
    tokens, throttle = RecordingTokens(), RecordingThrottle()
    issued = LogIn(AcceptOnly("admin", "pw"), tokens, throttle)(
        username="admin", password="pw", address="10.0.0.1"
    )
    assert issued.token == "token-for-admin"
    assert throttle.successes == [("10.0.0.1", "admin")]


def test_wrong_password_is_recorded_and_refused() -> None:
    tokens, throttle = RecordingTokens(), RecordingThrottle()
    with pytest.raises(InvalidCredentials):
        LogIn(AcceptOnly("admin", "pw"), tokens, throttle)(
            username="admin", password="nope", address="10.0.0.1"
        )
    assert throttle.failures == [("10.0.0.1", "admin")]
    assert tokens.issued == []


def test_throttled_login_is_refused_even_with_the_right_password() -> None:
    tokens, throttle = RecordingTokens(), RecordingThrottle(blocked_for=42)
    with pytest.raises(TooManyAttempts) as caught:
        LogIn(AcceptOnly("admin", "pw"), tokens, throttle)(
            username="admin", password="pw", address="10.0.0.1"
        )
    assert caught.value.retry_after_seconds == 42
    assert tokens.issued == []

"""Domain errors. They cross layers unchanged and become HTTP answers in exactly one place."""

from __future__ import annotations


class KeydashError(Exception):
    """Base of every error Keydash expects and knows how to explain."""


class InvalidQuery(KeydashError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class InvalidCredentials(KeydashError):
    pass


class TooManyAttempts(KeydashError):
    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"too many failed logins; retry in {retry_after_seconds} s")
        self.retry_after_seconds = retry_after_seconds


class InvalidToken(KeydashError):
    pass


class TokenExpired(InvalidToken):
    pass


class UpstreamError(KeydashError):
    """LiteLLM could not give us the keys."""


class UpstreamUnavailable(UpstreamError):
    pass


class UpstreamTimeout(UpstreamError):
    pass


class UpstreamAuthFailed(UpstreamError):
    pass


class UpstreamBadResponse(UpstreamError):
    pass

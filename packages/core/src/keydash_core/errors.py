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


class KeyNotFound(KeydashError):
    def __init__(self, key_id: str) -> None:
        super().__init__("no key with this id")
        self.key_id = key_id


class UpstreamError(KeydashError):
    """LiteLLM could not give us the keys."""


class UpstreamUnavailable(UpstreamError):
    """No answer at all: connection refused, DNS, TLS."""


class UpstreamHttpError(UpstreamError):
    """LiteLLM answered, with an error status (after retries for the transient ones)."""

    def __init__(self, status: int, detail: str | None = None) -> None:
        text = f"HTTP {status}: {detail}" if detail else f"HTTP {status}"
        super().__init__(text)
        self.status = status
        self.detail = detail


class UpstreamTimeout(UpstreamError):
    pass


class UpstreamAuthFailed(UpstreamError):
    pass


class UpstreamBadResponse(UpstreamError):
    pass


class MirrorLoading(KeydashError):
    """The view needs every key and the first load from LiteLLM has not finished yet."""

    def __init__(
        self,
        loaded: int,
        total: int | None,
        eta_seconds: float | None,
        cause: UpstreamError | None = None,
    ) -> None:
        super().__init__("the first load of keys from LiteLLM is still running")
        self.loaded = loaded
        self.total = total
        self.eta_seconds = eta_seconds
        # The load's last attempt failed: that, not "still loading", is what an admin needs to see.
        self.cause = cause


def upstream_words(error: UpstreamError) -> tuple[str, str]:
    """(code, sentence) for an upstream failure: the error envelope, the logs and the freshness
    of every answer say it in the same words."""
    match error:
        case UpstreamTimeout():
            return "upstream_timeout", "LiteLLM did not answer in time."
        case UpstreamAuthFailed():
            return (
                "upstream_auth_failed",
                f"LiteLLM rejected Keydash's API key ({error}); check LITELLM_API_KEY.",
            )
        case UpstreamBadResponse():
            return "upstream_bad_response", f"LiteLLM sent an answer Keydash cannot read: {error}."
        case UpstreamHttpError():
            return "upstream_error", f"LiteLLM answered with an error ({error})."
        case _:
            return "upstream_unavailable", f"LiteLLM is not reachable ({error})."

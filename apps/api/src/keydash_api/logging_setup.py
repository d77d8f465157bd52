"""Structured logging: JSON in production, console in development, secrets redacted."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable, MutableMapping
from typing import Any

import structlog

REDACTED = "[redacted]"
_SENSITIVE_NAME = re.compile(
    r"pass(word)?|secret|token|authorization|cookie|api[_-]?key|jwt|credential", re.IGNORECASE
)
# Whatever a key looks like, a full LiteLLM key never belongs in a log line.
_RAW_KEY = re.compile(r"\bsk-[A-Za-z0-9_\-]{8,}")


class SecretRedactor:
    """Drops values of sensitive-looking fields and scrubs known secret values from all text."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self._secrets = tuple(sorted((s for s in secrets if s), key=len, reverse=True))

    def scrub(self, value: Any) -> Any:
        if isinstance(value, str):
            for secret in self._secrets:
                value = value.replace(secret, REDACTED)
            return _RAW_KEY.sub(REDACTED, value)
        if isinstance(value, dict):
            return {name: self._field(name, item) for name, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.scrub(item) for item in value]
        return value

    def _field(self, name: Any, value: Any) -> Any:
        if isinstance(name, str) and _SENSITIVE_NAME.search(name) and value not in (None, ""):
            return REDACTED
        return self.scrub(value)

    def __call__(
        self, _: Any, __: str, event_dict: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        return {name: self._field(name, value) for name, value in event_dict.items()}


def configure_logging(*, level: str, fmt: str, secrets: Iterable[str]) -> None:
    redactor = SecretRedactor(secrets)
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        redactor,
    ]
    structlog.configure(
        processors=[*shared, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stdout),
        cache_logger_on_first_use=False,
    )
    # uvicorn's own access log would duplicate ours without the request id or redaction.
    logging.getLogger("uvicorn.access").disabled = True

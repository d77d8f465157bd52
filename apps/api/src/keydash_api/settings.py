"""Configuration, read once from the environment (documented in docs/configuration.md)."""

from __future__ import annotations

import ipaddress
from typing import Literal

from keydash_adapters.auth.jwt_tokens import MIN_SECRET_BYTES
from pydantic import AnyHttpUrl, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Secrets people paste from examples; starting with one of them is worse than not starting.
_PLACEHOLDER_SECRETS = {"changeme", "change-me", "secret", "password", "admin"}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=None, extra="ignore", frozen=True)

    litellm_base_url: AnyHttpUrl
    litellm_api_key: SecretStr = Field(min_length=1)
    admin_username: str = Field(min_length=1, max_length=256)
    admin_password: SecretStr = Field(min_length=8)
    jwt_secret: SecretStr

    token_lifetime_seconds: int = Field(default=3600, ge=60, le=7 * 24 * 3600)
    cookie_secure: bool = False
    cookie_name: str = Field(default="keydash_session", pattern=r"^[A-Za-z0-9_\-]+$")
    allowed_origins: str = ""

    cache_ttl_seconds: float = Field(default=10.0, ge=0, le=3600)
    max_keys: int = Field(default=1_000_000, ge=100, le=5_000_000)
    upstream_connect_timeout_seconds: float = Field(default=3.0, gt=0, le=60)
    upstream_read_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    upstream_deadline_seconds: float = Field(default=15.0, gt=0, le=600)
    upstream_max_attempts: int = Field(default=3, ge=1, le=10)
    upstream_concurrency: int = Field(default=4, ge=1, le=32)

    sync_interval_seconds: float = Field(default=30.0, ge=0.2, le=3600)
    sync_reconcile_seconds: float = Field(default=3600.0, ge=5, le=7 * 86_400)
    sync_overlap_seconds: float = Field(default=10.0, ge=0, le=3600)
    sync_reconcile_pause_seconds: float = Field(default=0.2, ge=0, le=60)

    login_max_failures_per_address: int = Field(default=10, ge=1)
    login_max_failures_per_username: int = Field(default=20, ge=1)
    login_throttle_window_seconds: float = Field(default=300.0, gt=0)
    trusted_proxies: str = "127.0.0.1,::1"
    max_body_bytes: int = Field(default=16_384, ge=1024)

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "console"] = "json"
    metrics_port: int = Field(default=9100, ge=0, le=65535)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("trusted_proxies")
    @classmethod
    def _valid_networks(cls, value: str) -> str:
        for item in (part.strip() for part in value.split(",")):
            if item:
                try:
                    ipaddress.ip_network(item, strict=False)
                except ValueError:
                    raise ValueError(f"{item!r} is not an IP address or CIDR network") from None
        return value

    @field_validator("jwt_secret")
    @classmethod
    def _strong_secret(cls, value: SecretStr) -> SecretStr:
        raw = value.get_secret_value()
        if len(raw.encode()) < MIN_SECRET_BYTES:
            raise ValueError(
                f"must be at least {MIN_SECRET_BYTES} bytes (try: python -c "
                "'import secrets; print(secrets.token_urlsafe(48))')"
            )
        if raw.lower() in _PLACEHOLDER_SECRETS:
            raise ValueError("is a placeholder; generate a random secret")
        return value

    @property
    def secret_values(self) -> tuple[str, ...]:
        """Values that must never appear in a response or a log line."""
        return (
            self.litellm_api_key.get_secret_value(),
            self.jwt_secret.get_secret_value(),
            self.admin_password.get_secret_value(),
        )

    @property
    def trusted_proxy_list(self) -> tuple[str, ...]:
        return tuple(item.strip() for item in self.trusted_proxies.split(",") if item.strip())

    @property
    def allowed_origin_list(self) -> tuple[str, ...]:
        return tuple(
            item.strip().rstrip("/") for item in self.allowed_origins.split(",") if item.strip()
        )


def describe_settings_errors(error: Exception) -> list[str]:
    """One readable line per problem, naming the environment variable, never its value."""
    from pydantic import ValidationError

    if not isinstance(error, ValidationError):
        return [str(error)]
    lines = []
    for problem in error.errors(include_input=False, include_url=False):
        name = "_".join(str(part) for part in problem["loc"]).upper() or "SETTINGS"
        message = "is required but not set" if problem["type"] == "missing" else problem["msg"]
        lines.append(f"{name}: {message}")
    return lines

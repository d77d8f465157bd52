"""Builds a Keydash app for tests, with chosen settings and fakes plugged into the container."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from keydash_api.app import create_app
from keydash_api.container import Container
from keydash_api.settings import Settings
from keydash_fakes.memory import FixedClock, InMemoryKeyRepository

LITELLM_KEY = "sk-litellm-master-0123456789abcdef"
JWT_SECRET = "jwt-secret-for-tests-0123456789-abcdefghijkl"
PASSWORD = "correct horse battery staple"
USERNAME = "admin"


def make_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "litellm_base_url": "http://127.0.0.1:9",
        "litellm_api_key": LITELLM_KEY,
        "admin_username": USERNAME,
        "admin_password": PASSWORD,
        "jwt_secret": JWT_SECRET,
        "metrics_port": 0,
        "log_format": "json",
    }
    values.update(overrides)
    return Settings(**values)


def make_app(
    repository: Any | None = None, clock: FixedClock | None = None, **overrides: Any
) -> tuple[FastAPI, Container]:
    settings = make_settings(**overrides)
    container = Container(settings=settings)
    if repository is not None:
        container.key_repository.override(repository)
    if clock is not None:
        container.clock.override(clock)
    return create_app(settings, container), container


def logged_in(client: TestClient) -> TestClient:
    response = client.post("/api/auth/login", json={"username": USERNAME, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return client


def memory_repository(*keys: Any) -> InMemoryKeyRepository:
    return InMemoryKeyRepository(keys)

"""compose.yaml: the local demo for people with Docker. Read, not run (no Docker engine in CI);
scripts/images/build-and-smoke runs the same three containers the same way with podman."""

# Tests start the tools they check (nginx, helm, hadolint) and name /tmp in fixtures.
# ruff: noqa: S108

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]
from delivery_support import REPO

REQUIRED_API_ENV = {
    "LITELLM_BASE_URL",
    "LITELLM_API_KEY",
    "ADMIN_USERNAME",
    "ADMIN_PASSWORD",
    "JWT_SECRET",
}


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    compose = yaml.safe_load((REPO / "compose.yaml").read_text())
    return dict(compose["services"])


def test_three_services_from_the_two_dockerfiles(services: dict[str, Any]) -> None:
    assert set(services) == {"web", "api", "fake-litellm"}
    assert services["web"]["build"] == {"context": ".", "dockerfile": "apps/web/Dockerfile"}
    assert services["api"]["build"] == {"context": ".", "dockerfile": "apps/api/Dockerfile"}
    # The fake is its own target and image: the API image (the default target) holds no fake.
    assert services["fake-litellm"]["build"] == {
        "context": ".",
        "dockerfile": "apps/api/Dockerfile",
        "target": "fake-litellm",
    }
    assert services["fake-litellm"]["image"] != services["api"]["image"]
    assert services["fake-litellm"]["command"][:3] == ["python", "-m", "keydash_fakes.litellm"]


def test_only_the_web_port_is_published_on_loopback(services: dict[str, Any]) -> None:
    assert services["web"]["ports"] == ["127.0.0.1:${KEYDASH_PORT:-8080}:8080"]
    assert "ports" not in services["api"]
    assert "ports" not in services["fake-litellm"]


def test_containers_run_locked_down(services: dict[str, Any]) -> None:
    for name, service in services.items():
        assert service["read_only"] is True, name
        assert service["cap_drop"] == ["ALL"], name
        assert service["tmpfs"] == ["/tmp:size=16m"], name
        assert "no-new-privileges:true" in service["security_opt"], name


def test_api_settings_can_point_at_a_real_litellm(services: dict[str, Any]) -> None:
    env = services["api"]["environment"]
    assert set(env) >= REQUIRED_API_ENV
    # Every value can be overridden from the shell, so the same file serves a real LiteLLM.
    for name in ("LITELLM_BASE_URL", "LITELLM_API_KEY", "ADMIN_PASSWORD", "JWT_SECRET"):
        assert re.fullmatch(rf"\$\{{{name}:-[^}}]+\}}", env[name]), name
    assert services["web"]["environment"]["KEYDASH_API_UPSTREAM"] == "api:8000"
    assert services["web"]["depends_on"] == {"api": {"condition": "service_healthy"}}
    assert "depends_on" not in services["api"]  # `up web api` must not drag the fake in

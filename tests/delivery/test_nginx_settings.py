"""nginx's own settings: the entrypoint refuses bad ones, HSTS is sent only when switched on, and
with the API down nginx answers a JSON 502 that still carries the security headers."""

# The entrypoint check starts `sh` from PATH, with fixed arguments.
# ruff: noqa: S603, S607

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from delivery_nginx import ENTRYPOINT, SECURITY_HEADERS, assert_envelope, dist, start_nginx
from delivery_support import free_port, make_scratch, stop


@pytest.fixture
def down_stack() -> Iterator[tuple[str, Path]]:
    """nginx whose API is not running, with HSTS switched on."""
    scratch = make_scratch()
    process = None
    try:
        process, url, _ = start_nginx(
            scratch, dist(scratch), f"127.0.0.1:{free_port()}", KEYDASH_HSTS="true"
        )
        yield url, scratch
    finally:
        if process is not None:
            stop(process)
        shutil.rmtree(scratch, ignore_errors=True)


def test_api_down_is_json_502_with_headers(down_stack: tuple[str, Path]) -> None:
    url, _ = down_stack
    response = httpx.get(url + "/api/keys", timeout=10)
    assert_envelope(response, 502, "api_unavailable")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert (
        response.headers["content-security-policy"] == SECURITY_HEADERS["content-security-policy"]
    )


def test_hsts_only_when_switched_on(down_stack: tuple[str, Path]) -> None:
    url, _ = down_stack
    for path in ("/", "/assets/app-abc123.js", "/api/healthz", "/assets/missing.js"):
        response = httpx.get(url + path, timeout=10)
        assert (
            response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
        ), path


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "KEYDASH_API_UPSTREAM is required"),
        ({"KEYDASH_API_UPSTREAM": "api:8000; include /etc/passwd"}, "must be host:port"),
        (
            {"KEYDASH_API_UPSTREAM": "api:8000", "KEYDASH_REAL_IP_FROM": "10.0.0.0/8,evil;"},
            "not an address",
        ),
        ({"KEYDASH_API_UPSTREAM": "api:8000", "KEYDASH_HSTS": "yes"}, "KEYDASH_HSTS must be"),
    ],
)
def test_entrypoint_refuses_bad_settings(env: dict[str, str], message: str, tmp_path: Path) -> None:
    base = {k: v for k, v in os.environ.items() if not k.startswith("KEYDASH_")}
    result = subprocess.run(
        ["sh", str(ENTRYPOINT), "-t"],
        env={**base, "KEYDASH_NGINX_RUNTIME": str(tmp_path / "rt"), **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert message in result.stderr

"""Running the fake: the background-thread context manager and the command line."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

import httpx
import pytest
from keydash_fakes.litellm import FakeLiteLLM, generate_keys, running_fake_litellm


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_serves_on_loopback_on_a_free_port_and_stops() -> None:
    fake = FakeLiteLLM(keys=generate_keys(3), master_key="sk-runner")
    with running_fake_litellm(fake) as first, running_fake_litellm(fake) as second:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", first)
        assert first != second
        answer = httpx.get(f"{first}/key/list", headers={"x-litellm-api-key": "sk-runner"})
        assert answer.json()["total_count"] == 3
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{first}/health/liveliness", timeout=1)


def test_honours_an_explicit_port() -> None:
    port = _free_port()
    with running_fake_litellm(FakeLiteLLM(keys=[]), port=port) as url:
        assert urlsplit(url).port == port
        assert httpx.get(f"{url}/health/liveliness").status_code == 200


def test_a_busy_port_fails_loudly() -> None:
    with (
        running_fake_litellm(FakeLiteLLM(keys=[])) as url,
        pytest.raises(OSError, match="in use"),
        running_fake_litellm(FakeLiteLLM(keys=[]), port=urlsplit(url).port or 0),
    ):
        pass


def _wait_for_line(process: subprocess.Popen[str]) -> str:
    assert process.stderr is not None
    line = process.stderr.readline()
    assert line, "the fake printed nothing and exited"
    return line


def _wait_until_serving(url: str) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/health/liveliness", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError("the fake never answered")


@pytest.mark.parametrize("key_from_env", [False, True])
def test_command_line(key_from_env: bool) -> None:
    port, secret = _free_port(), "sk-cli-secret-key-98765"
    command = [sys.executable, "-m", "keydash_fakes.litellm", "--port", str(port)]
    command += ["--keys", "12", "--seed", "3"]
    env = {**os.environ, "FAKE_LITELLM_MASTER_KEY": secret} if key_from_env else dict(os.environ)
    if not key_from_env:
        command += ["--master-key", secret]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)  # noqa: S603
    try:
        line = _wait_for_line(process)
        url = f"http://127.0.0.1:{port}"
        assert url in line
        assert "12 keys" in line
        _wait_until_serving(url)
        answer = httpx.get(f"{url}/key/list", headers={"Authorization": f"Bearer {secret}"})
        assert answer.json()["total_count"] == 12
        expected = [k["token"] for k in generate_keys(12, seed=3)][:10]
        assert answer.json()["keys"] == expected
    finally:
        process.terminate()
        _, rest = process.communicate(timeout=10)
    assert secret not in line + rest


def test_command_line_latency_and_churn() -> None:
    port = _free_port()
    command = [sys.executable, "-m", "keydash_fakes.litellm", "--port", str(port)]
    command += ["--keys", "20", "--real-latency", "--churn-per-minute", "3000", "--churn-seed", "4"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)  # noqa: S603
    try:
        _wait_for_line(process)
        url = f"http://127.0.0.1:{port}"
        _wait_until_serving(url)
        latency = httpx.get(f"{url}/_fake/latency").json()
        assert latency == {"page_base_ms": 150.0, "per_1000_offset_ms": 7.0}
        deadline = time.monotonic() + 15
        while sum(httpx.get(f"{url}/_fake/churn/rate").json()["applied"].values()) < 3:
            assert time.monotonic() < deadline, "the churn never started"
            time.sleep(0.05)
        assert httpx.get(f"{url}/_fake/churn/rate").json()["seed"] == 4
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_command_line_scoped_keys() -> None:
    port, scoped, team = _free_port(), "sk-cli-scoped-key-0001", "sk-cli-team-key-0002"
    command = [sys.executable, "-m", "keydash_fakes.litellm", "--port", str(port)]
    command += ["--keys", "12", "--scoped-key", f"{scoped}:u-cli:internal_user"]
    command += ["--scoped-key", f"{team}::internal_user"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)  # noqa: S603
    try:
        line = _wait_for_line(process)
        assert "14 keys (2 scoped credentials)" in line
        url = f"http://127.0.0.1:{port}"
        _wait_until_serving(url)
        own = httpx.get(f"{url}/key/list", headers={"x-litellm-api-key": scoped}).json()
        assert own["total_count"] == 1
        probe = {"user_id": "keydash-scope-probe"}
        other = httpx.get(f"{url}/key/list", params=probe, headers={"x-litellm-api-key": scoped})
        assert other.status_code == 403
        refused = httpx.get(f"{url}/key/list", headers={"x-litellm-api-key": team})
        assert refused.status_code == 403
        user = httpx.get(f"{url}/v2/user/info", headers={"x-litellm-api-key": scoped}).json()
        assert (user["user_id"], user["user_role"]) == ("u-cli", "internal_user")
    finally:
        process.terminate()
        _, rest = process.communicate(timeout=10)
    assert scoped not in line + rest


@pytest.mark.parametrize("spec", ["sk-x-no-role", "sk-cli-scoped-key-0001:u:superuser"])
def test_command_line_refuses_a_bad_scoped_key(spec: str) -> None:
    command = [sys.executable, "-m", "keydash_fakes.litellm", "--keys", "1"]
    done = subprocess.run(  # noqa: S603
        [*command, "--scoped-key", spec], capture_output=True, text=True, timeout=30, check=False
    )
    assert done.returncode == 2
    assert "--scoped-key #1" in done.stderr
    assert "sk-cli-scoped-key-0001" not in done.stderr

"""The stack a load run drives: the fake LiteLLM, one API (or two behind a Service stand-in) as
production runs it, and the project's NGINX in front; started together, stopped together."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from load.load_config import LoadConfig
from load.service_balancer import Balancer
from load.stack_processes import LOOPBACK, REPO, find_tool, free_port, stop, wait_for

USERNAME = "admin"


@dataclass
class Stack:
    scratch: Path
    env: dict[str, str]
    litellm: subprocess.Popen[bytes]
    litellm_url: str
    apis: dict[int, subprocess.Popen[bytes]]  # by port
    balancer: Balancer | None
    nginx: subprocess.Popen[bytes] | None
    url: str


def api_environment(litellm_url: str, master_key: str, password: str) -> dict[str, str]:
    """Production settings: the documented defaults, JSON logs, metrics on; secrets made fresh."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("LITELLM_", "ADMIN_", "JWT_", "UPSTREAM_", "LOGIN_", "CACHE_"))
    }
    env.update(
        {
            "LITELLM_BASE_URL": litellm_url,
            "LITELLM_API_KEY": master_key,
            "ADMIN_USERNAME": USERNAME,
            "ADMIN_PASSWORD": password,
            # Shared by every replica: a session issued by one is valid on the other.
            "JWT_SECRET": secrets.token_urlsafe(48),
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "INFO",
            "TRUSTED_PROXIES": "127.0.0.1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def start_api(stack_env: dict[str, str], port: int, scratch: Path) -> subprocess.Popen[bytes]:
    process = spawn_api(stack_env, port, scratch)
    wait_for(f"http://{LOOPBACK}:{port}/api/healthz", process, scratch / f"api-{port}.log")
    return process


def spawn_api(stack_env: dict[str, str], port: int, scratch: Path) -> subprocess.Popen[bytes]:
    """Start an API process without waiting for it (several start faster side by side)."""
    env = {**stack_env, "METRICS_PORT": str(free_port())}
    log = scratch / f"api-{port}.log"
    command = [
        sys.executable, "-m", "uvicorn", "keydash_api.main:app",
        "--host", LOOPBACK, "--port", str(port),
        "--no-proxy-headers", "--no-access-log", "--no-server-header",
        "--timeout-graceful-shutdown", "20",
    ]  # fmt: skip
    with log.open("ab") as out:
        return subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603


def start_nginx(scratch: Path, upstream: str) -> tuple[subprocess.Popen[bytes], str]:
    """The project's NGINX, its config rendered by infra/nginx/entrypoint.sh, unchanged."""
    nginx = find_tool("nginx")
    if nginx is None or find_tool("envsubst") is None:
        raise RuntimeError("nginx/envsubst not installed (apt-get install -y nginx gettext-base)")
    web_root = scratch / "web"
    web_root.mkdir()
    (web_root / "index.html").write_text("<!doctype html><div id=root></div>\n")
    port = free_port()
    runtime = scratch / "nginx"
    env = {
        **os.environ,
        "KEYDASH_API_UPSTREAM": upstream,
        "KEYDASH_LISTEN": f"{LOOPBACK}:{port}",
        "KEYDASH_WEB_ROOT": str(web_root),
        "KEYDASH_NGINX_RUNTIME": str(runtime),
        # Loopback is "the ingress": each virtual user is its own client address.
        "KEYDASH_REAL_IP_FROM": "127.0.0.1",
        "PATH": os.environ.get("PATH", "") + ":/usr/sbin",
    }
    log = scratch / "nginx.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603
            ["/bin/sh", str(REPO / "infra" / "nginx" / "entrypoint.sh")],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://{LOOPBACK}:{port}"
    wait_for(url + "/api/healthz", process, log)
    return process, url


@contextlib.contextmanager
def running_stack(config: LoadConfig) -> Iterator[Stack]:
    """fake LiteLLM -> API process(es) [-> Service stand-in when two] [-> NGINX]."""
    scratch = Path(tempfile.mkdtemp(prefix="keydash-load-"))
    scratch.chmod(0o755)  # nginx workers run as nobody when started as root
    master_key = "sk-load-" + secrets.token_hex(16)
    password = secrets.token_urlsafe(16)
    litellm_port = free_port()
    processes: list[subprocess.Popen[bytes]] = []
    stack: Stack | None = None
    balancer: Balancer | None = None
    try:
        log = scratch / "litellm.log"
        with log.open("wb") as out:
            litellm = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "keydash_fakes.litellm", "--port",
                 str(litellm_port), "--keys", str(config.keys), "--seed", "7"],
                cwd=REPO, env={**os.environ, "FAKE_LITELLM_MASTER_KEY": master_key},
                stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        processes.append(litellm)
        litellm_url = f"http://{LOOPBACK}:{litellm_port}"
        env = api_environment(litellm_url, master_key, password)
        env.update(config.api_env)
        env["KEYDASH_LOAD_PASSWORD"] = password
        ports = [free_port() for _ in range(2 if config.rolling else 1)]
        # Side by side: the APIs need LiteLLM only once asked for keys.
        apis = {port: spawn_api(env, port, scratch) for port in ports}
        processes += apis.values()
        wait_for(litellm_url + "/health/liveliness", litellm, log)
        for port, api in apis.items():
            wait_for(f"http://{LOOPBACK}:{port}/api/healthz", api, scratch / f"api-{port}.log")
        upstream = f"{LOOPBACK}:{ports[0]}"
        if config.rolling:
            balancer = Balancer().start()
            balancer.endpoints = list(ports)
            upstream = f"{LOOPBACK}:{balancer.port}"
        nginx = None
        url = f"http://{upstream}"
        if config.through_nginx:
            nginx, url = start_nginx(scratch, upstream)
            processes.append(nginx)
        stack = Stack(scratch, env, litellm, litellm_url, apis, balancer, nginx, url)
        yield stack
    finally:
        for process in [*(stack.apis.values() if stack else []), *reversed(processes)]:
            stop(process)  # an API already stopped mid-run is skipped (poll() is set)
        if balancer is not None:
            balancer.stop()
        if os.environ.get("KEYDASH_LOAD_KEEP_LOGS"):
            print(f"logs kept in {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)

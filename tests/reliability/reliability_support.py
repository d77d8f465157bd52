"""Helpers for the reliability suites: apps and API processes, upstream stand-ins, leak checks.

Everything binds to 127.0.0.1. Child processes are stopped by their own PID.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import uvicorn
from api_support import JWT_SECRET, LITELLM_KEY, PASSWORD, USERNAME, make_app
from fastapi import FastAPI
from keydash_api.container import Container
from keydash_fakes.litellm import FakeLiteLLM, generate_keys, running_fake_litellm

T = TypeVar("T")

REPO = Path(__file__).resolve().parents[2]
LOOPBACK = "127.0.0.1"

# A raw LiteLLM key planted in fake records (in `key_name` and `api_key`, where a careless proxy
# or an old version might put it). It must never come out of Keydash.
PLANTED_RAW_KEY = "sk-" + secrets.token_urlsafe(24)
RAW_KEY_PATTERN = re.compile(r"sk-[A-Za-z0-9_\-]{8,}")
# What a masked key may look like: an optional short prefix, four stars, at most 4 characters.
MASKED_KEY_PATTERN = re.compile(r"^(?:[^*\s]{1,8}-)?\*{4}[^*]{0,4}$")

ERROR_CODES = {
    400: {"invalid_request"},
    401: {"not_authenticated", "invalid_token", "token_expired", "invalid_credentials"},
    403: {"forbidden_origin"},
    404: {"not_found"},
    405: {"method_not_allowed"},
    413: {"payload_too_large"},
    415: {"unsupported_media_type"},
    422: {"invalid_query", "invalid_request"},
    429: {"too_many_attempts"},
    502: {
        "upstream_unavailable",
        "upstream_error",
        "upstream_auth_failed",
        "upstream_bad_response",
    },
    503: {"mirror_loading"},
    504: {"upstream_timeout"},
}
# The sync's and the single-page read's failures, as `freshness.last_error.code` names them.
UPSTREAM_CODES = ERROR_CODES[502] | ERROR_CODES[504]


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def missing(what: str) -> None:
    """A prerequisite is absent: skip on a developer's machine, fail in CI (CI=true)."""
    if in_ci():
        pytest.fail(f"CI=true and {what} is missing: this check must run in CI", pytrace=False)
    pytest.skip(f"{what} is missing")


# --- leak guard ---------------------------------------------------------------------------------

# Every log line the in-process apps printed (see `build_app`), and every API process log file.
LOG_SINK: list[str] = []
LOG_FILES: set[Path] = set()
# Secrets that fixtures discover (password hashes in the fake's user rows).
EXTRA_SECRETS: set[str] = set()


@dataclass
class LeakGuard:
    """Collects what one test saw and fails it if any secret or unmasked key is in there."""

    texts: list[tuple[str, str]] = field(default_factory=list)
    log_start: int = field(default_factory=lambda: len(LOG_SINK))
    responses_seen: int = 0

    def secrets(self) -> set[str]:
        # LiteLLM names a key by its SHA-256 in its own errors: that hash is a secret here too.
        litellm_key_hash = hashlib.sha256(LITELLM_KEY.encode()).hexdigest()
        return {
            LITELLM_KEY,
            JWT_SECRET,
            PASSWORD,
            PLANTED_RAW_KEY,
            litellm_key_hash,
            *EXTRA_SECRETS,
        }

    def see(self, response: httpx.Response) -> None:
        self.responses_seen += 1
        label = f"{response.request.method} {response.request.url} -> {response.status_code}"
        headers = "\n".join(f"{name}: {value}" for name, value in response.headers.multi_items())
        self.texts.append((label + " (headers)", headers))
        self.texts.append((label + " (body)", response.text))
        check_masked_keys(response, label)

    def check(self) -> None:
        texts = list(self.texts)
        texts += [("in-process log", line) for line in LOG_SINK[self.log_start :]]
        for path in sorted(LOG_FILES):
            if path.exists():
                texts.append((f"log file {path.name}", path.read_text(errors="replace")))
        problems = []
        for label, text in texts:
            for secret in self.secrets():
                if secret and secret in text:
                    problems.append(f"{label}: contains a secret ({secret[:6]}...)")
            match = RAW_KEY_PATTERN.search(text)
            if match:
                problems.append(f"{label}: contains a raw key-like string {match.group()[:10]}...")
        assert not problems, "\n".join(problems[:20])


_guard_holder: list[LeakGuard] = []


class _CurrentGuard:
    """The guard of the running test (set by the autouse fixture in conftest)."""

    def set(self, guard: LeakGuard) -> int:
        _guard_holder.append(guard)
        return len(_guard_holder) - 1

    def reset(self, token: int) -> None:
        del _guard_holder[token:]

    def get(self) -> LeakGuard | None:
        return _guard_holder[-1] if _guard_holder else None


current_guard = _CurrentGuard()


def _see(response: httpx.Response) -> None:
    guard = current_guard.get()
    if guard is not None:
        guard.see(response)


ClientT = TypeVar("ClientT", bound=httpx.Client | httpx.AsyncClient)


def watched(client: ClientT) -> ClientT:
    """Let the leak guard of whichever test is running see every response this client gets."""
    if isinstance(client, httpx.AsyncClient):

        async def async_hook(response: httpx.Response) -> None:
            await response.aread()
            _see(response)

        client.event_hooks["response"].append(async_hook)
    else:

        def hook(response: httpx.Response) -> None:
            response.read()
            _see(response)

        client.event_hooks["response"].append(hook)
    return client


def _masked_values(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for name, item in value.items():
            if name == "masked_key":
                yield item
            else:
                yield from _masked_values(item)
    elif isinstance(value, list):
        for item in value:
            yield from _masked_values(item)


def check_masked_keys(response: httpx.Response, label: str = "") -> None:
    if not response.request.url.path.startswith("/api/keys"):
        return
    if "json" not in response.headers.get("content-type", ""):
        return
    try:
        body = response.json()
    except ValueError:
        return
    for masked in _masked_values(body):
        assert masked is None or (isinstance(masked, str) and MASKED_KEY_PATTERN.match(masked)), (
            f"{label}: masked_key {masked!r} shows too much"
        )


# --- responses ----------------------------------------------------------------------------------


def assert_envelope(
    response: httpx.Response, status: int, code: str | None = None
) -> dict[str, Any]:
    """The documented error envelope, with its request id echoed in X-Request-ID."""
    assert response.status_code == status, f"{response.status_code}: {response.text[:500]}"
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert (
        {"code", "message", "request_id"}
        <= set(error)
        <= {
            "code",
            "message",
            "request_id",
            "details",
            "progress",
        }
    ), error
    assert isinstance(error["message"], str), error
    assert error["message"], error
    assert error["request_id"] == response.headers["x-request-id"], error
    assert error["code"] in ERROR_CODES.get(status, {error["code"]}), error
    if code is not None:
        assert error["code"] == code, error
    assert response.headers.get("cache-control") == "no-store", response.headers
    if error["code"] == "mirror_loading":
        # Come back later, told when and how far the first load is.
        assert 1 <= int(response.headers["retry-after"]) <= 60, response.headers
        # (`total` and `eta_seconds` are documented as required but dropped when null: see
        # test_faults.py::test_mirror_loading_progress_has_every_documented_field.)
        assert isinstance(error["progress"]["loaded"], int), error
    return dict(error)


def freshness_of(response: httpx.Response) -> dict[str, Any]:
    """The `freshness` of a 200 answer, checked for shape: stale exactly when an error is named."""
    assert response.status_code == 200, f"{response.status_code}: {response.text[:500]}"
    freshness: dict[str, Any] = response.json()["freshness"]
    assert set(freshness) == {"as_of", "stale", "last_error", "source"}, freshness
    assert freshness["source"] in {"mirror", "litellm_page"}, freshness
    error = freshness["last_error"]
    if error is not None:
        assert freshness["stale"] is True, freshness
        assert set(error) == {"at", "code", "message"}, error
        assert error["code"] in UPSTREAM_CODES, error
    return freshness


def loading(response: httpx.Response) -> bool:
    """A 503 `mirror_loading`: the view needs every key and the first load has not ended."""
    if response.status_code != 503:
        return False
    return bool(assert_envelope(response, 503, "mirror_loading"))


def await_mirror(
    client: httpx.Client, params: dict[str, Any] | None = None, seconds: float = 60
) -> httpx.Response:
    """Ask a view that needs every key until it is no longer `mirror_loading`; return that answer.

    Such a view never calls LiteLLM, so waiting like this adds no upstream call. The answer is
    200 once the first load ended, or the sync's own error while its last attempt failed.
    """
    deadline = time.monotonic() + seconds
    while True:
        response = client.get("/api/keys", params=params or {"sort_by": "owner"})
        if not loading(response):
            return response
        assert time.monotonic() < deadline, f"the first load did not end in {seconds} s"
        time.sleep(0.02)


def await_fresh(
    client: httpx.Client, params: dict[str, Any] | None = None, seconds: float = 30
) -> dict[str, Any]:
    """Ask until an answer from the mirror is not stale (a pass succeeded); return its freshness."""
    deadline = time.monotonic() + seconds
    while True:
        response = await_mirror(client, params, seconds)
        if response.status_code == 200:
            freshness = freshness_of(response)
            if not freshness["stale"] and freshness["source"] == "mirror":
                return freshness
        assert time.monotonic() < deadline, f"no successful sync pass in {seconds} s"
        time.sleep(0.02)


# --- in-process apps ----------------------------------------------------------------------------


class _LogTee(io.TextIOBase):
    """Structlog prints to the stdout it saw at configuration; keep a copy of every line."""

    def write(self, text: str) -> int:
        LOG_SINK.append(text)
        return sys.stdout.write(text) if sys.stdout is not self else len(text)

    def flush(self) -> None:
        if sys.stdout is not self:
            sys.stdout.flush()


def build_app(**overrides: Any) -> tuple[FastAPI, Container]:
    """`api_support.make_app`, with the app's log lines kept for the leak guard."""
    with contextlib.redirect_stdout(_LogTee()):
        return make_app(**overrides)


def login_body(password: str = PASSWORD, username: str = USERNAME) -> dict[str, str]:
    return {"username": username, "password": password}


# --- the fake LiteLLM ---------------------------------------------------------------------------


def fake_keys(count: int, seed: int = 21) -> list[dict[str, Any]]:
    """Generated LiteLLM records, one carrying a full raw key where a careless proxy might put it.

    The users' password hashes are registered as secrets for the leak guard.
    """
    keys = generate_keys(count, seed=seed)
    if keys:
        keys[-1]["key_name"] = PLANTED_RAW_KEY
        keys[-1]["api_key"] = PLANTED_RAW_KEY
    for key in keys:
        user = key.get("user")
        if isinstance(user, dict) and isinstance(user.get("password"), str):
            EXTRA_SECRETS.add(user["password"])
    return keys


def new_fake(count: int = 250, seed: int = 21) -> FakeLiteLLM:
    return FakeLiteLLM(keys=fake_keys(count, seed), master_key=LITELLM_KEY)


class FakeServer:
    """The fake LiteLLM on a fixed loopback port that can be taken down and brought back."""

    def __init__(self, fake: FakeLiteLLM, port: int = 0) -> None:
        self.fake = fake
        self.port = port
        self._running: contextlib.AbstractContextManager[str] | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self) -> FakeServer:
        self._running = running_fake_litellm(self.fake, port=self.port)
        url = self._running.__enter__()
        self.port = int(url.rsplit(":", 1)[1])
        return self

    def stop(self) -> None:
        if self._running is not None:
            self._running.__exit__(None, None, None)
            self._running = None


# --- ports and servers --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serving(app: Any, port: int = 0) -> Iterator[str]:
    """Serve any ASGI app from a thread on 127.0.0.1 and yield its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((LOOPBACK, port))
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("test server did not start")
            time.sleep(0.01)
        yield f"http://{LOOPBACK}:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


# --- API processes ------------------------------------------------------------------------------


def api_env(litellm_url: str, **overrides: str) -> dict[str, str]:
    """Production-like settings for an API process: JSON logs, metrics on, real timeouts."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LITELLM_", "ADMIN_", "JWT_", "UPSTREAM_", "LOGIN_", "CACHE_"))
    }
    env.update(
        {
            "LITELLM_BASE_URL": litellm_url,
            "LITELLM_API_KEY": LITELLM_KEY,
            "ADMIN_USERNAME": USERNAME,
            "ADMIN_PASSWORD": PASSWORD,
            "JWT_SECRET": JWT_SECRET,
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "INFO",
            "METRICS_PORT": str(free_port()),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(overrides)
    return env


@dataclass
class ApiProcess:
    process: subprocess.Popen[bytes]
    port: int
    env: dict[str, str]
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def metrics_url(self) -> str:
        return f"http://{LOOPBACK}:{self.env['METRICS_PORT']}/metrics"

    def alive(self) -> bool:
        return self.process.poll() is None

    def rss_kib(self) -> int:
        """Resident memory of the API process, from /proc."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        assert match, status
        return int(match.group(1))

    def log_lines(self) -> list[dict[str, Any]]:
        lines = []
        for line in self.log_path.read_text(errors="replace").splitlines():
            with contextlib.suppress(ValueError):
                parsed = json.loads(line)
                if isinstance(parsed, dict):
                    lines.append(parsed)
        return lines

    def events(self, name: str) -> list[dict[str, Any]]:
        """The process's JSON log lines of one event (`request`, `sync_failed`, ...), in order."""
        return [line for line in self.log_lines() if line.get("event") == name]

    def metric(self, name: str, **labels: str) -> float:
        """Sum of a Prometheus sample over series whose labels include `labels`."""
        text = httpx.get(self.metrics_url, timeout=5).text
        total = 0.0
        for line in text.splitlines():
            if not line.startswith(name):
                continue
            head, _, value = line.rpartition(" ")
            series, _, label_text = head.partition("{")
            if series != name:
                continue
            found = dict(re.findall(r'(\w+)="([^"]*)"', label_text))
            if all(found.get(key) == wanted for key, wanted in labels.items()):
                total += float(value)
        return total

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> int:
        """Stop this process (by its own PID) and return its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        return int(self.process.returncode)


def start_api(
    litellm_url: str,
    *,
    log_dir: Path | None = None,
    port: int | None = None,
    startup_seconds: float = 30,
    settings: dict[str, str] | None = None,
    **overrides: str,
) -> ApiProcess:
    """The API as production runs it: `uvicorn keydash_api.main:app`, settings from env only."""
    port = port or free_port()
    env = api_env(litellm_url, **(settings or {}), **overrides)
    log_dir = log_dir or Path(tempfile.mkdtemp(prefix="keydash-reliability-"))
    log_path = log_dir / f"api-{port}.log"
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "keydash_api.main:app",
        "--host",
        LOOPBACK,
        "--port",
        str(port),
        "--no-proxy-headers",
        "--no-access-log",
        "--no-server-header",
        "--timeout-graceful-shutdown",
        "20",
    ]
    with log_path.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
            command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    LOG_FILES.add(log_path)
    api = ApiProcess(process=process, port=port, env=env, log_path=log_path)
    wait_until_healthy(api, startup_seconds)
    return api


def wait_until_healthy(api: ApiProcess, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not api.alive():
            raise RuntimeError(f"API exited {api.process.returncode}:\n{api.log_path.read_text()}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(api.url + "/api/healthz", timeout=1).status_code == 200:
                return
        time.sleep(0.05)
    api.stop(signal.SIGKILL)
    raise RuntimeError(f"API did not answer within {seconds} s:\n{api.log_path.read_text()}")


def logged_in_client(base_url: str, **headers: str) -> httpx.Client:
    client = watched(httpx.Client(base_url=base_url, timeout=30, headers=headers))
    response = client.post("/api/auth/login", json=login_body())
    assert response.status_code == 200, response.text
    return client


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to the end on a thread of its own.

    Another suite (Playwright's sync API in tests/e2e) may leave an event loop running on the
    main thread for the rest of the session, where asyncio.run and async tests cannot work.
    """
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:  # handed to the caller below
            outcome["error"] = error

    thread = threading.Thread(target=target, name="reliability-async")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    value: T = outcome["value"]
    return value


def timed(call: Callable[[], httpx.Response]) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


# --- NGINX (the project's own config, infra/nginx) ----------------------------------------------

NGINX_ENTRYPOINT = REPO / "infra" / "nginx" / "entrypoint.sh"
SPA_DIST = REPO / "apps" / "web" / "dist"


def find_tool(name: str) -> str | None:
    import shutil

    search = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    return shutil.which(name, path=search)


def scratch_dir() -> Path:
    """World-readable: nginx started as root reads files from its workers as nobody."""
    path = Path(tempfile.mkdtemp(prefix="keydash-reliability-"))
    path.chmod(0o755)
    return path


def copy_web_root(scratch: Path) -> Path:
    """The built SPA, copied where nginx's workers may read it."""
    import shutil

    if not (SPA_DIST / "index.html").exists():
        missing("the built SPA in apps/web/dist (run `npm run build` in apps/web)")
    root = scratch / "web"
    shutil.copytree(SPA_DIST, root)
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return root


@dataclass
class NginxProcess:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_nginx(
    scratch: Path, web_root: Path, upstreams: list[str], real_ip_from: str = ""
) -> NginxProcess:
    """NGINX as the web image runs it: infra/nginx/entrypoint.sh renders the config.

    With more than one upstream (two API replicas), the rendered upstream block gets the other
    servers added: the only change to the project's config, standing in for a Service's endpoints.
    """
    nginx = find_tool("nginx")
    if nginx is None or find_tool("envsubst") is None:
        missing(
            "nginx and envsubst (apt-get install -y --no-install-recommends nginx gettext-base)"
        )
    port = free_port()
    runtime = scratch / f"nginx-{port}"
    env = {
        **os.environ,
        "KEYDASH_API_UPSTREAM": upstreams[0],
        "KEYDASH_LISTEN": f"{LOOPBACK}:{port}",
        "KEYDASH_WEB_ROOT": str(web_root),
        "KEYDASH_NGINX_RUNTIME": str(runtime),
        "KEYDASH_REAL_IP_FROM": real_ip_from,
        "PATH": os.environ.get("PATH", "") + ":/usr/sbin:/sbin",
    }
    checked = subprocess.run(  # noqa: S603 - the project's entrypoint, fixed arguments
        ["/bin/sh", str(NGINX_ENTRYPOINT), "-t"],
        env=env,
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr.decode()
    config = runtime / "nginx.conf"
    if len(upstreams) > 1:
        text = config.read_text()
        first = f"server {upstreams[0]};"
        assert text.count(first) == 1, "the upstream block changed shape"
        servers = "\n        ".join(f"server {upstream};" for upstream in upstreams)
        config.write_text(text.replace(first, servers))
    log_path = scratch / f"nginx-{port}.log"
    with log_path.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - the system nginx, fixed arguments
            [str(nginx), "-p", f"{runtime}/", "-c", str(config)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = NginxProcess(process=process, port=port, log_path=log_path)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited {process.returncode}:\n{log_path.read_text()}")
        with contextlib.suppress(httpx.TransportError):
            httpx.get(server.url + "/", timeout=1)
            return server
        time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"nginx did not answer:\n{log_path.read_text()}")


def security_header_set() -> dict[str, str]:
    """The header set infra/nginx/security-headers.conf promises (fixed values only)."""
    text = (REPO / "infra" / "nginx" / "security-headers.conf").read_text()
    headers = {}
    for name, value in re.findall(r'^add_header\s+([\w-]+)\s+"([^"]*)"\s+always;', text, re.M):
        headers[name.lower()] = value
    assert len(headers) >= 5, headers
    return headers

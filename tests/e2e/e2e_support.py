"""The whole Keydash stack on loopback for the browser journeys, and what a failing test leaves.

Chromium -> the real NGINX (infra/nginx rendered by its own entrypoint.sh, the Debian `nginx`
binary, a temp prefix) -> the real API (`uvicorn keydash_api.main:app` subprocess, settings from
the environment only) -> the fake LiteLLM over HTTP (served from a thread of the test process,
so a test can read its keys and flip its faults). Everything binds to 127.0.0.1; every child is
stopped by its own PID.
"""

# Tests start the tools they check (nginx, npm, uvicorn) with fixed arguments.
# ruff: noqa: S603, S607

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from keydash_fakes.litellm import FakeLiteLLM, generate_keys, running_fake_litellm

REPO = Path(__file__).resolve().parents[2]
WEB = REPO / "apps" / "web"
DIST = WEB / "dist"
AXE_JS = WEB / "node_modules" / "axe-core" / "axe.min.js"
NGINX_ENTRYPOINT = REPO / "infra" / "nginx" / "entrypoint.sh"
ARTIFACTS = REPO / "artifacts" / "e2e"
SCREENSHOTS = REPO / "docs" / "screenshots"
LOOPBACK = "127.0.0.1"

CHROMIUM = os.environ.get("KEYDASH_E2E_CHROMIUM", "/usr/bin/chromium")
# The flags ../shared/TOOLING.md asks for: no GPU, no sandbox (root in CI), and no attempts to
# reach Google's services, which these machines cannot reach anyway. Playwright adds --headless
# and gives every launch a fresh temporary user-data dir.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

USERNAME = "admin"
PASSWORD = "e2e-correct-horse-battery"
# Made fresh per run: a test crafts (expired) session tokens with it, nothing else knows it.
JWT_SECRET = "e2e-" + secrets.token_urlsafe(48)
LITELLM_KEY = "sk-e2e-" + secrets.token_hex(16)
COOKIE_NAME = "keydash_session"

# Settings the API reads; a developer's shell must not leak any of them into a test API.
_API_SETTING_PREFIXES = (
    "LITELLM_",
    "ADMIN_",
    "JWT_",
    "TOKEN_",
    "COOKIE_",
    "ALLOWED_",
    "CACHE_",
    "MAX_",
    "UPSTREAM_",
    "LOGIN_",
    "TRUSTED_",
    "LOG_",
    "METRICS_",
    "SYNC_",
)
# How often a test API refreshes its mirror of LiteLLM's keys (the default is 30 s).
SYNC_INTERVAL_SECONDS = 1


# --- prerequisites ------------------------------------------------------------------------------


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def missing(what: str) -> None:
    """A prerequisite is absent: fail loudly in CI (CI=true), skip with the reason elsewhere."""
    if in_ci():
        pytest.fail(f"CI=true and {what}: the browser journeys must run in CI", pytrace=False)
    pytest.skip(f"browser journeys skipped: {what}")


def find_tool(name: str) -> str | None:
    search = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    return shutil.which(name, path=search)


def check_prerequisites() -> None:
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        missing(f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)")
    if find_tool("nginx") is None or find_tool("envsubst") is None:
        missing(
            "nginx is not installed (apt-get install -y --no-install-recommends nginx gettext-base)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("the playwright Python package is not installed (uv sync)")
    if not (WEB / "node_modules").is_dir() or not AXE_JS.is_file():
        missing("apps/web/node_modules (with axe-core) is not installed (cd apps/web && npm ci)")


# --- the built SPA ------------------------------------------------------------------------------

_WEB_INPUTS = ("src", "public", "index.html", "package.json", "package-lock.json", "vite.config.ts")


def _newest_input() -> float:
    newest = 0.0
    for name in (*_WEB_INPUTS, *(p.name for p in WEB.glob("tsconfig*.json"))):
        path = WEB / name
        paths = path.rglob("*") if path.is_dir() else [path]
        for item in paths:
            if item.is_file():
                newest = max(newest, item.stat().st_mtime)
    return newest


def dist_is_stale() -> bool:
    index = DIST / "index.html"
    return not index.is_file() or index.stat().st_mtime < _newest_input()


def ensure_dist() -> None:
    """Build apps/web/dist when it is missing or older than its sources (one builder at a time)."""
    if not dist_is_stale():
        return
    if find_tool("npm") is None:
        missing("apps/web/dist must be built and npm is not installed")
    lock_path = Path(tempfile.gettempdir()) / "keydash-web-build.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if dist_is_stale():
            built = subprocess.run(
                ["npm", "run", "build"],
                cwd=WEB,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            if built.returncode != 0:
                pytest.fail(
                    f"npm run build failed ({built.returncode}):\n{built.stdout}\n{built.stderr}",
                    pytrace=False,
                )


# --- processes ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


@dataclass
class Service:
    """A child process writing to one log file."""

    name: str
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def log_since(self, offset: int) -> str:
        if not self.log_path.exists():
            return ""
        with self.log_path.open("rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")

    def stop(self) -> None:
        """Stop this one process, by its own PID, politely first."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _wait_for(url: str, service: Service, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            raise RuntimeError(
                f"{service.name} exited {service.process.returncode}:\n"
                + service.log_path.read_text(errors="replace")
            )
        with contextlib.suppress(httpx.TransportError):
            httpx.get(url, timeout=1)
            return
        time.sleep(0.05)
    service.stop()
    raise RuntimeError(
        f"{service.name} did not answer {url} within {seconds} s:\n"
        + service.log_path.read_text(errors="replace")
    )


def api_environment(litellm_url: str, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_API_SETTING_PREFIXES)}
    env.update(
        {
            "LITELLM_BASE_URL": litellm_url,
            "LITELLM_API_KEY": LITELLM_KEY,
            "ADMIN_USERNAME": USERNAME,
            "ADMIN_PASSWORD": PASSWORD,
            "JWT_SECRET": JWT_SECRET,
            # NGINX is the only client of the API and tells it who the browser is.
            "TRUSTED_PROXIES": "127.0.0.1",
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "INFO",
            "METRICS_PORT": "0",
            # The mirror's incremental pass every second: a fault or a new key shows within one.
            "SYNC_INTERVAL_SECONDS": str(SYNC_INTERVAL_SECONDS),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(overrides)
    return env


def sync_state(api_url: str) -> str | None:
    """The mirror's state as `/api/readyz` reports it (no session needed), None if unanswered."""
    with contextlib.suppress(httpx.HTTPError, ValueError):
        body = httpx.get(f"{api_url}/api/readyz", timeout=5).json()
        state = body.get("sync") if isinstance(body, dict) else None
        return state if isinstance(state, str) else None
    return None


def wait_until_synced(api: Service, seconds: float = 60) -> None:
    """Until the API's first load of LiteLLM's keys has ended: every view answers from it."""
    deadline = time.monotonic() + seconds
    state = None
    while time.monotonic() < deadline:
        if api.process.poll() is not None:
            raise RuntimeError(
                f"api exited {api.process.returncode}:\n" + api.log_path.read_text(errors="replace")
            )
        state = sync_state(api.url)
        if state == "ready":
            return
        time.sleep(0.05)
    raise RuntimeError(
        f"the API's mirror was still {state!r} after {seconds} s:\n"
        + api.log_path.read_text(errors="replace")[-4000:]
    )


def start_api(scratch: Path, litellm_url: str, **overrides: str) -> Service:
    """The API as the image runs it: uvicorn, settings from the environment only."""
    port = free_port()
    log_path = scratch / f"api-{port}.log"
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
        "--timeout-graceful-shutdown",
        "5",
    ]
    with log_path.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env=api_environment(litellm_url, **overrides),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    api = Service("api", process, port, log_path)
    _wait_for(f"{api.url}/api/healthz", api)
    return api


def start_nginx(scratch: Path, web_root: Path, api_port: int) -> Service:
    """NGINX exactly as the web image starts it: infra/nginx/entrypoint.sh renders the config.

    KEYDASH_REAL_IP_FROM trusts loopback as the proxy in front (as an ingress would be), so each
    browser context can be its own client address through X-Forwarded-For: the login rate limit
    (10/min per address) then applies per simulated person, as in production, and a suite that
    signs in twenty times a minute from one address is not mistaken for a password guesser.
    """
    port = free_port()
    runtime = scratch / f"nginx-{port}"
    env = {
        **os.environ,
        "KEYDASH_API_UPSTREAM": f"{LOOPBACK}:{api_port}",
        "KEYDASH_LISTEN": f"{LOOPBACK}:{port}",
        "KEYDASH_WEB_ROOT": str(web_root),
        "KEYDASH_NGINX_RUNTIME": str(runtime),
        "KEYDASH_REAL_IP_FROM": LOOPBACK,
        "PATH": os.environ.get("PATH", "") + ":/usr/sbin:/sbin",
    }
    checked = subprocess.run(
        ["sh", str(NGINX_ENTRYPOINT), "-t"], env=env, capture_output=True, timeout=30, check=False
    )
    if checked.returncode != 0:
        raise RuntimeError(f"nginx -t refused the rendered config:\n{checked.stderr.decode()}")
    log_path = scratch / f"nginx-{port}.log"
    with log_path.open("wb") as out:
        process = subprocess.Popen(
            ["sh", str(NGINX_ENTRYPOINT)], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    nginx = Service("nginx", process, port, log_path)
    _wait_for(f"{nginx.url}/index.html", nginx)
    return nginx


def make_scratch() -> Path:
    """World-readable: nginx started as root reads the web root in workers running as nobody."""
    path = Path(tempfile.mkdtemp(prefix="keydash-e2e-"))
    path.chmod(0o755)
    return path


def copy_web_root(scratch: Path) -> Path:
    """A private copy of dist/, so a rebuild during the run cannot pull assets from under us."""
    root = scratch / "web"
    shutil.copytree(DIST, root)
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return root


class FakeServer:
    """The fake LiteLLM served on a fixed loopback port; it can go down and come back there."""

    def __init__(self, fake: FakeLiteLLM) -> None:
        self.fake = fake
        self.port = 0
        self._serving: contextlib.AbstractContextManager[str] | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def running(self) -> bool:
        return self._serving is not None

    def reserve_port(self) -> None:
        """Pick the loopback port it will serve on, and leave it closed (connections refused)."""
        self.port = free_port()

    def start(self) -> None:
        serving = running_fake_litellm(self.fake, port=self.port)
        url = serving.__enter__()
        self.port = int(url.rsplit(":", 1)[1])
        self._serving = serving

    def stop(self) -> None:
        if self._serving is not None:
            serving, self._serving = self._serving, None
            serving.__exit__(None, None, None)


def new_fake(count: int, seed: int = 7, **options: Any) -> FakeLiteLLM:
    """`count` generated keys behind Keydash's LITELLM_KEY (unless `master_key` says otherwise)."""
    settings: dict[str, Any] = {"master_key": LITELLM_KEY, **options}
    return FakeLiteLLM(keys=generate_keys(count, seed=seed), **settings)


class FakeControl:
    """The fake's `/_fake/` control routes, over HTTP as any other client would use them."""

    def __init__(self, server: FakeServer) -> None:
        self._server = server

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        response = httpx.post(f"{self._server.url}{path}", json=body, timeout=10)
        assert response.is_success, f"POST {path} answered {response.status_code}: {response.text}"
        return response.json()

    def faults(self, **faults: Any) -> Any:
        return self._post("/_fake/faults", faults)

    def latency(self, **latency: float) -> Any:
        return self._post("/_fake/latency", latency)

    def create_key(self, **fields: Any) -> dict[str, Any]:
        created: dict[str, Any] = self._post("/_fake/keys", fields)
        return created

    def add_api_key(self, key: str, user_id: str | None, role: str) -> Any:
        return self._post("/_fake/api-keys", {"key": key, "user_id": user_id, "role": role})


@dataclass
class Stack:
    """Fake LiteLLM + API + NGINX; `url` is what the browser opens."""

    fake_server: FakeServer
    api: Service
    nginx: Service
    scratch: Path
    api_settings: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.nginx.url

    @property
    def fake(self) -> FakeLiteLLM:
        return self.fake_server.fake

    @property
    def records(self) -> list[dict[str, Any]]:
        return self.fake.keys

    @property
    def control(self) -> FakeControl:
        return FakeControl(self.fake_server)

    def sync_state(self) -> str | None:
        return sync_state(self.api.url)

    def services(self) -> list[Service]:
        return [self.nginx, self.api]

    def stop(self) -> None:
        for service in (self.nginx, self.api):
            with contextlib.suppress(Exception):
                service.stop()
        self.fake_server.stop()
        shutil.rmtree(self.scratch, ignore_errors=True)


@contextlib.contextmanager
def running_stack(
    fake: FakeLiteLLM,
    *,
    fake_up: bool = True,
    synced: bool = True,
    before_api: Callable[[FakeControl], object] | None = None,
    **api_settings: str,
) -> Iterator[Stack]:
    """The whole stack. `fake_up=False` leaves LiteLLM's port closed (start it later with
    `stack.fake_server.start()`); `before_api` sets the running fake up over its control routes
    before the API starts; `synced=False` does not wait for the API's first load."""
    scratch = make_scratch()
    server = FakeServer(fake)
    api: Service | None = None
    nginx: Service | None = None
    try:
        if fake_up:
            server.start()
            if before_api is not None:
                before_api(FakeControl(server))
        else:
            server.reserve_port()
        api = start_api(scratch, server.url, **api_settings)
        if synced:
            wait_until_synced(api)
        nginx = start_nginx(scratch, copy_web_root(scratch), api.port)
        stack = Stack(server, api, nginx, scratch, dict(api_settings))
        yield stack
    finally:
        for service in (nginx, api):
            if service is not None:
                with contextlib.suppress(Exception):
                    service.stop()
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)


# Stacks alive now, and where each log stood when the running test began (for its artifacts).
LIVE_STACKS: list[Stack] = []
TEST_LOG_OFFSETS: dict[Path, int] = {}


def register_stack(stack: Stack) -> None:
    LIVE_STACKS.append(stack)
    for service in stack.services():
        TEST_LOG_OFFSETS.setdefault(service.log_path, 0)


def unregister_stack(stack: Stack) -> None:
    if stack in LIVE_STACKS:
        LIVE_STACKS.remove(stack)


# --- artifacts ----------------------------------------------------------------------------------


def artifact_dir(nodeid: str) -> Path:
    name = nodeid.split("::", 1)[-1] if "::" in nodeid else nodeid
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)[:120]
    module = Path(nodeid.split("::", 1)[0]).stem
    return ARTIFACTS / f"{module}.{safe}"


# --- a LiteLLM key that sees only its own user's keys -------------------------------------------

SCOPED_ROLE = "internal_user"


def scoped_user(records: list[dict[str, Any]]) -> str:
    """A user with a user row and a few keys (2 to 6; its scoped key will be one more)."""
    counts = Counter(
        str(record["user_id"])
        for record in records
        if record.get("user_id") and isinstance(record.get("user"), dict)
    )
    fitting = [(count, user) for user, count in counts.items() if 2 <= count <= 6]
    assert fitting, "no user of the generated keys owns between 2 and 6 of them"
    return max(fitting)[1]


def start_scoped_stack(
    stack_factory: Callable[..., Stack], key_count: int = 60, **api_settings: str
) -> tuple[Stack, str]:
    """A stack whose LITELLM_API_KEY is an `internal_user` key of one user, registered on the
    fake over its control route: LiteLLM lists that user's keys only. Returns the user's id."""
    fake = new_fake(key_count)
    user = scoped_user(fake.keys)
    secret = "sk-e2e-scoped-" + secrets.token_hex(12)
    stack = stack_factory(
        fake=fake,
        before_api=lambda control: control.add_api_key(secret, user, SCOPED_ROLE),
        LITELLM_API_KEY=secret,
        **api_settings,
    )
    return stack, user

"""Bounded load test of Keydash: the dashboard's request mix against the real stack on 127.0.0.1.

    uv run python scripts/load/keydash_load.py                       # 60 s, 50 users, 10,000 keys
    uv run python scripts/load/keydash_load.py --duration 10 --users 10
    uv run python scripts/load/keydash_load.py --rolling stop-one    # two APIs, one stopped
    uv run python scripts/load/keydash_load.py --rolling replace-all # a rolling update

It starts the fake LiteLLM (10,000 generated keys), the API as production runs it (uvicorn,
settings from the environment, JSON logs, metrics on) and, when nginx is installed, the project's
NGINX (infra/nginx) in front; then N virtual users each sign in once and loop over the dashboard's
requests (default view, paging, search, sort by tags and by owner) until the time or request budget
is spent. It reports throughput, latency percentiles, errors and the API's memory, as text and as
JSON (--json FILE). Exit status 1 when any request failed.

With --rolling, two API processes serve behind a stand-in for their Kubernetes Service (a TCP
round robin over "ready endpoints", as kube-proxy does), behind NGINX, as the Helm chart deploys
them. `stop-one` retires one mid-run; `replace-all` rolls both (new process, healthy, endpoint
added; old endpoint removed after --endpoint-lag s while the old process gets SIGTERM after
--prestop s). Sessions must stay valid on whichever process answers (stateless JWT).

Everything binds to 127.0.0.1; every run is bounded in time (at most 600 s) and in requests.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[2]
LOOPBACK = "127.0.0.1"
MAX_DURATION_SECONDS = 600
MAX_USERS = 200
USERNAME = "admin"
# Terms an admin types: owners, teams, tags and models that the generated keys contain.
SEARCH_TERMS = ["prod", "gpt-4o", "billing", "staging", "team", "claude", "batch", "dana", "ml"]


# --- configuration and results ------------------------------------------------------------------


@dataclass
class LoadConfig:
    keys: int = 10_000
    users: int = 50
    duration: float = 60.0
    max_requests: int = 1_000_000
    through_nginx: bool = True
    # "": one API. "stop-one": two APIs behind a Service stand-in, one stopped for good mid-run.
    # "replace-all": both replaced in turn, as a Kubernetes rolling update does.
    rolling: str = ""
    # Seconds until a stopping API's endpoint leaves the Service, and the preStop pause before
    # its SIGTERM (the Helm chart has none today: 0).
    rolling_lag: float = 1.0
    rolling_prestop: float = 0.0
    think_ms: float = 0.0
    # Settings for the API beyond the production defaults, e.g. {"CACHE_STALE_SECONDS": "30"}.
    api_env: dict[str, str] = field(default_factory=dict)
    seed: int = 1
    timeout: float = 30.0

    def check(self) -> None:
        if not 0 < self.duration <= MAX_DURATION_SECONDS:
            raise ValueError(f"duration must be in (0, {MAX_DURATION_SECONDS}] seconds")
        if not 0 < self.users <= MAX_USERS:
            raise ValueError(f"users must be in 1..{MAX_USERS}")
        if self.max_requests < 1 or self.keys < 0:
            raise ValueError("max_requests must be >= 1 and keys >= 0")
        if self.rolling not in ("", "stop-one", "replace-all"):
            raise ValueError("rolling must be stop-one or replace-all")


@dataclass
class Failure:
    at: float  # seconds since the load started
    kind: str
    detail: str


@dataclass
class Report:
    config: dict[str, Any]
    target: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    throughput_rps: float = 0.0
    latency_ms: dict[str, float] = field(default_factory=dict)
    by_kind: dict[str, dict[str, float]] = field(default_factory=dict)
    status_counts: dict[str, int] = field(default_factory=dict)
    rss_mib: dict[str, float] = field(default_factory=dict)
    upstream_calls: int = 0
    events: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    failure_window_seconds: float = 0.0

    def text(self) -> str:
        lines = [
            f"target           {self.target}",
            f"config           {json.dumps(self.config)}",
            f"requests         {self.requests} in {self.seconds:.1f} s "
            f"= {self.throughput_rps:.1f} req/s",
            f"errors           {self.errors} (window {self.failure_window_seconds:.2f} s)",
            "latency ms       "
            + "  ".join(f"{name} {value:.1f}" for name, value in self.latency_ms.items()),
            f"statuses         {self.status_counts}",
            "API RSS MiB      "
            + "  ".join(f"{name} {value:.1f}" for name, value in self.rss_mib.items()),
            f"LiteLLM calls    {self.upstream_calls}",
        ]
        for kind, figures in sorted(self.by_kind.items()):
            lines.append(
                f"  {kind:<14} n={int(figures['n']):<6} p50 {figures['p50']:.1f}  "
                f"p95 {figures['p95']:.1f}  p99 {figures['p99']:.1f} ms"
            )
        for event in self.events:
            lines.append(f"event            t={event['at']:.2f} s {event['what']}")
        for failure in self.failures[:10]:
            lines.append(
                f"failure          t={failure['at']:.2f} s {failure['kind']}: {failure['detail']}"
            )
        return "\n".join(lines)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


# --- processes ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def find_tool(name: str) -> str | None:
    return shutil.which(name, path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin"]))


def rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else 0.0


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited {process.returncode}:\n{log.read_text()}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(url, timeout=2).status_code < 500:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds} s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 30) -> None:
    """Stop one process we started, by its own PID."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


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


class Balancer:
    """A stand-in for a Kubernetes Service (kube-proxy): each new TCP connection goes to the next
    ready endpoint, round robin, and stays there. Like kube-proxy it neither retries a refused
    connection elsewhere nor knows a pod is stopping until its endpoint is removed."""

    def __init__(self) -> None:
        self.port = free_port()
        self.endpoints: list[int] = []
        self._turn = 0
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="balancer", daemon=True)

    def start(self) -> Balancer:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("balancer did not start")
        return self

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._connection, LOOPBACK, self.port)
        )
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            server.close()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        endpoints = list(self.endpoints)
        if not endpoints:
            writer.transport.abort()
            return
        port = endpoints[self._turn % len(endpoints)]
        self._turn += 1
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(LOOPBACK, port)
        except OSError:
            writer.transport.abort()  # the client sees the refusal, as through kube-proxy
            return

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except OSError:
                pass
            finally:
                with contextlib.suppress(OSError):
                    sink.close()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))


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


# --- the virtual users --------------------------------------------------------------------------


def next_request(rng: random.Random, pages: int) -> tuple[str, dict[str, Any]]:
    """One dashboard request, in the proportions an admin at the keys table produces them."""
    roll = rng.random()
    if roll < 0.35:
        return "default", {}
    if roll < 0.55:
        return "paging", {"page": rng.randint(2, max(2, pages)), "size": rng.choice([25, 50, 100])}
    if roll < 0.75:
        return "search", {"search": rng.choice(SEARCH_TERMS)}
    order = rng.choice(["asc", "desc"])
    if roll < 0.875:
        return "sort_tags", {"sort_by": "tags", "sort_order": order, "page": rng.randint(1, 5)}
    return "sort_owner", {"sort_by": "owner", "sort_order": order, "page": rng.randint(1, 5)}


@dataclass
class Tally:
    started: float
    deadline: float
    budget: int
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    sent: int = 0

    def take(self) -> bool:
        if self.sent >= self.budget or time.monotonic() >= self.deadline:
            return False
        self.sent += 1
        return True


async def virtual_user(
    number: int, url: str, password: str, config: LoadConfig, tally: Tally, pages: int
) -> None:
    rng = random.Random(config.seed * 10_007 + number)  # noqa: S311 - a request mix
    # Each user is its own client (NGINX believes loopback's X-Forwarded-For), as in real life.
    headers = {"x-forwarded-for": f"10.{number // 250}.{number % 250}.{rng.randint(1, 250)}"}
    async with httpx.AsyncClient(base_url=url, timeout=config.timeout, headers=headers) as http:
        login = await http.post(
            "/api/auth/login", json={"username": USERNAME, "password": password}
        )
        if login.status_code != 200:
            tally.failures.append(Failure(0.0, "login", f"{login.status_code} {login.text[:120]}"))
            return
        while tally.take():
            kind, params = next_request(rng, pages)
            sent = time.monotonic()
            try:
                response = await http.get("/api/keys", params=params)
                status = str(response.status_code)
                ok = response.status_code == 200
                detail = "" if ok else response.text[:160]
            except httpx.HTTPError as error:
                status, ok, detail = type(error).__name__, False, str(error)[:160]
            done = time.monotonic()
            tally.latencies.setdefault(kind, []).append((done - sent) * 1000)
            tally.statuses[status] = tally.statuses.get(status, 0) + 1
            if not ok:
                tally.failures.append(Failure(done - tally.started, kind, f"{status} {detail}"))
            if config.think_ms:
                await asyncio.sleep(config.think_ms / 1000 * rng.uniform(0.5, 1.5))


async def terminate(stack: Stack, port: int, config: LoadConfig, note: Any) -> None:
    """A pod going away: its endpoint leaves the Service after `rolling_lag` s (propagation),
    while the kubelet runs the preStop pause (`rolling_prestop` s) and then sends SIGTERM."""
    assert stack.balancer is not None
    balancer = stack.balancer

    async def remove_endpoint() -> None:
        await asyncio.sleep(config.rolling_lag)
        balancer.endpoints = [other for other in balancer.endpoints if other != port]
        note(f"endpoint :{port} removed")

    removal = asyncio.create_task(remove_endpoint())
    await asyncio.sleep(config.rolling_prestop)
    note(f"SIGTERM api :{port}")
    await asyncio.to_thread(stop, stack.apis.pop(port))
    note(f"api :{port} exited")
    await removal


async def rolling_update(
    stack: Stack, config: LoadConfig, started: float, events: list[dict[str, Any]]
) -> None:
    """Mid-run, stop one API for good, or roll both as Kubernetes does with two replicas
    (maxSurge 1, maxUnavailable 0): start a new one, once healthy add it, then retire an old one."""
    assert stack.balancer is not None

    def note(what: str) -> None:
        events.append({"at": time.monotonic() - started, "what": what})

    await asyncio.sleep(config.duration * 0.25)
    if config.rolling == "stop-one":
        await terminate(stack, next(iter(stack.apis)), config, note)
        return
    for old in list(stack.apis):
        port = free_port()
        stack.apis[port] = await asyncio.to_thread(start_api, stack.env, port, stack.scratch)
        stack.balancer.endpoints = [*stack.balancer.endpoints, port]
        note(f"new api :{port} ready, endpoint added")
        await terminate(stack, old, config, note)


def sample_rss(stack: Stack) -> float:
    return sum(rss_mib(api.pid) for api in stack.apis.values() if api.poll() is None)


def litellm_calls(stack: Stack) -> int:
    with contextlib.suppress(httpx.HTTPError, ValueError):
        return int(
            httpx.get(stack.litellm_url + "/_fake/stats", timeout=5).json()["key_list_calls"]
        )
    return -1


async def drive(stack: Stack, config: LoadConfig) -> Report:
    password = stack.env["KEYDASH_LOAD_PASSWORD"]
    report = Report(config=asdict(config), target=stack.url)
    # Warm-up: one sign-in, then wait (bounded) until the mirror holds every key, so the run
    # measures a warm replica; views needing every key answer 503 mirror_loading until then.
    async with httpx.AsyncClient(base_url=stack.url, timeout=120) as http:
        report.rss_mib["start"] = sample_rss(stack)
        await http.post(
            "/api/auth/login",
            json={"username": USERNAME, "password": password},
            headers={"x-forwarded-for": "10.255.255.1"},
        )
        deadline = time.monotonic() + 300
        while True:
            warm = await http.get("/api/keys", params={"sort_by": "owner"})
            if warm.status_code != 503 or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
        warm.raise_for_status()
    report.rss_mib["warm"] = sample_rss(stack)
    pages = max(1, config.keys // 25)
    started = time.monotonic()
    tally = Tally(started=started, deadline=started + config.duration, budget=config.max_requests)
    peak = report.rss_mib["warm"]
    samples: list[float] = []

    async def watch_memory() -> None:
        nonlocal peak
        while time.monotonic() < tally.deadline:
            await asyncio.sleep(0.5)
            value = sample_rss(stack)
            samples.append(value)
            peak = max(peak, value)

    tasks = [
        asyncio.create_task(virtual_user(n, stack.url, password, config, tally, pages))
        for n in range(config.users)
    ]
    watcher = asyncio.create_task(watch_memory())
    roller = (
        asyncio.create_task(rolling_update(stack, config, started, report.events))
        if config.rolling
        else None
    )
    await asyncio.gather(*tasks)
    report.seconds = time.monotonic() - started
    if roller is not None:
        await roller
    watcher.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await watcher

    everything = [value for values in tally.latencies.values() for value in values]
    report.requests = len(everything)
    report.failures = [asdict(failure) for failure in tally.failures]
    report.errors = len(tally.failures)
    if tally.failures:
        times = [failure.at for failure in tally.failures]
        report.failure_window_seconds = max(times) - min(times)
    report.throughput_rps = report.requests / report.seconds if report.seconds else 0.0
    report.latency_ms = {
        "p50": percentile(everything, 0.50),
        "p95": percentile(everything, 0.95),
        "p99": percentile(everything, 0.99),
        "max": max(everything, default=0.0),
        "mean": statistics.fmean(everything) if everything else 0.0,
    }
    report.by_kind = {
        kind: {
            "n": float(len(values)),
            "p50": percentile(values, 0.5),
            "p95": percentile(values, 0.95),
            "p99": percentile(values, 0.99),
        }
        for kind, values in tally.latencies.items()
    }
    report.status_counts = dict(sorted(tally.statuses.items()))
    report.rss_mib["peak"] = peak
    report.rss_mib["end"] = sample_rss(stack)
    if samples:
        half = samples[len(samples) // 2 :]
        report.rss_mib["second_half_mean"] = statistics.fmean(half)
    report.upstream_calls = litellm_calls(stack)
    return report


def run(config: LoadConfig) -> Report:
    config.check()
    if config.through_nginx and find_tool("nginx") is None:
        print("nginx not installed: load goes straight to the API", file=sys.stderr)
        config.through_nginx = False
    with running_stack(config) as stack:
        report: Report = run_coroutine(drive(stack, config))
        return report


def run_coroutine(coroutine: Any) -> Any:
    """asyncio.run, on a thread of its own when this thread already runs an event loop (a
    caller inside pytest after Playwright's sync API, for instance)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:  # handed to the caller below
            outcome["error"] = error

    thread = threading.Thread(target=target, name="keydash-load")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keys", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds (max 600)")
    parser.add_argument("--max-requests", type=int, default=1_000_000)
    parser.add_argument("--think-ms", type=float, default=0.0, help="pause between requests")
    parser.add_argument("--direct", action="store_true", help="hit the API, not NGINX")
    parser.add_argument(
        "--rolling",
        choices=["stop-one", "replace-all"],
        default="",
        help="two APIs behind NGINX: stop one mid-run, or replace both in turn",
    )
    parser.add_argument(
        "--endpoint-lag", type=float, default=1.0, help="s until a stopping API leaves the Service"
    )
    parser.add_argument(
        "--prestop", type=float, default=0.0, help="s between leaving and SIGTERM (preStop)"
    )
    parser.add_argument(
        "--api-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an API setting beyond the defaults (repeatable), e.g. CACHE_STALE_SECONDS=30",
    )
    parser.add_argument("--json", type=Path, help="also write the report here")
    args = parser.parse_args(argv)
    config = LoadConfig(
        keys=args.keys,
        users=args.users,
        duration=args.duration,
        max_requests=args.max_requests,
        think_ms=args.think_ms,
        through_nginx=not args.direct,
        rolling=args.rolling,
        rolling_lag=args.endpoint_lag,
        rolling_prestop=args.prestop,
        api_env=dict(item.split("=", 1) for item in args.api_env),
    )
    report = run(config)
    print(report.text())
    if args.json:
        args.json.write_text(json.dumps(asdict(report), indent=2))
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())

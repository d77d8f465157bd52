"""The real LiteLLM proxy: finding or starting it, its admin API, and its database switch.

The only code in the repository that reads `../shared/real-litellm` (the machine's real-LiteLLM
tooling). Nothing here is ever stopped or killed by name: the proxy is stopped with the tool's own
`stop` (by its PID file), and only if this suite started it; the PostgreSQL cluster is never
stopped here (`stop` itself stops it only when its `start` started it).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from rl_common import HERE, LOOPBACK, REPO, free_port

SHARED_TOOL = REPO.parent / "shared" / "real-litellm"
CONFIG = HERE / "litellm-config.yaml"
DEFAULT_HOME = Path("~/.cache/keydash-real-litellm").expanduser()
MOCK_MODEL = os.environ.get("KEYDASH_REAL_LITELLM_MOCK_MODEL", "mock-gpt")


class ProxyUnavailable(Exception):
    """No real LiteLLM could be found or started: the suite fails with this reason."""


@dataclass
class Proxy:
    url: str
    master_key: str
    # This machine's database of that proxy (for the "database down" test), if known.
    db_name: str | None
    started_here: bool
    home: Path | None = None
    startup_seconds: float = 0.0


def _tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.splitlines()[-lines:])


def _run_tool(command: str, env: dict[str, str], timeout: float) -> str:
    try:
        done = subprocess.run(  # noqa: S603 - the machine's own tool, fixed arguments
            [str(SHARED_TOOL / command)],
            cwd=SHARED_TOOL,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise ProxyUnavailable(f"{SHARED_TOOL / command} took more than {timeout:.0f} s") from error
    output = done.stdout + done.stderr
    if done.returncode != 0:
        raise ProxyUnavailable(
            f"{SHARED_TOOL / command} failed (exit {done.returncode}):\n{_tail(output)}"
        )
    return output


def _live(url: str, timeout: float = 5) -> bool:
    with contextlib.suppress(httpx.HTTPError):
        return httpx.get(url + "/health/liveliness", timeout=timeout).status_code == 200
    return False


@contextlib.contextmanager
def real_proxy() -> Iterator[Proxy]:
    """The proxy the suite runs against.

    KEYDASH_REAL_LITELLM_URL + KEYDASH_REAL_LITELLM_KEY: that proxy (optionally
    KEYDASH_REAL_LITELLM_DB names its database on this machine's PostgreSQL).
    Otherwise the shared tool's setup + start on a free port (or REAL_LITELLM_PORT), in
    REAL_LITELLM_HOME (default ~/.cache/keydash-real-litellm), with the mocked model's config;
    stopped again at the end if this run started it.
    """
    url = os.environ.get("KEYDASH_REAL_LITELLM_URL", "").strip().rstrip("/")
    if url:
        key = os.environ.get("KEYDASH_REAL_LITELLM_KEY", "").strip()
        if not key:
            raise ProxyUnavailable("KEYDASH_REAL_LITELLM_URL is set but KEYDASH_REAL_LITELLM_KEY")
        if not _live(url, timeout=10):
            raise ProxyUnavailable(f"{url}/health/liveliness does not answer 200")
        db = os.environ.get("KEYDASH_REAL_LITELLM_DB", "").strip() or None
        yield Proxy(url=url, master_key=key, db_name=db, started_here=False)
        return
    if not SHARED_TOOL.is_dir():
        raise ProxyUnavailable(
            "no real LiteLLM: set KEYDASH_REAL_LITELLM_URL and KEYDASH_REAL_LITELLM_KEY (a"
            f" proxy-admin key), or provide the real-litellm tool at {SHARED_TOOL}"
        )
    home = Path(os.environ.get("REAL_LITELLM_HOME", "") or DEFAULT_HOME).expanduser()
    port = os.environ.get("REAL_LITELLM_PORT", "").strip() or str(free_port())
    env = {
        **os.environ,
        "REAL_LITELLM_HOME": str(home),
        "REAL_LITELLM_PORT": port,
        "REAL_LITELLM_CONFIG": str(CONFIG),
    }
    started = time.monotonic()
    _run_tool("setup", env, timeout=900)
    state = home / "state"
    already = (state / "running.json").exists()
    output = _run_tool("start", env, timeout=400)
    try:
        running = json.loads((state / "running.json").read_text())
        settings = json.loads((state / "settings.json").read_text())
    except (OSError, ValueError) as error:
        raise ProxyUnavailable(f"start left no readable state in {state}: {error}") from error
    # `start` exits 0 without starting anything when this home's proxy already runs: then it is
    # not ours to stop, and it may run elsewhere than REAL_LITELLM_PORT.
    started_here = not (already and "already running" in output)
    proxy = Proxy(
        url=str(running["url"]).rstrip("/"),
        master_key=str(running["master_key"]),
        db_name=str(settings.get("db_name") or "") or None,
        started_here=started_here,
        home=home,
        startup_seconds=time.monotonic() - started,
    )
    try:
        yield proxy
    finally:
        if started_here:
            with contextlib.suppress(ProxyUnavailable):
                _run_tool("stop", env, timeout=120)


# --- LiteLLM's admin API --------------------------------------------------------------------------


class LiteLLMError(Exception):
    def __init__(self, what: str, response: httpx.Response) -> None:
        super().__init__(f"{what}: HTTP {response.status_code}: {response.text[:600]}")
        self.status = response.status_code


@dataclass
class Created:
    """What this run created in LiteLLM, for the cleanup at the end."""

    tokens: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    teams: list[str] = field(default_factory=list)


class Admin:
    """LiteLLM's admin API with a proxy-admin (master) key; records what it creates."""

    def __init__(self, proxy: Proxy) -> None:
        self.proxy = proxy
        self.http = httpx.Client(
            base_url=proxy.url,
            headers={"Authorization": f"Bearer {proxy.master_key}"},
            timeout=httpx.Timeout(60, connect=5),
        )
        self.created = Created()
        self.calls = 0

    def close(self) -> None:
        self.http.close()

    def post(self, path: str, body: dict[str, Any]) -> Any:
        self.calls += 1
        response = self.http.post(path, json=body)
        if response.status_code != 200:
            raise LiteLLMError(f"POST {path}", response)
        return response.json()

    def new_user(
        self,
        user_id: str,
        *,
        alias: str | None = None,
        email: str | None = None,
        role: str = "internal_user",
    ) -> None:
        body: dict[str, Any] = {"user_id": user_id, "user_role": role, "auto_create_key": False}
        if alias is not None:
            body["user_alias"] = alias
        if email is not None:
            body["user_email"] = email
        self.post("/user/new", body)
        self.created.users.append(user_id)

    def new_team(self, team_id: str, alias: str) -> None:
        self.post("/team/new", {"team_id": team_id, "team_alias": alias})
        self.created.teams.append(team_id)

    def generate(self, body: dict[str, Any]) -> dict[str, Any]:
        """A new key; the answer holds `key` (the secret) and `token` (its hash, Keydash's id)."""
        answer: dict[str, Any] = self.post("/key/generate", body)
        assert isinstance(answer, dict), answer
        assert isinstance(answer.get("key"), str), answer
        assert answer["key"].startswith("sk-"), answer
        assert isinstance(answer.get("token"), str), answer
        assert answer["token"], answer
        self.created.tokens.append(answer["token"])
        return answer

    def update(self, token: str, **fields: Any) -> None:
        self.post("/key/update", {"key": token, **fields})

    def block(self, token: str) -> None:
        self.post("/key/block", {"key": token})

    def unblock(self, token: str) -> None:
        self.post("/key/unblock", {"key": token})

    def delete(self, tokens: list[str]) -> None:
        self.post("/key/delete", {"keys": tokens})

    def regenerate(self, token: str) -> httpx.Response:
        self.calls += 1
        return self.http.post("/key/regenerate", json={"key": token})

    def chat(self, secret: str) -> httpx.Response:
        """One completion through the mocked model with a virtual key: it records spend."""
        self.calls += 1
        return httpx.post(
            self.proxy.url + "/chat/completions",
            headers={"Authorization": f"Bearer {secret}"},
            json={"model": MOCK_MODEL, "messages": [{"role": "user", "content": "hi"}]},
            timeout=60,
        )

    def has_mock_model(self) -> bool:
        response = self.http.get("/v1/models")
        if response.status_code != 200:
            return False
        return any(item.get("id") == MOCK_MODEL for item in response.json().get("data", []))

    def key_list_page(self, page: int, size: int = 100, key: str | None = None) -> httpx.Response:
        headers = {"x-litellm-api-key": key} if key else None
        return self.http.get(
            "/key/list",
            params={
                "page": page,
                "size": size,
                "return_full_object": "true",
                "expand": "user",
            },
            headers=headers,
        )

    def list_all(self) -> list[dict[str, Any]]:
        """Every `/key/list` record: all pages in LiteLLM's default order, deduplicated by token."""
        records: dict[str, dict[str, Any]] = {}
        page, total_pages = 1, 1
        while page <= total_pages:
            response = self.key_list_page(page)
            if response.status_code != 200:
                raise LiteLLMError(f"GET /key/list page {page}", response)
            body = response.json()
            for record in body["keys"]:
                records.setdefault(record["token"], record)
            total_pages = max(total_pages, int(body.get("total_pages") or 1))
            page += 1
        return list(records.values())

    def cleanup(self) -> list[str]:
        """Delete what this run created; returns the problems (cleanup never fails a run)."""
        problems = []
        tokens = list(dict.fromkeys(self.created.tokens))
        for start in range(0, len(tokens), 50):
            chunk = tokens[start : start + 50]
            try:
                self.post("/key/delete", {"keys": chunk})
            except LiteLLMError:
                # Some of the chunk are gone already (deleted by a test): delete one by one.
                for token in chunk:
                    with contextlib.suppress(LiteLLMError):
                        self.post("/key/delete", {"keys": [token]})
            except httpx.HTTPError as error:
                problems.append(f"deleting keys: {error!r}")
        if self.created.teams:
            try:
                self.post("/team/delete", {"team_ids": self.created.teams})
            except (LiteLLMError, httpx.HTTPError) as error:
                problems.append(f"deleting teams: {error}")
        if self.created.users:
            try:
                self.post("/user/delete", {"user_ids": self.created.users})
            except (LiteLLMError, httpx.HTTPError) as error:
                problems.append(f"deleting users: {error}")
        return problems


# --- the proxy's database, switched off and on (this proxy's database only) -----------------------


def _superpsql(sql: str) -> str:
    done = subprocess.run(  # noqa: S603 - fixed psql invocation as the postgres superuser
        ["runuser", "-u", "postgres", "--", "psql", "-X", "-qAt", "-d", "postgres", "-c", sql],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd="/",
    )
    if done.returncode != 0:
        raise RuntimeError(f"psql failed: {done.stderr.strip()[:500]}")
    return done.stdout


def _quoted_identifier(name: str) -> str:
    assert name.replace("_", "").isalnum(), f"unexpected database name {name!r}"
    return f'"{name}"'


@contextlib.contextmanager
def database_down(db_name: str) -> Iterator[None]:
    """Refuse new connections to this one database and end its sessions; restored on exit.

    Never touches the cluster (other work dirs share it).
    """
    ident = _quoted_identifier(db_name)
    literal = "'" + db_name + "'"
    _superpsql(f"ALTER DATABASE {ident} WITH ALLOW_CONNECTIONS false")
    try:
        terminate = (  # a checked database name, not input:
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"  # noqa: S608
            f" WHERE datname = {literal} AND pid <> pg_backend_pid()"
        )
        _superpsql(terminate)
        yield
    finally:
        _superpsql(f"ALTER DATABASE {ident} WITH ALLOW_CONNECTIONS true")


def loopback_url(port: int) -> str:
    return f"http://{LOOPBACK}:{port}"

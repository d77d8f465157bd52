"""The real LiteLLM proxy of the run: the one given by KEYDASH_REAL_LITELLM_URL, or the machine's
real-litellm tool's, set up, started and (if started here) stopped again.

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
from dataclasses import dataclass
from pathlib import Path

import httpx
from rl_common import HERE, REPO, free_port

SHARED_TOOL = REPO.parent / "shared" / "real-litellm"
CONFIG = HERE / "litellm-config.yaml"
DEFAULT_HOME = Path("~/.cache/keydash-real-litellm").expanduser()


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

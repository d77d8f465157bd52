"""NGINX as the web image runs it (the project's own config, infra/nginx), in front of the API.

Everything binds to 127.0.0.1; nginx is stopped by its own PID.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from reliability_machine import LOOPBACK, REPO, find_tool, free_port, missing

NGINX_ENTRYPOINT = REPO / "infra" / "nginx" / "entrypoint.sh"
SPA_DIST = REPO / "apps" / "web" / "dist"


def scratch_dir() -> Path:
    """World-readable: nginx started as root reads files from its workers as nobody."""
    path = Path(tempfile.mkdtemp(prefix="keydash-reliability-"))
    path.chmod(0o755)
    return path


def copy_web_root(scratch: Path) -> Path:
    """The built SPA, copied where nginx's workers may read it."""
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

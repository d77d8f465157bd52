"""The SPA: gzipped bytes per screen, and time from navigation to a rendered table in Chromium.

Bytes: the Vite manifest (dist/.vite/manifest.json) names each screen's chunks; a screen costs its
entry chunk and the screen's lazy chunk with their static imports and CSS, gzipped at level 9
(the same rule as apps/web/scripts/size.mjs). The naive figure is every JS and CSS file in
dist/assets loaded up front, as a single bundle without code splitting would.

Time: headless Debian Chromium, driven over the DevTools protocol on a pipe (no Playwright, no
browser download), against a small server that serves dist/ like NGINX (gzip, SPA fallback) and
passes /api to the API.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from processes import ADMIN_PASSWORD, ADMIN_USERNAME, LOOPBACK, free_port
from starlette.applications import Starlette
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--remote-debugging-pipe",
)
_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "content-encoding",
    "upgrade",
}


# -- bytes ------------------------------------------------------------------------------------


@dataclass
class ScreenBytes:
    screen: str
    files: int
    js: int
    css: int

    @property
    def total(self) -> int:
        return self.js + self.css


def _gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def bundle_sizes(dist: Path) -> tuple[list[ScreenBytes], ScreenBytes, str]:
    """Per screen, then everything; the third value says how the screens were found."""
    manifest_path = dist / ".vite" / "manifest.json"
    everything = [p for p in (dist / "assets").iterdir() if p.suffix in (".js", ".css")]
    naive = ScreenBytes(
        "every JS+CSS file up front",
        len(everything),
        sum(_gzipped(p) for p in everything if p.suffix == ".js"),
        sum(_gzipped(p) for p in everything if p.suffix == ".css"),
    )
    if not manifest_path.exists():
        # No manifest: what index.html loads is all we can attribute to a screen.
        html = (dist / "index.html").read_text()
        files = set(re.findall(r'(?:src|href)="/(assets/[^"]+\.(?:js|css))"', html))
        screen = _measure(dist, files, "index.html (no manifest)")
        return [screen], naive, "index.html only (no Vite manifest)"
    manifest: dict[str, Any] = json.loads(manifest_path.read_text())

    def closure(key: str, files: set[str]) -> set[str]:
        chunk = manifest.get(key)
        if chunk is None or chunk["file"] in files:
            return files
        files.add(chunk["file"])
        files.update(chunk.get("css", []))
        for imported in chunk.get("imports", []):
            closure(imported, files)
        return files

    def find(suffix: str) -> str | None:
        return next((key for key in manifest if key.endswith(suffix)), None)

    entry = next(key for key, chunk in manifest.items() if chunk.get("isEntry"))
    screens = []
    for name, suffix in (
        ("login page (/login)", "src/features/auth/LoginPage.tsx"),
        ("table page (/keys)", "src/features/keys/KeysPage.tsx"),
    ):
        screen_key = find(suffix)
        files = closure(entry, set())
        if screen_key is not None:
            closure(screen_key, files)
        screens.append(_measure(dist, files, name))
    return screens, naive, "Vite manifest: entry + screen chunk + static imports + CSS"


def _measure(dist: Path, files: set[str], name: str) -> ScreenBytes:
    js = sum(_gzipped(dist / f) for f in files if f.endswith(".js"))
    css = sum(_gzipped(dist / f) for f in files if f.endswith(".css"))
    return ScreenBytes(name, len(files), js, css)


# -- a static + /api server, like NGINX ---------------------------------------------------------


def _site(dist: Path, api_url: str) -> Starlette:
    upstream = httpx.AsyncClient(base_url=api_url, timeout=120)
    root = dist.resolve()
    files = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}

    async def api(request: Request) -> Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        answer = await upstream.request(
            request.method,
            request.url.path,
            params=request.query_params,
            headers=headers,
            content=await request.body(),
        )
        out = [(k, v) for k, v in answer.headers.multi_items() if k.lower() not in _HOP_BY_HOP]
        response = Response(answer.content, status_code=answer.status_code)
        response.raw_headers = [(k.encode(), v.encode()) for k, v in out] + [
            (b"content-length", str(len(answer.content)).encode())
        ]
        return response

    async def static(request: Request) -> Response:
        relative = request.url.path.lstrip("/")
        # Only files that were in dist/ when the server started: no path ever leaves it.
        if relative in files:
            cache = "public, max-age=31536000, immutable" if relative.startswith("assets/") else ""
            return FileResponse(
                root / relative, headers={"cache-control": cache} if cache else None
            )
        return FileResponse(root / "index.html", headers={"cache-control": "no-cache"})

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    app = Starlette(
        routes=[
            Route("/api/{rest:path}", api, methods=methods),
            Route("/{rest:path}", static, methods=["GET"]),
        ]
    )
    app.add_middleware(GZipMiddleware, minimum_size=512, compresslevel=5)
    return app


@contextlib.contextmanager
def serving_site(dist: Path, api_url: str) -> Iterator[str]:
    port = free_port()
    config = uvicorn.Config(
        _site(dist, api_url), host=LOOPBACK, port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="spa-site", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the SPA site did not start")
        time.sleep(0.02)
    try:
        yield f"http://{LOOPBACK}:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


# -- Chromium over the DevTools protocol, on a pipe ----------------------------------------------

# Records when the first row of real keys (not the loading skeleton) appears, relative to the
# navigation's start (performance.now() counts from it).
_TABLE_WATCH = """
(() => {
  const seen = () => {
    for (const row of document.querySelectorAll('table tbody tr')) {
      if (!row.closest('[data-testid="keys-loading"]') && row.textContent.trim() !== '') {
        return true;
      }
    }
    return false;
  };
  const observer = new MutationObserver(() => {
    if (window.__keydashTableAt === undefined && seen()) {
      window.__keydashTableAt = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
})();
"""


class Browser:
    """A headless Chromium spoken to over --remote-debugging-pipe (fds 3 and 4)."""

    def __init__(self) -> None:
        self._profile = tempfile.mkdtemp(prefix="keydash-bench-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        flags = [*CHROMIUM_FLAGS, f"--user-data-dir={self._profile}", "about:blank"]
        # bash puts the pipes on fds 3 and 4, where Chromium expects them (through two spare
        # fds, so that neither pipe end can overwrite the other), then becomes Chromium.
        r, w = to_browser_r, from_browser_w
        t1, t2 = [fd for fd in range(5, 10) if fd not in (r, w)][:2]
        script = (
            f"exec {t1}<&{r} {t2}>&{w} {r}<&- {w}>&-; "
            f'exec "$0" "$@" 3<&{t1} 4>&{t2} {t1}<&- {t2}>&-'
        )
        self.process = subprocess.Popen(  # noqa: S603
            ["/bin/bash", "-c", script, CHROMIUM, *flags],
            pass_fds=(to_browser_r, from_browser_w),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._next_id = 0
        self._replies: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, name="cdp-reader", daemon=True)
        self._reader.start()

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._from_browser, 1 << 16)
            except OSError:
                return
            if not chunk:
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                ident = message.get("id")
                if ident is not None:
                    with self._lock:
                        waiting = self._replies.get(ident)
                    if waiting is not None:
                        waiting.put(message)

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        session: str | None = None,
        timeout: float = 60,
    ) -> dict[str, Any]:
        with self._lock:
            self._next_id += 1
            ident = self._next_id
            reply: queue.Queue[dict[str, Any]] = queue.Queue()
            self._replies[ident] = reply
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        try:
            answer = reply.get(timeout=timeout)
        except queue.Empty:
            raise RuntimeError(f"Chromium did not answer {method} in {timeout} s") from None
        finally:
            with self._lock:
                self._replies.pop(ident, None)
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        result: dict[str, Any] = answer.get("result", {})
        return result

    def version(self) -> str:
        return str(self.send("Browser.getVersion").get("product", "?"))

    def page(self) -> str:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session: str = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for method in ("Page.enable", "Runtime.enable", "Network.enable"):
            self.send(method, session=session)
        self.send("Page.addScriptToEvaluateOnNewDocument", {"source": _TABLE_WATCH}, session)
        return session

    def evaluate(self, session: str, expression: str, timeout: float = 60) -> Any:
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
            session,
            timeout=timeout,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, OSError):
            self.send("Browser.close", timeout=5)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        for fd in (self._to_browser, self._from_browser):
            with contextlib.suppress(OSError):
                os.close(fd)
        shutil.rmtree(self._profile, ignore_errors=True)


@dataclass
class TableTiming:
    label: str
    runs: list[dict[str, float | None]] = field(default_factory=list)

    def median(self, mark: str = "table") -> float:
        values = sorted(v for run in self.runs if (v := run.get(mark)) is not None)
        return values[len(values) // 2] if values else float("nan")

    @property
    def runs_ms(self) -> list[float]:
        return [float(run["table"] or 0) for run in self.runs]


# When the table appeared, with the milestones before it (ms from the navigation's start).
_MARKS = """
(() => {
  if (window.__keydashTableAt === undefined) return null;
  const nav = performance.getEntriesByType('navigation')[0];
  const apis = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/'));
  const keys = apis.filter((e) => e.name.includes('/api/keys'));
  const me = apis.filter((e) => e.name.includes('/api/auth/me'));
  const chunk = performance.getEntriesByType('resource').filter((e) => e.name.includes('KeysPage'));
  return {
    me_request_start: me.length ? me[0].startTime : null,
    me_response_end: me.length ? me[0].responseEnd : null,
    table_chunk_end: chunk.length ? Math.max(...chunk.map((e) => e.responseEnd)) : null,
    table: window.__keydashTableAt,
    html: nav ? nav.responseEnd : null,
    dom_ready: nav ? nav.domContentLoadedEventEnd : null,
    keys_request_start: keys.length ? keys[0].startTime : null,
    keys_response_end: keys.length ? keys[0].responseEnd : null,
  };
})()
"""


def _time_to_table(
    browser: Browser, session: str, url: str, timeout: float = 60
) -> dict[str, float | None]:
    # Through about:blank, so that polling can never read the previous document's mark.
    browser.send("Page.navigate", {"url": "about:blank"}, session)
    browser.send("Page.navigate", {"url": url}, session)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = browser.evaluate(session, _MARKS)
        if value is not None:
            return value  # type: ignore[no-any-return]
        time.sleep(0.01)
    raise RuntimeError(f"no table rendered at {url} within {timeout} s")


def time_to_table(site: str, paths: dict[str, str], repeats: int) -> tuple[list[TableTiming], str]:
    """For each label -> path: first (empty browser cache) and repeated visits, in ms."""
    browser = Browser()
    try:
        product = browser.version()
        session = browser.page()
        browser.send("Page.navigate", {"url": f"{site}/login"}, session)
        time.sleep(0.5)
        login = json.dumps({"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD})
        status = browser.evaluate(
            session,
            "fetch('/api/auth/login', {method: 'POST', credentials: 'same-origin',"
            f" headers: {{'content-type': 'application/json'}}, body: {json.dumps(login)}}})"
            ".then(r => r.status)",
        )
        if status != 200:
            raise RuntimeError(f"login from the browser answered HTTP {status}")
        timings = []
        for index, (label, path) in enumerate(paths.items()):
            if index == 0:
                browser.send("Network.clearBrowserCache", session=session)
                first = TableTiming(f"{label}, first visit (empty browser cache)")
                first.runs.append(_time_to_table(browser, session, site + path))
                timings.append(first)
            repeat = TableTiming(f"{label}, repeat visit (browser cache warm)")
            for _ in range(repeats):
                repeat.runs.append(_time_to_table(browser, session, site + path))
            timings.append(repeat)
        return timings, product
    finally:
        browser.close()

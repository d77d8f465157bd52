"""Headless Debian Chromium driven over the DevTools protocol on a pipe (no Playwright, no browser
download); each page it opens records when the keys table first shows a row."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from typing import Any

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

"""Time from navigation to a rendered keys table in Chromium (chromium.py), signed in, first with
an empty browser cache and then repeated; each run with the milestones before the table."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from chromium import Browser
from processes import ADMIN_PASSWORD, ADMIN_USERNAME


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

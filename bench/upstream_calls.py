"""Who made each LiteLLM `/key/list` call the fake answered: the benchmark's requests, or the API
on its own (the sync's first load, passes, reconcile and exact lookups, the key-scope probe).

With the mirror, the sync reads LiteLLM whatever the requests do, so a plain count of calls
around a request would charge the sync's pages to it. The fake keeps every call's parameters
(`/_fake/stats`, `requests`); a call is the requests' when it asked for one of the page sizes
the benchmark's views use (the API reads a view's page at the view's size), and the sync's
otherwise (it reads 100 keys a page; the probe reads 1).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from processes import http_json

# The page sizes of bench_results.VIEWS and api_requests' paths; never the sync's (100).
VIEW_PAGE_SIZES = frozenset({"25", "50"})


def _stats(fake_url: str) -> dict[str, Any]:
    status, body, _ = http_json("GET", f"{fake_url}/_fake/stats", timeout=60)
    if status != 200 or not isinstance(body, dict):
        raise RuntimeError(f"/_fake/stats answered HTTP {status}")
    return body


def origin(params: dict[str, str]) -> str:
    return "views" if params.get("size") in VIEW_PAGE_SIZES else "sync"


@dataclass(frozen=True)
class Mark:
    """How many calls the fake had answered at one moment."""

    fake_url: str
    index: int

    def since(self) -> Counter[str]:
        """Calls since the mark, by origin: {"views": n, "sync": m}."""
        calls: list[dict[str, str]] = _stats(self.fake_url)["requests"][self.index :]
        counts: Counter[str] = Counter({"views": 0, "sync": 0})
        counts.update(origin(params) for params in calls)
        return counts


def mark(fake_url: str) -> Mark:
    return Mark(fake_url, int(_stats(fake_url)["request_count"]))

"""The fake LiteLLM's control endpoints (/_fake/...) as bench/sync_bench.py uses them: writes and
churn that LiteLLM's own API would make, and the requests it has answered, by kind."""

from __future__ import annotations

from typing import Any

from processes import http_json


def fake_stats(fake_url: str) -> dict[str, Any]:
    status, body, _ = http_json("GET", f"{fake_url}/_fake/stats", timeout=60)
    if status != 200 or not isinstance(body, dict):
        raise RuntimeError(f"/_fake/stats answered HTTP {status}")
    body.pop("requests", None)  # every call's parameters: large and not needed
    return body


def fake_post(fake_url: str, path: str, body: dict[str, Any] | None = None) -> Any:
    status, answer, _ = http_json("POST", f"{fake_url}{path}", body or {}, timeout=60)
    if status >= 300:
        raise RuntimeError(f"POST {path} answered HTTP {status}: {answer}")
    return answer


def kinds(fake_url: str) -> dict[str, int]:
    by_kind: dict[str, int] = fake_stats(fake_url)["requests_by_kind"]
    return by_kind


def diff_kinds(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {name: after.get(name, 0) - before.get(name, 0) for name in after}

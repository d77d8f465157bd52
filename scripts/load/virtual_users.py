"""The virtual users: each signs in once, then sends the dashboard's requests in an admin's
proportions until the run's time or request budget is spent, recording each answer."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from load.load_config import LoadConfig
from load.load_stack import USERNAME

# Terms an admin types: owners, teams, tags and models that the generated keys contain.
SEARCH_TERMS = ["prod", "gpt-4o", "billing", "staging", "team", "claude", "batch", "dana", "ml"]


@dataclass
class Failure:
    at: float  # seconds since the load started
    kind: str
    detail: str


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

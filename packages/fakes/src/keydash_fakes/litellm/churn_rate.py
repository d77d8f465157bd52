"""Churn spread over time while the server runs: one seeded write every 60/R seconds.

`POST /_fake/churn/rate {"per_minute": R, "seed": S, "mix": {...}}` starts it (replacing any
running one; R=0 stops it) and answers `{"per_minute", "seed", "mix", "applied"}`, where
`applied` has the summary shape of `POST /_fake/churn` and counts what this rate has written so
far; `GET /_fake/churn/rate` answers the same (`per_minute` 0 and zero counts when none runs;
the answer to a stop carries the stopped rate's final counts). The CLI's `--churn-per-minute R`
(with `--churn-seed`) starts one with the server.

The writes run as a task on the server's own event loop, between requests, so a `/key/list` page
never sees a half-applied write. A rate that falls behind (a busy loop) catches up.
"""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from typing import Any, Protocol

from keydash_fakes.litellm.churn import Table, churn, empty_summary

# How often a waiting rate looks whether it was stopped or replaced.
_POLL_SECONDS = 0.05


@dataclass
class ChurnRate:
    per_minute: float
    seed: int = 0
    mix: dict[str, float] | None = None
    applied: dict[str, int] = field(default_factory=empty_summary)
    rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def describe(self) -> dict[str, Any]:
        return {
            "per_minute": self.per_minute,
            "seed": self.seed,
            "mix": self.mix,
            "applied": dict(self.applied),
        }


class RatedTable(Table, Protocol):
    churn_rate: ChurnRate | None


async def run(table: RatedTable, rate: ChurnRate) -> None:
    """Write until `table.churn_rate` is no longer `rate` (stopped, replaced or reset)."""
    loop = asyncio.get_running_loop()
    interval = 60.0 / rate.per_minute
    started, done = loop.time(), 0
    while table.churn_rate is rate:
        due = int((loop.time() - started) / interval)
        while done < due and table.churn_rate is rate:
            for name, count in churn(table, 1, rate.rng, rate.mix).items():
                rate.applied[name] += count
            done += 1
        wait = started + (done + 1) * interval - loop.time()
        await asyncio.sleep(min(max(wait, 0.0), _POLL_SECONDS))


def start(table: RatedTable, tasks: set[asyncio.Task[None]]) -> None:
    """Run `table.churn_rate` (if any) on the running loop; `tasks` keeps the task alive."""
    rate = table.churn_rate
    if rate is None or rate.per_minute <= 0:
        return
    task = asyncio.get_running_loop().create_task(run(table, rate))
    tasks.add(task)
    task.add_done_callback(tasks.discard)

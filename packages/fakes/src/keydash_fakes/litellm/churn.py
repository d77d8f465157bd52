"""Seeded random writes, as a busy proxy's admins and traffic make them.

`POST /_fake/churn {"operations": N, "seed": S, "mix": {...}}` applies N operations at once and
answers `{"created", "updated", "blocked", "unblocked", "deleted", "regenerated", "spent"}`
(counts). `mix` weighs the seven operations (`create`, `update`, `block`, `unblock`, `delete`,
`regenerate`, `spend`; numbers >= 0); operations it leaves out weigh 0, and without `mix` the
weights are `DEFAULT_MIX`. An operation that cannot apply (unblock with nothing blocked, anything
but create on an empty table) is drawn again among the others, so the counts add up to N unless
nothing at all can apply. The same table, seed and mix give the same writes; their `updated_at`
is the fake's clock.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol

from keydash_fakes.litellm import keymaking, writes
from keydash_fakes.litellm.records import Record

OPERATIONS = ("create", "update", "block", "unblock", "delete", "regenerate", "spend")
SUMMARY_NAMES = {
    "create": "created",
    "update": "updated",
    "block": "blocked",
    "unblock": "unblocked",
    "delete": "deleted",
    "regenerate": "regenerated",
    "spend": "spent",
}
# Traffic (spend) dominates; admin edits are rarer; deletions and rotations rarer still.
DEFAULT_MIX: dict[str, float] = {
    "create": 2,
    "update": 3,
    "block": 1,
    "unblock": 1,
    "delete": 1,
    "regenerate": 1,
    "spend": 10,
}


class Table(Protocol):
    keys: list[Record]
    deleted: list[Record]

    def now(self) -> datetime: ...


def empty_summary() -> dict[str, int]:
    return dict.fromkeys(SUMMARY_NAMES.values(), 0)


def mix_problems(mix: Any) -> list[str]:
    if not isinstance(mix, dict):
        return ["mix must be an object of weights"]
    found = [f"unknown operation in mix: {name}" for name in mix if name not in OPERATIONS]
    for name, weight in mix.items():
        if name in OPERATIONS and (
            isinstance(weight, bool) or not isinstance(weight, int | float) or weight < 0
        ):
            found.append(f"mix.{name} must be a number >= 0")
    if not found and not any(mix.values()):
        found.append("mix must give some operation a weight > 0")
    return found


def _find(keys: list[Record], rng: random.Random, wanted: Callable[[Record], bool]) -> int | None:
    # A random start, then the first match onwards: O(1) draws for common rows, and no full scan
    # per operation, which matters at 100,000 keys.
    if not keys:
        return None
    start = rng.randrange(len(keys))
    for step in range(len(keys)):
        index = (start + step) % len(keys)
        if wanted(keys[index]):
            return index
    return None


def _blocked(record: Record) -> bool:
    return record.get("blocked") is True


def _apply(table: Table, operation: str, rng: random.Random) -> bool:
    keys, now = table.keys, table.now()
    if operation == "create":
        raw = keymaking.secret(rng)
        writes.create(keys, raw, keymaking.churned_fields(rng), now)
        return True
    wanted = {"block": lambda r: not _blocked(r), "unblock": _blocked}.get(operation)
    index = _find(keys, rng, wanted or (lambda r: True))
    if index is None:
        return False
    if operation == "update":
        writes.update(keys, index, keymaking.churned_update(rng, keys[index]), now)
    elif operation in ("block", "unblock"):
        writes.set_blocked(keys, index, operation == "block", now)
    elif operation == "delete":
        writes.delete(keys, table.deleted, index, now, keymaking.ADMIN_USER_ID)
    elif operation == "regenerate":
        writes.regenerate(keys, index, keymaking.secret(rng), now)
    else:
        amount = round(min(rng.lognormvariate(-3.0, 1.5), 50.0), 6) or 0.000001
        writes.spend(keys, index, amount, now)
    return True


def churn(
    table: Table, operations: int, rng: random.Random, mix: Mapping[str, float] | None = None
) -> dict[str, int]:
    """Apply `operations` seeded random writes to `table`; the counts by kind."""
    weights = {
        name: float((DEFAULT_MIX if mix is None else mix).get(name, 0)) for name in OPERATIONS
    }
    summary = empty_summary()
    for _ in range(operations):
        candidates = {name: weight for name, weight in weights.items() if weight > 0}
        while candidates:
            names = list(candidates)
            operation = rng.choices(names, weights=[candidates[n] for n in names])[0]
            if _apply(table, operation, rng):
                summary[SUMMARY_NAMES[operation]] += 1
                break
            del candidates[operation]
    return summary

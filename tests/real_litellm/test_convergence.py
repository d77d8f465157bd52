"""Churn: ~60 seeded mixed writes through LiteLLM's API while Keydash's mirror runs, then quiet;
Keydash's full JSON export of the run's keys must equal a direct full read of `/key/list`."""

from __future__ import annotations

import os
import random
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rl_common import DELETE_BOUND_SECONDS, NotYet, eventually, note, phase
from rl_expect import diff_sets, expected_from_record
from rl_keydash import Keydash, KeydashClient
from rl_litellm import MOCK_MODEL, Admin
from rl_waiting import settle_after, wait_ready
from rl_world import wait_for_spend

OPERATIONS = 60
FIRST_CREATES = 12


@dataclass
class ChurnKey:
    token: str
    secret: str
    models: list[str]
    blocked: bool = False
    deleted: bool = False
    spent: bool = False

    def can_spend(self) -> bool:
        allowed = not self.models or MOCK_MODEL in self.models
        return allowed and not (self.blocked or self.deleted or self.spent)


class Churn:
    def __init__(self, admin: Admin, prefix: str, rng: random.Random) -> None:
        self.admin, self.prefix, self.rng = admin, prefix, rng
        self.keys: list[ChurnKey] = []
        self.ops: Counter[str] = Counter()
        self.users = [f"{prefix}-u1", f"{prefix}-u2"]
        self.team = f"{prefix}-team"

    def setup(self) -> None:
        self.admin.new_user(self.users[0], alias=f"Churn {self.prefix}")
        self.admin.new_user(self.users[1], email=f"{self.prefix}@example.test")
        self.admin.new_team(self.team, "Churn team")

    def _models(self) -> list[str]:
        return self.rng.choice([[], [], [MOCK_MODEL], [MOCK_MODEL, "gpt-4o"], ["gpt-4o-mini"]])

    def _tags(self) -> list[str]:
        pool = [f"{self.prefix}-a", f"{self.prefix}-b", f"{self.prefix}-ß", f"{self.prefix}-ø"]
        return self.rng.sample(pool, self.rng.randint(0, 3))

    def create(self) -> None:
        n = len(self.keys)
        models = self._models()
        body: dict[str, Any] = {"key_alias": f"{self.prefix}-{n:03d}", "models": models}
        if self.rng.random() < 0.6:
            body["user_id"] = self.rng.choice([*self.users, f"{self.prefix}-ghost"])
        if self.rng.random() < 0.3:
            body["team_id"] = self.team
        if self.rng.random() < 0.3:
            body["max_budget"] = self.rng.choice([1.0, 25.0, 0.00001])
        if self.rng.random() < 0.3:
            body["duration"] = self.rng.choice(["30d", "2d"])
        if self.rng.random() < 0.7:
            body["metadata"] = {"tags": self._tags(), "description": f"churn {n}"}
        answer = self.admin.generate(body)
        self.keys.append(ChurnKey(answer["token"], answer["key"], models))

    def alive(self) -> list[ChurnKey]:
        return [key for key in self.keys if not key.deleted]

    def step(self) -> None:
        alive = self.alive()
        choices: list[str] = ["create"] * 3
        if alive:
            choices += ["metadata", "metadata", "alias", "models", "delete"]
        if any(not k.blocked for k in alive):
            choices += ["block", "block"]
        if any(k.blocked for k in alive):
            choices += ["unblock", "unblock"]
        if any(k.can_spend() for k in alive):
            choices += ["spend", "spend"]
        op = self.rng.choice(choices)
        if op == "create":
            self.create()
        elif op == "metadata":
            key = self.rng.choice(alive)
            description = self.rng.choice([f"updated {self.ops['metadata']}", "  ", None])
            metadata: dict[str, Any] = {"tags": self._tags()}
            if description is not None:
                metadata["description"] = description
            self.admin.update(key.token, metadata=metadata)
        elif op == "alias":
            key = self.rng.choice(alive)
            self.admin.update(key.token, key_alias=f"{self.prefix}-renamed-{self.ops['alias']}")
        elif op == "models":
            key = self.rng.choice(alive)
            key.models = self._models()
            self.admin.update(key.token, models=key.models)
        elif op == "block":
            key = self.rng.choice([k for k in alive if not k.blocked])
            self.admin.block(key.token)
            key.blocked = True
        elif op == "unblock":
            key = self.rng.choice([k for k in alive if k.blocked])
            self.admin.unblock(key.token)
            key.blocked = False
        elif op == "delete":
            key = self.rng.choice(alive)
            self.admin.delete([key.token])
            key.deleted = True
        else:
            key = self.rng.choice([k for k in alive if k.can_spend()])
            response = self.admin.chat(key.secret)
            if response.status_code == 200:
                key.spent = True
            else:  # e.g. LiteLLM's auth cache still holding an unblocked key as blocked
                op = f"spend refused ({response.status_code})"
        self.ops[op] += 1


def test_churn_converges_to_litellm(
    admin: Admin, keydash: tuple[Keydash, KeydashClient], run_prefix: str
) -> None:
    _, client = keydash
    seed = int(os.environ.get("KEYDASH_REAL_LITELLM_SEED") or random.randrange(1 << 30))
    churn = Churn(admin, "kdch" + run_prefix[4:], random.Random(seed))
    wait_ready(client, probe_search=churn.prefix)
    with phase(f"churn: {OPERATIONS} operations through LiteLLM (seed {seed})"):
        started = time.monotonic()
        churn.setup()
        for _ in range(FIRST_CREATES):
            churn.create()
            churn.ops["create"] += 1
        while sum(churn.ops.values()) < OPERATIONS:
            churn.step()
        writing = time.monotonic() - started
    with phase("churn: LiteLLM writes the spend (batched)"):
        spent = {k.token for k in churn.alive() if k.spent}
        if spent:
            wait_for_spend(admin, spent)
    quiet_at = datetime.now(UTC)
    quiet = time.monotonic()
    tokens = {key.token for key in churn.keys}
    comparisons = 0

    def compare() -> int:
        nonlocal comparisons
        comparisons += 1
        raw = [r for r in admin.list_all() if r["token"] in tokens]
        _, body = client.export_json()
        mine = [item for item in body["items"] if item["id"] in tokens]
        now = datetime.now(UTC)
        problems = diff_sets(mine, [expected_from_record(r, now) for r in raw], "churn")
        if problems:
            raise NotYet(f"{len(problems)} differences:\n" + "\n".join(problems[:20]))
        return len(mine)

    with phase("churn: Keydash converges"):
        told = settle_after(client, quiet_at, bound=DELETE_BOUND_SECONDS)
        # Deletes may take until the reconcile: the bound runs from the moment LiteLLM went quiet.
        remaining = max(1.0, DELETE_BOUND_SECONDS - (time.monotonic() - quiet))
        count = eventually(compare, bound=remaining, what="Keydash equal to /key/list", every=1.0)
    converged = time.monotonic() - quiet
    summary = (
        f"churn seed {seed}: {sum(churn.ops.values())} ops ({dict(churn.ops)}) in {writing:.1f} s;"
        f" {count} live keys; equal to /key/list {converged:.1f} s after quiet"
        f" ({comparisons} comparisons; settled via /api/status: {told})"
    )
    print(summary)
    note(summary)

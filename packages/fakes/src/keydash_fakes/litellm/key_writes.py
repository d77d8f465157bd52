"""The write half of `FakeLiteLLM`'s Python API: create, update, block, unblock, spend,
regenerate, delete and churn. Each moves `updated_at` to the fake's clock (see `writes`).

The same operations over HTTP (no credential, loopback only; `{token}` is the key's hash):

- `POST /_fake/keys` body: fields of `edits` -> 201, the new key record (a full `/key/list`
  object, `user` expanded);
- `POST /_fake/keys/{token}/update` body: fields of `edits` -> 200, the record;
- `POST /_fake/keys/{token}/block`, `.../unblock` (no body) -> 200, the record;
- `POST /_fake/keys/{token}/spend` body `{"amount": number > 0}` -> 200, the record;
- `POST /_fake/keys/{token}/regenerate` body `{}` or `{"key": "sk-..."}` -> 200, the record,
  whose `token` is the new hash (same place in the table; the old token is gone, not archived);
- `DELETE /_fake/keys/{token}` (optional `?deleted_by=`) -> 200, the archive row.

Refusals: 404 `{"error": "unknown key", "token": ...}`; 400 `{"error": "invalid key write",
"problems": [...]}`; 409 `{"error": "duplicate key", "token": ...}`.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from keydash_fakes.litellm import churn, edits, keymaking, writes
from keydash_fakes.litellm.records import Record


class KeyWrites:
    keys: list[Record]
    deleted: list[Record]
    # Secrets for writes that were given none: seeded, so a test's run is repeatable.
    _secrets: random.Random

    def now(self) -> datetime:
        raise NotImplementedError

    def _index(self, token: str) -> int:
        return writes.position(self.keys, token)

    def create_key(self, fields: dict[str, Any] | None = None) -> Record:
        """A new key from `edits` fields (`key`: its raw secret, else a fresh one)."""
        values = dict(fields or {})
        _check(edits.problems(values, creating=True))
        raw = values.pop("key", None) or keymaking.secret(self._secrets)
        return writes.create(self.keys, raw, values, self.now())

    def update_key(self, token: str, fields: dict[str, Any]) -> Record:
        _check(edits.problems(fields, creating=False))
        return writes.update(self.keys, self._index(token), dict(fields), self.now())

    def block_key(self, token: str) -> Record:
        return writes.set_blocked(self.keys, self._index(token), True, self.now())

    def unblock_key(self, token: str) -> Record:
        return writes.set_blocked(self.keys, self._index(token), False, self.now())

    def spend_key(self, token: str, amount: float) -> Record:
        if isinstance(amount, bool) or not isinstance(amount, int | float) or amount <= 0:
            raise ValueError("amount must be a number > 0")
        return writes.spend(self.keys, self._index(token), float(amount), self.now())

    def regenerate_key(self, token: str, key: str | None = None) -> Record:
        """The same row with a new secret; the returned record's `token` is the new hash."""
        if key is not None:
            _check(edits.problems({"key": key}, creating=True))
        raw = key or keymaking.secret(self._secrets)
        if any(r.get("token") == keymaking.identity(raw)["token"] for r in self.keys):
            raise writes.DuplicateKey(keymaking.identity(raw)["token"])
        return writes.regenerate(self.keys, self._index(token), raw, self.now())

    def delete_key(self, token: str, deleted_by: str = keymaking.ADMIN_USER_ID) -> Record:
        """Remove the key from the live table and append it to the archive; the archive row."""
        index = self._index(token)
        return writes.delete(self.keys, self.deleted, index, self.now(), deleted_by)

    def churn(
        self, operations: int, seed: int = 0, mix: Mapping[str, float] | None = None
    ) -> dict[str, int]:
        """`operations` seeded random writes at once (see `churn`); the counts by kind."""
        if operations < 0:
            raise ValueError("operations must be >= 0")
        if mix is not None:
            _check(churn.mix_problems(mix))
        return churn.churn(self, operations, random.Random(seed), mix)


def _check(problems: list[str]) -> None:
    if problems:
        raise ValueError("; ".join(problems))

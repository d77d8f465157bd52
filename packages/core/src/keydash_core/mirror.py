"""The keys one replica holds: a mirror of LiteLLM's that a sync keeps current.

Requests never see the mirror itself, only immutable snapshots of it; a new snapshot is made only
when something changed, so the per-snapshot index (key_index) is rebuilt only then.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, KeysView, ValuesView
from dataclasses import replace
from datetime import datetime

from keydash_core.keys import ApiKey, KeyStatus
from keydash_core.query import KeySnapshot


class KeyMirror:
    def __init__(self, keys: Iterable[ApiKey] = ()) -> None:
        self._keys: dict[str, ApiKey] = {}
        # (expiry as POSIX seconds, id) of active keys: statuses turn "expired" with time alone.
        self._expiring: list[tuple[float, str]] = []
        self._snapshot: KeySnapshot | None = None
        self._upstream_total: int | None = None
        for key in keys:
            self.put(key)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key_id: object) -> bool:
        return key_id in self._keys

    def get(self, key_id: str) -> ApiKey | None:
        return self._keys.get(key_id)

    def ids(self) -> KeysView[str]:
        return self._keys.keys()

    def every_key(self) -> ValuesView[ApiKey]:
        return self._keys.values()

    def put(self, key: ApiKey) -> bool:
        """Add or replace a key; True when that changed what a reader would see."""
        if self._keys.get(key.id) == key:
            return False
        self._keys[key.id] = key
        if key.status is KeyStatus.ACTIVE and key.expires_at is not None:
            heapq.heappush(self._expiring, (key.expires_at.timestamp(), key.id))
        self._snapshot = None
        return True

    def remove(self, key_id: str) -> bool:
        if self._keys.pop(key_id, None) is None:
            return False
        self._snapshot = None
        return True

    def expire(self, now: datetime) -> int:
        """Turn active keys whose expiry has come into expired ones; how many turned."""
        turned = 0
        moment = now.timestamp()
        while self._expiring and self._expiring[0][0] <= moment:
            _, key_id = heapq.heappop(self._expiring)
            key = self._keys.get(key_id)
            if key is not None and key.expired_by(now):
                self._keys[key_id] = replace(key, status=KeyStatus.EXPIRED)
                self._snapshot = None
                turned += 1
        return turned

    def set_upstream_total(self, total: int | None) -> None:
        if total != self._upstream_total:
            self._upstream_total = total
            self._snapshot = None

    def snapshot(self, now: datetime) -> KeySnapshot:
        """The keys as they are now; the same object until something changes."""
        if self._snapshot is None:
            self._snapshot = KeySnapshot(
                keys=tuple(self._keys.values()), fetched_at=now, upstream_total=self._upstream_total
            )
        return self._snapshot

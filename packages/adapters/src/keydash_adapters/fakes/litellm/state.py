"""The fake proxy's state: its key table, its master key, the active faults and what it has seen."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from keydash_adapters.fakes.litellm import timestamps
from keydash_adapters.fakes.litellm.faults import Faults
from keydash_adapters.fakes.litellm.generator import generate_keys, late_key
from keydash_adapters.fakes.litellm.listing import Listing

DEFAULT_MASTER_KEY = "sk-fake-master-key"
DEFAULT_KEY_COUNT = 300


def _default_keys() -> list[dict[str, Any]]:
    return generate_keys(DEFAULT_KEY_COUNT)


@dataclass
class FakeLiteLLM:
    """One fake proxy. Tests edit `keys` and `faults` freely, even while it serves.

    `keys` is the key table (full records, `user` rows included; see `generate_keys`). The counters
    cover `/key/list` only: `requests` holds each call's query parameters, and
    `max_concurrent_seen` the most calls that were in flight at the same time.

    `frozen_records=True` promises that no record is edited in place (replacing `keys` or its
    items is still fine): the fake then keeps its orders and each record's JSON between calls,
    which it needs to serve 100,000 keys at a realistic per-page latency (see `listing`).
    """

    keys: list[dict[str, Any]] = field(default_factory=_default_keys)
    master_key: str = DEFAULT_MASTER_KEY
    faults: Faults = field(default_factory=Faults)
    frozen_records: bool = False
    key_list_calls: int = field(default=0, init=False)
    requests: list[dict[str, str]] = field(default_factory=list, init=False)
    max_concurrent_seen: int = field(default=0, init=False)
    in_flight: int = field(default=0, init=False)
    # Tokens of keys added by the shifting_total fault, so a reset can take them away again.
    _late_tokens: list[str] = field(default_factory=list, init=False, repr=False)
    _listing: Listing | None = field(default=None, init=False, repr=False)

    def listing(self) -> Listing | None:
        """Kept orders and record JSON for the current `keys`; None unless `frozen_records`."""
        if not self.frozen_records:
            return None
        if self._listing is None or not self._listing.describes(self.keys):
            self._listing = Listing(self.keys, previous=self._listing)
        return self._listing

    def prepare(self) -> None:
        """Sort and serialize now what the first full read would (`expand=user` objects)."""
        listing = self.listing()
        if listing is not None:
            listing.prepare((True, False))

    def reset_faults(self) -> None:
        self.faults = Faults()

    def reset(self) -> None:
        """Clear faults and counters, and remove keys the shifting_total fault added."""
        self.reset_faults()
        self.key_list_calls = 0
        self.requests = []
        self.max_concurrent_seen = 0
        if self._late_tokens:
            late = set(self._late_tokens)
            self.keys = [key for key in self.keys if key.get("token") not in late]
            self._late_tokens = []

    def request_started(self, params: dict[str, str]) -> None:
        self.key_list_calls += 1
        self.requests.append(params)
        self.in_flight += 1
        self.max_concurrent_seen = max(self.max_concurrent_seen, self.in_flight)

    def request_finished(self) -> None:
        self.in_flight -= 1

    def add_late_key(self) -> None:
        """Insert a key newer than every other one, as if someone created it just now."""
        newest = max(
            (moment for key in self.keys if (moment := timestamps.parse(key.get("created_at")))),
            default=None,
        )
        created = datetime.now(UTC)
        if newest is not None and newest >= created:
            created = newest + timedelta(seconds=1)
        key = late_key(len(self._late_tokens) + 1, created)
        self.keys.insert(0, key)
        self._late_tokens.append(str(key["token"]))

    def stats(self) -> dict[str, Any]:
        return {
            "key_list_calls": self.key_list_calls,
            "request_count": len(self.requests),
            "requests": list(self.requests),
            "max_concurrent_seen": self.max_concurrent_seen,
            "in_flight": self.in_flight,
            "key_count": len(self.keys),
        }

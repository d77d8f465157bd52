"""The fake proxy's state: its key table, its master key, the active faults and what it has seen."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from keydash_fakes.litellm import accounting, callers, timestamps
from keydash_fakes.litellm.callers import ScopedCaller
from keydash_fakes.litellm.churn_rate import ChurnRate
from keydash_fakes.litellm.faults import Faults
from keydash_fakes.litellm.generator import generate_keys, late_key
from keydash_fakes.litellm.key_writes import KeyWrites
from keydash_fakes.litellm.latency import PageLatency
from keydash_fakes.litellm.listing import Listing
from keydash_fakes.litellm.ordering import default_order

DEFAULT_MASTER_KEY = "sk-fake-master-key"
DEFAULT_KEY_COUNT = 300


def _default_keys() -> list[dict[str, Any]]:
    return generate_keys(DEFAULT_KEY_COUNT)


@dataclass
class FakeLiteLLM(KeyWrites):
    """One fake proxy. Tests edit `keys` and `faults` freely, even while it serves.

    `keys` is the key table (full records, `user` rows included; see `generate_keys`), `deleted`
    the archive of deleted keys that `status=deleted` lists (each the key's last live record plus
    `deleted_at` and `deleted_by`). Writes (`create_key`, `update_key`, `block_key`, ...,
    `delete_key`, `churn`; see `key_writes`) keep both true to LiteLLM. The counters cover
    `/key/list` only: `requests` holds each call's query parameters, `requests_by_kind` counts
    them by kind (see `accounting`), and `max_concurrent_seen` the most calls in flight at once.

    `clock` is the fake's "now": for `status`/`expires`, for every write's `updated_at`, and for
    each response's `Date` header, so a test can freeze it and still see one consistent time.
    `undated_first` (default True) lists keys without `created_at` first in the default order,
    as real LiteLLM on PostgreSQL does (nulls first in `created_at desc`); False gives the fake's
    historical "undated last" order.
    `latency` is the per-page database cost (see `latency`), `churn_rate` a background churn
    (see `churn_rate`; started by the server).

    `api_keys` maps credentials besides the master key to their user and role (see `callers`;
    register them with `add_api_key`): `/key/list` scopes them as LiteLLM does (`visibility`),
    and `/v2/user/info` and `/key/info` answer for them (`whoami`).

    `frozen_records=True` promises that no record is edited in place (replacing `keys` or its
    items is still fine): the fake then keeps its orders and each record's JSON between calls,
    which it needs to serve 100,000 keys at a realistic per-page latency (see `listing`).
    """

    keys: list[dict[str, Any]] = field(default_factory=_default_keys)
    master_key: str = DEFAULT_MASTER_KEY
    faults: Faults = field(default_factory=Faults)
    frozen_records: bool = False
    deleted: list[dict[str, Any]] = field(default_factory=list)
    clock: Callable[[], datetime] = timestamps.utc_now
    undated_first: bool = True
    latency: PageLatency = field(default_factory=PageLatency)
    churn_rate: ChurnRate | None = None
    api_keys: dict[str, ScopedCaller] = field(default_factory=dict)
    requests_by_kind: dict[str, int] = field(default_factory=accounting.empty_counts, init=False)
    key_list_calls: int = field(default=0, init=False)
    daily_activity_calls: int = field(default=0, init=False)
    requests: list[dict[str, str]] = field(default_factory=list, init=False)
    max_concurrent_seen: int = field(default=0, init=False)
    in_flight: int = field(default=0, init=False)
    # Tokens of keys added by the shifting_total fault, so a reset can take them away again.
    _late_tokens: list[str] = field(default_factory=list, init=False, repr=False)
    _listing: Listing | None = field(default=None, init=False, repr=False)
    _secrets: random.Random = field(
        default_factory=lambda: random.Random("fake-litellm-writes"), init=False, repr=False
    )

    def now(self) -> datetime:
        return self.clock()

    def listing(self) -> Listing | None:
        """Kept orders and record JSON for the current `keys`; None unless `frozen_records`."""
        if not self.frozen_records:
            return None
        first = self.undated_first
        if self._listing is None or not self._listing.describes(self.keys, undated_first=first):
            self._listing = Listing(self.keys, previous=self._listing, undated_first=first)
        return self._listing

    def prepare(self) -> None:
        """Sort and serialize now what the first full read would (`expand=user` objects)."""
        listing = self.listing()
        if listing is not None:
            listing.prepare((True, False))

    def add_api_key(
        self, secret: str, user_id: str | None, role: str = "internal_user"
    ) -> ScopedCaller:
        """Accept `secret` (`sk-...`) as a key of `user_id` (None: no user) whose user has `role`.

        Registering it again changes its user or role at once, as LiteLLM's `/user/update` does.
        Like a generated key it is also a row of `keys`, added now unless a live key has it
        (see `callers.add_key_row`). `reset` keeps the registrations.
        """
        problems = callers.problems(secret, user_id, role, self.master_key)
        if problems:
            raise ValueError("; ".join(problems))
        caller = ScopedCaller(user_id, role)
        self.api_keys[secret] = caller
        callers.add_key_row(self.keys, secret, caller, self.now())
        return caller

    def reset_faults(self) -> None:
        self.faults = Faults()

    def reset_stats(self) -> None:
        """Zero the request counters (`POST /_fake/stats/reset`); nothing else changes."""
        self.key_list_calls = 0
        self.daily_activity_calls = 0
        self.requests = []
        self.requests_by_kind = accounting.empty_counts()
        self.max_concurrent_seen = 0

    def reset(self) -> None:
        """Clear faults, latency, churn rate and counters, and remove the shifting_total keys.

        The key table and the archive stay as they are, as test edits to `keys` always have.
        """
        self.reset_faults()
        self.latency = PageLatency()
        self.churn_rate = None
        self.reset_stats()
        if self._late_tokens:
            late = set(self._late_tokens)
            self.keys = [key for key in self.keys if key.get("token") not in late]
            self._late_tokens = []

    def request_started(self, params: dict[str, str]) -> None:
        self.key_list_calls += 1
        self.requests.append(params)
        self.requests_by_kind[accounting.kind(params)] += 1
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
        created = self.now()
        if newest is not None and newest >= created:
            created = newest + timedelta(seconds=1)
        key = late_key(len(self._late_tokens) + 1, created)
        self.keys.insert(0, key)
        self._late_tokens.append(str(key["token"]))

    def stats(self) -> dict[str, Any]:
        return {
            "key_list_calls": self.key_list_calls,
            "daily_activity_calls": self.daily_activity_calls,
            "request_count": len(self.requests),
            "requests": list(self.requests),
            "requests_by_kind": dict(self.requests_by_kind),
            "max_concurrent_seen": self.max_concurrent_seen,
            "in_flight": self.in_flight,
            "key_count": len(self.keys),
            "deleted_count": len(self.deleted),
        }

    def truth(self) -> dict[str, Any]:
        """What a perfect mirror holds (`GET /_fake/truth`): every live key's token and
        `updated_at`, in the default order, and the archive's tokens, oldest deletion first:
        `{"live": [{"token", "updated_at"}, ...], "deleted": [token, ...], "total": live count}`.
        """
        live = [
            {"token": r.get("token"), "updated_at": r.get("updated_at")}
            for r in default_order(self.keys, undated_first=self.undated_first)
        ]
        deleted = [r.get("token") for r in self.deleted]
        return {"live": live, "deleted": deleted, "total": len(live)}

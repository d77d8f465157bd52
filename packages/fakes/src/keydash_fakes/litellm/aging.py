"""`updated_at` for generated keys, as a database that stamps every write would hold it."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from keydash_fakes.litellm import timestamps
from keydash_fakes.litellm.records import Record

_TWO_YEARS_SECONDS = 730 * 86400
_THREE_DAYS_SECONDS = 3 * 86400


def settle_updated_at(keys: list[Record], seed: int, now: datetime) -> None:
    """Give every key an `updated_at`: at or after its creation, no earlier than its last use (a
    request through a key writes its row), and for about a third of them within three days.

    A random stream of its own, so every other field stays what the seed always gave.
    """
    rng = random.Random(f"updated-at-{seed}")
    for key in keys:
        created = timestamps.parse(key["created_at"])
        stamps = (key["updated_at"], key["last_active"])
        moments = [moment for moment in map(timestamps.parse, stamps) if moment is not None]
        if not moments:
            # An undated key was still written at some point; LiteLLM's column is never null.
            moments.append(now - timedelta(seconds=rng.randrange(1, _TWO_YEARS_SECONDS)))
        if rng.random() < 0.3:
            moments.append(now - timedelta(seconds=rng.randrange(1, _THREE_DAYS_SECONDS)))
        latest = max(moments)
        if created is not None and latest < created:
            latest = created
        if latest.microsecond == 0:
            # Prisma keeps milliseconds; only ever later, so the bounds above still hold.
            latest += timedelta(milliseconds=rng.randrange(1, 1000))
        key["updated_at"] = timestamps.iso(latest)

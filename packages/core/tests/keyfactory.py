"""Builds ApiKeys for tests with only the fields a test cares about."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

from keydash_core.keys import ApiKey

_ids = count(1)
BASE = datetime(2026, 1, 1, tzinfo=UTC)


def make_key(**fields: Any) -> ApiKey:
    number = next(_ids)
    fields.setdefault("id", f"{number:064x}")
    fields.setdefault("masked_key", f"sk-****{number:04d}"[-11:])
    fields.setdefault("created_at", BASE + timedelta(days=number))
    return ApiKey(**fields)

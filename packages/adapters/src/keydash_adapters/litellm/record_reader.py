"""Typed values read defensively from one loosely typed LiteLLM record."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime
from sys import intern
from typing import Any


class RecordReader:
    """Reads typed values from one record and remembers which fields did not fit."""

    def __init__(self, record: Mapping[str, Any]) -> None:
        self.record = record
        self.unreadable: list[str] = []

    def text(self, source: Mapping[str, Any], name: str, *, label: str | None = None) -> str | None:
        value = source.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            return value.strip() or None
        self.unreadable.append(label or name)
        return None

    def number(self, name: str) -> float | None:
        value = self.record.get(name)
        if value is None:
            return None
        # NaN and Infinity parse as JSON numbers in Python but are no amount of money.
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
        self.unreadable.append(name)
        return None

    def count(self, name: str) -> int | None:
        value = self.record.get(name)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        self.unreadable.append(name)
        return None

    def moment(self, name: str) -> datetime | None:
        value = self.record.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                # LiteLLM writes UTC; a naive timestamp is UTC without the marker.
                return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed
        self.unreadable.append(name)
        return None

    def flag(self, name: str) -> bool:
        value = self.record.get(name)
        if value is None or isinstance(value, bool):
            return bool(value)
        self.unreadable.append(name)
        return False

    def models(self) -> tuple[str, ...]:
        value = self.record.get("models")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.unreadable.append("models")
            return ()
        names = shared_tuple([intern(item) for item in value if isinstance(item, str) and item])
        if len(names) != len(value):
            self.unreadable.append("models")
        return names

    def mapping(self, name: str) -> Mapping[str, Any]:
        value = self.record.get(name)
        if value is None:
            return {}
        if isinstance(value, dict):
            return value
        self.unreadable.append(name)
        return {}


# Owners, teams, models and tags repeat across thousands of keys; each record decodes its own
# copies. One shared object per distinct value keeps a 500,000-key mirror to a few hundred MB.
_SHARED_TUPLES: dict[tuple[str, ...], tuple[str, ...]] = {}
_MAX_SHARED_TUPLES = 200_000


def shared_tuple(values: list[str]) -> tuple[str, ...]:
    if not values:
        return ()
    found = tuple(values)
    shared = _SHARED_TUPLES.get(found)
    if shared is not None:
        return shared
    if len(_SHARED_TUPLES) >= _MAX_SHARED_TUPLES:
        _SHARED_TUPLES.clear()  # too many distinct lists to be worth sharing; start over
    _SHARED_TUPLES[found] = found
    return found


def shared_text(value: str | None) -> str | None:
    return intern(value) if value is not None else None

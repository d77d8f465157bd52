"""The kinds of filter: what a filter's value looks like, its default, how it is read and checked.

A kind is the part every filter of one shape shares (a yes/no flag, a number of days, a share of
the budget, a list of free values, a list of an enum's values); `filter_table.FILTERS` pairs each
filter with its kind, the column it reads and how it narrows. The SPA has the same five kinds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any

from keydash_core.errors import InvalidQuery

MAX_FILTER_VALUES = 50
MAX_FILTER_VALUE_LENGTH = 256

Positions = Sequence[int]
# (the filter's column, the positions to narrow, the filter's value, now in POSIX seconds) ->
# the positions, in their order, whose key the filter accepts. One comprehension, no call per key.
Narrow = Callable[[Sequence[Any], Positions, Any, float], list[int]]


class KindName(StrEnum):
    ENUM_LIST = "enum_list"
    FLAG = "flag"
    DAYS = "days"
    SHARE = "share"
    TEXT_LIST = "text_list"


@dataclass(frozen=True)
class Kind:
    name: KindName
    # The value that means "this filter is off"; KeyFilters' field defaults to it.
    default: Any
    # Raw query value -> the field's value (InvalidQuery on a bad value).
    read: Callable[[str, Any], Any]
    # Raises InvalidQuery when the field's value is out of bounds.
    check: Callable[[str, Any], None]


def _keep(_name: str, raw: Any) -> Any:
    return raw


def _no_check(_name: str, _value: Any) -> None:
    return None


def flag() -> Kind:
    """True or off: one chip."""
    return Kind(KindName.FLAG, False, lambda _name, raw: bool(raw), _no_check)


def days(maximum: int) -> Kind:
    """A whole number of days, 1 to `maximum`, or off (None)."""

    def check(name: str, value: int | None) -> None:
        if value is not None and not 1 <= value <= maximum:
            raise InvalidQuery(name, f"must be between 1 and {maximum}")

    return Kind(KindName.DAYS, None, _keep, check)


def share(maximum: float) -> Kind:
    """A share (1.0 = 100%) above 0 and at most `maximum`, or off (None)."""

    def check(name: str, value: float | None) -> None:
        if value is not None and not (math.isfinite(value) and 0 < value <= maximum):
            raise InvalidQuery(
                name, f"must be a number above 0 and at most {maximum:g} (0.8 = 80% of budget)"
            )

    return Kind(KindName.SHARE, None, _keep, check)


def text_list() -> Kind:
    """Any values (alternatives), as the facets list them; off when empty."""
    return Kind(KindName.TEXT_LIST, frozenset(), lambda _name, raw: frozenset(raw), _check_values)


def enum_list(enum: type[Enum]) -> Kind:
    """Values of `enum` (alternatives), read case-insensitively; off when empty."""
    allowed = ", ".join(str(member.value) for member in enum)

    def one(name: str, value: str) -> Enum:
        try:
            return enum(value.strip().lower())
        except ValueError:
            raise InvalidQuery(name, f"must be one of: {allowed}") from None

    def read(name: str, raw: Iterable[str]) -> frozenset[Enum]:
        return frozenset(one(name, value) for value in raw)

    return Kind(KindName.ENUM_LIST, frozenset(), read, _no_check)


def _check_values(name: str, values: frozenset[str]) -> None:
    if len(values) > MAX_FILTER_VALUES:
        raise InvalidQuery(name, f"at most {MAX_FILTER_VALUES} values")
    for value in values:
        if not value.strip():
            raise InvalidQuery(name, "values must not be empty")
        if len(value) > MAX_FILTER_VALUE_LENGTH:
            raise InvalidQuery(name, f"values must be at most {MAX_FILTER_VALUE_LENGTH} characters")


@dataclass(frozen=True)
class Filter:
    """One filter, declared once: everything the core and the API derive from it."""

    name: str  # the query parameter; errors name it, facets are keyed by it
    kind: Kind
    field: str  # its KeyFilters field
    column: str  # the FilterColumns column it reads
    narrow: Narrow
    # The values the facets count a chip for: a flag's one chip (True) or a number's presets.
    # Each key's flags (facets) are these, so chip counts and the table share one predicate.
    presets: tuple[Any, ...] = ()

    def is_active(self, value: object) -> bool:
        return bool(value != self.kind.default)

    def flag_of(self, preset: object) -> str:
        """The name a key's flag for one preset has in the facets' per-key flag rows."""
        return f"{self.name}:{preset}"

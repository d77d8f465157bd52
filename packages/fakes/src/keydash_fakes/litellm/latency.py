"""A database-like cost per `/key/list` page: a fixed part plus a part growing with the offset.

Offset paging makes the database walk past every skipped row, so deep pages cost more. Measured on
a real LiteLLM 1.108.7 (PostgreSQL, pages of 100): about 150 ms near offset 0 and about 220 ms at
offset 10,000, i.e. `page_base_ms=150, per_1000_offset_ms=7` (`REAL_1087`). Off (0, 0) by default.

Set over HTTP with `POST /_fake/latency {"page_base_ms": B, "per_1000_offset_ms": K}` (fields
optional, partial update; answers the model as that same object), read with `GET /_fake/latency`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


@dataclass
class PageLatency:
    page_base_ms: float = 0.0
    per_1000_offset_ms: float = 0.0

    def delay_ms(self, page: int, size: int) -> float:
        """How long one page waits: B + K * offset / 1000, offset = (page - 1) * size."""
        offset = (page - 1) * size
        return self.page_base_ms + self.per_1000_offset_ms * offset / 1000

    def active(self) -> bool:
        return self.page_base_ms > 0 or self.per_1000_offset_ms > 0


REAL_1087 = PageLatency(page_base_ms=150.0, per_1000_offset_ms=7.0)
FIELD_NAMES = tuple(field.name for field in dataclasses.fields(PageLatency))


def apply_update(latency: PageLatency, values: dict[str, Any]) -> list[str]:
    """Set the given fields all together, or none when any is invalid; the problems found."""
    problems = [f"unknown latency field: {name}" for name in values if name not in FIELD_NAMES]
    for name, value in values.items():
        if name in FIELD_NAMES and (
            isinstance(value, bool) or not isinstance(value, int | float) or value < 0
        ):
            problems.append(f"{name} must be a number >= 0")
    if not problems:
        for name, value in values.items():
            setattr(latency, name, float(value))
    return problems

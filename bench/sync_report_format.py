"""How docs/performance-sync.md writes figures: numbers, milliseconds, a verdict against a limit,
and its Markdown tables (of a mix's labels, of warm views)."""

from __future__ import annotations

import math
from typing import Any


def num(value: Any, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if isinstance(value, int | float):
        return f"{value:,.{digits}f}"
    return str(value)


def ms(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:.1f} ms" if value < 100 else f"{value:,.0f} ms"


def verdict(value: Any, limit: float, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "**not measured**"
    if value <= limit:
        return f"met ({value / limit:.0%} of the limit)" if limit else "met"
    return f"**missed** ({value:,.2f}{unit} vs {limit:,.2f}{unit}: {value / limit:.2f}x the limit)"


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def load_rows(figures: dict[str, Any]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for label, each in figures["by_label"].items():
        statuses = ", ".join(f"{code}: {n}" for code, n in each["statuses"].items())
        rows.append(
            (
                label,
                num(each["count"]),
                ms(each["p50_ms"]),
                ms(each["p99_ms"]),
                ms(each["max_ms"]),
                statuses or "none",
                num(each["failures"]),
            )
        )
    return rows


def warm_rows(figures: dict[str, Any]) -> list[tuple[str, ...]]:
    return [
        (
            view,
            num(each["count"]),
            ms(each["p50_ms"]),
            ms(each["p95_ms"]),
            ms(each["p99_ms"]),
            num(each["throughput_rps"]),
            num(each["count"] - each["statuses"].get("200", 0) + each["failures"]),
        )
        for view, each in figures.items()
    ]

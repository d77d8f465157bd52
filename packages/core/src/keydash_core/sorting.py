"""Ordering keys by any column: stable, empty values last, ties broken so pages never overlap."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from keydash_core.key_insights import duration_seconds
from keydash_core.keys import ApiKey
from keydash_core.query import SortField, SortOrder

SortValue = str | float | datetime

_STATUS_RANK = {"active": 0, "expired": 1, "blocked": 2}


def _text(value: str | None) -> str | None:
    return value.casefold() if value else None


def _count(value: int | None) -> float | None:
    return float(value) if value is not None else None


def _joined(values: tuple[str, ...]) -> str | None:
    return ", ".join(values).casefold() if values else None


_EXTRACTORS: dict[SortField, Callable[[ApiKey], SortValue | None]] = {
    SortField.MASKED_KEY: lambda key: _text(key.masked_key),
    SortField.ALIAS: lambda key: _text(key.alias),
    SortField.OWNER: lambda key: _text(key.owner),
    SortField.DESCRIPTION: lambda key: _text(key.description),
    SortField.CREATED_AT: lambda key: key.created_at,
    SortField.EXPIRES_AT: lambda key: key.expires_at,
    SortField.ALLOWED_MODELS: lambda key: _joined(key.allowed_models),
    SortField.TAGS: lambda key: _joined(key.tags),
    SortField.SPEND: lambda key: key.spend,
    SortField.MAX_BUDGET: lambda key: key.max_budget,
    SortField.STATUS: lambda key: float(_STATUS_RANK[key.status.value]),
    SortField.TEAM_ID: lambda key: _text(key.team_id),
    SortField.LAST_USED_AT: lambda key: key.last_used_at,
    # Durations sort by length ("7d" before "1mo"), not as text.
    SortField.ROTATION_INTERVAL: lambda key: duration_seconds(key.rotation_interval),
    SortField.ROTATION_COUNT: lambda key: _count(key.rotation_count),
    SortField.LAST_ROTATED_AT: lambda key: key.last_rotated_at,
    SortField.NEXT_ROTATION_AT: lambda key: key.next_rotation_at,
    SortField.BUDGET_DURATION: lambda key: duration_seconds(key.budget_duration),
    SortField.BUDGET_RESET_AT: lambda key: key.budget_reset_at,
}


def tie_break_positions(keys: Sequence[ApiKey]) -> list[int]:
    """Positions of `keys` in the order every sort falls back on, computed once for all fields:
    undated keys first, then created_at newest first; ties by id descending.

    Exactly LiteLLM's `/key/list` default order (created_at desc, token desc, where its database
    puts nulls first when sorting descending), so a page read straight from LiteLLM and a page
    cut from the mirror agree, undated keys included.
    """
    by_id = sorted(range(len(keys)), key=lambda i: keys[i].id, reverse=True)
    dated = [i for i in by_id if keys[i].created_at is not None]
    undated = [i for i in by_id if keys[i].created_at is None]
    dated.sort(key=lambda i: keys[i].created_at, reverse=True)  # type: ignore[arg-type,return-value]
    return undated + dated


def sort_positions(
    keys: Sequence[ApiKey], tie_break: Sequence[int], field: SortField, order: SortOrder
) -> list[int]:
    """Positions in `keys` sorted by `field`, empty values last (but undated keys first in the
    default order, as LiteLLM); `tie_break` is `tie_break_positions(keys)`."""
    extract = _EXTRACTORS[field]
    present: list[tuple[SortValue, int]] = []
    empty: list[int] = []
    for i in tie_break:
        value = extract(keys[i])
        if value is None:
            empty.append(i)
        else:
            present.append((value, i))
    # Python's sort is stable even with reverse=True, so the tie-break order survives both ways.
    present.sort(key=lambda pair: pair[0], reverse=order is SortOrder.DESC)
    if field is SortField.CREATED_AT and order is SortOrder.DESC:
        # LiteLLM's database ranks an unknown creation date as newest: the default view agrees.
        return empty + [i for _, i in present]
    return [i for _, i in present] + empty

"""What GET /api/keys/facets should count for a view: each facet counts the view with its own
filter lifted (docs/api.md); the total and the spend count the view itself."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from e2e_oracle_filters import (
    NO_FILTERS,
    STATUSES,
    Filters,
    filter_rows,
    only,
    search_rows,
    unused_for,
)
from e2e_oracle_rows import Row

EXPIRY_PRESETS = (7, 30, 90)  # the filter bar's "expires within" chips
SPEND_SHARES = (0.5, 0.8, 1.0)  # the shares the facets endpoint counts
UNUSED_PRESETS = (30, 90)  # the "unused for" chips
INSIGHT_FLAGS = (
    "never_used",
    "last_use_unknown",
    "zombie",
    "rotation_overdue",
    "no_rotation_policy",
    "budget_at_risk",
)


@dataclass(frozen=True)
class Facets:
    """What GET /api/keys/facets should count for a view (docs/api.md)."""

    total: int
    total_spend: float
    status: dict[str, int]
    expires_within_days: dict[int, int]
    never_expires: int
    all_models: int
    owner_missing: int
    team_missing: int
    spend_share_at_least: dict[float, int]
    unused_for_days: dict[int, int] = field(default_factory=dict)
    flags: dict[str, int] = field(default_factory=dict)  # the insight flags, by API name
    tags: dict[str, int] = field(default_factory=dict)
    models: dict[str, int] = field(default_factory=dict)
    teams: dict[str, int] = field(default_factory=dict)
    owners: dict[str, int] = field(default_factory=dict)


def _counts(values: Sequence[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def facets(
    rows: Sequence[Row], *, now: datetime, search: str = "", filters: Filters = NO_FILTERS
) -> Facets:
    """Each facet over the search and every other filter; total and spend over all of them."""
    searched = search_rows(rows, search)

    def lifted(name: str) -> list[Row]:
        return filter_rows(searched, filters.without(name), now)

    shown = filter_rows(searched, filters, now)
    by_status = lifted("status")
    by_expiry = lifted("expires_within_days")
    by_share = lifted("spend_share_at_least")
    return Facets(
        total=len(shown),
        total_spend=math.fsum(row.spend or 0.0 for row in shown),
        status={s: sum(row.status(now) == s for row in by_status) for s in STATUSES},
        expires_within_days={
            days: sum(row.expires_within(days, now) for row in by_expiry) for days in EXPIRY_PRESETS
        },
        never_expires=sum(row.expires_at is None for row in lifted("never_expires")),
        all_models=sum(row.reaches_every_model for row in lifted("all_models")),
        owner_missing=sum(row.owner is None for row in lifted("owner_missing")),
        team_missing=sum(row.team_id is None for row in lifted("team_missing")),
        spend_share_at_least={
            share: sum(row.spend_share is not None and row.spend_share >= share for row in by_share)
            for share in SPEND_SHARES
        },
        unused_for_days={
            days: sum(unused_for(row, days, now) for row in lifted("unused_for_days"))
            for days in UNUSED_PRESETS
        },
        flags={name: len(filter_rows(lifted(name), only(name), now)) for name in INSIGHT_FLAGS},
        tags=_counts([tag for row in lifted("tag") for tag in row.tags]),
        models=_counts([model for row in lifted("model") for model in row.models]),
        teams=_counts([row.team_id for row in lifted("team") if row.team_id]),
        owners=_counts([row.owner for row in lifted("owner") if row.owner]),
    )

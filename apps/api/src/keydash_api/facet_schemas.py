"""The facets' body: how many keys each filter would select, for the current view."""

from __future__ import annotations

from datetime import datetime

from keydash_core.facets import KeyFacets, ValueCounts
from keydash_core.filter_table import FLAG_FILTERS, FilterName
from keydash_core.keys import KeyStatus
from pydantic import BaseModel, Field

from keydash_api.status_schemas import FreshnessOut


class ValueCountOut(BaseModel):
    value: str
    count: int


class ValueCountsOut(BaseModel):
    values: list[ValueCountOut] = Field(description="Most frequent first; selected values always")
    distinct: int = Field(description="How many different values there are, listed or not")

    @classmethod
    def from_domain(cls, counts: ValueCounts) -> ValueCountsOut:
        return cls(
            values=[ValueCountOut(value=c.value, count=c.count) for c in counts.values],
            distinct=counts.distinct,
        )


class StatusCounts(BaseModel):
    active: int
    expired: int
    blocked: int


class DaysCount(BaseModel):
    days: int
    count: int


class ShareCount(BaseModel):
    share: float
    count: int


class KeyFacetsOut(BaseModel):
    """Counts for the current search and filters; each facet lifts its own filter."""

    total: int = Field(description="Keys matching the search and every filter")
    total_spend: float = Field(description="Spend of the keys matching the search and filters")
    status: StatusCounts
    expires_within_days: list[DaysCount] = Field(description="Keys expiring within each preset")
    never_expires: int
    all_models: int
    owner_missing: int
    team_missing: int
    unused_for_days: list[DaysCount] = Field(description="Keys unused for each preset's days")
    never_used: int
    last_use_unknown: int
    zombie: int = Field(description="Active, unused 90 days, never expiring or every model")
    rotation_overdue: int
    no_rotation_policy: int
    budget_at_risk: int
    spend_share_at_least: list[ShareCount]
    tags: ValueCountsOut
    models: ValueCountsOut
    teams: ValueCountsOut
    owners: ValueCountsOut
    total_keys: int = Field(description="Keys searched: all keys, or the newest MAX_KEYS")
    store_total_keys: int = Field(description="Keys LiteLLM holds")
    truncated: bool
    fetched_at: datetime
    freshness: FreshnessOut

    @classmethod
    def from_domain(cls, facets: KeyFacets) -> KeyFacetsOut:
        statuses = facets.statuses
        return cls(
            total=facets.total,
            total_spend=facets.total_spend,
            status=StatusCounts(
                active=statuses[KeyStatus.ACTIVE],
                expired=statuses[KeyStatus.EXPIRED],
                blocked=statuses[KeyStatus.BLOCKED],
            ),
            expires_within_days=[
                DaysCount(days=days, count=count)
                for days, count in facets.chips[FilterName.EXPIRES_WITHIN_DAYS].items()
            ],
            unused_for_days=[
                DaysCount(days=days, count=count)
                for days, count in facets.chips[FilterName.UNUSED_FOR_DAYS].items()
            ],
            # One count per yes/no filter, under its name: each needs its field above.
            **{spec.name: facets.flag(FilterName(spec.name)) for spec in FLAG_FILTERS},
            spend_share_at_least=[
                ShareCount(share=share, count=count)
                for share, count in facets.chips[FilterName.SPEND_SHARE_AT_LEAST].items()
            ],
            tags=ValueCountsOut.from_domain(facets.tags),
            models=ValueCountsOut.from_domain(facets.models),
            teams=ValueCountsOut.from_domain(facets.teams),
            owners=ValueCountsOut.from_domain(facets.owners),
            total_keys=facets.total_keys,
            store_total_keys=facets.store_total,
            truncated=facets.truncated,
            fetched_at=facets.fetched_at,
            freshness=FreshnessOut.from_domain(facets.freshness, facets.fetched_at),
        )

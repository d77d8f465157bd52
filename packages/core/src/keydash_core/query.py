"""What an admin asks for (a query) and what they get back (a page)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum, StrEnum
from functools import cached_property
from typing import TypeVar

from keydash_core.errors import InvalidQuery
from keydash_core.filters import NO_FILTERS, KeyFilters
from keydash_core.freshness import Freshness
from keydash_core.key_insights import last_use_recorded_since
from keydash_core.keys import ApiKey, KeyStatus

MAX_PAGE_SIZE = 100
MAX_SEARCH_LENGTH = 500
# Far beyond any real key count; stops arithmetic on absurd integers from a hostile query.
MAX_PAGE = 1_000_000


class SortField(StrEnum):
    MASKED_KEY = "masked_key"
    ALIAS = "alias"
    OWNER = "owner"
    DESCRIPTION = "description"
    CREATED_AT = "created_at"
    EXPIRES_AT = "expires_at"
    ALLOWED_MODELS = "allowed_models"
    TAGS = "tags"
    SPEND = "spend"
    MAX_BUDGET = "max_budget"
    STATUS = "status"
    TEAM_ID = "team_id"
    LAST_USED_AT = "last_used_at"
    ROTATION_INTERVAL = "rotation_interval"
    ROTATION_COUNT = "rotation_count"
    LAST_ROTATED_AT = "last_rotated_at"
    NEXT_ROTATION_AT = "next_rotation_at"
    BUDGET_DURATION = "budget_duration"
    BUDGET_RESET_AT = "budget_reset_at"


# Names people (and other tools) naturally use for the same columns; the canonical value wins.
SORT_ALIASES = {
    "key": SortField.MASKED_KEY,
    "models": SortField.ALLOWED_MODELS,
    "created": SortField.CREATED_AT,
    "expires": SortField.EXPIRES_AT,
    "team": SortField.TEAM_ID,
    "budget": SortField.MAX_BUDGET,
    "key_alias": SortField.ALIAS,
    "last_used": SortField.LAST_USED_AT,
    "last_active": SortField.LAST_USED_AT,
    "key_rotation_at": SortField.NEXT_ROTATION_AT,
}


class SortOrder(StrEnum):
    ASC = "asc"
    DESC = "desc"


E = TypeVar("E", bound=Enum)


def _parse_enum(enum: type[E], field: str, value: str) -> E:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(str(member.value) for member in enum)
        raise InvalidQuery(field, f"must be one of: {allowed}") from None


@dataclass(frozen=True)
class KeyQuery:
    search: str = ""
    sort_by: SortField = SortField.CREATED_AT
    sort_order: SortOrder = SortOrder.DESC
    page: int = 1
    size: int = 25
    filters: KeyFilters = NO_FILTERS

    def __post_init__(self) -> None:
        if not 1 <= self.page <= MAX_PAGE:
            raise InvalidQuery("page", f"must be between 1 and {MAX_PAGE}")
        if not 1 <= self.size <= MAX_PAGE_SIZE:
            raise InvalidQuery("size", f"must be between 1 and {MAX_PAGE_SIZE}")
        if len(self.search) > MAX_SEARCH_LENGTH:
            raise InvalidQuery("search", f"must be at most {MAX_SEARCH_LENGTH} characters")

    @classmethod
    def parse(
        cls,
        *,
        search: str = "",
        sort_by: str,
        sort_order: str,
        page: int,
        size: int,
        filters: KeyFilters | None = None,
    ) -> KeyQuery:
        """Build a query from raw strings, turning every bad value into InvalidQuery."""
        return cls(
            search=search,
            sort_by=SORT_ALIASES.get(sort_by.lower()) or _parse_enum(SortField, "sort_by", sort_by),
            sort_order=_parse_enum(SortOrder, "sort_order", sort_order.lower()),
            page=page,
            size=size,
            filters=filters if filters is not None else NO_FILTERS,
        )

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(term for term in self.search.casefold().split() if term)

    @property
    def sort(self) -> tuple[SortField, SortOrder]:
        return (self.sort_by, self.sort_order)

    @property
    def is_natural_order(self) -> bool:
        """No search or filter, newest first: the order the key store itself lists keys in."""
        return (
            not self.terms
            and self.filters.is_empty
            and self.sort_by is SortField.CREATED_AT
            and self.sort_order is SortOrder.DESC
        )

    @property
    def store_view(self) -> StoreView | None:
        """This query as one page the key store can answer exactly by itself, if it can.

        LiteLLM searches other fields than Keydash does and cannot filter tags, models, owners or
        dates, so only no search, at most one status, and a sort it does the same way qualify.
        """
        if self.terms or self.sort_by not in STORE_SORTS:
            return None
        filters = self.filters
        if len(filters.statuses) > 1 or filters != KeyFilters(statuses=filters.statuses):
            return None
        status = next(iter(filters.statuses), None)
        return StoreView(self.page, self.size, self.sort_by, self.sort_order, status)


# Sorts the key store does with Keydash's meaning: created_at (undated keys newest, as LiteLLM's
# database puts nulls) and spend (never null in LiteLLM). Its alias and budget sorts place empty
# values and letter case differently, so they wait for the mirror.
STORE_SORTS = frozenset({SortField.CREATED_AT, SortField.SPEND})


@dataclass(frozen=True)
class StoreView:
    """One page read straight from the key store, in its own order for the sort asked."""

    page: int
    size: int
    sort_by: SortField = SortField.CREATED_AT
    sort_order: SortOrder = SortOrder.DESC
    status: KeyStatus | None = None

    @property
    def is_natural_order(self) -> bool:
        return (
            self.sort_by is SortField.CREATED_AT
            and self.sort_order is SortOrder.DESC
            and self.status is None
        )


@dataclass(frozen=True)
class KeySnapshot:
    """The keys LiteLLM holds, read at one moment: all of them, or the newest when truncated."""

    keys: tuple[ApiKey, ...]
    fetched_at: datetime
    # How many keys the store said it holds; more than len(keys) when the read was capped.
    upstream_total: int | None = None

    @property
    def partial_count(self) -> int:
        return sum(1 for key in self.keys if key.partial)

    @cached_property
    def last_use_since(self) -> datetime | None:
        """Since when LiteLLM provably records last use (`key_insights.last_use`)."""
        return last_use_recorded_since(self.keys)

    @property
    def store_total(self) -> int:
        return max(self.upstream_total or 0, len(self.keys))

    @property
    def truncated(self) -> bool:
        return self.store_total > len(self.keys)


@dataclass(frozen=True)
class StorePage:
    """One page read straight from the store in its natural order (newest first)."""

    keys: tuple[ApiKey, ...]
    total: int
    fetched_at: datetime
    freshness: Freshness | None = None
    # Keys the store holds in all, when the page was filtered (else `total` says it).
    store_total: int | None = None


@dataclass(frozen=True)
class Page:
    items: tuple[ApiKey, ...]
    page: int
    size: int
    total: int
    total_keys: int
    partial_count: int
    fetched_at: datetime
    # Keys the store holds; above total_keys when the snapshot was capped (search covers fewer).
    store_total: int = 0
    # True when the page came straight from the store: partial_count then counts this page only.
    from_store_page: bool = False
    freshness: Freshness | None = None
    # Since when LiteLLM provably records last use (None: unknown, e.g. a page read from LiteLLM).
    last_use_since: datetime | None = None

    @property
    def truncated(self) -> bool:
        return self.store_total > self.total_keys

    @property
    def total_pages(self) -> int:
        return -(-self.total // self.size)

"""What the browser should show, computed here from the fake LiteLLM's raw records.

Written from docs/api.md and the table's documented behaviour, not by calling Keydash's own code:
if the API and this disagree about an order, a mask or a search, a test says so. Each rule has
its module; journeys import them from here:

- e2e_oracle_rows: a record as a row (masked key, owner), and what a scoped key may list;
- e2e_oracle_order: LiteLLM's default order and a sort by any column;
- e2e_oracle_filters: the search and the structured filters; e2e_oracle_facets: their counts;
- e2e_oracle_render: how a row reads in the table; e2e_oracle_export: what an export holds;
- here: a whole view (search, filters, sort) and one page of it, as the API should answer it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from e2e_oracle_export import CSV_COLUMNS, csv_text
from e2e_oracle_facets import EXPIRY_PRESETS, SPEND_SHARES, Facets, facets
from e2e_oracle_filters import NO_FILTERS, STATUSES, Filters, filter_rows, search_rows
from e2e_oracle_order import default_order, sort_rows
from e2e_oracle_render import (
    ALL_COLUMNS,
    COLUMN_TITLES,
    DEFAULT_COLUMNS,
    SHOWN_BADGES,
    SORT_FIELDS,
    cell,
    date_text,
    money,
    money_texts,
    rendered,
    utc_text,
)
from e2e_oracle_rows import Row, mask, owned_by, row_from_record, rows_from

__all__ = [
    "ALL_COLUMNS",
    "COLUMN_TITLES",
    "CSV_COLUMNS",
    "DEFAULT_COLUMNS",
    "EXPIRY_PRESETS",
    "NO_FILTERS",
    "SHOWN_BADGES",
    "SORT_FIELDS",
    "SPEND_SHARES",
    "STATUSES",
    "Facets",
    "Filters",
    "Row",
    "cell",
    "csv_text",
    "date_text",
    "default_order",
    "facets",
    "filter_rows",
    "mask",
    "money",
    "money_texts",
    "owned_by",
    "rendered",
    "row_from_record",
    "rows_from",
    "search_rows",
    "select",
    "sort_rows",
    "utc_text",
    "view",
]


def select(
    rows: Sequence[Row],
    *,
    now: datetime,
    search: str = "",
    filters: Filters = NO_FILTERS,
    sort_by: str = "created_at",
    sort_order: str = "desc",
) -> list[Row]:
    """Every row of the view (search, filters, sort), across all pages: what an export holds."""
    ordered = sort_rows(rows, sort_by, sort_order, now)
    return filter_rows(search_rows(ordered, search), filters, now)


def view(
    rows: Sequence[Row],
    *,
    search: str = "",
    sort_by: str = "created_at",
    sort_order: str = "desc",
    page: int = 1,
    size: int = 25,
    filters: Filters = NO_FILTERS,
    now: datetime | None = None,
) -> tuple[list[Row], int]:
    """One page of the table as the API should answer it, and the number of matches."""
    found = select(
        rows,
        now=now or datetime.now(UTC),
        search=search,
        filters=filters,
        sort_by=sort_by,
        sort_order=sort_order,
    )
    start = (page - 1) * size
    return found[start : start + size], len(found)

"""How a person drives Keydash, in Playwright terms: by role, label and the app's test ids.

Each page or part of one has its module; journeys import them from here:

- e2e_pages_login: the login page and signing in;
- e2e_pages_table: the keys table, its headers, search box, count, paging and drawer;
- e2e_pages_address: the address bar and the view kept in localStorage;
- e2e_pages_filters: the filter bar, the summary cards, the no-match state, and steps with them;
- e2e_pages_mirror: the mirror's load progress, freshness, stale and scope warnings;
- e2e_polling: `poll`, reading until the page shows what is wanted.
"""

from __future__ import annotations

from e2e_pages_address import current_url, expect_query, stored_view, url_lists, url_query
from e2e_pages_filters import (
    FILTER_PARAMS,
    active_filter,
    api_fetched_at,
    cards,
    chips,
    choose_values,
    expect_url_filters,
    facet_option,
    facet_select,
    filter_chip,
    no_match,
    press_card,
    remove_pill,
    shown_pills,
    summary_card,
    toggle_chip,
)
from e2e_pages_login import open_signed_in, password_box, sign_in, username_box
from e2e_pages_mirror import (
    api_status,
    clock_text,
    freshness_line,
    progress_counts,
    scope_warning,
    stale_warning,
    sync_progress,
)
from e2e_pages_table import (
    count_label,
    drawer,
    expect_rows,
    expect_sorted,
    header,
    match_count,
    page_size_select,
    pagination_text,
    read_rows,
    rows,
    search_box,
    showing,
    shown_total,
    visible_columns,
    wait_for_rows,
)
from e2e_polling import poll

__all__ = [
    "FILTER_PARAMS",
    "active_filter",
    "api_fetched_at",
    "api_status",
    "cards",
    "chips",
    "choose_values",
    "clock_text",
    "count_label",
    "current_url",
    "drawer",
    "expect_query",
    "expect_rows",
    "expect_sorted",
    "expect_url_filters",
    "facet_option",
    "facet_select",
    "filter_chip",
    "freshness_line",
    "header",
    "match_count",
    "no_match",
    "open_signed_in",
    "page_size_select",
    "pagination_text",
    "password_box",
    "poll",
    "press_card",
    "progress_counts",
    "read_rows",
    "remove_pill",
    "rows",
    "scope_warning",
    "search_box",
    "showing",
    "shown_pills",
    "shown_total",
    "sign_in",
    "stale_warning",
    "stored_view",
    "summary_card",
    "sync_progress",
    "toggle_chip",
    "url_lists",
    "url_query",
    "username_box",
    "visible_columns",
    "wait_for_rows",
]

"""What the key-hygiene journeys (issue 8) expect on the page, from the oracle.

Every number and row is checked against the oracle, which filters and counts the fake LiteLLM's
raw records itself (docs/api.md), measuring relative dates from the API's `fetched_at`. Chips and
cards are read as people see them (their text) and by their data attributes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from e2e_oracle import (
    DEFAULT_COLUMNS,
    NO_FILTERS,
    Facets,
    Filters,
    Row,
    facets,
    filter_rows,
    money_texts,
    rows_from,
    search_rows,
    select,
    view,
)
from e2e_oracle_facets import INSIGHT_FLAGS
from e2e_pages import (
    api_fetched_at,
    cards,
    chips,
    count_label,
    expect_rows,
    expect_url_filters,
    match_count,
    no_match,
    poll,
    shown_pills,
)
from e2e_support import Stack
from playwright.sync_api import Page, expect


@dataclass
class Oracle:
    """The shared stack's keys as the oracle reads them, at the API's read instant."""

    rows: list[Row]
    now: datetime
    search: str = ""
    filters: Filters = NO_FILTERS
    sort_by: str = "created_at"
    sort_order: str = "desc"

    def total(self, search: str | None = None, filters: Filters | None = None) -> int:
        searched = search_rows(self.rows, self.search if search is None else search)
        return len(filter_rows(searched, self.filters if filters is None else filters, self.now))

    def facets(self) -> Facets:
        return facets(self.rows, now=self.now, search=self.search, filters=self.filters)

    def query(self) -> dict[str, Any]:
        """The view's read instant, search, filters and sort, as `select` and `view` take them."""
        return {
            "now": self.now,
            "search": self.search,
            "filters": self.filters,
            "sort_by": self.sort_by,
            "sort_order": self.sort_order,
        }

    def all(self) -> list[Row]:
        return select(self.rows, **self.query())


def oracle_for(page: Page, stack: Stack) -> Oracle:
    """The stack's keys as the oracle reads them, at the instant the page's API read them."""
    records: list[dict[str, Any]] = stack.records
    return Oracle(rows_from(records), api_fetched_at(page))


def chip_counts(counted: Facets) -> dict[str, str]:
    """What each chip of the filter bar should count (data-count) for a view's facets."""
    wanted = {f"status-{status}": count for status, count in counted.status.items()}
    wanted |= {f"expires-{days}": n for days, n in counted.expires_within_days.items()}
    wanted |= {
        "never-expires": counted.never_expires,
        "all-models": counted.all_models,
        "owner-missing": counted.owner_missing,
        "team-missing": counted.team_missing,
    }
    wanted |= {f"unused-{days}": n for days, n in counted.unused_for_days.items()}
    wanted |= {name.replace("_", "-"): n for name, n in counted.flags.items()}
    # The spend presets are the ones the facets answer counts (0.5, 0.8, 1): one chip each.
    wanted |= {
        f"spend-{round(share * 100)}": n for share, n in counted.spend_share_at_least.items()
    }
    return {name: str(count) for name, count in wanted.items()}


def expect_chip_counts(page: Page, oracle: Oracle) -> dict[str, str]:
    """Every chip shows the oracle's count, as data-count and as the number after its label."""
    wanted = chip_counts(oracle.facets())

    def read() -> dict[str, str | None]:
        return {name: chip["value"] for name, chip in chips(page).items()}

    seen = poll(read, lambda value: value == wanted)
    assert seen == wanted, f"chip counts {seen}, expected {wanted} ({oracle.filters})"
    for name, chip in chips(page).items():
        text = chip["text"] or ""
        assert text.endswith(f"{int(wanted[name]):,}"), f"chip {name} reads {text!r}"
    return wanted


def expect_cards(page: Page, oracle: Oracle) -> None:
    """The summary cards show the oracle's numbers for the view, as people read them."""
    counted = oracle.facets()
    wanted = {
        "total": counted.total,
        "expired": counted.status["expired"],
        "expiring": counted.expires_within_days[30],
        "blocked": counted.status["blocked"],
        "all-models": counted.all_models,
    }

    def read() -> dict[str, dict[str, str | None]]:
        return cards(page)

    def numbers(seen: dict[str, dict[str, str | None]]) -> dict[str, str | None]:
        return {name: seen[name]["value"] for name in wanted if name in seen}

    def spend_ok(seen: dict[str, dict[str, str | None]]) -> bool:
        value = seen.get("spend", {}).get("value")
        return value is not None and abs(float(value) - counted.total_spend) < 1e-6

    expected_numbers = {name: str(number) for name, number in wanted.items()}
    seen = poll(read, lambda value: numbers(value) == expected_numbers and spend_ok(value))
    assert numbers(seen) == expected_numbers, f"cards {numbers(seen)}, expected {expected_numbers}"
    assert spend_ok(seen), f"spend card {seen.get('spend')}, expected {counted.total_spend}"
    for name, number in wanted.items():
        assert (seen[name]["text"] or "").endswith(f"{number:,}"), f"card {name}: {seen[name]}"
    spend_text = seen["spend"]["text"] or ""
    assert any(spend_text.endswith(text) for text in money_texts(counted.total_spend)), (
        f"spend card reads {spend_text!r}, expected {money_texts(counted.total_spend)}"
    )


def expect_view(page: Page, oracle: Oracle, context: str = "") -> int:
    """Count, URL and the first page of rows are the oracle's for the view; returns the total."""
    expected, total = view(oracle.rows, **oracle.query())
    where = context or str(oracle.filters)
    narrowed = bool(oracle.search) or oracle.filters != NO_FILTERS
    expect(match_count(page)).to_have_text(count_label(total, searching=narrowed))
    expect_url_filters(page, oracle.filters)
    if total:
        expect_rows(page, expected, DEFAULT_COLUMNS, context=where)
    else:
        expect(no_match(page)).to_be_visible()
    pills = pill_ids(oracle.filters)
    seen = poll(lambda: shown_pills(page), lambda value: value == pills)
    assert seen == pills, f"active filters {seen}, expected {pills}"
    return total


def pill_ids(filters: Filters) -> list[str]:
    """The removable pills the filter bar shows for these filters, in its order."""
    ids = [f"status-{status}" for status in filters.url_params().get("status", [])]
    ids += ["expires-within"] if filters.expires_within_days is not None else []
    ids += ["never-expires"] if filters.never_expires else []
    ids += ["all-models"] if filters.all_models else []
    ids += ["owner-missing"] if filters.owner_missing else []
    ids += ["team-missing"] if filters.team_missing else []
    ids += ["unused"] if filters.unused_for_days is not None else []
    ids += [name.replace("_", "-") for name in INSIGHT_FLAGS if getattr(filters, name)]
    ids += ["spend"] if filters.spend_share_at_least is not None else []
    for name in ("tag", "model", "team", "owner"):
        ids += [f"{name}-{value}" for value in filters.url_params().get(name, [])]
    return ids


def searchable_words(rows: Sequence[Row]) -> list[str]:
    """Searchable words, most common first (what a person might type)."""
    counted = Counter(
        word.casefold()
        for row in rows
        for value in row.haystack()
        for word in value.split()
        if len(word) >= 3
    )
    return [word for word, _ in counted.most_common()]

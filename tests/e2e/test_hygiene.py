"""Key hygiene (issue 8): filter chips, multi-selects and presets, summary cards, export, no match.

Every number and row is checked against e2e_oracle, which filters and counts the fake LiteLLM's
raw records itself (docs/api.md), measuring relative dates from the API's `fetched_at`. Chips and
cards are read as people see them (their text) and by their data attributes; a chip's count is
also checked to be the table's total once it is clicked.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import permutations
from pathlib import Path
from typing import Any

from e2e_oracle import (
    CSV_COLUMNS,
    DEFAULT_COLUMNS,
    NO_FILTERS,
    Facets,
    Filters,
    Row,
    csv_text,
    facets,
    filter_rows,
    money_texts,
    rows_from,
    search_rows,
    select,
    view,
)
from e2e_pages import (
    active_filter,
    api_fetched_at,
    cards,
    chips,
    choose_values,
    count_label,
    current_url,
    expect_rows,
    expect_sorted,
    expect_url_filters,
    filter_chip,
    header,
    match_count,
    no_match,
    open_signed_in,
    poll,
    search_box,
    stored_view,
    summary_card,
    wait_for_rows,
)
from e2e_support import Stack
from playwright.sync_api import Page, expect

# --- what the page should show, from the oracle ---------------------------------------------


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

    def all(self) -> list[Row]:
        return select(
            self.rows,
            now=self.now,
            search=self.search,
            filters=self.filters,
            sort_by=self.sort_by,
            sort_order=self.sort_order,
        )


def _oracle(page: Page, stack: Stack) -> Oracle:
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
    expected, total = view(
        oracle.rows,
        now=oracle.now,
        search=oracle.search,
        filters=oracle.filters,
        sort_by=oracle.sort_by,
        sort_order=oracle.sort_order,
    )
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


def shown_total(page: Page) -> int:
    text = match_count(page).inner_text()
    found = re.match(r"([\d,]+) key", text)
    assert found, f"match count reads {text!r}"
    return int(found.group(1).replace(",", ""))


def pill_ids(filters: Filters) -> list[str]:
    """The removable pills the filter bar shows for these filters, in its order."""
    ids = [f"status-{status}" for status in filters.url_params().get("status", [])]
    ids += ["expires-within"] if filters.expires_within_days is not None else []
    ids += ["never-expires"] if filters.never_expires else []
    ids += ["all-models"] if filters.all_models else []
    ids += ["owner-missing"] if filters.owner_missing else []
    ids += ["team-missing"] if filters.team_missing else []
    ids += ["spend"] if filters.spend_share_at_least is not None else []
    for name in ("tag", "model", "team", "owner"):
        ids += [f"{name}-{value}" for value in filters.url_params().get(name, [])]
    return ids


def shown_pills(page: Page) -> list[str]:
    found: list[str] = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid^="active-filter-"]')]
                 .map((el) => el.dataset.testid.slice('active-filter-'.length))"""
    )
    return found


# Each step waits for the page to show its change, as a person waits to see it; quick clicks
# without waiting have their own journey (test_quick_clicks_never_undo_each_other).


def toggle_chip(page: Page, name: str, pressed: bool) -> None:
    filter_chip(page, name).click()
    expect(filter_chip(page, name)).to_have_attribute("aria-pressed", str(pressed).lower())


def press_card(page: Page, name: str, pressed: bool | None = None) -> None:
    summary_card(page, name).click()
    if pressed is not None:
        expect(summary_card(page, name)).to_have_attribute("aria-pressed", str(pressed).lower())


def remove_pill(page: Page, filter_id: str) -> None:
    active_filter(page, filter_id).click()
    expect(active_filter(page, filter_id)).to_have_count(0)


# --- 1. status chips ----------------------------------------------------------------------------


def test_quick_clicks_never_undo_each_other(shared_stack: Stack, page: Page) -> None:
    # Regression: with React Router rendering URLs in a transition, the second of two quick
    # clicks was built on the view before the first and undid it (8 times in 10).
    open_signed_in(page, shared_stack.url)
    for _ in range(3):
        filter_chip(page, "status-expired").click()
        filter_chip(page, "never-expires").click()
        filter_chip(page, "all-models").click()
        for name in ("status-expired", "never-expires", "all-models"):
            expect(filter_chip(page, name)).to_have_attribute("aria-pressed", "true")
        assert sorted(shown_pills(page)) == ["all-models", "never-expires", "status-expired"]
        filter_chip(page, "status-expired").click()
        filter_chip(page, "never-expires").click()
        filter_chip(page, "all-models").click()
        for name in ("status-expired", "never-expires", "all-models"):
            expect(filter_chip(page, name)).to_have_attribute("aria-pressed", "false")


def test_status_chips_filter_count_and_last_across_reload(shared_stack: Stack, page: Page) -> None:
    open_signed_in(page, shared_stack.url)
    oracle = _oracle(page, shared_stack)
    total = expect_view(page, oracle, "no filter")
    counts = expect_chip_counts(page, oracle)
    assert all(int(count) > 0 for name, count in counts.items() if name.startswith("status-"))

    # One status: the chip's count is the table's total once clicked.
    toggle_chip(page, "status-expired", pressed=True)
    oracle.filters = Filters(status=("expired",))
    assert expect_view(page, oracle) == int(counts["status-expired"]) == shown_total(page)
    expect(active_filter(page, "status-expired")).to_have_text("Status: Expired")
    # The other chips now count within expired keys; the status chips still count every status.
    counts = expect_chip_counts(page, oracle)

    # A second status is an alternative: either one.
    toggle_chip(page, "status-blocked", pressed=True)
    oracle.filters = Filters(status=("expired", "blocked"))
    both = expect_view(page, oracle)
    assert both == int(counts["status-expired"]) + int(counts["status-blocked"]) < total
    counts = expect_chip_counts(page, oracle)

    # Narrowed further by an access chip; its count was the total it leads to.
    owner_missing = int(counts["owner-missing"])
    toggle_chip(page, "owner-missing", pressed=True)
    oracle.filters = Filters(status=("expired", "blocked"), owner_missing=True)
    assert expect_view(page, oracle) == owner_missing
    expect_chip_counts(page, oracle)

    # Kept in the URL and in localStorage: a reload and plain /keys bring the same view back.
    stored = stored_view(page)["filters"]
    assert isinstance(stored, dict)
    assert stored["status"] == ["expired", "blocked"]
    assert stored["ownerMissing"] is True
    page.reload()
    wait_for_rows(page)
    expect(filter_chip(page, "status-blocked")).to_have_attribute("aria-pressed", "true")
    expect_view(page, oracle, "after a reload")
    page.goto(shared_stack.url + "/keys")
    wait_for_rows(page)
    expect_view(page, oracle, "plain /keys, from localStorage")

    # Removed one by one with their pills, back to the whole table.
    remove_pill(page, "status-expired")
    oracle.filters = Filters(status=("blocked",), owner_missing=True)
    expect_view(page, oracle)
    expect(filter_chip(page, "status-expired")).to_have_attribute("aria-pressed", "false")
    remove_pill(page, "owner-missing")
    oracle.filters = Filters(status=("blocked",))
    expect_view(page, oracle)
    remove_pill(page, "status-blocked")
    oracle.filters = NO_FILTERS
    assert expect_view(page, oracle, "every filter removed") == total
    expect(page.get_by_test_id("active-filters")).to_have_count(0)
    assert "status" not in current_url(page)
    stored = stored_view(page)["filters"]
    assert isinstance(stored, dict)
    assert stored["status"] == []


# --- 2. multi-selects, an expiry preset and search ---------------------------------------------


@dataclass(frozen=True)
class Combination:
    search: str
    tags: tuple[str, str]
    model: str


def _words(rows: Sequence[Row]) -> list[str]:
    """Searchable words, most common first (what a person might type)."""
    counted = Counter(
        word.casefold()
        for row in rows
        for value in row.haystack()
        for word in value.split()
        if len(word) >= 3
    )
    return [word for word, _ in counted.most_common()]


def _choose_combination(oracle: Oracle) -> Combination:
    """A search, two tags and a model where every part matters, and the expiry presets with the
    search and the second tag keeping some keys.

    Every part matters: lifting the search, the tags, the model, or only the first tag changes
    the total, and at least two rows are kept. Preferred: the 30-day preset keeping fewer than
    the 90-day one but not none, then the most rows kept.
    """
    rows = oracle.rows
    tags = [tag for tag, _ in Counter(tag for row in rows for tag in row.tags).most_common(10)]
    models = [m for m, _ in Counter(m for row in rows for m in row.models).most_common(10)]

    def having(among: Sequence[Row]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
        by_tag = {tag: {row.id for row in among if tag in row.tags} for tag in tags}
        by_model = {model: {row.id for row in among if model in row.models} for model in models}
        return by_tag, by_model

    every_tag, every_model = having(rows)
    expiring = {
        days: {row.id for row in rows if row.expires_within(days, oracle.now)} for days in (30, 90)
    }
    best: tuple[tuple[bool, int], Combination] | None = None
    for search in _words(rows)[:80]:
        by_tag, by_model = having(search_rows(rows, search))
        for first, second in permutations(tags, 2):
            within = [len(by_tag[second] & expiring[days]) for days in (30, 90)]
            if not 1 <= within[1] < len(by_tag[second]):
                continue
            either = by_tag[first] | by_tag[second]
            for model in models:
                kept = len(either & by_model[model])
                if (
                    kept >= 2
                    and len((every_tag[first] | every_tag[second]) & every_model[model]) > kept
                    and len(by_model[model]) > kept
                    and len(either) > kept
                    and len(by_tag[second] & by_model[model]) < kept
                ):
                    score = (1 <= within[0] < within[1], kept)
                    if best is None or score > best[0]:
                        best = (score, Combination(search, (first, second), model))
    assert best is not None, "the fake's keys have no search/tag/model/preset combination"
    return best[1]


def test_tags_model_expiry_preset_and_search_combine_and_clear(
    shared_stack: Stack, page: Page
) -> None:
    open_signed_in(page, shared_stack.url)
    oracle = _oracle(page, shared_stack)
    chosen = _choose_combination(oracle)

    search_box(page).fill(chosen.search)
    oracle.search = chosen.search
    searched = expect_view(page, oracle, f"search {chosen.search!r}")

    # Two tags (either), each option showing how many keys of this view carry it.
    tag_counts = oracle.facets().tags
    choose_values(page, "tag", {tag: tag_counts[tag] for tag in chosen.tags})
    oracle.filters = Filters(tag=chosen.tags)
    expect_view(page, oracle)
    expect(active_filter(page, f"tag-{chosen.tags[0]}")).to_have_text(f"Tag: {chosen.tags[0]}")

    model_counts = oracle.facets().models
    choose_values(page, "model", {chosen.model: model_counts[chosen.model]})
    oracle.filters = Filters(tag=chosen.tags, model=(chosen.model,))
    expect_view(page, oracle)
    expect_chip_counts(page, oracle)

    # Removable one by one.
    remove_pill(page, f"model-{chosen.model}")
    oracle.filters = Filters(tag=chosen.tags)
    expect_view(page, oracle)
    remove_pill(page, f"tag-{chosen.tags[0]}")
    second = Filters(tag=chosen.tags[1:])
    oracle.filters = second
    expect_view(page, oracle)

    # An expiry preset on top; the presets are one choice: 90 days replaces 30 days.
    counts = expect_chip_counts(page, oracle)
    toggle_chip(page, "expires-30", pressed=True)
    oracle.filters = replace(second, expires_within_days=30)
    assert expect_view(page, oracle) == int(counts["expires-30"])
    toggle_chip(page, "expires-90", pressed=True)
    oracle.filters = replace(second, expires_within_days=90)
    assert expect_view(page, oracle) == int(counts["expires-90"]) > 0
    expect(filter_chip(page, "expires-30")).to_have_attribute("aria-pressed", "false")
    expect(active_filter(page, "expires-within")).to_have_text("Expires within 90 days")
    remove_pill(page, "expires-within")
    oracle.filters = second
    expect_view(page, oracle, "preset removed")

    # "Clear filters" keeps the search.
    toggle_chip(page, "expires-90", pressed=True)
    page.get_by_test_id("clear-filters").click()
    expect(page.get_by_test_id("active-filters")).to_have_count(0)
    oracle.filters = NO_FILTERS
    assert expect_view(page, oracle, "filters cleared, search kept") == searched
    expect(search_box(page)).to_have_value(chosen.search)

    # The budget chips too: spend at or above 80% of max_budget.
    counts = expect_chip_counts(page, oracle)
    toggle_chip(page, "spend-80", pressed=True)
    oracle.filters = Filters(spend_share_at_least=0.8)
    assert expect_view(page, oracle) == int(counts["spend-80"])


# --- 3. summary cards ---------------------------------------------------------------------------


def test_summary_cards_count_the_view_and_apply_their_filter(
    shared_stack: Stack, page: Page
) -> None:
    open_signed_in(page, shared_stack.url)
    oracle = _oracle(page, shared_stack)
    expect_cards(page, oracle)
    counted = oracle.facets()
    assert counted.expires_within_days[30] > 0, "no key expires within 30 days"

    # Expiring within 30 days: the card's number is the table's total once clicked.
    press_card(page, "expiring", pressed=True)
    oracle.filters = Filters(expires_within_days=30)
    assert expect_view(page, oracle) == counted.expires_within_days[30]
    expect_cards(page, oracle)
    press_card(page, "expiring", pressed=False)  # and off again

    # Blocked, then all-model keys among them: the cards follow the view.
    press_card(page, "blocked", pressed=True)
    oracle.filters = Filters(status=("blocked",))
    assert expect_view(page, oracle) == counted.status["blocked"]
    expect_cards(page, oracle)
    all_models = oracle.facets().all_models
    press_card(page, "all-models", pressed=True)
    oracle.filters = Filters(status=("blocked",), all_models=True)
    assert expect_view(page, oracle) == all_models
    expect_cards(page, oracle)

    # Total spend sorts by spend, highest first.
    press_card(page, "spend", pressed=True)
    oracle.sort_by = "spend"
    expect_view(page, oracle, "blocked all-model keys by spend")
    assert re.search(r"[?&]sort_by=spend(&|$)", current_url(page))

    # Total keys shows every status again; the other filter stays.
    press_card(page, "total")
    oracle.filters = Filters(all_models=True)
    assert expect_view(page, oracle) == counted.all_models
    expect_cards(page, oracle)
    expect(summary_card(page, "blocked")).to_have_attribute("aria-pressed", "false")


# --- 4. export ----------------------------------------------------------------------------------


def _download(page: Page, fmt: str) -> tuple[str, str]:
    """Export the view from the menu; the file's suggested name and its text."""
    page.get_by_test_id("export-menu").click()
    item = page.get_by_test_id(f"export-{fmt}")
    expect(item).to_be_visible()
    with page.expect_download() as started:
        item.click()
    download = started.value
    assert download.failure() is None, download.failure()
    return download.suggested_filename, Path(download.path()).read_bytes().decode("utf-8")


def _check_masked(masked: str | None, expected: str | None, where: str) -> None:
    assert (masked or None) == expected, f"{where}: masked key {masked!r}, expected {expected!r}"
    if masked:
        shown = masked.split("****", 1)
        assert len(shown) == 2, f"{where}: {masked!r} is not masked"
        assert len(shown[1]) <= 4, f"{where}: {masked!r} shows more than 4 characters"


def test_export_csv_and_json_hold_the_filtered_sorted_view(shared_stack: Stack, page: Page) -> None:
    open_signed_in(page, shared_stack.url)
    oracle = _oracle(page, shared_stack)

    # Active keys that never expire, by owner A to Z: more than one page.
    toggle_chip(page, "status-active", pressed=True)
    toggle_chip(page, "never-expires", pressed=True)
    header(page, "owner").click()
    expect_sorted(page, "owner", "asc")
    oracle.filters = Filters(status=("active",), never_expires=True)
    oracle.sort_by, oracle.sort_order = "owner", "asc"
    total = expect_view(page, oracle, "active, never expires, by owner")
    assert total > 25, "the export should span more than one page of the table"
    assert shown_total(page) == total
    expected = oracle.all()
    dates = {f"{datetime.now(UTC):%Y-%m-%d}"}

    name, text = _download(page, "csv")
    dates.add(f"{datetime.now(UTC):%Y-%m-%d}")
    assert name in {f"keydash-keys-{day}.csv" for day in dates}, name
    assert text.endswith("\r\n")
    assert not text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(table[0]) == CSV_COLUMNS
    records = [dict(zip(CSV_COLUMNS, line, strict=True)) for line in table[1:]]
    assert len(records) == shown_total(page) == total
    assert [record["id"] for record in records] == [row.id for row in expected]
    for record, row in zip(records, expected, strict=True):
        where = f"CSV row of {row.id}"
        _check_masked(record["masked_key"], row.masked_key, where)
        assert record["status"] == row.status(oracle.now) == "active", where
        assert record["expires_at"] == "", where
        assert record["owner"] == csv_text(row.owner), where

    name, text = _download(page, "json")
    dates.add(f"{datetime.now(UTC):%Y-%m-%d}")
    assert name in {f"keydash-keys-{day}.json" for day in dates}, name
    body = json.loads(text)
    assert body["total"] == len(body["items"]) == shown_total(page) == total
    assert body["total_keys"] == len(oracle.rows)
    assert [item["id"] for item in body["items"]] == [row.id for row in expected]
    for item, row in zip(body["items"], expected, strict=True):
        _check_masked(item["masked_key"], row.masked_key, f"JSON item {row.id}")
        assert item["status"] == "active"
        assert item["expires_at"] is None
    # The export changed nothing on the page.
    expect_view(page, oracle, "after the downloads")


# --- 5. no match --------------------------------------------------------------------------------


def test_filters_that_match_nothing_offer_to_clear_them(shared_stack: Stack, page: Page) -> None:
    open_signed_in(page, shared_stack.url)
    oracle = _oracle(page, shared_stack)
    # A search with expired keys among its matches.
    search = next(
        word
        for word in _words(oracle.rows)
        if oracle.total(word, Filters(status=("expired",))) >= 1
        and oracle.total(word, NO_FILTERS) < len(oracle.rows)
    )
    search_box(page).fill(search)
    oracle.search = search
    searched = expect_view(page, oracle, f"search {search!r}")

    toggle_chip(page, "status-expired", pressed=True)
    oracle.filters = Filters(status=("expired",))
    expect_view(page, oracle)
    # An expired key cannot expire within 30 days: the chip says 0 before it is clicked.
    expect(filter_chip(page, "expires-30")).to_have_attribute("data-count", "0")
    toggle_chip(page, "expires-30", pressed=True)
    oracle.filters = Filters(status=("expired",), expires_within_days=30)
    assert expect_view(page, oracle, "expired and expiring") == 0
    expect(no_match(page)).to_contain_text("No keys match these filters")
    expect(no_match(page)).to_contain_text(search)
    expect(summary_card(page, "total")).to_have_attribute("data-value", "0")
    expect(no_match(page).get_by_role("button", name="Clear search")).to_be_visible()

    page.get_by_test_id("no-match-clear-filters").click()
    expect(page.get_by_test_id("active-filters")).to_have_count(0)
    oracle.filters = NO_FILTERS
    assert expect_view(page, oracle, "filters cleared from the no-match state") == searched
    expect(search_box(page)).to_have_value(search)
    expect(no_match(page)).to_have_count(0)

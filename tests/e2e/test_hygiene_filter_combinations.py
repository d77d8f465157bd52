"""Key hygiene (issue 8): tag and model multi-selects, expiry presets and search combined, removed
one by one, "Clear filters", and the budget chips; every count and row from the oracle."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import permutations

from e2e_hygiene import Oracle, expect_chip_counts, expect_view, oracle_for, searchable_words
from e2e_oracle import NO_FILTERS, Filters, Row, search_rows
from e2e_pages import (
    active_filter,
    choose_values,
    filter_chip,
    open_signed_in,
    remove_pill,
    search_box,
    toggle_chip,
)
from e2e_support import Stack
from playwright.sync_api import Page, expect


@dataclass(frozen=True)
class Combination:
    search: str
    tags: tuple[str, str]
    model: str


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
    for search in searchable_words(rows)[:80]:
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
    oracle = oracle_for(page, shared_stack)
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

"""Key hygiene (issue 8), export: the CSV and JSON files hold the filtered, sorted view (rows,
order, masking, file name), every page of it, as the oracle computes it."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

from e2e_hygiene import expect_view, oracle_for
from e2e_oracle import CSV_COLUMNS, Filters, csv_text
from e2e_pages import expect_sorted, header, open_signed_in, shown_total, toggle_chip
from e2e_support import Stack
from playwright.sync_api import Page, expect


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
    oracle = oracle_for(page, shared_stack)

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

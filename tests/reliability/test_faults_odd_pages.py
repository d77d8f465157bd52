"""Odd pages from LiteLLM, read into a mirror: pages that grow while read, records repeated across
pages, and records whose every field has the wrong type. Nothing is lost, nothing served twice,
and unreadable records are kept and marked partial, never a 500."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from fastapi.testclient import TestClient
from faults_settings import FULL_READ, KEY_COUNT, PAGES
from keydash_fakes.litellm import FakeLiteLLM
from reliability_answers import await_mirror
from reliability_clients import login_body
from reliability_fake_litellm import FakeServer
from reliability_in_process import build_app
from reliability_leak_guard import watched


def _all_items(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        response = client.get("/api/keys", params={**params, "page": page, "size": 100})
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        if page >= body["total_pages"]:
            return items
        page += 1


@contextmanager
def _mirrored(url: str, **overrides: Any) -> Iterator[TestClient]:
    """An in-process app with its sync running (the lifespan), once its first load has ended."""
    app, _ = build_app(litellm_base_url=url, **overrides)
    with TestClient(app) as http:
        watched(http)
        assert http.post("/api/auth/login", json=login_body()).status_code == 200
        assert await_mirror(http).status_code == 200
        time.sleep(0.3)  # the catch-up pass right after the first load, so paging sees one mirror
        yield http


def test_pages_growing_while_read_lose_and_repeat_nothing(
    cold_server: FakeServer, cold_fake: FakeLiteLLM
) -> None:
    originals = {key["token"] for key in cold_fake.keys}
    cold_fake.faults.shifting_total = True
    with _mirrored(cold_server.url) as http:
        ids = [item["id"] for item in _all_items(http, **FULL_READ)]
    # Each upstream call created a key: at least one was seen, none twice, no original lost.
    assert len(ids) == len(set(ids)) > KEY_COUNT
    assert originals <= set(ids)


def test_duplicates_across_pages_are_served_once(
    cold_server: FakeServer, cold_fake: FakeLiteLLM
) -> None:
    cold_fake.faults.duplicate_across_pages = True
    with _mirrored(cold_server.url) as http:
        ids = [item["id"] for item in _all_items(http, **FULL_READ)]
        assert cold_fake.requests_by_kind["default"] == PAGES  # the first load, once
    assert len(ids) == len(set(ids)) == KEY_COUNT


def test_wrong_types_in_every_field_are_reported_as_partial(
    cold: httpx.Client, cold_server: FakeServer, cold_fake: FakeLiteLLM
) -> None:
    cold_fake.faults.malformed = "wrong_types"
    # Before any mirror: the default view's page is served, never a 500, every record kept.
    default = cold.get("/api/keys", params={"size": 100})
    assert default.status_code == 200, default.text
    assert len(default.json()["items"]) == 100
    assert all(item["partial"] and item["unreadable_fields"] for item in default.json()["items"])
    with _mirrored(cold_server.url) as http:
        body = http.get("/api/keys", params={**FULL_READ, "size": 100}).json()
        assert body["total_keys"] >= KEY_COUNT  # no record lost
        assert body["partial_count"] == body["total_keys"]
        for item in _all_items(http, **FULL_READ):
            assert item["partial"] is True
            assert item["unreadable_fields"], item
        # With the mirror, the default view too.
        mirrored = http.get("/api/keys")
        assert mirrored.status_code == 200
        assert all(item["partial"] for item in mirrored.json()["items"])


def test_records_without_a_readable_token_are_mirrored_once(
    cold_server: FakeServer, cold_fake: FakeLiteLLM
) -> None:
    cold_fake.faults.malformed = "wrong_types"
    with _mirrored(cold_server.url) as http:
        body = http.get("/api/keys", params=FULL_READ).json()
    assert body["total_keys"] == KEY_COUNT

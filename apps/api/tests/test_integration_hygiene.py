"""Filters, facets and export with the real LiteLLM adapter, against the fake LiteLLM over HTTP.

The expectations are computed from the fake's raw `/key/list` records, not from Keydash's own
mapping, so a mapping slip shows up as a wrong count.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from api_support import LITELLM_KEY
from fastapi.testclient import TestClient
from keydash_fakes.litellm import FakeLiteLLM
from litellm_support import LONG_INTERVAL, AppClients, serving_fake

ALL_MODEL_ENTRIES = ("all-proxy-models", "all-team-models")


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeLiteLLM]:
    with serving_fake(320, seed=23, master_key=LITELLM_KEY) as litellm:
        yield litellm


@pytest.fixture(scope="module")
def client(fake: FakeLiteLLM) -> Iterator[TestClient]:
    # Every test reads one mirror: loaded once, no pass of its own while the tests run.
    apps = AppClients(fake)
    try:
        yield apps.synced(sync_interval_seconds=LONG_INTERVAL)
    finally:
        apps.close()


def _ids(client: TestClient, **params: Any) -> list[str]:
    ids: list[str] = []
    page = 1
    while True:
        response = client.get("/api/keys", params={**params, "page": page, "size": 100})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["freshness"]["source"] == "mirror"
        ids += [item["id"] for item in body["items"]]
        if page >= body["total_pages"]:
            return ids
        page += 1


def _expires(record: dict[str, Any]) -> datetime | None:
    value = record.get("expires")
    if not isinstance(value, str):
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def test_status_filters_match_the_raw_records(client: TestClient, fake: FakeLiteLLM) -> None:
    fetched_at = datetime.fromisoformat(client.get("/api/keys/facets").json()["fetched_at"])
    blocked = {r["token"] for r in fake.keys if r.get("blocked") is True}
    expired = {
        r["token"]
        for r in fake.keys
        if r["token"] not in blocked and (at := _expires(r)) is not None and at <= fetched_at
    }
    assert blocked
    assert expired
    assert set(_ids(client, status="blocked")) == blocked
    assert set(_ids(client, status="expired")) == expired
    active = set(_ids(client, status="active"))
    assert active == {r["token"] for r in fake.keys} - blocked - expired


def test_model_and_expiry_filters_match_the_raw_records(
    client: TestClient, fake: FakeLiteLLM
) -> None:
    every_model = {
        r["token"]
        for r in fake.keys
        if isinstance(r.get("models"), list)
        and (not r["models"] or any(m in ALL_MODEL_ENTRIES for m in r["models"]))
    }
    never = {r["token"] for r in fake.keys if r.get("expires") is None}
    assert every_model
    assert never
    assert set(_ids(client, all_models="true")) == every_model
    assert set(_ids(client, never_expires="true")) == never
    listed = {r["token"] for r in fake.keys if "gpt-4o" in (r.get("models") or [])}
    assert set(_ids(client, model="gpt-4o")) == listed


def test_every_chip_count_is_the_table_total(client: TestClient) -> None:
    facets = client.get("/api/keys/facets", params={"search": "a"}).json()

    def total(**params: Any) -> int:
        return int(client.get("/api/keys", params={"search": "a", **params}).json()["total"])

    assert facets["total"] == total()
    for status, count in facets["status"].items():
        assert count == total(status=status)
    for preset in facets["expires_within_days"]:
        assert preset["count"] == total(expires_within_days=preset["days"])
    assert facets["all_models"] == total(all_models="true")
    assert facets["owner_missing"] == total(owner_missing="true")
    for entry in facets["tags"]["values"][:5] + facets["teams"]["values"][:3]:
        name = "tag" if entry in facets["tags"]["values"] else "team"
        assert entry["count"] == total(**{name: entry["value"]})


def test_export_holds_exactly_the_table_in_its_order(client: TestClient) -> None:
    params = {"status": "active", "sort_by": "owner", "sort_order": "asc"}
    table = _ids(client, **params)
    response = client.get("/api/keys/export", params={"format": "csv", **params})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["id"] for row in rows] == table
    assert response.headers["x-total-count"] == str(len(table))
    assert LITELLM_KEY not in response.text
    for row in rows:
        masked = row["masked_key"]
        assert not masked or len(masked.rsplit(".", 1)[-1].rsplit("*", 1)[-1]) <= 4, masked

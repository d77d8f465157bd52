"""Filters, facets and export through the HTTP API (fakes behind the ports)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from api_support import logged_in, make_app
from fastapi.testclient import TestClient
from keydash_api.exports import CSV_COLUMNS, neutralise
from keydash_core.errors import UpstreamTimeout, UpstreamUnavailable
from keydash_core.keys import ApiKey, KeyStatus
from keydash_fakes.memory import FixedClock, InMemoryKeyRepository

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _key(number: int, **fields: Any) -> ApiKey:
    fields.setdefault("created_at", NOW - timedelta(days=number))
    return ApiKey(id=f"{number:064x}", masked_key=f"sk-...{number:04d}", **fields)


KEYS = [
    _key(
        1,
        alias='=HYPERLINK("http://evil.example","click")',
        description="+cmd|' /C calc'!A0",
        owner_username="@admin",
        team_id="-finance",
        tags=("prod", "=1+1"),
        allowed_models=("gpt-4o",),
        spend=95.0,
        max_budget=100.0,
        expires_at=NOW + timedelta(days=3),
    ),
    _key(2, alias="expired", status=KeyStatus.EXPIRED, expires_at=NOW - timedelta(days=2)),
    _key(3, alias="blocked", status=KeyStatus.BLOCKED, owner_email="ops@example.com"),
    _key(4, alias="  =SUM(A1:A9)", tags=("prod",), allowed_models=("all-proxy-models",)),
    *(
        _key(10 + i, alias=f"bulk-{i:03d}", owner_id=f"u-{i % 7}", tags=("bulk",))
        for i in range(1200)
    ),
]


@pytest.fixture
def client() -> Iterator[TestClient]:
    repository = InMemoryKeyRepository(KEYS, clock=FixedClock(NOW))
    app, _ = make_app(repository, clock=FixedClock(NOW))
    with TestClient(app) as test_client:
        yield logged_in(test_client)


def test_filters_narrow_the_table_and_combine_with_search(client: TestClient) -> None:
    body = client.get("/api/keys", params={"tag": ["prod"], "status": "active"}).json()
    assert body["total"] == 2
    body = client.get("/api/keys", params=[("status", "expired"), ("status", "blocked")]).json()
    assert sorted(item["alias"] for item in body["items"]) == ["blocked", "expired"]
    body = client.get("/api/keys", params={"search": "bulk-00", "owner": "u-3"}).json()
    assert [item["alias"] for item in body["items"]] == ["bulk-003"]
    body = client.get("/api/keys", params={"expires_within_days": 7}).json()
    assert body["total"] == 1
    assert (
        client.get("/api/keys", params={"all_models": "true", "tag": "bulk"}).json()["total"]
        == 1200
    )
    assert client.get("/api/keys", params={"spend_share_at_least": 0.9}).json()["total"] == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "revoked"}, "status"),
        ({"expires_within_days": "soon"}, "expires_within_days"),
        ({"expires_within_days": 0}, "expires_within_days"),
        ({"never_expires": "perhaps"}, "never_expires"),
        ({"all_models": "2"}, "all_models"),
        ({"spend_share_at_least": "-1"}, "spend_share_at_least"),
        ({"spend_share_at_least": "nan"}, "spend_share_at_least"),
        ({"tag": ""}, "tag"),
        ({"model": "x" * 300}, "model"),
        ({"team": [f"t{i}" for i in range(60)]}, "team"),
    ],
)
@pytest.mark.parametrize("path", ["/api/keys", "/api/keys/facets", "/api/keys/export"])
def test_bad_filters_get_a_422_that_names_them(
    client: TestClient, path: str, params: dict[str, Any], field: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_query"
    assert [detail["field"] for detail in error["details"]] == [field]
    assert field in error["message"]


def test_facets_shape_and_counts(client: TestClient) -> None:
    body = client.get("/api/keys/facets", params={"status": "active"}).json()
    assert body["total"] == 1202
    assert body["status"] == {"active": 1202, "expired": 1, "blocked": 1}
    assert body["expires_within_days"] == [
        {"days": 7, "count": 1},
        {"days": 30, "count": 1},
        {"days": 90, "count": 1},
    ]
    assert body["all_models"] == 1201  # every active key but the gpt-4o one
    assert body["owner_missing"] == 1
    assert body["spend_share_at_least"][1] == {"share": 0.8, "count": 1}
    assert body["tags"]["values"][:2] == [
        {"value": "bulk", "count": 1200},
        {"value": "prod", "count": 2},
    ]
    assert body["owners"]["distinct"] == 8  # the blocked key's owner is not active
    assert body["total_spend"] == 95.0
    assert (body["total_keys"], body["store_total_keys"], body["truncated"]) == (1204, 1204, False)
    limited = client.get("/api/keys/facets", params={"limit": 1, "owner": "@admin"}).json()
    assert [v["value"] for v in limited["owners"]["values"]] == ["u-0", "@admin"]


def _csv(client: TestClient, **params: Any) -> tuple[Any, list[dict[str, str]]]:
    response = client.get("/api/keys/export", params={"format": "csv", **params})
    assert response.status_code == 200, response.text
    rows = list(csv.DictReader(io.StringIO(response.text)))
    return response, rows


def test_csv_export_has_every_matching_key_in_order_with_a_dated_filename(
    client: TestClient,
) -> None:
    response, rows = _csv(client, tag="bulk", sort_by="alias", sort_order="desc")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        'attachment; filename="keydash-keys-2026-11-23.csv"'
    )
    assert response.headers["x-total-count"] == "1200"
    assert response.headers["cache-control"] == "no-store"
    assert response.text.splitlines()[0] == ",".join(CSV_COLUMNS)
    assert len(rows) == 1200  # across every page, not the first
    assert rows[0]["alias"] == "bulk-999"  # text order: "bulk-999" > "bulk-1199"
    assert rows[-1]["alias"] == "bulk-000"
    assert rows[0]["all_models"] == "true"
    assert rows[0]["tags"] == "bulk"


def test_csv_export_neutralises_spreadsheet_formulas(client: TestClient) -> None:
    _, rows = _csv(client, tag="prod")
    evil = next(row for row in rows if row["masked_key"] == "sk-...0001")
    assert evil["alias"] == '\'=HYPERLINK("http://evil.example","click")'
    assert evil["description"] == "'+cmd|' /C calc'!A0"
    assert evil["owner"] == evil["owner_username"] == "'@admin"
    assert evil["team_id"] == "'-finance"
    assert evil["tags"] == "prod; =1+1"  # the cell starts with "prod": not a formula
    assert evil["spend"] == "95.0"
    padded = next(row for row in rows if row["masked_key"] == "sk-...0004")
    assert padded["alias"] == "'  =SUM(A1:A9)"
    for row in rows:
        for value in row.values():
            assert not value.lstrip(" ").startswith(("=", "+", "-", "@")), row


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        (" =1", "' =1"),
        ("a=1", "a=1"),
        ("", ""),
    ],
)
def test_neutralise(text: str, expected: str) -> None:
    assert neutralise(text) == expected


def test_json_export_streams_every_key_with_the_page_shape(client: TestClient) -> None:
    response = client.get(
        "/api/keys/export",
        params={"format": "json", "owner": "u-1", "sort_by": "alias", "sort_order": "asc"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-disposition"].endswith('keydash-keys-2026-11-23.json"')
    body = json.loads(response.text)
    assert body["total"] == len(body["items"]) == 172
    assert body["truncated"] is False
    assert body["exported_at"].startswith("2026-11-23T09:00")
    assert [item["alias"] for item in body["items"]][:2] == ["bulk-001", "bulk-008"]
    assert set(body["items"][0]) >= {"masked_key", "owner", "tags", "allowed_models", "status"}


def test_export_never_shows_more_than_the_last_four_characters(client: TestClient) -> None:
    _, rows = _csv(client)
    assert len(rows) == len(KEYS)
    for row in rows:
        assert row["masked_key"].startswith("sk-...")
        assert len(row["masked_key"].removeprefix("sk-...")) <= 4


def test_empty_export_still_has_the_header(client: TestClient) -> None:
    response, rows = _csv(client, search="no-such-key-anywhere")
    assert rows == []
    assert response.text == ",".join(CSV_COLUMNS) + "\r\n"
    body = client.get("/api/keys/export", params={"format": "json", "tag": "nope"}).json()
    assert (body["total"], body["items"]) == (0, [])


@pytest.mark.parametrize("path", ["/api/keys/facets", "/api/keys/export"])
def test_facets_and_export_need_a_session(path: str) -> None:
    app, _ = make_app(InMemoryKeyRepository(KEYS))
    with TestClient(app) as anonymous:
        response = anonymous.get(path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("failure", "status"), [(UpstreamUnavailable("refused"), 502), (UpstreamTimeout("slow"), 504)]
)
@pytest.mark.parametrize("path", ["/api/keys/facets", "/api/keys/export"])
def test_litellm_failures_are_clear_errors_before_any_byte(
    path: str, failure: Exception, status: int
) -> None:
    repository = InMemoryKeyRepository(KEYS)
    repository.failure = failure  # type: ignore[assignment]
    app, _ = make_app(repository)
    with TestClient(app) as test_client:
        response = logged_in(test_client).get(path)
    assert response.status_code == status
    assert "content-disposition" not in response.headers
    assert response.json()["error"]["code"] in {"upstream_unavailable", "upstream_timeout"}

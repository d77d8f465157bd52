"""The API's filters come from the core's declarations (keydash_core.filter_table.FILTERS): every
declared filter is a query parameter, and every yes/no filter a count in the facets answer. Then
the "no team" filter, declared once, end to end through HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from api_support import logged_in, make_app
from fastapi.testclient import TestClient
from keydash_api.facet_schemas import KeyFacetsOut
from keydash_api.routers.key_params import FilterParams
from keydash_core.filter_kinds import KindName
from keydash_core.filter_table import FILTERS, FLAG_FILTERS
from keydash_core.keys import ApiKey, KeyStatus
from keydash_fakes.memory import FixedClock, InMemoryKeyRepository

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
_PARAM_TYPES = {
    KindName.ENUM_LIST: list[str],
    KindName.FLAG: bool,
    KindName.DAYS: int | None,
    KindName.SHARE: float | None,
    KindName.TEXT_LIST: list[str],
}


def test_every_declared_filter_is_a_query_parameter_in_order() -> None:
    assert list(FilterParams.model_fields) == [spec.name for spec in FILTERS]
    for spec in FILTERS:
        assert FilterParams.model_fields[spec.name].annotation == _PARAM_TYPES[spec.kind.name]


def test_every_flag_filter_is_counted_in_the_facets_answer() -> None:
    for spec in FLAG_FILTERS:
        assert KeyFacetsOut.model_fields[spec.name].annotation is int, spec.name


def _key(number: int, **fields: Any) -> ApiKey:
    fields.setdefault("created_at", NOW - timedelta(days=number))
    return ApiKey(id=f"{number:064x}", masked_key=f"sk-...{number:04d}", **fields)


KEYS = [
    _key(1, alias="finance", team_id="finance"),
    _key(2, alias="research", team_id="research", status=KeyStatus.BLOCKED),
    _key(3, alias="loose"),
    _key(4, alias="loose-blocked", status=KeyStatus.BLOCKED, owner_id="u-1"),
    _key(5, alias="loose-owned", owner_id="u-2", tags=("prod",)),
]


@pytest.fixture
def client() -> Iterator[TestClient]:
    repository = InMemoryKeyRepository(KEYS, clock=FixedClock(NOW))
    app, _ = make_app(repository, clock=FixedClock(NOW))
    with TestClient(app) as test_client:
        yield logged_in(test_client)


def _aliases(client: TestClient, **params: Any) -> list[str]:
    body = client.get(
        "/api/keys", params={"sort_by": "alias", "sort_order": "asc", **params}
    ).json()
    return [item["alias"] for item in body["items"]]


def test_team_missing_keeps_the_keys_without_a_team(client: TestClient) -> None:
    assert _aliases(client, team_missing="true") == ["loose", "loose-blocked", "loose-owned"]
    assert _aliases(client, team_missing="false") == _aliases(client)
    assert _aliases(client, team_missing="true", status="blocked") == ["loose-blocked"]
    assert _aliases(client, team_missing="true", search="owned") == ["loose-owned"]


def test_team_missing_is_counted_with_its_own_filter_lifted(client: TestClient) -> None:
    body = client.get("/api/keys/facets").json()
    assert body["team_missing"] == 3
    filtered = client.get("/api/keys/facets", params={"team_missing": "true"}).json()
    assert (filtered["total"], filtered["team_missing"]) == (3, 3)
    # Other filters narrow the chip's count: the table once the chip alone changes.
    blocked = client.get("/api/keys/facets", params={"status": "blocked"}).json()
    assert blocked["team_missing"] == 1
    # The team select counts within "no team": no team to offer.
    assert filtered["teams"]["values"] == []


def test_team_missing_narrows_the_export(client: TestClient) -> None:
    response = client.get("/api/keys/export", params={"format": "json", "team_missing": "true"})
    items = json.loads(response.text)["items"]
    assert sorted(item["alias"] for item in items) == ["loose", "loose-blocked", "loose-owned"]


def test_a_bad_team_missing_value_is_refused(client: TestClient) -> None:
    response = client.get("/api/keys", params={"team_missing": "perhaps"})
    assert response.status_code == 422, response.text
    assert [d["field"] for d in response.json()["error"]["details"]] == ["team_missing"]

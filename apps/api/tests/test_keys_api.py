from datetime import UTC, datetime
from typing import Any

import pytest
from api_support import logged_in, make_app
from fastapi.testclient import TestClient
from keydash_core.errors import (
    UpstreamAuthFailed,
    UpstreamBadResponse,
    UpstreamTimeout,
    UpstreamUnavailable,
)
from keydash_core.keys import ApiKey, KeyStatus
from keydash_fakes.memory import InMemoryKeyRepository


def _key(number: int, **fields: Any) -> ApiKey:
    fields.setdefault("created_at", datetime(2026, 1, 1 + number % 28, tzinfo=UTC))
    return ApiKey(id=f"id-{number:03d}", masked_key=f"sk-****{number:04d}", **fields)


KEYS = [
    _key(
        1,
        alias="billing",
        description="Nightly invoices",
        owner_username="Dana",
        owner_email="dana@example.com",
        owner_id="u-1",
        team_id="finance",
        tags=("prod", "finance"),
        allowed_models=("gpt-4o",),
        spend=12.5,
        max_budget=100.0,
        expires_at=datetime(2027, 1, 1, tzinfo=UTC),
    ),
    _key(2, alias="sandbox", owner_id="jmo", tags=("experimental",), status=KeyStatus.EXPIRED),
    _key(3, description="Support bot", status=KeyStatus.BLOCKED, unreadable_fields=("spend",)),
    *(_key(10 + i, alias=f"bulk-{i:02d}", tags=("bulk",)) for i in range(40)),
]


@pytest.fixture
def repository() -> InMemoryKeyRepository:
    return InMemoryKeyRepository(KEYS)


@pytest.fixture
def client(repository: InMemoryKeyRepository) -> TestClient:
    app, _ = make_app(repository)
    return logged_in(TestClient(app))


def test_keys_page_shape(client: TestClient) -> None:
    body = client.get("/api/keys", params={"search": "billing"}).json()
    assert body["total"] == 1
    assert (body["page"], body["size"], body["total_pages"], body["total_keys"]) == (1, 25, 1, 43)
    assert (body["store_total_keys"], body["truncated"]) == (43, False)
    assert body["partial_count"] == 1
    assert body["fetched_at"].endswith("Z") or "+00:00" in body["fetched_at"]
    assert body["items"] == [
        {
            "id": "id-001",
            "masked_key": "sk-****0001",
            "alias": "billing",
            "description": "Nightly invoices",
            "owner": "Dana",
            "owner_username": "Dana",
            "owner_email": "dana@example.com",
            "owner_id": "u-1",
            "team_id": "finance",
            "created_at": "2026-01-02T00:00:00Z",
            "expires_at": "2027-01-01T00:00:00Z",
            "allowed_models": ["gpt-4o"],
            "tags": ["prod", "finance"],
            "spend": 12.5,
            "max_budget": 100.0,
            "status": "active",
            "last_used_at": None,
            "last_use": "unknown",
            "created_by": None,
            "updated_by": None,
            "auto_rotate": False,
            "rotation_interval": None,
            "rotation_count": None,
            "last_rotated_at": None,
            "next_rotation_at": None,
            "budget_duration": None,
            "budget_reset_at": None,
            "partial": False,
            "unreadable_fields": [],
        }
    ]


def test_pagination_and_totals(client: TestClient) -> None:
    body = client.get("/api/keys", params={"search": "bulk", "page": 2, "size": 15}).json()
    assert (body["total"], body["total_pages"], len(body["items"])) == (40, 3, 15)
    last = client.get("/api/keys", params={"search": "bulk", "page": 3, "size": 15}).json()
    assert len(last["items"]) == 10


@pytest.mark.parametrize("field", ["owner", "alias", "tags", "allowed_models", "status", "spend"])
def test_sort_by_any_column_both_ways(client: TestClient, field: str) -> None:
    asc = client.get("/api/keys", params={"sort_by": field, "sort_order": "asc", "size": 100})
    desc = client.get("/api/keys", params={"sort_by": field, "sort_order": "desc", "size": 100})
    assert asc.status_code == desc.status_code == 200
    assert len(asc.json()["items"]) == len(KEYS)


def test_sort_by_owner_puts_empty_owners_last(client: TestClient) -> None:
    for order in ("asc", "desc"):
        items = client.get(
            "/api/keys", params={"sort_by": "owner", "sort_order": order, "size": 100}
        ).json()["items"]
        owners = [item["owner"] for item in items]
        assert set(owners[:2]) == {"Dana", "jmo"}
        assert all(owner is None for owner in owners[2:])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": 0}, "page"),
        ({"page": -1}, "page"),
        ({"page": "abc"}, "page"),
        ({"page": 10**30}, "page"),
        ({"size": 0}, "size"),
        ({"size": 101}, "size"),
        ({"sort_by": "token"}, "sort_by"),
        ({"sort_order": "sideways"}, "sort_order"),
        ({"search": "x" * 10_000}, "search"),
    ],
)
def test_bad_query_values_are_422_naming_the_field(
    client: TestClient, params: dict[str, Any], field: str
) -> None:
    response = client.get("/api/keys", params=params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_query"
    assert [detail["field"] for detail in error["details"]] == [field]
    assert field in error["message"]


@pytest.mark.parametrize(
    "search", ["<script>alert(1)</script>", "' OR 1=1 --", ".*[(", "مرحبا", "\u202eevil", "🔑"]
)
def test_hostile_or_unusual_search_text_is_just_text(client: TestClient, search: str) -> None:
    response = client.get("/api/keys", params={"search": search})
    assert response.status_code == 200
    assert response.json()["total"] == 0


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (UpstreamUnavailable("connection refused"), 502, "upstream_unavailable"),
        (UpstreamTimeout("slow"), 504, "upstream_timeout"),
        (UpstreamAuthFailed("401"), 502, "upstream_auth_failed"),
        (UpstreamBadResponse("no keys"), 502, "upstream_bad_response"),
    ],
)
def test_litellm_failures_become_clear_gateway_errors(
    client: TestClient, repository: InMemoryKeyRepository, error: Exception, status: int, code: str
) -> None:
    repository.failure = error  # type: ignore[assignment]
    response = client.get("/api/keys")
    assert response.status_code == status
    body = response.json()["error"]
    assert body["code"] == code
    assert "LiteLLM" in body["message"]
    assert "Traceback" not in response.text


def test_unknown_route_is_a_json_404(client: TestClient) -> None:
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_wrong_method_is_a_json_405(client: TestClient) -> None:
    response = client.delete("/api/keys")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_request_id_is_echoed_when_safe_and_replaced_when_not(client: TestClient) -> None:
    kept = client.get("/api/keys", headers={"x-request-id": "trace-1234abcd"})
    assert kept.headers["x-request-id"] == "trace-1234abcd"
    replaced = client.get("/api/keys", headers={"x-request-id": "bad id\r\ninjected"})
    assert replaced.headers["x-request-id"] != "bad id\r\ninjected"
    assert len(replaced.headers["x-request-id"]) == 32

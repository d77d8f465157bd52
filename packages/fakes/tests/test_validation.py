"""Bad parameters: FastAPI's 422 bodies for types and ranges, LiteLLM's 400s for bad choices."""

from __future__ import annotations

from typing import Any

import httpx
import pytest


def _detail(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"detail"}
    detail: list[dict[str, Any]] = body["detail"]
    return detail


def test_size_over_100_matches_the_observed_body(client: httpx.Client) -> None:
    response = client.get("/key/list", params={"size": "1000"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {
                "type": "less_than_equal",
                "loc": ["query", "size"],
                "msg": "Input should be less than or equal to 100",
                "input": "1000",
                "ctx": {"le": 100},
            }
        ]
    }


@pytest.mark.parametrize(
    ("params", "error_type", "location", "ctx"),
    [
        ({"size": "0"}, "greater_than_equal", "size", {"ge": 1}),
        ({"size": "-5"}, "greater_than_equal", "size", {"ge": 1}),
        ({"size": "101"}, "less_than_equal", "size", {"le": 100}),
        ({"page": "0"}, "greater_than_equal", "page", {"ge": 1}),
        ({"size": "ten"}, "int_parsing", "size", None),
        ({"size": "2.5"}, "int_parsing", "size", None),
        ({"size": ""}, "int_parsing", "size", None),
        ({"page": "abc"}, "int_parsing", "page", None),
        ({"return_full_object": "maybe"}, "bool_parsing", "return_full_object", None),
        ({"include_team_keys": "sometimes"}, "bool_parsing", "include_team_keys", None),
    ],
)
def test_validation_errors(
    client: httpx.Client,
    params: dict[str, str],
    error_type: str,
    location: str,
    ctx: dict[str, int] | None,
) -> None:
    [error] = _detail(client.get("/key/list", params=params))
    assert error["type"] == error_type
    assert error["loc"] == ["query", location]
    assert error["input"] == next(iter(params.values()))
    assert isinstance(error["msg"], str)
    assert error["msg"]
    assert error.get("ctx") == ctx


def test_all_validation_errors_come_together(client: httpx.Client) -> None:
    detail = _detail(client.get("/key/list", params={"page": "x", "size": "500"}))
    assert [(e["type"], e["loc"][1]) for e in detail] == [
        ("int_parsing", "page"),
        ("less_than_equal", "size"),
    ]


@pytest.mark.parametrize(
    ("params", "size"),
    [({"size": " 7 "}, 7), ({"size": "+7"}, 7), ({"size": "7.0"}, 7), ({"size": "1_0"}, 10)],
)
def test_lenient_integers_like_pydantic(
    client: httpx.Client, params: dict[str, str], size: int
) -> None:
    response = client.get("/key/list", params=params)
    assert response.status_code == 200
    assert len(response.json()["keys"]) == size


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"sort_by": "owner"}, "Invalid sort column"),
        ({"sort_by": ""}, "Invalid sort column"),
        ({"sort_by": "spend", "sort_order": "up"}, "Invalid sort order"),
        ({"sort_order": "DESC"}, "Invalid sort order"),
        ({"status": "blocked"}, "Invalid status"),
        ({"expires": "soon"}, "Invalid expires"),
    ],
)
def test_bad_choices_are_400s(client: httpx.Client, params: dict[str, str], fragment: str) -> None:
    response = client.get("/key/list", params=params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert fragment in error["message"]
    assert error["code"] == "400"
    assert set(error) == {"message", "type", "param", "code"}


def test_bad_sort_column_lists_the_1087_columns(client: httpx.Client) -> None:
    message = client.get("/key/list", params={"sort_by": "models"}).json()["error"]["message"]
    assert message == (
        "{'error': 'Invalid sort column. Must be one of: "
        "spend, max_budget, created_at, updated_at, token, key_alias'}"
    )


@pytest.mark.parametrize("column", ["expires", "last_active", "total_spend", "rpm_limit"])
def test_columns_only_later_builds_sort_by_are_400s(client: httpx.Client, column: str) -> None:
    assert client.get("/key/list", params={"sort_by": column}).status_code == 400


def test_type_errors_come_before_bad_choices(client: httpx.Client) -> None:
    assert client.get("/key/list", params={"size": "0", "sort_by": "x"}).status_code == 422


@pytest.mark.parametrize(
    "params",
    [
        {"unknown_param": "1", "tags": "prod"},
        {"include_team_keys": "true", "include_created_by_keys": "1"},
        {"sort_by": "spend", "sort_order": "asc"},
        {"status": "active", "expires": "expired"},
        {"user_id": "", "team_id": ""},
    ],
)
def test_accepted_parameters(client: httpx.Client, params: dict[str, str]) -> None:
    assert client.get("/key/list", params=params).status_code == 200

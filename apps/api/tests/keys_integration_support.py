"""What the keys integration tests (test_integration_keys_*.py) share: the size of the fake
LiteLLM that conftest.py serves them, the sentences Keydash tells LiteLLM's failures in, and
reading the keys API across its pages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient

KEY_COUNT = 250
MESSAGE_500 = (
    "LiteLLM answered with an error (HTTP 500: Authentication Error, Database not connected)."
)
MESSAGE_503 = "LiteLLM answered with an error (HTTP 503: Database unavailable)."
MESSAGE_401 = "LiteLLM rejected Keydash's API key (HTTP 401); check LITELLM_API_KEY."
MESSAGE_403 = "LiteLLM rejected Keydash's API key (HTTP 403); check LITELLM_API_KEY."
MESSAGE_NOT_JSON = (
    "LiteLLM sent an answer Keydash cannot read: LiteLLM's /key/list answer is not JSON."
)
MESSAGE_NO_KEYS = (
    "LiteLLM sent an answer Keydash cannot read: LiteLLM's /key/list answer has no 'keys' list."
)
MESSAGE_TIMEOUT = "LiteLLM did not answer in time."
MESSAGE_REFUSED = "LiteLLM is not reachable (connection refused)."


def get_json(client: TestClient, path: str = "/api/keys", **params: Any) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def all_items(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        body = get_json(client, **{**params, "page": page, "size": 100})
        items += body["items"]
        if page >= body["total_pages"]:
            return items
        page += 1


def ids_of(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


def as_moment(text: str) -> datetime:
    return datetime.fromisoformat(text)

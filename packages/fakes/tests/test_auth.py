"""The admin credential: where LiteLLM looks for it, and its three different 401 answers."""

from __future__ import annotations

import hashlib

import httpx
import pytest
from keydash_fakes.litellm import FakeLiteLLM

WRONG_KEY = "sk-wrong-key-abcdefghij"


def _error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "type", "param", "code"}
    assert body["error"]["code"] == str(status)
    assert body["error"]["param"] == "None"
    message: str = body["error"]["message"]
    return message


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({"x-litellm-api-key": "{key}"}, id="custom-header"),
        pytest.param({"x-litellm-api-key": "Bearer {key}"}, id="custom-header-with-bearer"),
        pytest.param({"Authorization": "Bearer {key}"}, id="authorization-bearer"),
        pytest.param(
            {"x-litellm-api-key": "{key}", "Authorization": f"Bearer {WRONG_KEY}"},
            id="custom-header-wins-over-wrong-authorization",
        ),
        pytest.param(
            {"x-litellm-api-key": "{key}", "Authorization": "no-bearer-prefix"},
            id="custom-header-wins-over-malformed-authorization",
        ),
    ],
)
def test_accepted_credentials(
    anonymous: httpx.Client, master_key: str, headers: dict[str, str]
) -> None:
    filled = {name: value.format(key=master_key) for name, value in headers.items()}
    response = anonymous.get("/key/list", headers=filled)
    assert response.status_code == 200
    assert response.json()["total_count"] == 57


def test_no_credential(anonymous: httpx.Client) -> None:
    message = _error(anonymous.get("/key/list"), 401)
    assert message == "Authentication Error, No api key passed in."
    assert anonymous.get("/key/list").json()["error"]["type"] == "auth_error"


def test_empty_custom_header_is_no_credential(anonymous: httpx.Client) -> None:
    message = _error(anonymous.get("/key/list", headers={"x-litellm-api-key": ""}), 401)
    assert "No api key passed in" in message


def test_authorization_without_bearer_is_malformed(
    anonymous: httpx.Client, master_key: str
) -> None:
    response = anonymous.get("/key/list", headers={"Authorization": master_key})
    assert "Malformed API Key passed in" in _error(response, 401)


def test_unknown_key_is_named_only_by_abbreviation_and_hash(anonymous: httpx.Client) -> None:
    response = anonymous.get("/key/list", headers={"x-litellm-api-key": WRONG_KEY})
    message = _error(response, 401)
    assert "Invalid proxy server token passed" in message
    assert "sk-...ghij" in message
    assert hashlib.sha256(WRONG_KEY.encode()).hexdigest() in message
    assert WRONG_KEY not in message


def test_custom_header_wrong_key_is_not_rescued_by_authorization(
    anonymous: httpx.Client, master_key: str
) -> None:
    headers = {"x-litellm-api-key": WRONG_KEY, "Authorization": f"Bearer {master_key}"}
    assert "Invalid proxy server token" in _error(anonymous.get("/key/list", headers=headers), 401)


def test_master_key_never_appears_in_answers(
    anonymous: httpx.Client, master_key: str, fake: FakeLiteLLM
) -> None:
    answers = [
        anonymous.get("/key/list", headers={"x-litellm-api-key": master_key + "x"}),
        anonymous.get("/key/list", headers={"Authorization": master_key}),
        anonymous.get("/_fake/stats"),
    ]
    assert all(master_key not in answer.text for answer in answers)


def test_auth_is_checked_before_parameters(anonymous: httpx.Client) -> None:
    assert anonymous.get("/key/list", params={"size": "1000"}).status_code == 401


def test_health_needs_no_credential(anonymous: httpx.Client) -> None:
    assert anonymous.get("/health/liveliness").status_code == 200
    assert anonymous.get("/health/readiness").status_code == 200

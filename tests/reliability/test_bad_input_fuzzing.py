"""Bad input: the API fuzzed from its own OpenAPI document.

Schemathesis generates requests (valid and invalid) for every operation of the live schema, with
and without a valid session; each answer must not be a 5xx, must match the documented schema,
and every error must use the error envelope. The app runs in-process (ASGI) with the real LiteLLM
adapter against the fake LiteLLM over HTTP, so example counts stay high and the run short.

Hand-picked edge cases: test_bad_input_queries.py and test_bad_input_requests.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from reliability_answers import ERROR_CODES, assert_envelope, await_mirror
from reliability_clients import login_body
from reliability_in_process import app_on_a_fake, build_app
from schemathesis import GenerationMode

EXAMPLES = 40  # per operation, mode and auth: about 1,000 requests in all, well under a minute

# The document the app serves, read from an app built only for that (no LiteLLM needed).
_DOCUMENT_APP, _ = build_app()
SCHEMA = schemathesis.openapi.from_dict(_DOCUMENT_APP.openapi())
OPERATIONS = {
    result.ok().label: result.ok()  # type: ignore[union-attr]
    for result in SCHEMA.get_all_operations()
}


@pytest.fixture(scope="module")
def fuzz_client() -> Iterator[TestClient]:
    with app_on_a_fake(60, cache_ttl_seconds=600) as client:
        # Fuzz the app as it serves most of its life: with its mirror loaded (the sync runs
        # in the lifespan). Before that, views needing every key answer 503 mirror_loading.
        token = client.post("/api/auth/login", json=login_body()).json()["access_token"]
        assert await_mirror(client).status_code == 200
        client.cookies.clear()
        assert token
        yield client


@pytest.fixture(scope="module")
def token(fuzz_client: TestClient) -> str:
    response = fuzz_client.post("/api/auth/login", json=login_body())
    assert response.status_code == 200
    value: str = response.json()["access_token"]
    fuzz_client.cookies.clear()  # each call says for itself whether it carries a session
    return value


def test_the_served_document_is_the_one_fuzzed(fuzz_client: TestClient) -> None:
    served = fuzz_client.get("/api/openapi.json").json()
    assert served["paths"] == _DOCUMENT_APP.openapi()["paths"]
    assert set(OPERATIONS) == {
        "POST /api/auth/login",
        "POST /api/auth/logout",
        "GET /api/auth/me",
        "GET /api/keys",
        "GET /api/keys/facets",
        "GET /api/keys/export",
        "GET /api/keys/{key_id}/usage",
        "GET /api/healthz",
        "GET /api/readyz",
        "GET /api/status",
    }


def _send(client: TestClient, case: Any, headers: dict[str, str]) -> httpx.Response:
    kwargs = case.as_transport_kwargs(base_url=str(client.base_url), headers=headers)
    if "data" in kwargs:
        kwargs["content"] = kwargs.pop("data")
    cookies = kwargs.pop("cookies", None) or {}
    if cookies:
        # As a header: per-request cookies on the shared client are deprecated (and would stick).
        cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        kwargs["headers"] = {**kwargs.get("headers", {}), "Cookie": cookie}
    try:
        response: httpx.Response = client.request(**kwargs)
        return response
    except (UnicodeEncodeError, httpx.InvalidURL, httpx.LocalProtocolError):
        # Not something a client can put on the wire (e.g. a header that is not latin-1).
        assume(False)
        raise


def _check_answer(case: Any, response: httpx.Response) -> None:
    assert response.status_code < 500 or (
        case.operation.label == "GET /api/readyz" and response.status_code == 503
    ), f"{case.operation.label}: {response.status_code} {response.text[:300]}"
    if response.status_code >= 400 and case.operation.label != "GET /api/readyz":
        assert_envelope(response, response.status_code)
        assert response.status_code in ERROR_CODES, response.status_code
    case.validate_response(response, excluded_checks=EXCLUDED_CHECKS)


def _excluded_checks() -> list[Any]:
    from schemathesis.specs.openapi.checks import (
        ignored_auth,
        positive_data_acceptance,
    )

    # positive_data_acceptance: a schema-valid login with a wrong password is rightly a 401.
    # ignored_auth: healthz/readyz/login/logout need no session, as documented.
    return [positive_data_acceptance, ignored_auth]


EXCLUDED_CHECKS = _excluded_checks()


# Invalid data can be made only where there is something to get wrong: parameters, a body, or
# the session itself. The other operations take nothing.
NEGATIVE_OPERATIONS = {
    "GET /api/keys",
    "GET /api/keys/facets",
    "GET /api/keys/export",
    "GET /api/keys/{key_id}/usage",
    "POST /api/auth/login",
    "GET /api/auth/me",
    "GET /api/status",
}
COMBINATIONS = [
    (operation, mode)
    for operation in sorted(OPERATIONS)
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode is GenerationMode.POSITIVE or operation in NEGATIVE_OPERATIONS
]


@pytest.mark.parametrize(
    ("operation", "mode"), COMBINATIONS, ids=[f"{o}-{m}" for o, m in COMBINATIONS]
)
@pytest.mark.parametrize("signed_in", [True, False], ids=["with-session", "without-session"])
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_fuzzed_requests_get_documented_answers(
    fuzz_client: TestClient,
    token: str,
    operation: str,
    mode: GenerationMode,
    signed_in: bool,
    data: st.DataObject,
) -> None:
    case = data.draw(OPERATIONS[operation].as_strategy(mode))
    headers = {"Authorization": f"Bearer {token}"} if signed_in else {}
    response = _send(fuzz_client, case, headers)
    _check_answer(case, response)

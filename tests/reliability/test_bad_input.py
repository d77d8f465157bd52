"""Bad input: the API fuzzed from its own OpenAPI document, then hand-picked edge cases.

Schemathesis generates requests (valid and invalid) for every operation of the live schema, with
and without a valid session; each answer must not be a 5xx, must match the documented schema,
and every error must use the error envelope. The app runs in-process (ASGI) with the real LiteLLM
adapter against the fake LiteLLM over HTTP, so example counts stay high and the run short.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from keydash_core.query import MAX_PAGE, MAX_SEARCH_LENGTH
from keydash_fakes.litellm import running_fake_litellm
from reliability_support import (
    ERROR_CODES,
    assert_envelope,
    await_mirror,
    build_app,
    login_body,
    new_fake,
    watched,
)
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
    fake = new_fake(60)
    with running_fake_litellm(fake) as url:
        app, _ = build_app(litellm_base_url=url, cache_ttl_seconds=600)
        with TestClient(app, base_url="http://keydash.test") as client:
            watched(client)
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


# --- query edge cases ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    fake = new_fake(120)
    with running_fake_litellm(fake) as url:
        app, _ = build_app(litellm_base_url=url, cache_ttl_seconds=600)
        with TestClient(app, base_url="http://keydash.test") as http:
            watched(http)
            assert http.post("/api/auth/login", json=login_body()).status_code == 200
            assert await_mirror(http).status_code == 200  # search and sort need the mirror
            yield http


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": 0}, "page"),
        ({"page": -1}, "page"),
        ({"page": MAX_PAGE + 1}, "page"),
        ({"page": 10**30}, "page"),
        ({"page": "1e3"}, "page"),
        ({"page": "NaN"}, "page"),
        ({"page": ""}, "page"),
        ({"size": 0}, "size"),
        ({"size": 101}, "size"),
        ({"size": -5}, "size"),
        ({"size": "ten"}, "size"),
        ({"sort_by": "password"}, "sort_by"),
        ({"sort_by": "created_at; DROP TABLE keys"}, "sort_by"),
        ({"sort_by": ""}, "sort_by"),
        ({"sort_order": "up"}, "sort_order"),
        ({"sort_order": "ascending"}, "sort_order"),
        ({"sort_order": ""}, "sort_order"),
        ({"search": "x" * (MAX_SEARCH_LENGTH + 1)}, "search"),
        ({"search": "x" * 10_000}, "search"),
    ],
    ids=lambda value: json.dumps(value)[:40] if isinstance(value, dict) else value,
)
def test_bad_query_parameters_are_422_naming_the_field(
    client: TestClient, params: dict[str, Any], field: str
) -> None:
    error = assert_envelope(client.get("/api/keys", params=params), 422, "invalid_query")
    assert [detail["field"] for detail in error["details"]] == [field], error
    assert error["message"].startswith(field), error


def test_a_page_past_the_end_is_empty_not_an_error(client: TestClient) -> None:
    for page in (999, MAX_PAGE):
        response = client.get("/api/keys", params={"page": page, "sort_by": "owner"})
        assert response.status_code == 200, response.text
        assert response.json()["items"] == []


@pytest.mark.parametrize(
    "search",
    [
        ".*",
        "^(a+)+$",
        "[",
        "\\",
        "%",
        "_",
        "' OR '1'='1",
        "1; DROP TABLE keys; --",
        '"; SELECT * FROM users --',
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "{{7*7}}",
        "${jndi:ldap://x}",
        "../../etc/passwd",
        "\x00",
        "a\x00b",
        "\t\n\r",
        "Zoë Ångström",
        "日本語のキー",
        "مفتاح الإنتاج",  # Arabic, RTL
        "\u202eevil\u202c",  # RTL override
        "עברית",
        "🔑🚀",
        "e\u0301",  # combining accent
        "ß",
        "İ",
        "x" * MAX_SEARCH_LENGTH,
        " " * MAX_SEARCH_LENGTH,
    ],
)
def test_any_search_text_is_a_plain_substring_search(client: TestClient, search: str) -> None:
    response = client.get("/api/keys", params={"search": search, "size": 100})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] <= body["total_keys"] == 120
    # No search syntax: metacharacters match only themselves (the fake's keys hold none of these).
    if search.strip() and search.strip("\x00") and search not in {"_", "e\u0301", "ß", "İ"}:
        assert body["total"] == 0 or all(
            search.casefold().split()[0] in json.dumps(item, ensure_ascii=False).casefold()
            for item in body["items"]
        )


def test_search_does_not_match_across_fields(client: TestClient) -> None:
    # The haystack joins fields with a NUL; a term spanning two fields must not match.
    response = client.get("/api/keys", params={"search": "\x00"})
    assert response.status_code == 200
    assert response.json()["total"] in (0, 120)


@pytest.mark.parametrize("sort_by", ["KEY", "Models", "created", "expires", "team", "budget"])
def test_documented_sort_aliases_any_case(client: TestClient, sort_by: str) -> None:
    assert client.get("/api/keys", params={"sort_by": sort_by}).status_code == 200


@pytest.mark.parametrize("order", ["ASC", "Desc", "asc", "desc"])
def test_sort_order_any_case(client: TestClient, order: str) -> None:
    assert client.get("/api/keys", params={"sort_order": order}).status_code == 200


def test_repeated_and_unknown_parameters(client: TestClient) -> None:
    assert client.get("/api/keys?page=1&page=2&unknown=1&__proto__=x").status_code == 200


# --- login edge cases ---------------------------------------------------------------------------


@pytest.fixture
def login_client() -> Iterator[TestClient]:
    # A fresh app per test: failed logins must not throttle the next test.
    app, _ = build_app()
    with TestClient(app, base_url="http://keydash.test") as http:
        watched(http)
        yield http


JSON = {"content-type": "application/json"}


@pytest.mark.parametrize(
    ("kwargs", "status", "code"),
    [
        ({"content": b"", "headers": JSON}, 422, "invalid_request"),
        ({}, 422, "invalid_request"),
        ({"content": b"{}", "headers": JSON}, 422, "invalid_request"),
        ({"content": b"null", "headers": JSON}, 422, "invalid_request"),
        ({"content": b"[]", "headers": JSON}, 422, "invalid_request"),
        ({"content": b'"admin"', "headers": JSON}, 422, "invalid_request"),
        ({"json": {"username": "admin"}}, 422, "invalid_request"),
        ({"json": {"password": "x"}}, 422, "invalid_request"),
        ({"json": {"username": None, "password": None}}, 422, "invalid_request"),
        ({"json": {"username": 1, "password": 2}}, 422, "invalid_request"),
        ({"json": {"username": ["admin"], "password": {"a": 1}}}, 422, "invalid_request"),
        ({"json": {"username": "", "password": ""}}, 422, "invalid_request"),
        ({"content": b"{not json", "headers": JSON}, 400, "invalid_request"),
        ({"content": b'{"username": "admin",', "headers": JSON}, 400, "invalid_request"),
        ({"content": b"\xff\xfe\x00", "headers": JSON}, 400, "invalid_request"),
        (
            {"content": b"username=admin&password=x", "headers": {"content-type": "text/plain"}},
            422,
            "invalid_request",
        ),
        ({"data": {"username": "admin", "password": "x"}}, 422, "invalid_request"),
        (
            {"content": b"<login/>", "headers": {"content-type": "application/xml"}},
            422,
            "invalid_request",
        ),
        ({"json": {"username": "admin", "password": "p" * 1025}}, 422, "invalid_request"),
        ({"json": {"username": "a" * 257, "password": "x"}}, 422, "invalid_request"),
    ],
    ids=lambda value: json.dumps(value, default=str)[:50] if isinstance(value, dict) else None,
)
def test_bad_login_bodies_get_a_clear_4xx(
    login_client: TestClient, kwargs: dict[str, Any], status: int, code: str
) -> None:
    response = login_client.post("/api/auth/login", **kwargs)
    assert_envelope(response, status, code)
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize("size", [16_385, 100_000, 5_000_000])
def test_huge_declared_bodies_are_refused_by_size(login_client: TestClient, size: int) -> None:
    body = json.dumps({"username": "admin", "password": "p" * size}).encode()
    response = login_client.post("/api/auth/login", content=body, headers=JSON)
    assert_envelope(response, 413, "payload_too_large")


def test_huge_streamed_bodies_are_refused_by_size(login_client: TestClient) -> None:
    # No Content-Length (chunked): the limit must hold while the body streams in.
    def chunks() -> Iterator[bytes]:
        yield b'{"username": "admin", "password": "'
        for _ in range(64):
            yield b"p" * 1024
        yield b'"}'

    response = login_client.post("/api/auth/login", content=chunks(), headers=JSON)
    assert_envelope(response, 413, "payload_too_large")


def test_a_lying_content_length_is_refused(login_client: TestClient) -> None:
    response = login_client.post(
        "/api/auth/login", content=b"{}", headers={**JSON, "content-length": "abc"}
    )
    assert response.status_code in (400, 413)


def test_non_ascii_credentials_are_just_wrong(login_client: TestClient) -> None:
    for username, password in [("admín", "pässwörd"), ("\u202eadmin", "x" * 8), ("😀", "😀")]:
        response = login_client.post(
            "/api/auth/login", json={"username": username, "password": password}
        )
        assert_envelope(response, 401, "invalid_credentials")


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/auth/login", 405),
        ("PUT", "/api/keys", 405),
        ("DELETE", "/api/keys", 405),
        ("GET", "/api/nope", 404),
        ("GET", "/api/keys/../../etc/passwd", 404),
        ("GET", "/api/%2e%2e/%2e%2e/etc/passwd", 404),
        ("GET", "/", 404),
    ],
)
def test_unknown_routes_and_methods_use_the_envelope(
    login_client: TestClient, method: str, path: str, status: int
) -> None:
    assert_envelope(login_client.request(method, path), status)


@pytest.mark.parametrize(
    "request_id",
    ["short", "x" * 65, "has space", "<script>", "a\r\nSet-Cookie: x=1", "ok-request-id-123"],
)
def test_request_ids_are_echoed_only_when_safe(login_client: TestClient, request_id: str) -> None:
    try:
        response = login_client.get("/api/nope", headers={"x-request-id": request_id})
    except httpx.LocalProtocolError:
        return  # the client refuses to send it, which is also fine
    echoed = response.headers["x-request-id"]
    if request_id == "ok-request-id-123":
        assert echoed == request_id
    else:
        assert echoed != request_id
        assert len(echoed) == 32

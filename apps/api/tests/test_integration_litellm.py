"""The API with its real LiteLLM adapter, against the fake LiteLLM over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from api_support import JWT_SECRET, LITELLM_KEY, PASSWORD, USERNAME, logged_in, make_app
from fastapi.testclient import TestClient
from keydash_adapters.fakes.litellm import FakeLiteLLM, generate_keys, running_fake_litellm

FAST_FAILURE = {
    "upstream_read_timeout_seconds": 0.5,
    "upstream_deadline_seconds": 2.0,
    "cache_ttl_seconds": 0,
}


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeLiteLLM]:
    litellm = FakeLiteLLM(keys=generate_keys(250, seed=11), master_key=LITELLM_KEY)
    with running_fake_litellm(litellm) as url:
        litellm.url = url  # type: ignore[attr-defined]
        yield litellm


_open_clients: list[TestClient] = []


@pytest.fixture(autouse=True)
def _clean(fake: FakeLiteLLM) -> Iterator[None]:
    fake.reset()
    yield
    fake.reset()
    while _open_clients:
        _open_clients.pop().__exit__(None, None, None)


def _client(fake: FakeLiteLLM, **settings: Any) -> TestClient:
    """A client that keeps one event loop for its life, as uvicorn does (pooled connections)."""
    app, _ = make_app(litellm_base_url=fake.url, **settings)  # type: ignore[attr-defined]
    client = TestClient(app).__enter__()
    _open_clients.append(client)
    return logged_in(client)


def _all_items(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        body = client.get("/api/keys", params={**params, "page": page, "size": 100}).json()
        items += body["items"]
        if page >= body["total_pages"]:
            return items
        page += 1


def test_every_key_is_served_once_across_pages(fake: FakeLiteLLM) -> None:
    client = _client(fake)
    items = _all_items(client, sort_by="alias")
    assert len(items) == 250
    assert {item["id"] for item in items} == {key["token"] for key in fake.keys}
    # 250 keys in pages of 100: three upstream calls, then the cache answers.
    assert fake.key_list_calls == 3
    assert all(call["size"] == "100" and call["expand"] == "user" for call in fake.requests)


def test_the_default_view_reads_one_page_sized_to_the_view(fake: FakeLiteLLM) -> None:
    client = _client(fake)
    body = client.get("/api/keys", params={"page": 3, "size": 25}).json()
    assert [(call["page"], call["size"]) for call in fake.requests] == [("3", "25")]
    assert (body["total"], body["total_keys"], len(body["items"])) == (250, 250, 25)
    # The same page again within the cache TTL is not read again.
    client.get("/api/keys", params={"page": 3, "size": 25})
    assert fake.key_list_calls == 1
    # It is the page a full read would give: LiteLLM's order is Keydash's created_at desc.
    client.get("/api/keys", params={"sort_by": "owner"})  # loads the full snapshot
    full = _all_items(client)
    assert fake.key_list_calls == 1 + 3
    assert [item["id"] for item in body["items"]] == [item["id"] for item in full[50:75]]


def test_search_matches_what_the_records_hold(fake: FakeLiteLLM) -> None:
    client = _client(fake)
    tagged = [
        key
        for key in fake.keys
        if isinstance(key.get("metadata"), dict) and key["metadata"].get("tags") == ["prod"]
    ]
    model_keys = [key for key in fake.keys if "gpt-4o-mini" in (key.get("models") or [])]
    found = _all_items(client, search="gpt-4o-mini")
    assert {item["id"] for item in found} >= {key["token"] for key in model_keys}
    assert all(
        any("gpt-4o-mini" in text.casefold() for text in _searchable(item)) for item in found
    )
    assert tagged == [] or _all_items(client, search="prod")


def _searchable(item: dict[str, Any]) -> list[str]:
    fields = [item["owner_username"], item["owner_email"], item["owner_id"], item["description"]]
    fields += [item["alias"], *item["tags"], *item["allowed_models"]]
    return [field for field in fields if field]


def test_sort_by_owner_is_case_insensitive_with_empty_owners_last(fake: FakeLiteLLM) -> None:
    client = _client(fake)
    for order in ("asc", "desc"):
        owners = [item["owner"] for item in _all_items(client, sort_by="owner", sort_order=order)]
        present = [owner for owner in owners if owner]
        assert owners[: len(present)] == present
        folded = [owner.casefold() for owner in present]
        assert folded == sorted(folded, reverse=order == "desc")


def test_masked_keys_never_show_more_than_four_characters(fake: FakeLiteLLM) -> None:
    client = _client(fake)
    for item in _all_items(client):
        masked = item["masked_key"]
        if masked is not None:
            assert masked.startswith("sk-****")
            assert len(masked) <= len("sk-****") + 4


def test_nothing_secret_leaks_into_responses_or_logs(
    fake: FakeLiteLLM, capsys: pytest.CaptureFixture[str]
) -> None:
    client = _client(fake)
    bodies = [json.dumps(_all_items(client))]
    bodies.append(client.get("/api/keys", params={"search": LITELLM_KEY}).text)
    fake.faults.fail_status = 401
    bodies.append(client.get("/api/keys").text)
    logs = capsys.readouterr().out
    password_hashes = [
        key["user"]["password"] for key in fake.keys if (key.get("user") or {}).get("password")
    ]
    assert password_hashes, "the fake should give some users a password hash"
    for text in [*bodies, logs]:
        for secret in (LITELLM_KEY, JWT_SECRET, PASSWORD, *password_hashes):
            assert secret not in text


@pytest.mark.parametrize(
    ("faults", "status", "code", "calls"),
    [
        ({"fail_status": 500}, 502, "upstream_unavailable", 3),
        ({"fail_status": 503}, 502, "upstream_unavailable", 3),
        ({"fail_status": 401}, 502, "upstream_auth_failed", 1),
        ({"fail_status": 403}, 502, "upstream_auth_failed", 1),
        ({"malformed": "not_json"}, 502, "upstream_bad_response", 1),
        ({"malformed": "no_keys"}, 502, "upstream_bad_response", 1),
        ({"malformed": "keys_not_list"}, 502, "upstream_bad_response", 1),
        ({"hang": True}, 504, "upstream_timeout", None),
    ],
)
def test_litellm_faults_become_clear_errors_with_bounded_retries(
    fake: FakeLiteLLM, faults: dict[str, Any], status: int, code: str, calls: int | None
) -> None:
    client = _client(fake, **FAST_FAILURE)
    for name, value in faults.items():
        setattr(fake.faults, name, value)
    response = client.get("/api/keys")
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    if calls is not None:
        assert fake.key_list_calls == calls
    else:
        assert 1 <= fake.key_list_calls <= 3
    # The process survives and serves again once LiteLLM recovers, without a restart.
    fake.reset()
    assert client.get("/api/keys").status_code == 200


def test_wrong_litellm_key_is_reported_not_retried(fake: FakeLiteLLM) -> None:
    client = _client(fake, litellm_api_key="sk-not-the-master-key")
    response = client.get("/api/keys")
    assert response.status_code == 502
    assert response.json()["error"]["code"] == "upstream_auth_failed"
    assert fake.key_list_calls == 1


def test_transient_failures_recover_within_one_request(fake: FakeLiteLLM) -> None:
    client = _client(fake)
    fake.faults.fail_status, fake.faults.fail_count = 502, 1
    assert client.get("/api/keys").status_code == 200


def test_rate_limit_with_retry_after_is_waited_out(fake: FakeLiteLLM) -> None:
    client = _client(fake)
    fake.faults.rate_limit_count, fake.faults.retry_after_seconds = 1, 1
    response = client.get("/api/keys")
    assert response.status_code == 200
    assert response.json()["total_keys"] == 250


def test_wrong_types_are_reported_as_partial_not_hidden(fake: FakeLiteLLM) -> None:
    client = _client(fake)
    fake.faults.malformed = "wrong_types"
    body = client.get("/api/keys", params={"size": 100, "sort_by": "owner"}).json()
    assert body["partial_count"] > 0
    items = _all_items(client, sort_by="owner")
    assert body["partial_count"] == sum(1 for item in items if item["partial"])


def test_an_old_litellm_answering_bare_hashes_is_asked_for_full_objects(fake: FakeLiteLLM) -> None:
    client = _client(fake)
    fake.faults.bare_tokens_only = True
    items = _all_items(client)
    assert len(items) == 250
    assert all(item["masked_key"] is None or item["masked_key"].startswith("sk-") for item in items)
    assert any(call.get("return_full_object") == "true" for call in fake.requests)


def test_keys_created_while_reading_and_duplicates_never_double_count(fake: FakeLiteLLM) -> None:
    client = _client(fake)
    fake.faults.duplicate_across_pages = True
    items = _all_items(client, sort_by="owner")
    assert len({item["id"] for item in items}) == len(items) == 250


def test_pages_growing_while_read_are_followed(fake: FakeLiteLLM) -> None:
    client = _client(fake)
    fake.faults.shifting_total = True
    items = _all_items(client, sort_by="owner")
    assert len({item["id"] for item in items}) == len(items) >= 250


async def test_concurrent_dashboards_share_one_read_within_the_concurrency_bound(
    fake: FakeLiteLLM,
) -> None:
    app, _ = make_app(litellm_base_url=fake.url, upstream_concurrency=2)  # type: ignore[attr-defined]
    fake.faults.latency_ms = 100
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://keydash.test") as client:
        login = await client.post(
            "/api/auth/login", json={"username": USERNAME, "password": PASSWORD}
        )
        assert login.status_code == 200
        searches = (client.get("/api/keys", params={"search": "prod"}) for _ in range(20))
        responses = await asyncio.gather(*searches)
    assert {response.status_code for response in responses} == {200}
    assert fake.key_list_calls == 3
    assert fake.max_concurrent_seen <= 2


def test_readyz_follows_litellm(fake: FakeLiteLLM) -> None:
    client = _client(fake, **FAST_FAILURE)
    assert client.get("/api/readyz").json() == {"status": "ready"}
    fake.faults.fail_status = 503
    client.app.state.container.readiness.reset()  # type: ignore[attr-defined]
    assert client.get("/api/readyz").status_code == 503

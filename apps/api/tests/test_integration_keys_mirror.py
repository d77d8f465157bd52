"""The mirror the sync builds from the fake LiteLLM over real HTTP: every key once, searched,
sorted and masked, nothing secret shown, and LiteLLM's odd answers (wrong types, bare hashes,
repeated or growing pages) read right. Fixtures `fake` and `clients`: conftest.py.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from api_support import JWT_SECRET, LITELLM_KEY, PASSWORD
from keydash_fakes.litellm import FakeLiteLLM
from keys_integration_support import KEY_COUNT, all_items, get_json, ids_of
from litellm_support import (
    FAST_FAILURE,
    LONG_INTERVAL,
    AppClients,
    fresh_pass,
    json_lines,
    key_sync,
    wait_for,
    wake,
)


def _tokens(fake: FakeLiteLLM) -> set[str]:
    return {str(key["token"]) for key in fake.keys}


def _requests_logged(output: str) -> list[dict[str, Any]]:
    return [line for line in json_lines(output) if line["event"] == "request"]


def test_every_key_is_served_once_across_pages_from_the_mirror(
    fake: FakeLiteLLM, clients: AppClients, capsys: pytest.CaptureFixture[str]
) -> None:
    client = clients.synced()
    capsys.readouterr()
    items = all_items(client, sort_by="alias")
    assert len(items) == KEY_COUNT
    assert set(ids_of(items)) == _tokens(fake)
    # 250 keys in pages of 100: the first load read three pages, in LiteLLM's own order...
    assert fake.requests_by_kind["default"] == 3
    sync_calls = [call for call in fake.requests if "user_id" not in call]
    assert all(call["size"] == "100" and call["expand"] == "user" for call in sync_calls)
    # ...and the table's pages came from the mirror: no request of the dashboard read LiteLLM.
    logged = _requests_logged(capsys.readouterr().out)
    assert [line["route"] for line in logged] == ["/api/keys"] * 3
    assert all(line["upstream_calls"] == 0 for line in logged)
    freshness = get_json(client, sort_by="alias")["freshness"]
    assert (freshness["source"], freshness["stale"], freshness["last_error"]) == (
        "mirror",
        False,
        None,
    )
    assert freshness["as_of"] is not None


def test_search_matches_what_the_records_hold(fake: FakeLiteLLM, clients: AppClients) -> None:
    client = clients.synced()
    tagged = [
        key
        for key in fake.keys
        if isinstance(key.get("metadata"), dict) and key["metadata"].get("tags") == ["prod"]
    ]
    model_keys = [key for key in fake.keys if "gpt-4o-mini" in (key.get("models") or [])]
    assert model_keys
    found = all_items(client, search="gpt-4o-mini")
    assert set(ids_of(found)) >= {key["token"] for key in model_keys}
    assert all(
        any("gpt-4o-mini" in text.casefold() for text in _searchable(item)) for item in found
    )
    assert tagged == [] or all_items(client, search="prod")


def _searchable(item: dict[str, Any]) -> list[str]:
    fields = [item["owner_username"], item["owner_email"], item["owner_id"], item["description"]]
    fields += [item["alias"], *item["tags"], *item["allowed_models"]]
    return [field for field in fields if field]


def test_sort_by_owner_is_case_insensitive_with_empty_owners_last(clients: AppClients) -> None:
    client = clients.synced()
    for order in ("asc", "desc"):
        owners = [item["owner"] for item in all_items(client, sort_by="owner", sort_order=order)]
        assert len(owners) == KEY_COUNT
        present = [owner for owner in owners if owner]
        assert owners[: len(present)] == present
        folded = [owner.casefold() for owner in present]
        assert folded == sorted(folded, reverse=order == "desc")


def test_masked_keys_never_show_more_than_four_characters(clients: AppClients) -> None:
    client = clients.synced()
    items = all_items(client)
    assert len(items) == KEY_COUNT
    assert any(item["masked_key"] is not None for item in items)
    for item in items:
        masked = item["masked_key"]
        if masked is not None:
            assert masked.startswith("sk-****")
            assert len(masked) <= len("sk-****") + 4


def test_nothing_secret_leaks_into_responses_or_logs(
    fake: FakeLiteLLM, clients: AppClients, capsys: pytest.CaptureFixture[str]
) -> None:
    client = clients.synced(sync_interval_seconds=LONG_INTERVAL, **FAST_FAILURE)
    bodies = [json.dumps(all_items(client))]
    bodies.append(client.get("/api/keys", params={"search": LITELLM_KEY}).text)
    bodies.append(client.get("/api/keys/export", params={"format": "json"}).text)
    # A failing LiteLLM: its words reach the freshness, the status page and the logs.
    fake.faults.fail_status = 401
    wake(client)
    wait_for(lambda: key_sync(client).freshness().stale, "the failed pass")
    bodies.append(client.get("/api/keys").text)
    bodies.append(client.get("/api/status").text)
    # And the error answers given before any mirror exists.
    early = clients.unsynced(**FAST_FAILURE)
    bodies.append(early.get("/api/keys").text)
    bodies.append(early.get("/api/keys", params={"search": "x"}).text)
    logs = capsys.readouterr().out
    assert "sync_failed" in logs
    assert all("upstream_auth_failed" in body for body in bodies[-4:-1])
    password_hashes = [
        key["user"]["password"] for key in fake.keys if (key.get("user") or {}).get("password")
    ]
    assert password_hashes, "the fake should give some users a password hash"
    for text in [*bodies, logs]:
        for secret in (LITELLM_KEY, JWT_SECRET, PASSWORD, *password_hashes):
            assert secret not in text


def test_wrong_types_are_reported_as_partial_not_hidden(
    fake: FakeLiteLLM, clients: AppClients
) -> None:
    fake.faults.malformed = "wrong_types"
    client = clients.synced()
    body = get_json(client, size=100, sort_by="owner")
    assert body["partial_count"] > 0
    items = all_items(client, sort_by="owner")
    assert body["partial_count"] == sum(1 for item in items if item["partial"])
    # One page read straight from LiteLLM counts the partial keys of that page.
    page = get_json(clients.unsynced(), size=50)
    assert page["freshness"]["source"] == "litellm_page"
    assert 0 < page["partial_count"] == sum(1 for item in page["items"] if item["partial"])


def test_an_old_litellm_answering_bare_hashes_is_asked_for_full_objects(
    fake: FakeLiteLLM, clients: AppClients
) -> None:
    fake.faults.bare_tokens_only = True
    client = clients.synced()
    items = all_items(client)
    assert len(items) == KEY_COUNT
    assert set(ids_of(items)) == _tokens(fake)
    assert all(item["masked_key"] is None or item["masked_key"].startswith("sk-") for item in items)
    assert any(call.get("return_full_object") == "true" for call in fake.requests)


def test_keys_repeated_across_pages_never_double_count(
    fake: FakeLiteLLM, clients: AppClients
) -> None:
    fake.faults.duplicate_across_pages = True
    client = clients.synced()
    items = all_items(client, sort_by="owner")
    assert len(set(ids_of(items))) == len(items) == KEY_COUNT


def test_pages_growing_while_read_are_followed(fake: FakeLiteLLM, clients: AppClients) -> None:
    fake.faults.shifting_total = True  # one new newest key per LiteLLM call
    client = clients.synced(sync_interval_seconds=LONG_INTERVAL)
    fake.faults.shifting_total = False
    fresh_pass(client)  # a whole pass after the last key was added
    items = all_items(client, sort_by="owner")
    assert len(set(ids_of(items))) == len(items) > KEY_COUNT
    assert set(ids_of(items)) == _tokens(fake)

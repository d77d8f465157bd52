"""Writes through the fake: each moves `updated_at` to the fake's clock, as LiteLLM's do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import pytest
from keydash_fakes.litellm import FakeLiteLLM
from keydash_fakes.litellm.records import KEY_TEMPLATE

NOW = datetime(2027, 3, 4, 5, 6, 7, 890000, tzinfo=UTC)
STAMP = "2027-03-04T05:06:07.890000Z"


@pytest.fixture
def frozen(fake: FakeLiteLLM) -> FakeLiteLLM:
    fake.clock = lambda: NOW
    return fake


def _listed(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/key/list", params={"size": 100, "return_full_object": "true", **params})
    assert response.status_code == 200, response.text
    keys: list[dict[str, Any]] = response.json()["keys"]
    return keys


def _one(client: httpx.Client, token: str) -> dict[str, Any]:
    [key] = _listed(client, key_hash=token)
    return key


def test_the_date_header_follows_the_fakes_clock(
    anonymous: httpx.Client, client: httpx.Client, frozen: FakeLiteLLM
) -> None:
    for response in (client.get("/key/list"), anonymous.get("/_fake/stats")):
        assert [v for k, v in response.headers.multi_items() if k == "date"] == [
            "Thu, 04 Mar 2027 05:06:07 GMT"
        ]
        assert parsedate_to_datetime(response.headers["date"]) == NOW.replace(microsecond=0)


def test_create_returns_the_record_and_lists_it(
    anonymous: httpx.Client, client: httpx.Client, frozen: FakeLiteLLM
) -> None:
    answer = anonymous.post(
        "/_fake/keys",
        json={"key_alias": "made-by-a-test", "team_id": "team-data", "key": "sk-abcdefghijklmnop"},
    )
    assert answer.status_code == 201
    record = answer.json()
    assert list(record) == list(KEY_TEMPLATE)
    assert (record["created_at"], record["updated_at"], record["key_name"]) == (
        STAMP,
        STAMP,
        "sk-...mnop",
    )
    assert _one(client, record["token"])["key_alias"] == "made-by-a-test"
    assert client.get("/key/list").json()["total_count"] == 58


@pytest.mark.parametrize(
    ("route", "body", "changed"),
    [
        ("update", {"key_alias": "renamed", "max_budget": 5}, {"key_alias": "renamed"}),
        ("block", {}, {"blocked": True, "settings_updated_at": STAMP}),
        ("unblock", {}, {"blocked": False, "settings_updated_at": STAMP}),
    ],
)
def test_each_write_moves_updated_at(
    anonymous: httpx.Client,
    client: httpx.Client,
    frozen: FakeLiteLLM,
    route: str,
    body: dict[str, Any],
    changed: dict[str, Any],
) -> None:
    token = frozen.keys[10]["token"]
    answer = anonymous.post(f"/_fake/keys/{token}/{route}", json=body)
    assert answer.status_code == 200, answer.text
    listed = _one(client, token)
    assert listed == answer.json() | {"user": None, "created_by_user": None}
    assert listed["updated_at"] == STAMP
    assert {name: listed[name] for name in changed} == changed


def test_spend_adds_and_marks_activity(
    anonymous: httpx.Client, client: httpx.Client, frozen: FakeLiteLLM
) -> None:
    key = frozen.keys[4]
    answer = anonymous.post(f"/_fake/keys/{key['token']}/spend", json={"amount": 0.25})
    listed = _one(client, key["token"])
    assert answer.status_code == 200
    assert listed["spend"] == pytest.approx(key["spend"] + 0.25)
    assert listed["last_active"] == listed["updated_at"] == STAMP
    assert (
        anonymous.post(f"/_fake/keys/{key['token']}/spend", json={"amount": 0}).status_code == 400
    )


def test_regenerate_keeps_the_place_with_a_new_token(
    anonymous: httpx.Client, client: httpx.Client, frozen: FakeLiteLLM
) -> None:
    listed = _listed(client)
    before = [key["token"] for key in listed]
    old, old_name = before[7], listed[7]["key_name"]
    answer = anonymous.post(f"/_fake/keys/{old}/regenerate", json={})
    new = answer.json()["token"]
    after = [key["token"] for key in _listed(client)]
    assert new != old
    assert after == [*before[:7], new, *before[8:]]
    assert answer.json()["key_name"] != old_name
    assert answer.json()["key_name"].startswith("sk-...")
    assert answer.json()["key_alias"] == next(
        k["key_alias"] for k in _listed(client) if k["token"] == new
    )
    assert answer.json()["updated_at"] == STAMP
    assert _listed(client, key_hash=old) == []
    assert _listed(client, status="deleted") == [], "a regenerated token is not archived"


def test_delete_archives_the_last_live_record(
    anonymous: httpx.Client, client: httpx.Client, frozen: FakeLiteLLM
) -> None:
    anonymous.post(f"/_fake/keys/{frozen.keys[3]['token']}/block")
    frozen.clock = lambda: NOW + timedelta(hours=1)
    token = frozen.keys[3]["token"]
    last = _one(client, token)
    answer = anonymous.delete(f"/_fake/keys/{token}", params={"deleted_by": "u-42"})
    assert answer.status_code == 200
    assert _listed(client, key_hash=token) == []
    [archived] = _listed(client, status="deleted")
    assert archived == last | {"deleted_at": "2027-03-04T06:06:07.890000Z", "deleted_by": "u-42"}
    assert archived["updated_at"] == STAMP, "the pre-deletion updated_at"
    assert client.get("/key/list").json()["total_count"] == 56
    assert anonymous.delete(f"/_fake/keys/{token}").status_code == 404


def test_the_archive_pages_sorts_and_filters_like_the_live_table(
    client: httpx.Client, frozen: FakeLiteLLM
) -> None:
    doomed = [key["token"] for key in frozen.keys[:25]]
    for token in doomed:
        frozen.delete_key(token)
    body = client.get("/key/list", params={"status": "deleted", "size": 10, "page": 3}).json()
    assert (body["total_count"], body["total_pages"], len(body["keys"])) == (25, 3, 5)
    default = [t for p in (1, 2, 3) for t in client.get("/key/list", params={
        "status": "deleted", "size": 10, "page": p}).json()["keys"]]  # fmt: skip
    assert default == doomed, "the generator's table is in the default order already"
    by_spend = [k["spend"] for k in _listed(client, status="deleted", sort_by="spend")]
    assert by_spend == sorted(by_spend, reverse=True)
    team = next(k["team_id"] for k in frozen.deleted if k["team_id"])
    teams = {k["team_id"] for k in _listed(client, status="deleted", team_id=team)}
    assert teams == {team}
    assert client.get("/key/list", params={"status": "deleted", "sort_by": "x"}).status_code == 400


def test_truth_lists_live_keys_and_the_archive(
    anonymous: httpx.Client, client: httpx.Client, frozen: FakeLiteLLM
) -> None:
    deleted = frozen.delete_key(frozen.keys[0]["token"])
    truth = anonymous.get("/_fake/truth").json()
    assert set(truth) == {"live", "deleted", "total"}
    assert truth["deleted"] == [deleted["token"]]
    assert truth["total"] == len(truth["live"]) == 56
    listed = _listed(client)
    assert truth["live"][:56] == [
        {"token": k["token"], "updated_at": k["updated_at"]} for k in listed
    ]
    assert all(entry["updated_at"] for entry in truth["live"])


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/_fake/keys/nope/block", {}, 404),
        ("POST", "/_fake/keys/nope/update", {"key_alias": "x"}, 404),
        ("DELETE", "/_fake/keys/nope", None, 404),
        ("POST", "/_fake/keys", {"token": "chosen"}, 400),
        ("POST", "/_fake/keys", {"max_budget": "lots"}, 400),
        ("POST", "/_fake/keys", [1], 400),
        ("POST", "/_fake/keys", {"key": "sk-abcdefghijklmnop"}, 201),
    ],
)
def test_refusals(
    anonymous: httpx.Client,
    fake: FakeLiteLLM,
    method: str,
    path: str,
    body: Any,
    status: int,
) -> None:
    assert anonymous.request(method, path, json=body).status_code == status
    if status == 201:
        again = anonymous.post(path, json=body)
        assert again.status_code == 409
        assert again.json()["error"] == "duplicate key"


def test_a_frozen_records_fake_serves_writes(client: httpx.Client, fake: FakeLiteLLM) -> None:
    fake.frozen_records = True
    try:
        before = _listed(client)
        fake.update_key(before[0]["token"], {"key_alias": "after-a-write"})
        assert _listed(client)[0]["key_alias"] == "after-a-write"
        fake.delete_key(before[1]["token"])
        assert before[1]["token"] not in {k["token"] for k in _listed(client)}
    finally:
        fake.frozen_records = False

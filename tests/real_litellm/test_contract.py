"""What Keydash serves for the keys this run created in the real LiteLLM, field by field: against
what was sent (the plan) and against LiteLLM's own `/key/list` records read directly."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rl_common import note
from rl_expect import (
    diff_facets,
    diff_item,
    diff_sets,
    expected_facets,
    expected_from_record,
    matches,
    newest_first,
    when,
)
from rl_expect_csv import CSV_COLUMNS, diff_csv_row
from rl_keydash import Keydash, KeydashClient
from rl_litellm import Admin
from rl_world import World, check_plan_windows, planned_item

KeydashPair = tuple[Keydash, KeydashClient]


def _raw_expected(admin: Admin, world: World) -> list[dict[str, Any]]:
    tokens = {key.token for key in world.keys}
    now = datetime.now(UTC)
    return [expected_from_record(r, now) for r in admin.list_all() if r["token"] in tokens]


def _findable(expected: list[dict[str, Any]], search: str) -> list[dict[str, Any]]:
    return [item for item in expected if matches(item, search)]


def test_search_pages_match_the_plan_and_litellm(
    world: World, admin: Admin, keydash: KeydashPair
) -> None:
    _, client = keydash
    # Small pages, so the search pages through several of them.
    items, pages = client.all_pages(size=4, search=world.prefix)
    assert pages >= 3, pages
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)), "a key was served twice across pages"
    # (b) LiteLLM's records, mapped by the documented rules.
    expected = _findable(_raw_expected(admin, world), world.prefix)
    problems = diff_sets(items, expected, "search")
    assert not problems, "\n".join(problems)
    assert ids == newest_first(expected), "not in created_at desc, id desc order"
    # (a) What was sent: every live key a search can find is there, with the planned fields.
    served = {item["id"]: item for item in items}
    for key in world.live():
        planned = planned_item(key)
        if not matches(planned, world.prefix):
            assert key.token not in served, key.name
            continue
        assert key.token in served, f"{key.name} is not found by its search"
        item = served[key.token]
        problems = diff_item(item, planned) + check_plan_windows(key, item)
        assert not problems, "\n".join(problems)


def test_masked_keys_show_only_the_last_four_characters(world: World, keydash: KeydashPair) -> None:
    _, client = keydash
    _, body = client.export_json()
    served = {item["id"]: item for item in body["items"]}
    for key in world.live():
        masked = served[key.token]["masked_key"]
        assert masked == "sk-****" + key.secret[-4:], (key.name, masked)
        assert key.secret[3:-4] not in masked


def test_every_created_key_is_in_the_full_view_and_the_deleted_one_is_gone(
    world: World, admin: Admin, keydash: KeydashPair
) -> None:
    _, client = keydash
    everything, _ = client.all_pages(size=100)
    by_id = {item["id"]: item for item in everything}
    deleted = world.by_name("deleted")
    assert deleted.token not in by_id
    assert deleted.token not in {r["token"] for r in admin.list_all()}
    anonymous = world.by_name("anonymous")
    assert anonymous.token in by_id, "a key nothing can search for is still listed"
    problems = diff_item(by_id[anonymous.token], planned_item(anonymous))
    assert not problems, problems
    mine = [item for item in everything if item["id"] in {k.token for k in world.keys}]
    problems = diff_sets(mine, _raw_expected(admin, world), "full view")
    assert not problems, "\n".join(problems)


def test_statuses_owners_and_budgets_as_planned(world: World, keydash: KeydashPair) -> None:
    _, client = keydash
    _, body = client.export_json()
    served = {item["id"]: item for item in body["items"]}
    got = {key.name: served[key.token]["status"] for key in world.live()}
    assert got["expired"] == "expired"
    assert got["blocked"] == "blocked"
    assert got["blocked-expired"] == "blocked", "blocked wins over expired"
    assert got["expiring"] == "active"
    owners = {key.name: served[key.token]["owner"] for key in world.live()}
    assert owners["full"] == "Ada Lovelace"
    assert owners["mail-owner"] == f"mail.{world.prefix}@example.test"
    assert owners["bare-owner"] == f"{world.prefix}-u-bare"
    assert owners["ghost"] == f"{world.prefix}-ghost-1"
    assert owners["ghost-named"] == "Grace Hopper"
    assert owners["no-owner"] is None
    tiny = served[world.by_name("tiny-budget").token]
    assert tiny["spend"] >= tiny["max_budget"] > 0, tiny
    long_models = served[world.by_name("long-models").token]["allowed_models"]
    assert len(long_models) == 40


def test_facets_count_the_runs_keys(world: World, admin: Admin, keydash: KeydashPair) -> None:
    _, client = keydash
    response = client.get("/api/keys/facets", search=world.prefix, limit=1000)
    assert response.status_code == 200, response.text
    body = response.json()
    as_of = when(body.get("fetched_at")) or datetime.now(UTC)
    expected = expected_facets(_findable(_raw_expected(admin, world), world.prefix), as_of)
    problems = diff_facets(body, expected)
    assert not problems, "\n".join(problems)
    # The plan, independently: the shared tag is on three live keys the search finds.
    tags = {row["value"]: row["count"] for row in body["tags"]["values"]}
    assert tags[f"{world.prefix}-prod"] == 3, tags
    assert body["status"]["blocked"] == 2
    assert body["status"]["expired"] == 1


def test_json_export_matches_litellm(world: World, admin: Admin, keydash: KeydashPair) -> None:
    _, client = keydash
    response, body = client.export_json(search=world.prefix)
    expected = _findable(_raw_expected(admin, world), world.prefix)
    assert body["total"] == len(expected) == int(response.headers["x-total-count"])
    assert response.headers["x-keydash-truncated"] == "false"
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    problems = diff_sets(body["items"], expected, "json export")
    assert not problems, "\n".join(problems)
    assert [item["id"] for item in body["items"]] == newest_first(expected)


def test_csv_export_matches_litellm(world: World, admin: Admin, keydash: KeydashPair) -> None:
    _, client = keydash
    response, rows = client.export_csv(search=world.prefix)
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.split("\r\n", 1)[0] == ",".join(CSV_COLUMNS)
    expected = {item["id"]: item for item in _findable(_raw_expected(admin, world), world.prefix)}
    assert sorted(row["id"] for row in rows) == sorted(expected)
    problems = [p for row in rows for p in diff_csv_row(row, expected[row["id"]])]
    assert not problems, "\n".join(problems)
    formula = next(row for row in rows if row["id"] == world.by_name("formula").token)
    assert formula["description"].startswith("'="), formula["description"]


def test_spend_reaches_keydash(world: World, admin: Admin, keydash: KeydashPair) -> None:
    _, client = keydash
    spenders = {key.token for key in world.keys if key.spend}
    raw = {r["token"]: r for r in admin.list_all() if r["token"] in spenders}
    assert all(raw[t]["last_active"] for t in spenders), "LiteLLM set last_active"
    _, body = client.export_json(search=world.prefix)
    served = {item["id"]: item for item in body["items"]}
    for token in spenders:
        assert served[token]["spend"] > 0
        assert abs(served[token]["spend"] - raw[token]["spend"]) < 1e-12


def test_regenerate_is_recorded(world: World, keydash: KeydashPair) -> None:
    """LiteLLM without a licence refuses /key/regenerate (HTTP 500, enterprise feature): recorded,
    not a failure; the key must then be unchanged in Keydash."""
    _, client = keydash
    regen = world.by_name("regen")
    note(f"regenerate attempt: HTTP {world.regenerate_status}")
    if world.regenerate_status != 200:
        assert "enterprise" in world.regenerate_message.lower(), world.regenerate_message
    _, body = client.export_json(search=world.prefix)
    served = {item["id"]: item for item in body["items"]}
    assert served[regen.token]["masked_key"] == "sk-****" + regen.secret[-4:]

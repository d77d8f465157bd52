"""Last use, rotation, budget windows and one key's usage against the real LiteLLM: what it stores
for keys made through its API, a rotation come due and a budget half spent (edited in its database,
as its own jobs would), and the usage drawer's numbers against LiteLLM's own daily activity."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from rl_common import CHANGE_BOUND_SECONDS, NotYet, eventually, note
from rl_database import update_key_row
from rl_keydash import Keydash, KeydashClient
from rl_litellm import MOCK_MODEL, Admin
from rl_proxy import Proxy
from rl_waiting import until_shown
from rl_world import World

KeydashPair = tuple[Keydash, KeydashClient]


def _served(client: KeydashClient, token: str) -> dict[str, Any]:
    _, body = client.export_json()
    found = {item["id"]: item for item in body["items"]}
    if token not in found:
        raise NotYet(f"{token[:10]} not served yet")
    item: dict[str, Any] = found[token]
    return item


def test_rotation_and_budget_window_as_litellm_stores_them(
    world: World, keydash: KeydashPair
) -> None:
    _, client = keydash
    rotating = _served(client, world.by_name("rotating").token)
    assert rotating["auto_rotate"] is True
    assert rotating["rotation_interval"] == "30d"
    created = datetime.fromisoformat(rotating["created_at"])
    due = datetime.fromisoformat(rotating["next_rotation_at"])
    assert timedelta(days=29) < due - created < timedelta(days=31), (created, due)
    windowed = _served(client, world.by_name("windowed").token)
    assert windowed["budget_duration"] == "30d"
    assert windowed["budget_reset_at"] is not None
    assert windowed["last_use"] == "used"
    assert windowed["last_used_at"] is not None
    assert windowed["created_by"]  # LiteLLM records the master key's stand-in user
    note(f"a 30d budget window made now resets at {windowed['budget_reset_at']}")


def test_a_key_made_after_the_first_recorded_use_is_never_used(
    world: World, admin: Admin, keydash: KeydashPair
) -> None:
    _, client = keydash
    assert world.by_name("windowed").spend  # its use is recorded before this key exists
    token = admin.generate({"key_alias": f"{world.prefix}-after-use"})["token"]
    served = until_shown(
        lambda: _served(client, token), bound=CHANGE_BOUND_SECONDS, what="the new key"
    )
    assert (served["last_use"], served["last_used_at"]) == ("never", None)
    ids = {item["id"] for item in client.all_pages(never_used="true")[0]}
    assert token in ids
    assert world.by_name("windowed").token not in ids


def test_an_overdue_rotation_and_a_budget_at_risk_are_found(
    world: World, proxy: Proxy, keydash: KeydashPair
) -> None:
    _, client = keydash
    assert proxy.db_name, "needs the proxy's database (KEYDASH_REAL_LITELLM_DB for a given proxy)"
    rotating, windowed = world.by_name("rotating").token, world.by_name("windowed").token
    # What LiteLLM's rotation job (not licensed here) and its spend tracking would leave.
    update_key_row(proxy.db_name, rotating, "key_rotation_at = now() - interval '2 days'")
    update_key_row(
        proxy.db_name, windowed, "spend = 9.0, budget_reset_at = now() + interval '20 days'"
    )

    def found() -> None:
        overdue = {item["id"] for item in client.all_pages(rotation_overdue="true")[0]}
        at_risk = {item["id"] for item in client.all_pages(budget_at_risk="true")[0]}
        if rotating not in overdue or windowed not in at_risk:
            raise NotYet(f"overdue has it: {rotating in overdue}; at risk: {windowed in at_risk}")

    until_shown(found, bound=CHANGE_BOUND_SECONDS, what="overdue rotation and budget at risk")
    facets = client.get("/api/keys/facets", search=world.prefix).json()
    assert facets["rotation_overdue"] >= 1
    assert facets["budget_at_risk"] >= 1


def test_the_usage_drawer_shows_litellms_daily_activity(
    world: World, admin: Admin, keydash: KeydashPair
) -> None:
    _, client = keydash
    token = world.by_name("windowed").token

    def theirs_recorded() -> dict[str, Any]:
        today = datetime.now(UTC).date()
        response = admin.http.get(
            "/user/daily/activity",
            params={
                "api_key": token,
                "start_date": (today - timedelta(days=29)).isoformat(),
                "end_date": today.isoformat(),
            },
        )
        assert response.status_code == 200, response.text[:300]
        body: dict[str, Any] = response.json()
        if not body["results"]:
            raise NotYet("LiteLLM has not written the daily activity yet")
        return body

    theirs = eventually(theirs_recorded, bound=60, what="LiteLLM's daily activity", every=2)
    response = client.get(f"/api/keys/{token}/usage")
    assert response.status_code == 200, response.text[:300]
    mine = response.json()
    assert mine["available"] is True
    assert len(mine["days"]) == 30
    totals = theirs["metadata"]
    assert mine["totals"]["requests"] == totals["total_api_requests"] >= 1
    assert mine["totals"]["total_tokens"] == totals["total_tokens"]
    assert abs(mine["totals"]["spend"] - totals["total_spend"]) < 1e-9
    by_day = {day["date"]: day for day in mine["days"]}
    for entry in theirs["results"]:
        assert by_day[entry["date"]]["requests"] == entry["metrics"]["api_requests"]
    assert [m["model"] for m in mine["top_models"]] == [MOCK_MODEL]
    missing = client.get(f"/api/keys/{'0' * 64}/usage")
    assert missing.status_code == 404

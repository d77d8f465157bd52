"""Last use, rotation, budget windows and one key's usage, through real HTTP from the fake
LiteLLM: each filter holds exactly the keys its meaning selects, computed here from LiteLLM's
raw records, and the usage drawer reads /user/daily/activity once per key and window.
Fixtures `fake` and `clients`: conftest.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from keydash_fakes.litellm import FakeLiteLLM
from keys_integration_support import all_items, get_json, ids_of
from litellm_support import AppClients

DAY = timedelta(days=1)


def _moment(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _raw(fake: FakeLiteLLM) -> dict[str, dict[str, Any]]:
    return {str(key["token"]): key for key in fake.keys}


def test_every_key_carries_litellms_insight_fields(fake: FakeLiteLLM, clients: AppClients) -> None:
    raw = _raw(fake)
    items = all_items(clients.synced())
    assert len(items) == len(raw)
    for item in items:
        record = raw[item["id"]]
        assert _moment(item["last_used_at"]) == _moment(record.get("last_active"))
        assert _moment(item["next_rotation_at"]) == _moment(record.get("key_rotation_at"))
        assert _moment(item["budget_reset_at"]) == _moment(record.get("budget_reset_at"))
        assert item["auto_rotate"] == bool(record.get("auto_rotate"))
        assert item["rotation_interval"] == record.get("rotation_interval")
        assert item["budget_duration"] == record.get("budget_duration")
        assert (item["created_by"], item["updated_by"]) == (
            record.get("created_by"),
            record.get("updated_by"),
        )
    states = {item["last_use"] for item in items}
    assert states == {"used", "never", "unknown"}, "the fake has all three"


def test_each_insight_filter_selects_what_it_means(fake: FakeLiteLLM, clients: AppClients) -> None:
    client = clients.synced()
    raw = _raw(fake)
    now = _moment(get_json(client)["fetched_at"])
    assert now is not None
    since = min(m for r in raw.values() if (m := _moment(r.get("last_active"))) is not None)

    def never(record: dict[str, Any]) -> bool:
        created = _moment(record.get("created_at"))
        return not record.get("last_active") and created is not None and created >= since

    def overdue(record: dict[str, Any]) -> bool:
        due = _moment(record.get("key_rotation_at"))
        return bool(record.get("auto_rotate")) and due is not None and due <= now

    def idle_for(days: int) -> Any:
        def idle(record: dict[str, Any]) -> bool:
            last = _moment(record.get("last_active")) or (
                _moment(record.get("created_at")) if never(record) else None
            )
            return last is not None and last <= now - days * DAY

        return idle

    expectations = {
        "never_used": never,
        "rotation_overdue": overdue,
        "unused_for_days": idle_for(90),
    }
    facets = get_json(client, "/api/keys/facets")
    for name, means in expectations.items():
        value: Any = 90 if name == "unused_for_days" else True
        expected = {token for token, record in raw.items() if means(record)}
        assert expected, f"the fake has keys for {name}"
        assert set(ids_of(all_items(client, **{name: value}))) == expected, name
    assert facets["never_used"] == len({t for t, r in raw.items() if never(r)})
    assert facets["rotation_overdue"] == len({t for t, r in raw.items() if overdue(r)})
    ninety = next(c["count"] for c in facets["unused_for_days"] if c["days"] == 90)
    assert ninety == len({t for t, r in raw.items() if idle_for(90)(r)})
    assert facets["zombie"] == len(all_items(client, zombie=True)) > 0


def test_last_used_sorts_newest_first_with_unknown_last(clients: AppClients) -> None:
    items = all_items(clients.synced(), sort_by="last_used_at", sort_order="desc")
    stamps = [item["last_used_at"] for item in items]
    dated = [s for s in stamps if s is not None]
    assert stamps[: len(dated)] == sorted(dated, reverse=True)
    assert all(s is None for s in stamps[len(dated) :])


def test_a_keys_usage_is_read_once_per_window(fake: FakeLiteLLM, clients: AppClients) -> None:
    client = clients.synced()
    today = datetime.now(UTC).date()
    used = next(
        k
        for k in fake.keys
        if (last := _moment(k.get("last_active"))) and last.date() >= today - 10 * DAY
    )
    fake.reset_stats()
    path = f"/api/keys/{used['token']}/usage"
    body = get_json(client, path)
    again = get_json(client, path)
    assert fake.daily_activity_calls == 1, "the second drawer open was answered from memory"
    assert body == again
    assert body["available"] is True
    assert len(body["days"]) == 30
    assert body["days"][-1]["date"] == today.isoformat()
    assert body["totals"]["requests"] == sum(day["requests"] for day in body["days"]) > 0
    assert body["top_models"]
    assert "#37144" in body["note"]


def test_usage_errors_are_clear(fake: FakeLiteLLM, clients: AppClients) -> None:
    client = clients.synced()
    missing = client.get(f"/api/keys/{'f' * 64}/usage")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "key_not_found"
    assert client.get(f"/api/keys/{fake.keys[0]['token']}/usage?days=0").status_code == 422
    fake.faults.no_daily_activity = True
    token = str(fake.keys[1]["token"])
    body = get_json(client, f"/api/keys/{token}/usage")
    assert body["available"] is False
    assert "no per-key daily activity" in body["unavailable_reason"]

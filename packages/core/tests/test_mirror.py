from dataclasses import replace
from datetime import UTC, datetime, timedelta

from keydash_core.keys import KeyStatus
from keydash_core.mirror import KeyMirror
from keyfactory import make_key

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_a_snapshot_is_reused_until_something_changes() -> None:
    key = make_key(alias="a")
    mirror = KeyMirror([key])
    first = mirror.snapshot(NOW)
    assert mirror.put(key) is False
    assert mirror.snapshot(NOW + timedelta(minutes=1)) is first
    assert mirror.put(replace(key, alias="b")) is True
    second = mirror.snapshot(NOW)
    assert second is not first
    assert [k.alias for k in second.keys] == ["b"]


def test_removing_a_key_changes_the_snapshot_and_unknown_ids_do_nothing() -> None:
    keys = [make_key(), make_key()]
    mirror = KeyMirror(keys)
    first = mirror.snapshot(NOW)
    assert mirror.remove("nope") is False
    assert mirror.snapshot(NOW) is first
    assert mirror.remove(keys[0].id) is True
    assert [k.id for k in mirror.snapshot(NOW).keys] == [keys[1].id]
    assert keys[0].id not in mirror
    assert len(mirror) == 1


def test_keys_turn_expired_when_their_time_comes_without_any_write() -> None:
    soon = make_key(expires_at=NOW + timedelta(minutes=5))
    later = make_key(expires_at=NOW + timedelta(days=5))
    blocked = make_key(expires_at=NOW + timedelta(minutes=1), status=KeyStatus.BLOCKED)
    mirror = KeyMirror([soon, later, blocked])
    assert mirror.expire(NOW) == 0
    before = mirror.snapshot(NOW)
    assert mirror.expire(NOW + timedelta(minutes=10)) == 1
    statuses = {k.id: k.status for k in mirror.snapshot(NOW + timedelta(minutes=10)).keys}
    assert statuses == {
        soon.id: KeyStatus.EXPIRED,
        later.id: KeyStatus.ACTIVE,
        blocked.id: KeyStatus.BLOCKED,  # blocked wins over expired, as LiteLLM's status does
    }
    assert mirror.snapshot(NOW) is not before


def test_a_replaced_expiry_is_not_expired_by_the_old_one() -> None:
    key = make_key(expires_at=NOW + timedelta(minutes=5))
    mirror = KeyMirror([key])
    mirror.put(replace(key, expires_at=NOW + timedelta(days=30)))
    assert mirror.expire(NOW + timedelta(hours=1)) == 0
    assert mirror.get(key.id) is not None
    assert mirror.get(key.id).status is KeyStatus.ACTIVE  # type: ignore[union-attr]

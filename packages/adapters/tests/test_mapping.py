from datetime import UTC, datetime
from typing import Any

import pytest
from fixture_data import sample
from keydash_adapters.litellm.mapping import mask_key_name, to_api_key
from keydash_core.keys import ApiKey, KeyStatus

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _by_alias(name: str) -> dict[str | None, ApiKey]:
    keys = [to_api_key(record, now=NOW) for record in sample(name)["keys"]]
    return {key.alias: key for key in keys}


def test_observed_litellm_page_maps_every_column() -> None:
    keys = _by_alias("key-list-observed-1.106.json")
    prod = keys["prod-backend"]
    assert prod.id == "a45ed03745d20fef79b0566b307b64e302296ddba4ed5105e992ab994faefc67"
    assert prod.masked_key == "sk-****bc1d"
    # The expanded user wins over metadata.owner.
    assert prod.owner == "Alice Martin"
    assert prod.owner_email == "alice@example.com"
    assert prod.owner_id == "alice@example.com"
    assert prod.team_id == "6f1c2d4e-team-platform"
    assert prod.allowed_models == ("gpt-4o", "claude-sonnet-4-5")
    assert prod.tags == ("prod", "backend")
    assert prod.created_at == datetime(2026, 10, 2, 14, 5, 11, 482000, tzinfo=UTC)
    assert prod.expires_at == datetime(2027, 1, 31, tzinfo=UTC)
    assert (prod.spend, prod.max_budget, prod.status) == (42.1875, 100.0, KeyStatus.ACTIVE)
    assert not prod.partial


def test_observed_page_statuses_and_owners() -> None:
    keys = _by_alias("key-list-observed-1.106.json")
    bob = keys["bob-notebook"]
    assert bob.status is KeyStatus.BLOCKED  # blocked and expired: blocked wins
    assert bob.owner == "bob@example.com"  # user row without alias -> email
    assert keys["ci-pipeline"].owner is None
    bare = keys[None]
    assert (bare.allowed_models, bare.tags, bare.description) == ((), (), None)
    assert bare.status is KeyStatus.ACTIVE


def test_awkward_records_are_read_as_far_as_they_go() -> None:
    keys = _by_alias("key-list-expand-user.json")
    billing = keys["billing-batch-prod"]
    assert billing.owner == "Dana Whitfield"
    assert billing.description == "Nightly invoice summarisation"
    assert billing.tags == ("prod", "finance", "batch")

    sandbox = keys["research-sandbox"]
    assert sandbox.tags == ("experimental",)  # a lone string is one tag
    assert sandbox.allowed_models == ()  # all models
    assert sandbox.owner == "jmo@example.com"  # no user row: the key's user_id
    assert sandbox.status is KeyStatus.EXPIRED

    support = keys[None]
    assert support.masked_key == "sk-****"  # short key: nothing of the secret to show
    assert support.owner is None
    assert support.status is KeyStatus.BLOCKED

    unicode_key = keys["Ünïcödé — demo key 🔑"]
    assert unicode_key.tags == ("demo", "läbel")  # non-strings dropped
    assert unicode_key.owner == "kai@example.org"  # user row beats metadata.owner
    assert unicode_key.created_at is None
    assert all(not key.partial for key in keys.values())


def test_no_user_row_falls_back_to_metadata_owner_then_user_id() -> None:
    record: dict[str, Any] = {"token": "t1", "metadata": {"username": "svc-bot"}, "user_id": "u-1"}
    assert to_api_key(record, now=NOW).owner == "svc-bot"
    record["metadata"] = {}
    assert to_api_key(record, now=NOW).owner == "u-1"


def test_the_user_rows_password_hash_never_reaches_the_key() -> None:
    record = {"token": "t1", "user": {"user_id": "u", "password": "pbkdf2$secret-hash"}}
    assert "secret-hash" not in repr(to_api_key(record, now=NOW))


def test_wrong_types_keep_the_key_and_name_the_fields() -> None:
    record = {
        "token": "abc",
        "key_name": 42,
        "key_alias": "still-readable",
        "created_at": 12345,
        "expires": "not a date",
        "models": "gpt-4",
        "metadata": ["not", "a", "dict"],
        "spend": "lots",
        "max_budget": True,
        "blocked": "yes",
        "team_id": {"id": 1},
    }
    key = to_api_key(record, now=NOW)
    assert key.alias == "still-readable"
    assert key.partial
    assert set(key.unreadable_fields) == {
        "key_name",
        "created_at",
        "expires",
        "models",
        "metadata",
        "spend",
        "max_budget",
        "blocked",
        "team_id",
    }
    assert (key.masked_key, key.created_at, key.allowed_models, key.spend) == (None, None, (), None)


def test_a_record_without_token_gets_a_stable_stand_in_id() -> None:
    first = to_api_key({"key_alias": "x"}, now=NOW)
    again = to_api_key({"key_alias": "x"}, now=NOW)
    assert first.id == again.id
    assert first.unreadable_fields == ("token",)


def test_naive_timestamps_are_read_as_utc() -> None:
    key = to_api_key({"token": "t", "created_at": "2026-01-02T03:04:05"}, now=NOW)
    assert key.created_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("key_name", "masked"),
    [
        ("sk-...abcd", "sk-****abcd"),
        ("sk-...", "sk-****"),
        ("sk-...abcdefgh", "sk-****efgh"),
        ("sk-rawsecretvalue1234", "sk-****1234"),
        ("nodash", "****dash"),
    ],
)
def test_masking_never_shows_more_than_four_characters(key_name: str, masked: str) -> None:
    assert mask_key_name(key_name) == masked


def test_last_use_rotation_and_budget_window_are_read() -> None:
    # As LiteLLM 1.108.7 answered for a key made with budget_duration and auto_rotate 30d.
    record = {
        "token": "b" * 64,
        "created_at": "2026-11-30T17:11:03.374000Z",
        "created_by": "default_user_id",
        "updated_by": "admin-user",
        "last_active": "2026-11-30T17:11:15.076000Z",
        "auto_rotate": True,
        "rotation_interval": "30d",
        "rotation_count": 2,
        "last_rotation_at": "2026-10-31T17:11:03.310000Z",
        "key_rotation_at": "2026-12-30T17:11:03.310000Z",
        "budget_duration": "30d",
        "budget_reset_at": "2026-12-01T00:00:00Z",
    }
    key = to_api_key(record, now=NOW)
    assert key.last_used_at == datetime(2026, 11, 30, 17, 11, 15, 76000, tzinfo=UTC)
    assert (key.created_by, key.updated_by) == ("default_user_id", "admin-user")
    assert (key.auto_rotate, key.rotation_interval, key.rotation_count) == (True, "30d", 2)
    assert key.last_rotated_at == datetime(2026, 10, 31, 17, 11, 3, 310000, tzinfo=UTC)
    assert key.next_rotation_at == datetime(2026, 12, 30, 17, 11, 3, 310000, tzinfo=UTC)
    assert key.budget_duration == "30d"
    assert key.budget_reset_at == datetime(2026, 12, 1, tzinfo=UTC)
    assert not key.partial


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("last_active", 17),
        ("auto_rotate", "yes"),
        ("rotation_count", -1),
        ("rotation_count", 1.5),
        ("key_rotation_at", "soon"),
        ("budget_duration", 30),
    ],
)
def test_a_wrong_insight_field_is_named_and_the_key_kept(field: str, value: Any) -> None:
    key = to_api_key({"token": "c" * 64, "key_alias": "kept", field: value}, now=NOW)
    assert key.alias == "kept"
    assert key.unreadable_fields == (field,)

"""Generated `updated_at`: always there, never before creation or last use, often recent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from keydash_fakes.litellm import generate_keys
from keydash_fakes.litellm.timestamps import parse

NOW = datetime(2026, 11, 23, tzinfo=UTC)


def test_updated_at_is_realistic() -> None:
    keys = generate_keys(400, seed=7, now=NOW)
    for key in keys:
        updated = parse(key["updated_at"])
        assert updated is not None, "every live key has updated_at"
        assert key["updated_at"].endswith("000Z"), "milliseconds"
        assert "." in key["updated_at"], "milliseconds"
        for earlier in (parse(key["created_at"]), parse(key["last_active"])):
            assert earlier is None or updated >= earlier
    recent = [k for k in keys if parse(k["updated_at"]) >= NOW - timedelta(days=3)]  # type: ignore[operator]
    assert len(keys) / 5 < len(recent) < len(keys) / 2


def test_updated_at_is_deterministic_and_leaves_other_fields_alone() -> None:
    first, second = generate_keys(60, seed=2, now=NOW), generate_keys(60, seed=2, now=NOW)
    assert [k["updated_at"] for k in first] == [k["updated_at"] for k in second]
    other = generate_keys(60, seed=3, now=NOW)
    assert [k["updated_at"] for k in first] != [k["updated_at"] for k in other]

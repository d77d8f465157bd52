"""The generator: deterministic, in LiteLLM's exact shape, and awkward in every way that matters."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from keydash_fakes.litellm import generate_keys
from keydash_fakes.litellm.records import KEY_TEMPLATE, USER_TEMPLATE

NOW = datetime(2026, 11, 23, tzinfo=UTC)
RTL = re.compile(r"[\u0590-\u05ff\u0600-\u06ff]")
EMOJI = re.compile(r"[\U0001f300-\U0001faff]")


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def many() -> list[dict[str, Any]]:
    return generate_keys(300, seed=7, now=NOW)


def test_same_seed_and_now_give_the_same_keys() -> None:
    assert generate_keys(120, seed=3, now=NOW) == generate_keys(120, seed=3, now=NOW)


def test_default_now_is_stable_within_a_day() -> None:
    assert generate_keys(30) == generate_keys(30)


def test_another_seed_gives_other_keys() -> None:
    first = {key["token"] for key in generate_keys(50, seed=1, now=NOW)}
    second = {key["token"] for key in generate_keys(50, seed=2, now=NOW)}
    assert not first & second


def test_count_is_honoured_and_negative_refused() -> None:
    assert generate_keys(0) == []
    assert len(generate_keys(13, now=NOW)) == 13
    with pytest.raises(ValueError, match="count"):
        generate_keys(-1)


def test_records_have_exactly_litellms_fields_in_its_order(many: list[dict[str, Any]]) -> None:
    for key in many:
        assert list(key) == list(KEY_TEMPLATE)
        if key["user"] is not None:
            assert list(key["user"]) == list(USER_TEMPLATE)
        if key["created_by_user"] is not None:
            assert set(key["created_by_user"]) == {"user_id", "user_email", "user_alias"}


def test_tokens_are_unique_sha256_hex_and_key_names_abbreviate(many: list[dict[str, Any]]) -> None:
    tokens = [key["token"] for key in many]
    assert len(set(tokens)) == len(tokens)
    assert all(re.fullmatch(r"[0-9a-f]{64}", token) for token in tokens)
    names = [key["key_name"] for key in many]
    assert all(
        name is None or re.fullmatch(r"sk-\.\.\.([A-Za-z0-9_-]{4})?", name) for name in names
    )


def test_keys_come_in_litellms_default_order(many: list[dict[str, Any]]) -> None:
    dated = [k for k in many if k["created_at"] is not None]
    assert many[len(many) - len(dated) :] == dated, "keys without created_at come first"
    pairs = [(_time(k["created_at"]), k["token"]) for k in dated]
    assert pairs == sorted(pairs, reverse=True)


def test_user_rows_carry_the_password_column(many: list[dict[str, Any]]) -> None:
    rows = [key["user"] for key in many if key["user"] is not None]
    hashes = {row["password"] for row in rows if row["password"]}
    assert hashes, "some users have a password hash, as real LiteLLM user rows do"
    assert any(row["password"] is None for row in rows)


def test_user_rows_are_not_shared_between_keys(many: list[dict[str, Any]]) -> None:
    rows = [key["user"] for key in many if key["user"] is not None]
    assert len({id(row) for row in rows}) == len(rows)


def test_user_spend_totals_their_keys(many: list[dict[str, Any]]) -> None:
    totals: dict[str, float] = {}
    for key in many:
        if key["user"] is not None:
            totals[key["user_id"]] = totals.get(key["user_id"], 0.0) + key["spend"]
    for key in many:
        if key["user"] is not None:
            assert key["user"]["spend"] == pytest.approx(totals[key["user_id"]], abs=1e-3)


def _variety(keys: list[dict[str, Any]]) -> dict[str, bool]:
    texts = [str(k["key_alias"]) + str(k["metadata"].get("description")) for k in keys]
    tags = [k["metadata"].get("tags") for k in keys]
    stamps = [k["created_at"] for k in keys if k["created_at"] is not None]
    return {
        "empty models": any(k["models"] == [] for k in keys),
        "all-team-models": any("all-team-models" in k["models"] for k in keys),
        "all-proxy-models": any("all-proxy-models" in k["models"] for k in keys),
        "6+ models": any(len(k["models"]) >= 6 for k in keys),
        "expired": any(k["expires"] and _time(k["expires"]) < NOW for k in keys),
        "future expiry": any(k["expires"] and _time(k["expires"]) > NOW for k in keys),
        "no expiry": any(k["expires"] is None for k in keys),
        "blocked": any(k["blocked"] is True for k in keys),
        "blocked false": any(k["blocked"] is False for k in keys),
        "blocked null": any(k["blocked"] is None for k in keys),
        "user row": any(k["user"] is not None for k in keys),
        "user row without alias": any(k["user"] and k["user"]["user_alias"] is None for k in keys),
        "user row with email": any(k["user"] and k["user"]["user_email"] for k in keys),
        "owner without user row": any(k["user_id"] and k["user"] is None for k in keys),
        "null user_id": any(k["user_id"] is None for k in keys),
        "metadata owner, no row": any(
            k["user"] is None and ({"owner", "username"} & set(k["metadata"])) for k in keys
        ),
        "no alias": any(k["key_alias"] is None for k in keys),
        "empty metadata": any(k["metadata"] == {} for k in keys),
        "description": any(k["metadata"].get("description") for k in keys),
        "tags list": any(isinstance(t, list) and t for t in tags),
        "tags string": any(isinstance(t, str) for t in tags),
        "tags with number or null": any(
            isinstance(t, list) and any(x is None or isinstance(x, int) for x in t) for t in tags
        ),
        "non-ascii text": any(not t.isascii() for t in texts),
        "right-to-left text": any(RTL.search(t) for t in texts),
        "emoji": any(EMOJI.search(t) for t in texts),
        "null created_at": any(k["created_at"] is None for k in keys),
        "shared created_at": len(set(stamps)) < len(stamps),
        "short key_name": any(k["key_name"] == "sk-..." for k in keys),
        "null key_name": any(k["key_name"] is None for k in keys),
        "password hash": any(k["user"] and k["user"]["password"] for k in keys),
        "team": any(k["team_id"] for k in keys),
        "spend": any(k["spend"] > 0 for k in keys),
        "max_budget": any(k["max_budget"] is not None for k in keys),
        "over budget": any(k["max_budget"] and k["spend"] > k["max_budget"] for k in keys),
        "creator known": any(k["created_by_user"] is not None for k in keys),
        "creator unknown": any(k["created_by"] and k["created_by_user"] is None for k in keys),
        "budget table": any(k["litellm_budget_table"] is not None for k in keys),
    }


@pytest.mark.parametrize("seed", [1, 7, 11, 2026])
def test_a_small_set_is_already_awkward_in_every_way(seed: int) -> None:
    # Small fixtures in other tests must still meet every awkward case.
    few = generate_keys(40, seed=seed, now=NOW)
    missing = [name for name, present in _variety(few).items() if not present]
    assert missing == []


def test_a_large_set_is_awkward_in_every_way(many: list[dict[str, Any]]) -> None:
    missing = [name for name, present in _variety(many).items() if not present]
    assert missing == []


def test_proportions_look_like_a_real_proxy(many: list[dict[str, Any]]) -> None:
    described = sum(1 for k in many if k["metadata"].get("description"))
    assert described > len(many) / 2, "most keys have a description"
    assert sum(1 for k in many if k["blocked"] is True) < len(many) / 5
    assert sum(1 for k in many if k["created_at"] is None) < len(many) / 20


def test_created_at_spreads_over_about_two_years(many: list[dict[str, Any]]) -> None:
    stamps = [_time(k["created_at"]) for k in many if k["created_at"]]
    assert max(stamps) < NOW
    assert max(stamps) - min(stamps) > timedelta(days=500)
    assert min(stamps) >= NOW - timedelta(days=731)


def test_aliases_are_unique(many: list[dict[str, Any]]) -> None:
    aliases = [k["key_alias"] for k in many if k["key_alias"] is not None]
    assert len(set(aliases)) == len(aliases)

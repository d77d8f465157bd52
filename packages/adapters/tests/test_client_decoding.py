"""A page is decoded to the fields the mapping reads, and maps to the keys a full parse gives.

The reference is the plain path: `json.loads` of the whole body, every record mapped as it is.
"""

from __future__ import annotations

import copy
import json
import random
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fixture_data import FIXTURES
from keydash_adapters.litellm import client
from keydash_adapters.litellm.key_list import KeyListPage
from keydash_adapters.litellm.mapping import (
    RecordFields,
    UserFields,
    to_api_key,
    unreadable_record,
)
from keydash_core.errors import UpstreamBadResponse
from keydash_fakes.litellm.generator import generate_keys
from keydash_fakes.litellm.shaping import wire_key

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def _keys(page: KeyListPage) -> list[Any]:
    mapped = [
        to_api_key(record, now=NOW, position=i)
        if isinstance(record, dict)
        else unreadable_record(record, position=i)
        for i, record in enumerate(page.records)
    ]
    return [*mapped, page.total_count, page.total_pages]


def _decoded(body: bytes, monkeypatch: pytest.MonkeyPatch, *, projected: bool) -> Any:
    """What the client makes of `body`: mapped keys and totals, or the error it raises."""
    with monkeypatch.context() as patch:
        if not projected:
            patch.setattr(client, "_decode_projected", lambda content: None)
        try:
            return _keys(client._parse_body(httpx.Response(200, content=body), 100))
        except UpstreamBadResponse as error:
            return ("error", str(error))


def assert_same_as_a_full_parse(body: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    assert repr(_decoded(body, monkeypatch, projected=True)) == repr(
        _decoded(body, monkeypatch, projected=False)
    )


def _page(records: list[Any], **extra: Any) -> bytes:
    body = {"keys": records, "total_count": len(records), "total_pages": 1, **extra}
    return json.dumps(body, ensure_ascii=False, allow_nan=True).encode()


def _generated(count: int, seed: int) -> list[dict[str, Any]]:
    return [wire_key(r, expand_user=True, legacy=False) for r in generate_keys(count, seed=seed)]


@pytest.mark.parametrize(
    "name",
    ["key-list-observed-1.106.json", "key-list-expand-user.json", "key-list-bare-tokens.json"],
)
def test_litellm_sample_pages_map_the_same(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_same_as_a_full_parse((FIXTURES / name).read_bytes(), monkeypatch)


def test_generated_pages_map_the_same_and_take_the_fast_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = _page(_generated(300, seed=11))
    assert client._decode_projected(body) is not None
    assert_same_as_a_full_parse(body, monkeypatch)


_WEIRD: list[Any] = [
    None,
    0,
    -7,
    1.5,
    True,
    "",
    "  ",
    " x ",
    "2026-01-01",
    "2026-01-01T00:00:00",
    "not a date",
    [],
    ["gpt-4o", 1, " b ", "", "gpt-4o"],
    {},
    {"tags": "solo"},
    {"tags": ["a", None, " a ", 3]},
    123456789012345678901234567890,
    "\u00fc\U0001f600",
]
_FIELDS = [
    "token",
    "key_name",
    "key_alias",
    "user_id",
    "team_id",
    "metadata",
    "user",
    "created_at",
    "expires",
    "models",
    "spend",
    "max_budget",
    "blocked",
]


def test_records_with_fields_of_every_wrong_type_map_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rnd = random.Random(5)

    def weird() -> Any:
        return copy.deepcopy(rnd.choice(_WEIRD))

    records = _generated(60, seed=3)
    for _ in range(8):
        mutated = copy.deepcopy(records)
        for record in mutated:
            # A bad token or a `user` that is no object sends the page to json.loads (below);
            # everything else must map the same on the fast path.
            for name in rnd.sample(_FIELDS[1:6] + _FIELDS[7:], 4):
                record[name] = weird()
            if rnd.random() < 0.2:
                record["user"] = rnd.choice([None, {}, {"user_id": 5}])
            if isinstance(record.get("metadata"), dict):
                record["metadata"]["tags"] = weird()
                record["metadata"]["owner"] = weird()
            if isinstance(record.get("user"), dict):
                record["user"]["user_alias"] = weird()
                record["user"]["user_email"] = weird()
        body = _page(mutated)
        assert client._decode_projected(body) is not None
        assert_same_as_a_full_parse(body, monkeypatch)


# Bodies msgspec refuses, reads differently or must not judge alone: each goes to json.loads.
_RECORD = '{"token": "t1", "key_name": "sk-...abcd"'
AWKWARD_BODIES = {
    "NaN": b'{"keys": [' + _RECORD.encode() + b', "spend": NaN}]}',
    "Infinity": b'{"keys": [' + _RECORD.encode() + b', "max_budget": -Infinity}]}',
    "overflowing float": b'{"keys": [' + _RECORD.encode() + b', "spend": 1e400}]}',
    "NaN in a skipped field": b'{"keys": [' + _RECORD.encode() + b', "tpm_limit": NaN}]}',
    "huge integers": b'{"keys": ['
    + _RECORD.encode()
    + b', "spend": 123456789012345678901234567890,'
    b' "metadata": {"n": -99999999999999999999}}], "total_count": 18446744073709551616}',
    "byte order mark": b'\xef\xbb\xbf{"keys": [' + _RECORD.encode() + b"}]}",
    "lone surrogate": b'{"keys": [' + _RECORD.encode() + b', "key_alias": "\\ud800"}]}',
    "lone surrogate, skipped": b'{"keys": [' + _RECORD.encode() + b', "x": "\\udfff"}]}',
    "surrogate pair": b'{"keys": [' + _RECORD.encode() + b', "key_alias": "\\ud83d\\ude00"}]}',
    "invalid UTF-8, skipped": b'{"keys": [' + _RECORD.encode() + b', "x": "\xff\xfe"}]}',
    "invalid UTF-8": b'{"keys": [' + _RECORD.encode() + b', "key_alias": "\xc3"}]}',
    "encoded surrogate, skipped": b'{"keys": [' + _RECORD.encode() + b', "x": "\xed\xa0\x80"}]}',
    "duplicate names": b'{"keys": [{"token": "a", "token": "b", "user": {"user_alias": "x",'
    b' "user_alias": "y"}, "user": {"user_email": "e"}}], "keys": [{"token": "c"}]}',
    "no token": b'{"keys": [{"key_name": "sk-...aaaa", "spend": 1}, ' + _RECORD.encode() + b"}]}",
    "empty token": b'{"keys": [{"token": "", "key_alias": "x"}]}',
    "a number for a token": b'{"keys": [{"token": 7}]}',
    "user is a string": b'{"keys": [' + _RECORD.encode() + b', "user": "u-1"}]}',
    "user is a list": b'{"keys": [' + _RECORD.encode() + b', "user": []}]}',
    "bare tokens": b'{"keys": ["88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6"]}',
    "a record that is a number": b'{"keys": [' + _RECORD.encode() + b"}, 5, null]}",
    "keys is null": b'{"keys": null}',
    "keys is missing": b'{"total_count": 3}',
    "a list, not an object": b"[]",
    "not JSON": b"<html>502 Bad Gateway</html>",
    "trailing garbage": b'{"keys": []} x',
    "empty body": b"",
    "control character in a string": b'{"keys": [{"token": "a\x01b"}]}',
    "deep nesting, skipped": b'{"keys": [{"token": "t", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}]}",
    "totals of the wrong type": b'{"keys": [], "total_count": true, "total_pages": "3"}',
    "whitespace around": b' \n\t{"keys": [] } \r\n',
}


@pytest.mark.parametrize("body", AWKWARD_BODIES.values(), ids=AWKWARD_BODIES.keys())
def test_awkward_bodies_map_as_a_full_parse_maps_them(
    body: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert_same_as_a_full_parse(body, monkeypatch)


@pytest.mark.parametrize(
    "name",
    [
        "huge integers",
        "surrogate pair",
        "encoded surrogate, skipped",
        "duplicate names",
        "totals of the wrong type",
        "whitespace around",
    ],
)
def test_bodies_msgspec_reads_like_json_stay_on_the_fast_path(name: str) -> None:
    assert client._decode_projected(AWKWARD_BODIES[name]) is not None


def test_refused_bodies_are_bad_responses_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("invalid UTF-8, skipped", "not JSON", "empty body", "keys is null"):
        result = _decoded(AWKWARD_BODIES[name], monkeypatch, projected=True)
        assert result[0] == "error", name


def test_the_mapping_reads_no_field_the_projection_leaves_out() -> None:
    read: set[str] = set()
    user_read: set[str] = set()

    class Spy(dict[str, Any]):
        def __init__(self, data: dict[str, Any], seen: set[str]) -> None:
            super().__init__(data)
            self.seen = seen

        def get(self, key: str, default: Any = None) -> Any:
            self.seen.add(key)
            return super().get(key, default)

        def __getitem__(self, key: str) -> Any:
            self.seen.add(key)
            return super().__getitem__(key)

    samples = _generated(40, seed=9)
    samples += json.loads((FIXTURES / "key-list-expand-user.json").read_bytes())["keys"]
    for record in samples:
        if not isinstance(record, dict) or not record.get("token"):
            continue
        spied = Spy(record, read)
        if isinstance(record.get("user"), dict):
            dict.__setitem__(spied, "user", Spy(record["user"], user_read))
        to_api_key(spied, now=NOW)
    assert read, "the spy saw nothing"
    assert read <= set(RecordFields.__struct_fields__), read - set(RecordFields.__struct_fields__)
    assert user_read <= set(UserFields.__struct_fields__), user_read

"""Page bodies are decoded by orjson, and read exactly as the standard library reads them."""

from __future__ import annotations

import json
import math
from typing import Any

import orjson
import pytest
from fixture_data import FIXTURES
from keydash_adapters.litellm import client

# Bodies orjson alone would refuse or read differently from the standard library.
AWKWARD_BODIES = {
    "integer past 64 bits": b'{"keys": [], "total_count": 123456789012345678901234567890}',
    "negative past 64 bits": b'{"keys": [{"spend": -9223372036854775809}]}',
    "huge integer after spaces": b'{"keys": [ \n\t 18446744073709551616 ]}',
    "huge integer after a comma": b'{"keys": [1,99999999999999999999]}',
    "NaN": b'{"keys": [], "n": NaN}',
    "Infinity": b'{"keys": [{"spend": -Infinity}]}',
    "overflowing float": b'{"keys": [{"spend": 1e400}]}',
    "byte order mark": b'\xef\xbb\xbf{"keys": []}',
    "lone surrogate": b'{"keys": ["\\ud800"]}',
    "duplicate names": b'{"keys": [], "keys": [1]}',
}


def _same(left: Any, right: Any) -> bool:
    # NaN is never equal to itself; compare the text, which also tells int 1 from float 1.0.
    return json.dumps(left, sort_keys=True) == json.dumps(right, sort_keys=True)


def test_orjson_is_the_fast_parser() -> None:
    assert client._fast_loads is orjson.loads


@pytest.mark.parametrize("body", AWKWARD_BODIES.values(), ids=AWKWARD_BODIES.keys())
def test_awkward_bodies_read_as_the_standard_library_reads_them(body: bytes) -> None:
    assert _same(client._decode(body), json.loads(body))


def test_integers_keep_their_type_and_value() -> None:
    body = client._decode(AWKWARD_BODIES["integer past 64 bits"])
    assert body["total_count"] == 123456789012345678901234567890
    assert isinstance(body["total_count"], int)
    assert math.isinf(client._decode(AWKWARD_BODIES["overflowing float"])["keys"][0]["spend"])


@pytest.mark.parametrize(
    "name",
    ["key-list-observed-1.106.json", "key-list-expand-user.json", "key-list-bare-tokens.json"],
)
def test_litellm_sample_pages_read_the_same(name: str) -> None:
    raw = (FIXTURES / name).read_bytes()
    assert _same(client._decode(raw), json.loads(raw))


def test_digit_runs_inside_strings_keep_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    # A hex token or a long id has digit runs, and so has a float's fraction: no huge integer.
    body = (
        b'{"keys": [{"token": "ab12345678901234567890123cd", "user_id": "1234567890123456789012",'
        b' "spend": 0.12345678901234567890123}]}'
    )
    seen: list[bytes] = []

    def fast(content: bytes) -> Any:
        seen.append(content)
        return orjson.loads(content)

    monkeypatch.setattr(client, "_fast_loads", fast)
    assert _same(client._decode(body), json.loads(body))
    assert seen == [body]


@pytest.mark.parametrize(
    ("body", "huge"),
    [
        (b"12345678901234567890", True),
        (b'{"a":-12345678901234567890}', True),
        (b'{"a": [0, \n -12345678901234567890]}', True),
        (b'{"a": "x:12345678901234567890"}', True),  # unclear from a look-back: the slow path
        (b'{"a": "x12345678901234567890"}', False),
        (b'{"a": 1234567890123456789.5}', True),
        (b'{"a": 0.12345678901234567890}', False),
        (b'{"a": 123456789012345678}', False),
        (b'{"a":' + b" " * 40 + b"12345678901234567890}", True),
        (b'{"a": "' + b"7" * 1000 + b'"}', False),
        (b'{"a": "' + b"7" * 1000 + b'", "b": 12345678901234567890}', True),
    ],
)
def test_what_counts_as_a_possible_huge_integer(body: bytes, huge: bool) -> None:
    assert client._may_hold_a_huge_integer(body) is huge


def test_the_standard_parser_without_a_fast_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client, "_fast_loads", None)
    assert client._decode(b'{"keys": [], "n": NaN}')["keys"] == []


def test_the_fast_parser_answers_plain_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bytes] = []

    def fast(content: bytes) -> Any:
        seen.append(content)
        return json.loads(content)

    monkeypatch.setattr(client, "_fast_loads", fast)
    assert client._decode(b'{"keys": [1]}') == {"keys": [1]}
    assert seen == [b'{"keys": [1]}']


def test_what_the_fast_parser_refuses_the_standard_one_judges(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def strict(content: bytes) -> Any:
        raise ValueError("refused")

    monkeypatch.setattr(client, "_fast_loads", strict)
    assert client._decode(b'{"n": NaN}')["n"] != 0
    with pytest.raises(ValueError, match="Expecting value"):
        client._decode(b"<html>502</html>")


def test_deep_nesting_is_refused_not_a_crash() -> None:
    # orjson refuses it; the standard parser then runs out of recursion, which _parse_body
    # turns into a bad response (tests/reliability checks that end to end).
    with pytest.raises((ValueError, RecursionError)):
        client._decode(b"[" * 100_000 + b"]" * 100_000)

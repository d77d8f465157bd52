"""Page bodies are decoded by orjson when it is installed, by the standard library otherwise."""

from __future__ import annotations

import json
from typing import Any

import pytest
from keydash_adapters.litellm import client


def test_the_standard_parser_without_a_fast_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(client, "_fast_loads", None)
    assert client._decode(b'{"keys": [], "n": NaN}')["keys"] == []


def test_the_fast_parser_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
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
        raise ValueError("orjson refuses NaN and integers past 64 bits")

    monkeypatch.setattr(client, "_fast_loads", strict)
    assert client._decode(b'{"big": 123456789012345678901234567890}')["big"] > 2**64
    with pytest.raises(ValueError, match="Expecting value"):
        client._decode(b"<html>502</html>")

"""LiteLLM `/key/list` record -> ApiKey. The only place that knows LiteLLM's key JSON.

LiteLLM's records are loosely typed (metadata is free-form, older versions differ), so every field
is read defensively: a field of the wrong type is left empty and named in `unreadable_fields`,
and the rest of the key is kept.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from datetime import UTC, datetime
from sys import intern
from typing import Any

import msgspec
from keydash_core.keys import ApiKey, derive_status

_MASK = "****"
_OWNER_METADATA_FIELDS = ("owner", "username", "user")


class UserFields(msgspec.Struct):
    """The fields of the expanded `user` row that `to_api_key` reads (never the password hash)."""

    user_alias: Any = None
    user_email: Any = None
    user_id: Any = None


class RecordFields(msgspec.Struct):
    """Every field of a `/key/list` record that `to_api_key` reads, and nothing else.

    A full read decodes each record into this (client.py), skipping the other ~60 columns and
    most of the user row without building them. A test checks that the mapping reads no field
    missing here; add one here when the mapping starts reading it.
    """

    token: Any = None
    key_name: Any = None
    key_alias: Any = None
    user_id: Any = None
    team_id: Any = None
    metadata: Any = None
    user: UserFields | None = None
    created_at: Any = None
    updated_at: Any = None
    # Only archive rows (status=deleted) carry it: proof that LiteLLM honoured the filter.
    deleted_at: Any = None
    expires: Any = None
    models: Any = None
    spend: Any = None
    max_budget: Any = None
    blocked: Any = None


def record_dict(fields: RecordFields) -> dict[str, Any]:
    """The record as `to_api_key` takes it: a field LiteLLM left out reads as null either way."""
    record = msgspec.structs.asdict(fields)
    if fields.user is not None:
        record["user"] = msgspec.structs.asdict(fields.user)
    return record


class _Reader:
    """Reads typed values from one record and remembers which fields did not fit."""

    def __init__(self, record: Mapping[str, Any]) -> None:
        self.record = record
        self.unreadable: list[str] = []

    def text(self, source: Mapping[str, Any], name: str, *, label: str | None = None) -> str | None:
        value = source.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            return value.strip() or None
        self.unreadable.append(label or name)
        return None

    def number(self, name: str) -> float | None:
        value = self.record.get(name)
        if value is None:
            return None
        # NaN and Infinity parse as JSON numbers in Python but are no amount of money.
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
        self.unreadable.append(name)
        return None

    def moment(self, name: str) -> datetime | None:
        value = self.record.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                # LiteLLM writes UTC; a naive timestamp is UTC without the marker.
                return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed
        self.unreadable.append(name)
        return None

    def flag(self, name: str) -> bool:
        value = self.record.get(name)
        if value is None or isinstance(value, bool):
            return bool(value)
        self.unreadable.append(name)
        return False

    def models(self) -> tuple[str, ...]:
        value = self.record.get("models")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.unreadable.append("models")
            return ()
        names = shared_tuple([intern(item) for item in value if isinstance(item, str) and item])
        if len(names) != len(value):
            self.unreadable.append("models")
        return names

    def mapping(self, name: str) -> Mapping[str, Any]:
        value = self.record.get(name)
        if value is None:
            return {}
        if isinstance(value, dict):
            return value
        self.unreadable.append(name)
        return {}


# Owners, teams, models and tags repeat across thousands of keys; each record decodes its own
# copies. One shared object per distinct value keeps a 500,000-key mirror to a few hundred MB.
_SHARED_TUPLES: dict[tuple[str, ...], tuple[str, ...]] = {}
_MAX_SHARED_TUPLES = 200_000


def shared_tuple(values: list[str]) -> tuple[str, ...]:
    if not values:
        return ()
    found = tuple(values)
    shared = _SHARED_TUPLES.get(found)
    if shared is not None:
        return shared
    if len(_SHARED_TUPLES) >= _MAX_SHARED_TUPLES:
        _SHARED_TUPLES.clear()  # too many distinct lists to be worth sharing; start over
    _SHARED_TUPLES[found] = found
    return found


def _shared_text(value: str | None) -> str | None:
    return intern(value) if value is not None else None


def mask_key_name(key_name: str) -> str:
    """`sk-...abcd` -> `sk-****abcd`; never more than the last 4 characters of the secret."""
    prefix, separator, rest = key_name.partition("-")
    if not separator or len(prefix) > 8:
        prefix, rest = "", key_name
    else:
        prefix += "-"
    return f"{prefix}{_MASK}{rest.lstrip('.')[-4:]}"


def _tags(metadata: Mapping[str, Any], read: _Reader) -> tuple[str, ...]:
    # Tags are a convention, not a schema: a lone string is one tag, non-strings in a list are
    # noise; anything else (a number, an object) is a tag field we could not read.
    raw = metadata.get("tags")
    if raw is None:
        return ()
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list):
        read.unreadable.append("metadata.tags")
        return ()
    # Comprehensions, not generators: this runs for every key of every full read.
    cleaned = [stripped for item in raw if isinstance(item, str) and (stripped := item.strip())]
    return shared_tuple([intern(tag) for tag in dict.fromkeys(cleaned)])


def _fallback_id(record: Mapping[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(record, sort_keys=True, default=str).encode()).hexdigest()
    return f"unidentified-{digest[:16]}"


def to_api_key(record: Mapping[str, Any], *, now: datetime, position: int = 0) -> ApiKey:
    """Map one record; `position` (its place in the read) keeps token-less records apart."""
    read = _Reader(record)
    token = record.get("token")
    if not isinstance(token, str) or not token:
        read.unreadable.append("token")
        token = f"{_fallback_id(record)}-{position}"
    key_name = read.text(record, "key_name")
    metadata = read.mapping("metadata")
    user = record.get("user")
    if user is not None and not isinstance(user, dict):
        read.unreadable.append("user")
    user_id = read.text(record, "user_id")
    if isinstance(user, dict):
        # Only these three fields are read: the user row also carries a password hash.
        owner_username = _shared_text(read.text(user, "user_alias", label="user.user_alias"))
        owner_email = _shared_text(read.text(user, "user_email", label="user.user_email"))
        owner_id = _shared_text(read.text(user, "user_id", label="user.user_id") or user_id)
    else:
        owner_username = next(
            (
                value.strip()
                for name in _OWNER_METADATA_FIELDS
                if isinstance(value := metadata.get(name), str) and value.strip()
            ),
            None,
        )
        owner_email = None
        owner_id = _shared_text(user_id)
    expires_at = read.moment("expires")
    return ApiKey(
        id=token,
        masked_key=mask_key_name(key_name) if key_name else None,
        alias=read.text(record, "key_alias"),
        description=read.text(metadata, "description", label="metadata.description"),
        owner_username=owner_username,
        owner_email=owner_email,
        owner_id=owner_id,
        team_id=_shared_text(read.text(record, "team_id")),
        created_at=read.moment("created_at"),
        expires_at=expires_at,
        allowed_models=read.models(),
        tags=_tags(metadata, read),
        spend=read.number("spend"),
        max_budget=read.number("max_budget"),
        status=derive_status(blocked=read.flag("blocked"), expires_at=expires_at, now=now),
        updated_at=read.moment("updated_at"),
        unreadable_fields=tuple(dict.fromkeys(read.unreadable)) if read.unreadable else (),
    )


def unreadable_record(record: object, *, position: int = 0) -> ApiKey:
    """A record that is not even an object: kept visible as a row with nothing readable."""
    return ApiKey(
        id=f"{_fallback_id({'record': record})}-{position}",
        masked_key=None,
        unreadable_fields=("record",),
    )

"""LiteLLM `/key/list` record -> ApiKey. The only place that knows LiteLLM's key JSON.

LiteLLM's records are loosely typed (metadata is free-form, older versions differ), so every field
is read defensively: a field of the wrong type is left empty and named in `unreadable_fields`,
and the rest of the key is kept.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from sys import intern
from typing import Any

import msgspec
from keydash_core.keys import ApiKey, derive_status

from keydash_adapters.litellm.record_reader import RecordReader, shared_text, shared_tuple

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
    last_active: Any = None
    created_by: Any = None
    updated_by: Any = None
    auto_rotate: Any = None
    rotation_interval: Any = None
    rotation_count: Any = None
    last_rotation_at: Any = None
    key_rotation_at: Any = None
    budget_duration: Any = None
    budget_reset_at: Any = None


def record_dict(fields: RecordFields) -> dict[str, Any]:
    """The record as `to_api_key` takes it: a field LiteLLM left out reads as null either way."""
    record = msgspec.structs.asdict(fields)
    if fields.user is not None:
        record["user"] = msgspec.structs.asdict(fields.user)
    return record


def mask_key_name(key_name: str) -> str:
    """`sk-...abcd` -> `sk-****abcd`; never more than the last 4 characters of the secret."""
    prefix, separator, rest = key_name.partition("-")
    if not separator or len(prefix) > 8:
        prefix, rest = "", key_name
    else:
        prefix += "-"
    return f"{prefix}{_MASK}{rest.lstrip('.')[-4:]}"


def _tags(metadata: Mapping[str, Any], read: RecordReader) -> tuple[str, ...]:
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
    read = RecordReader(record)
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
        owner_username = shared_text(read.text(user, "user_alias", label="user.user_alias"))
        owner_email = shared_text(read.text(user, "user_email", label="user.user_email"))
        owner_id = shared_text(read.text(user, "user_id", label="user.user_id") or user_id)
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
        owner_id = shared_text(user_id)
    expires_at = read.moment("expires")
    return ApiKey(
        id=token,
        masked_key=mask_key_name(key_name) if key_name else None,
        alias=read.text(record, "key_alias"),
        description=read.text(metadata, "description", label="metadata.description"),
        owner_username=owner_username,
        owner_email=owner_email,
        owner_id=owner_id,
        team_id=shared_text(read.text(record, "team_id")),
        created_at=read.moment("created_at"),
        expires_at=expires_at,
        allowed_models=read.models(),
        tags=_tags(metadata, read),
        spend=read.number("spend"),
        max_budget=read.number("max_budget"),
        status=derive_status(blocked=read.flag("blocked"), expires_at=expires_at, now=now),
        updated_at=read.moment("updated_at"),
        last_used_at=read.moment("last_active"),
        created_by=shared_text(read.text(record, "created_by")),
        updated_by=shared_text(read.text(record, "updated_by")),
        auto_rotate=read.flag("auto_rotate"),
        rotation_interval=shared_text(read.text(record, "rotation_interval")),
        rotation_count=read.count("rotation_count"),
        last_rotated_at=read.moment("last_rotation_at"),
        next_rotation_at=read.moment("key_rotation_at"),
        budget_duration=shared_text(read.text(record, "budget_duration")),
        budget_reset_at=read.moment("budget_reset_at"),
        unreadable_fields=tuple(dict.fromkeys(read.unreadable)) if read.unreadable else (),
    )


def unreadable_record(record: object, *, position: int = 0) -> ApiKey:
    """A record that is not even an object: kept visible as a row with nothing readable."""
    return ApiKey(
        id=f"{_fallback_id({'record': record})}-{position}",
        masked_key=None,
        unreadable_fields=("record",),
    )

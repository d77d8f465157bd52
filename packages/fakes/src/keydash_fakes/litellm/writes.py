"""Writes to the key table, each moving `updated_at` as LiteLLM's database layer does.

Every write replaces the row with a new dict instead of editing it, so a `frozen_records` fake
stays truthful (its kept orders and JSON notice replaced rows). Rows are addressed by position;
`FakeLiteLLM` finds positions by token. `deleted` is the archive `status=deleted` lists.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from keydash_fakes.litellm import timestamps
from keydash_fakes.litellm.keymaking import ADMIN_USER_ID, created_key, identity
from keydash_fakes.litellm.records import Record, json_copy


class UnknownKey(LookupError):
    """No live key has this token."""


class DuplicateKey(ValueError):
    """A live key already has this token (LiteLLM refuses a second key with the same secret)."""


def position(keys: list[Record], token: str) -> int:
    for index, record in enumerate(keys):
        if record.get("token") == token:
            return index
    raise UnknownKey(token)


def _owner_row(keys: list[Record], user_id: object) -> Record | None:
    # A new key of a known user expands to that user's row, as LiteLLM's join would.
    if not isinstance(user_id, str):
        return None
    for record in keys:
        if record.get("user_id") == user_id and isinstance(record.get("user"), dict):
            row: Record = json_copy(record["user"])
            return row
    return None


def create(keys: list[Record], raw: str, fields: dict[str, Any], now: datetime) -> Record:
    token = identity(raw)["token"]
    if any(record.get("token") == token for record in keys):
        raise DuplicateKey(token)
    record = created_key(raw, fields, now, _owner_row(keys, fields.get("user_id")))
    if "created_at" in fields:
        # A key placed in the past was written then, and not since.
        record["updated_at"] = fields["created_at"]
    keys.append(record)
    return record


def _rewrite(keys: list[Record], index: int, changes: dict[str, Any]) -> Record:
    record = {**keys[index], **changes}
    keys[index] = record
    return record


def update(keys: list[Record], index: int, fields: dict[str, Any], now: datetime) -> Record:
    stamp = timestamps.iso(now)
    return _rewrite(keys, index, {**fields, "updated_at": stamp, "updated_by": ADMIN_USER_ID})


def set_blocked(keys: list[Record], index: int, blocked: bool, now: datetime) -> Record:
    stamp = timestamps.iso(now)
    # `/key/block` also stamps settings_updated_at (seen on 1.108.7).
    changes = {"blocked": blocked, "updated_at": stamp, "settings_updated_at": stamp}
    return _rewrite(keys, index, changes)


def spend(keys: list[Record], index: int, amount: float, now: datetime) -> Record:
    """A request through the key: spend grows, and `last_active` and `updated_at` move."""
    record = keys[index]
    stamp = timestamps.iso(now)
    changes = {
        "spend": round(_number(record.get("spend")) + amount, 6),
        "total_spend": round(_number(record.get("total_spend")) + amount, 6),
        "last_active": stamp,
        "updated_at": stamp,
    }
    return _rewrite(keys, index, changes)


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def regenerate(keys: list[Record], index: int, raw: str, now: datetime) -> Record:
    """A new secret in the same row: a new token and key_name; the old token is simply gone."""
    return _rewrite(keys, index, {**identity(raw), "updated_at": timestamps.iso(now)})


def delete(
    keys: list[Record], deleted: list[Record], index: int, now: datetime, deleted_by: str
) -> Record:
    """Move the row to the archive as it last was, plus when and by whom it was deleted.

    `updated_at` keeps the pre-deletion value: the archive copies the row, it does not write it.
    """
    record = keys.pop(index)
    archived = {**record, "deleted_at": timestamps.iso(now), "deleted_by": deleted_by}
    deleted.append(archived)
    return archived

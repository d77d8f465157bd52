"""Export bodies (CSV and JSON), written as a stream of chunks so no export is held whole.

CSV cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage
return, after any leading spaces) are prefixed with an apostrophe, OWASP's advice: the value stays
readable and never executes. Keys carry no more of the secret than the API shows (last 4 chars).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime

from keydash_core.export_keys import KeyExport
from keydash_core.filters import reaches_every_model
from keydash_core.key_insights import last_use
from keydash_core.keys import ApiKey

from keydash_api.schemas import KeyOut
from keydash_api.status_schemas import FreshnessOut

CSV_COLUMNS = (
    "id",
    "masked_key",
    "alias",
    "description",
    "owner",
    "owner_username",
    "owner_email",
    "owner_id",
    "team_id",
    "status",
    "created_at",
    "expires_at",
    "allowed_models",
    "all_models",
    "tags",
    "spend",
    "max_budget",
    "last_used_at",
    "last_use",
    "created_by",
    "updated_by",
    "auto_rotate",
    "rotation_interval",
    "rotation_count",
    "last_rotated_at",
    "next_rotation_at",
    "budget_duration",
    "budget_reset_at",
    "partial",
    "unreadable_fields",
)
LIST_SEPARATOR = "; "
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_CHUNK = 500


def neutralise(text: str) -> str:
    """The text as a spreadsheet shows it, never as a formula it would run."""
    if text.startswith(_FORMULA_STARTS) or text.lstrip(" ").startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def _text(value: str | None) -> str:
    return neutralise(value) if value else ""


def _date(value: datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def _number(value: float | None) -> str:
    return repr(value) if value is not None else ""


def csv_row(key: ApiKey, last_use_since: datetime | None = None) -> list[str]:
    return [
        key.id,
        _text(key.masked_key),
        _text(key.alias),
        _text(key.description),
        _text(key.owner),
        _text(key.owner_username),
        _text(key.owner_email),
        _text(key.owner_id),
        _text(key.team_id),
        key.status.value,
        _date(key.created_at),
        _date(key.expires_at),
        _text(LIST_SEPARATOR.join(key.allowed_models)),
        "true" if reaches_every_model(key) else "false",
        _text(LIST_SEPARATOR.join(key.tags)),
        _number(key.spend),
        _number(key.max_budget),
        _date(key.last_used_at),
        last_use(key, last_use_since).value,
        _text(key.created_by),
        _text(key.updated_by),
        "true" if key.auto_rotate else "false",
        _text(key.rotation_interval),
        str(key.rotation_count) if key.rotation_count is not None else "",
        _date(key.last_rotated_at),
        _date(key.next_rotation_at),
        _text(key.budget_duration),
        _date(key.budget_reset_at),
        "true" if key.partial else "false",
        LIST_SEPARATOR.join(key.unreadable_fields),
    ]


def csv_chunks(export: KeyExport) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for count, key in enumerate(export.keys(), start=1):
        writer.writerow(csv_row(key, export.snapshot.last_use_since))
        if count % ROWS_PER_CHUNK == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def json_chunks(export: KeyExport, exported_at: datetime) -> Iterator[str]:
    head = {
        "exported_at": exported_at.isoformat(),
        "fetched_at": export.fetched_at.isoformat(),
        "total": export.total,
        "total_keys": len(export.snapshot.keys),
        "store_total_keys": export.snapshot.store_total,
        "truncated": export.truncated,
        "freshness": FreshnessOut.from_domain(export.freshness, export.fetched_at).model_dump(
            mode="json"
        ),
    }
    yield json.dumps(head)[:-1] + ', "items": ['
    rows: list[str] = []
    since = export.snapshot.last_use_since
    for count, key in enumerate(export.keys()):
        rows.append(("," if count else "") + KeyOut.from_domain(key, since).model_dump_json())
        if len(rows) == ROWS_PER_CHUNK:
            yield "".join(rows)
            rows.clear()
    yield "".join(rows) + "]}\n"


def freshness_headers(export: KeyExport) -> dict[str, str]:
    """The data's age on a download too: a file outlives the page it came from."""
    freshness = FreshnessOut.from_domain(export.freshness, export.fetched_at)
    headers = {
        "x-keydash-as-of": freshness.as_of.isoformat() if freshness.as_of else "",
        "x-keydash-stale": "true" if freshness.stale else "false",
    }
    if freshness.last_error is not None:
        headers["x-keydash-last-error"] = freshness.last_error.code
    return headers


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text

"""ISO 8601 in the two spellings LiteLLM emits, and a lenient reader for comparing them."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime


def iso(moment: datetime) -> str:
    """Prisma keeps milliseconds and LiteLLM prints six digits: `2026-09-14T08:21:45.061000Z`.

    Whole seconds print without a fraction (`2026-07-01T12:00:00Z`), as dates set by hand do, so
    clients meet both spellings; equal moments always print the same.
    """
    moment = moment.astimezone(UTC)
    millis = moment.microsecond // 1000
    if millis == 0:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{millis:03d}000Z"


def parse(value: object) -> datetime | None:
    """A timestamp as an aware datetime, or None for null and anything that is not one."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def start_of_today() -> datetime:
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def utc_now() -> datetime:
    return datetime.now(UTC)


def http_date(moment: datetime) -> str:
    """The `Date` header's spelling (RFC 9110 IMF-fixdate) of `moment`."""
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)

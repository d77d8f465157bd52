"""Switchable misbehaviour for `/key/list`, settable from Python or over HTTP (`/_fake/faults`)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

MALFORMED_MODES = ("not_json", "no_keys", "keys_not_list", "wrong_types")


@dataclass
class Faults:
    """What `/key/list` does wrong. The defaults are a healthy proxy.

    `fail_count` and `rate_limit_count` count down as faulty answers are served, so a client's
    retry can be seen to recover.
    """

    latency_ms: float = 0
    # Answer this status instead of the keys, `fail_count` times (None: until cleared).
    fail_status: int | None = None
    fail_count: int | None = None
    # Hold the request far longer than any client timeout; released when the client gives up.
    hang: bool = False
    malformed: str | None = None
    # An older LiteLLM: ignores `expand=user`, so bare hashes unless `return_full_object=true`.
    bare_tokens_only: bool = False
    rate_limit_count: int = 0
    retry_after_seconds: int = 1
    # Keys are created while a client pages: one new newest key per request.
    shifting_total: bool = False
    # The last key of page N comes again as the first key of page N+1.
    duplicate_across_pages: bool = False
    # An older LiteLLM without `/user/daily/activity` (404, as for any unknown route).
    no_daily_activity: bool = False
    # A LiteLLM that accepts `sort_by` but answers in its default order (created_at desc).
    ignore_sort_by: bool = False

    def __post_init__(self) -> None:
        problems = validate_fields(dataclasses.asdict(self))
        if problems:
            raise ValueError("; ".join(problems))

    def failing(self) -> bool:
        return self.fail_status is not None and (self.fail_count is None or self.fail_count > 0)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check(name: str, value: Any) -> str | None:
    # One rule per field; the HTTP control endpoint reports these messages verbatim.
    if name == "latency_ms":
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            return "latency_ms must be a number >= 0"
    elif name == "fail_status":
        if value is not None and (not _is_int(value) or not 100 <= value <= 599):
            return "fail_status must be an HTTP status (100-599) or null"
    elif name == "fail_count":
        if value is not None and (not _is_int(value) or value < 0):
            return "fail_count must be an integer >= 0 or null"
    elif name in {"rate_limit_count", "retry_after_seconds"}:
        if not _is_int(value) or value < 0:
            return f"{name} must be an integer >= 0"
    elif name == "malformed":
        if value is not None and value not in MALFORMED_MODES:
            return f"malformed must be null or one of: {', '.join(MALFORMED_MODES)}"
    elif not isinstance(value, bool):
        return f"{name} must be a boolean"
    return None


FIELD_NAMES = tuple(field.name for field in dataclasses.fields(Faults))


def validate_fields(values: dict[str, Any]) -> list[str]:
    problems = [f"unknown fault: {name}" for name in values if name not in FIELD_NAMES]
    for name, value in values.items():
        if name in FIELD_NAMES:
            problem = _check(name, value)
            if problem:
                problems.append(problem)
    return problems


def apply_update(faults: Faults, values: dict[str, Any]) -> list[str]:
    """Set the given fields all together, or none of them when any is invalid."""
    problems = validate_fields(values)
    if not problems:
        for name, value in values.items():
            setattr(faults, name, value)
    return problems

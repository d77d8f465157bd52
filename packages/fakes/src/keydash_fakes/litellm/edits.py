"""Which key fields `POST /_fake/keys` and `POST /_fake/keys/{token}/update` accept, and how.

Both take a JSON object of some of these fields (all optional; update is partial):
`key_alias`, `user_id`, `team_id`, `org_id`, `created_by` (string or null); `max_budget`, `spend`,
`tpm_limit`, `rpm_limit` (number or null; `spend` a number); `expires` (ISO 8601 or null);
`blocked` (boolean or null); `models` (list of strings); `metadata` (object). Create also takes
`key` (the raw secret, `sk-...`; default: a fresh one) and, to place a key in the past,
`created_at` (ISO 8601). Anything else is refused whole, with every problem listed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from keydash_fakes.litellm import timestamps


def _text_or_null(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def _number_or_null(value: Any) -> bool:
    return value is None or _number(value)


def _time_or_null(value: Any) -> bool:
    return value is None or timestamps.parse(value) is not None


_RULES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "key_alias": (_text_or_null, "a string or null"),
    "user_id": (_text_or_null, "a string or null"),
    "team_id": (_text_or_null, "a string or null"),
    "org_id": (_text_or_null, "a string or null"),
    "created_by": (_text_or_null, "a string or null"),
    "max_budget": (_number_or_null, "a number >= 0 or null"),
    "spend": (_number, "a number >= 0"),
    "tpm_limit": (_number_or_null, "a number >= 0 or null"),
    "rpm_limit": (_number_or_null, "a number >= 0 or null"),
    "expires": (_time_or_null, "an ISO 8601 timestamp or null"),
    "blocked": (lambda v: v is None or isinstance(v, bool), "a boolean or null"),
    "models": (
        lambda v: isinstance(v, list) and all(isinstance(m, str) for m in v),
        "a list of strings",
    ),
    "metadata": (lambda v: isinstance(v, dict), "an object"),
}
_CREATE_ONLY: dict[str, tuple[Callable[[Any], bool], str]] = {
    "key": (lambda v: isinstance(v, str) and v.startswith("sk-"), "a string starting with sk-"),
    "created_at": (lambda v: timestamps.parse(v) is not None, "an ISO 8601 timestamp"),
}


def problems(body: Any, *, creating: bool) -> list[str]:
    if not isinstance(body, dict):
        return ["body must be a JSON object"]
    rules = {**_RULES, **_CREATE_ONLY} if creating else _RULES
    found = []
    for name, value in body.items():
        rule = rules.get(name)
        if rule is None:
            found.append(f"unknown field: {name}")
        elif not rule[0](value):
            found.append(f"{name} must be {rule[1]}")
    return found

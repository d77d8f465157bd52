"""Selected key rows as a `/key/list` body: bare hashes, full objects, or deliberately broken."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from keydash_fakes.litellm.query import KeyListQuery
from keydash_fakes.litellm.records import EXPANSION_FIELDS, Record
from keydash_fakes.litellm.selection import Page


def wire_key(record: Record, *, expand_user: bool, legacy: bool) -> Record:
    shaped = dict(record)
    for field in EXPANSION_FIELDS:
        if legacy:
            # Versions before `expand` had no such fields on the key object at all.
            shaped.pop(field, None)
        elif not expand_user:
            # The fields exist on LiteLLM's key model, so unexpanded objects carry them as null.
            shaped[field] = None
    return shaped


def page_body(page: Page, query: KeyListQuery, *, legacy: bool) -> dict[str, Any]:
    """`legacy` is an old LiteLLM that ignores `expand=user`."""
    expand = query.expand_user and not legacy
    keys: list[Any]
    if query.return_full_object or expand:
        keys = [wire_key(r, expand_user=expand, legacy=legacy) for r in page.keys]
    else:
        keys = [r.get("token") for r in page.keys]
    return {
        "keys": keys,
        "total_count": page.total_count,
        "current_page": query.page,
        "total_pages": page.total_pages,
    }


# Wrong on purpose, field by field, for the fields a dashboard is most likely to read.
_WRONG_VALUES: dict[str, Any] = {
    "token": 12345,
    "key_name": 42,
    "key_alias": ["not", "a", "string"],
    "spend": "lots",
    "total_spend": "lots",
    "max_budget": "unlimited",
    "expires": 12345,
    "models": "gpt-4",
    "user_id": 7,
    "team_id": {"id": "team"},
    "metadata": ["not", "a", "dict"],
    "blocked": "yes",
    "created_at": 12345,
    "updated_at": False,
    "last_active": [2026],
    "created_by": 99,
    "org_id": 1.5,
    "tpm_limit": "many",
    "rpm_limit": "many",
    "user": "alice",
    "created_by_user": ["admin"],
}


def _wrong(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes"
    if isinstance(value, int | float):
        return "lots"
    if isinstance(value, str):
        return 42
    if isinstance(value, list):
        return "gpt-4"
    if isinstance(value, dict):
        return ["not", "a", "dict"]
    return ["unexpected"]


def _wrong_types(body: dict[str, Any]) -> dict[str, Any]:
    keys = [
        {name: _WRONG_VALUES.get(name, _wrong(value)) for name, value in key.items()}
        if isinstance(key, dict)
        else _WRONG_VALUES["token"]
        for key in body["keys"]
    ]
    return {**body, "keys": keys}


def malformed(mode: str, body: dict[str, Any]) -> Response:
    """A 200 whose body breaks the contract in the way `mode` names."""
    if mode == "not_json":
        # Labelled JSON, yet an HTML error page, as some gateways answer.
        return Response(
            "<html><body><h1>502 Bad Gateway</h1></body></html>", media_type="application/json"
        )
    if mode == "no_keys":
        return JSONResponse({name: value for name, value in body.items() if name != "keys"})
    if mode == "keys_not_list":
        return JSONResponse({**body, "keys": {"token": "not-a-list"}})
    if mode == "wrong_types":
        return JSONResponse(_wrong_types(body))
    raise ValueError(f"unknown malformed mode: {mode}")

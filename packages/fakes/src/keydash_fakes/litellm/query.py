"""`/key/list` query parameters, validated the way LiteLLM's FastAPI route validates them.

Type and range problems are FastAPI's 422, all reported together; bad `sort_by`, `sort_order`,
`status` and `expires` values are LiteLLM's own 400s, checked only once the types are valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import QueryParams
from starlette.responses import JSONResponse

from keydash_fakes.litellm import errors
from keydash_fakes.litellm.ordering import SORT_COLUMNS

STATUSES = ("active", "expired", "revoked", "deleted")
EXPIRES_FILTERS = ("active", "expired")
MAX_PAGE_SIZE = 100

# Pydantic's lax str -> int: surrounding spaces, a sign, digit groups with `_`, a zero fraction.
_INT = re.compile(r"[+-]?\d+(?:_\d+)*(?:\.0*)?")
_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})
_BOOL_PARAMS = (
    "return_full_object",
    "include_team_keys",
    "include_created_by_keys",
    "substring_matching",
)


@dataclass(frozen=True)
class KeyListQuery:
    page: int = 1
    size: int = 10
    return_full_object: bool = False
    expand_user: bool = False
    substring_matching: bool = False
    sort_by: str | None = None
    descending: bool = True
    user_id: str | None = None
    team_id: str | None = None
    organization_id: str | None = None
    key_hash: str | None = None
    key_alias: str | None = None
    search: str | None = None
    status: str | None = None
    expires: str | None = None
    # Not a parameter: the caller's own user, which a non-admin caller is limited to (exact).
    owner_id: str | None = None

    @property
    def full_objects(self) -> bool:
        return self.return_full_object or self.expand_user


def _bounded_int(
    params: QueryParams,
    name: str,
    default: int,
    bounds: tuple[int, int | None],
    problems: list[dict[str, Any]],
) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    text = raw.strip()
    if not _INT.fullmatch(text):
        problems.append(errors.int_parsing(name, raw))
        return default
    value = int(text.split(".")[0].replace("_", ""))
    lowest, highest = bounds
    if value < lowest:
        problems.append(errors.greater_than_equal(name, raw, lowest))
    elif highest is not None and value > highest:
        problems.append(errors.less_than_equal(name, raw, highest))
    return value


def _bool(params: QueryParams, name: str, problems: list[dict[str, Any]]) -> bool:
    raw = params.get(name)
    if raw is None:
        return False
    if raw.lower() in _TRUE:
        return True
    if raw.lower() not in _FALSE:
        problems.append(errors.bool_parsing(name, raw))
    return False


def _types(params: QueryParams) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    problems: list[dict[str, Any]] = []
    # `page` has no upper bound in LiteLLM; a page past the end is simply empty.
    page = _bounded_int(params, "page", 1, (1, None), problems)
    size = _bounded_int(params, "size", 10, (1, MAX_PAGE_SIZE), problems)
    flags = {name: _bool(params, name, problems) for name in _BOOL_PARAMS}
    return {"page": page, "size": size, **flags}, problems


def _text(params: QueryParams, name: str) -> str | None:
    # LiteLLM skips empty filters (`if user_id and ...`), so `?user_id=` filters nothing.
    return params.get(name) or None


def _choice_error(params: QueryParams) -> JSONResponse | None:
    sort_by = params.get("sort_by")
    if sort_by is not None and sort_by not in SORT_COLUMNS:
        return errors.bad_request(f"Invalid sort column. Must be one of: {', '.join(SORT_COLUMNS)}")
    if params.get("sort_order", "desc") not in ("asc", "desc"):
        return errors.bad_request("Invalid sort order. Must be 'asc' or 'desc'")
    status = params.get("status")
    if status is not None and status not in STATUSES:
        return errors.bad_request(f"Invalid status value. Must be one of: {', '.join(STATUSES)}")
    expires = params.get("expires")
    if expires is not None and expires not in EXPIRES_FILTERS:
        return errors.bad_request("Invalid expires filter. Must be one of: active, expired")
    return None


def parse(params: QueryParams) -> KeyListQuery | JSONResponse:
    typed, problems = _types(params)
    if problems:
        return errors.validation_error(problems)
    refused = _choice_error(params)
    if refused is not None:
        return refused
    return KeyListQuery(
        page=typed["page"],
        size=typed["size"],
        return_full_object=typed["return_full_object"],
        # Only the exact value `user` expands; `USER` or `user,team` quietly do not.
        expand_user="user" in params.getlist("expand"),
        substring_matching=typed["substring_matching"],
        sort_by=params.get("sort_by"),
        descending=params.get("sort_order", "desc") == "desc",
        user_id=_text(params, "user_id"),
        team_id=_text(params, "team_id"),
        organization_id=_text(params, "organization_id"),
        key_hash=_text(params, "key_hash"),
        key_alias=_text(params, "key_alias"),
        search=_text(params, "search"),
        status=params.get("status"),
        expires=params.get("expires"),
    )

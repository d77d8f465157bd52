"""Which kind of read each `/key/list` call was, so sync tests can assert how a mirror read.

Every call is counted by its parameters alone, refused ones too (in
`FakeLiteLLM.requests_by_kind`, reported by `GET /_fake/stats` as `"requests_by_kind"`, zeroed by
`POST /_fake/stats/reset` and `POST /_fake/reset`):
- `default`: LiteLLM's default order (no `sort_by`) and no filter at all: a full read's page;
- `updated_at`: `sort_by=updated_at` on the live keys (any order, any filter);
- `deleted`: `status=deleted`, the archive (any sort, any filter);
- `other`: everything else (filtered reads, other sort columns).
"""

from __future__ import annotations

from collections.abc import Mapping

KINDS = ("default", "updated_at", "deleted", "other")
_FILTERS = (
    "user_id",
    "team_id",
    "organization_id",
    "key_hash",
    "key_alias",
    "search",
    "status",
    "expires",
)


def empty_counts() -> dict[str, int]:
    return dict.fromkeys(KINDS, 0)


def kind(params: Mapping[str, str]) -> str:
    if params.get("status") == "deleted":
        return "deleted"
    sort_by = params.get("sort_by")
    if sort_by == "updated_at":
        return "updated_at"
    # Empty filters filter nothing in LiteLLM (`?user_id=`), so they do not make a read "other".
    if sort_by is None and not any(params.get(name) for name in _FILTERS):
        return "default"
    return "other"

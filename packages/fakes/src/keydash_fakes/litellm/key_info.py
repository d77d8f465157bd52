"""`GET /key/info`'s body: `{"key": token, "info": {...}}`, the row without its token.

`info` has LiteLLM 1.108.7's fields in its order (fixtures `whoami-*.json`): `org_id` is named
`organization_id`, timestamps are spelled `+00:00` instead of `Z`, and `status` is derived as for
`status=` (`active`, `expired`, `revoked`), or `deleted` for an archive row (which also carries
`deleted_at` and `deleted_by`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from keydash_fakes.litellm.records import Record
from keydash_fakes.litellm.selection import status_of

INFO_FIELDS = (
    "key_name",
    "key_alias",
    "soft_budget_cooldown",
    "spend",
    "total_spend",
    "expires",
    "models",
    "aliases",
    "config",
    "router_settings",
    "user_id",
    "team_id",
    "agent_id",
    "project_id",
    "permissions",
    "max_parallel_requests",
    "metadata",
    "blocked",
    "tpm_limit",
    "rpm_limit",
    "tpd_limit",
    "max_budget",
    "budget_duration",
    "budget_reset_at",
    "allowed_cache_controls",
    "allowed_routes",
    "key_type",
    "policies",
    "access_group_ids",
    "model_spend",
    "model_max_budget",
    "budget_fallbacks",
    "budget_id",
    "organization_id",
    "object_permission_id",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "settings_updated_at",
    "last_active",
    "rotation_count",
    "auto_rotate",
    "rotation_interval",
    "last_rotation_at",
    "key_rotation_at",
    "budget_limits",
    "litellm_budget_table",
    "litellm_organization_table",
    "litellm_project_table",
    "object_permission",
    "jwt_key_mappings",
)
_COLUMNS = {"organization_id": "org_id"}
_TIMES = frozenset(
    {
        "expires",
        "budget_reset_at",
        "created_at",
        "updated_at",
        "settings_updated_at",
        "last_active",
        "last_rotation_at",
        "key_rotation_at",
        "deleted_at",
    }
)


def _value(record: Record, name: str) -> Any:
    value = record.get(_COLUMNS.get(name, name))
    if name == "key_type":
        return value or "default"
    if name == "policies" and value is None:
        return []
    if name in _TIMES and isinstance(value, str) and value.endswith("Z"):
        return value[:-1] + "+00:00"
    return value


def body(record: Record, now: datetime, *, archived: bool = False) -> dict[str, Any]:
    info = {name: _value(record, name) for name in INFO_FIELDS}
    if archived:
        info["deleted_at"] = _value(record, "deleted_at")
        info["deleted_by"] = record.get("deleted_by")
        info["status"] = "deleted"
    else:
        info["status"] = status_of(record, now)
    return {"key": record.get("token"), "info": info}

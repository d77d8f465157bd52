"""The exact shape of LiteLLM's key and user rows, so fake records carry every field real ones do.

Field order and defaults follow what LiteLLM 1.106's own serializer returned for `/key/list`:
a client that copes with these records copes with the real thing, and one that trips, trips here.
"""

from __future__ import annotations

from typing import Any

Record = dict[str, Any]

KEY_TEMPLATE: Record = {
    "token": None,
    "key_name": None,
    "key_alias": None,
    "spend": 0.0,
    "total_spend": 0.0,
    "max_budget": None,
    "expires": None,
    "models": [],
    "aliases": {},
    "config": {},
    "user_id": None,
    "team_id": None,
    "agent_id": None,
    "project_id": None,
    "max_parallel_requests": None,
    "metadata": {},
    "tpm_limit": None,
    "rpm_limit": None,
    "tpd_limit": None,
    "budget_duration": None,
    "budget_reset_at": None,
    "allowed_cache_controls": [],
    "allowed_routes": [],
    "key_type": None,
    "permissions": {},
    "model_spend": {},
    "model_max_budget": {},
    "budget_fallbacks": {},
    "soft_budget_cooldown": False,
    "blocked": None,
    "litellm_budget_table": None,
    "budget_id": None,
    "org_id": None,
    "created_at": None,
    "created_by": None,
    "updated_at": None,
    "updated_by": None,
    "settings_updated_at": None,
    "last_active": None,
    "object_permission_id": None,
    "object_permission": None,
    "access_group_ids": [],
    "rotation_count": 0,
    "auto_rotate": False,
    "rotation_interval": None,
    "last_rotation_at": None,
    "key_rotation_at": None,
    "router_settings": {},
    "budget_limits": None,
    "team_spend": None,
    "team_alias": None,
    "team_tpm_limit": None,
    "team_rpm_limit": None,
    "team_tpd_limit": None,
    "team_max_budget": None,
    "team_soft_budget": None,
    "team_model_max_budget": None,
    "team_models": [],
    "team_blocked": False,
    "soft_budget": None,
    "team_model_aliases": None,
    "team_member": None,
    "team_metadata": None,
    "team_object_permission_id": None,
    "team_member_spend": None,
    "team_member_tpm_limit": None,
    "team_member_rpm_limit": None,
    "end_user_id": None,
    "end_user_tpm_limit": None,
    "end_user_rpm_limit": None,
    "end_user_tpd_limit": None,
    "end_user_max_budget": None,
    "end_user_model_max_budget": None,
    "organization_alias": None,
    "organization_max_budget": None,
    "organization_tpm_limit": None,
    "organization_rpm_limit": None,
    "organization_metadata": None,
    "project_alias": None,
    "project_metadata": None,
    "last_refreshed_at": None,
    "api_key": None,
    "user_role": None,
    "allowed_model_region": None,
    "parent_otel_span": None,
    "rpm_limit_per_model": None,
    "tpm_limit_per_model": None,
    "user_tpm_limit": None,
    "user_rpm_limit": None,
    "user_email": None,
    "user_spend": None,
    "user_max_budget": None,
    "user_model_max_budget": None,
    "request_route": None,
    "is_session_token": False,
    "user": None,
    "created_by_user": None,
    "end_user_object_permission": None,
    "team_object_permission": None,
    "jwt_claims": None,
}

# The owner's row from LiteLLM_UserTable, as `expand=user` attaches it: every column, the password
# hash included, which is exactly why a consumer must pick fields out of it and never forward it.
USER_TEMPLATE: Record = {
    "verified_subjects": None,
    "user_id": None,
    "user_alias": None,
    "team_id": None,
    "sso_user_id": None,
    "organization_id": None,
    "object_permission_id": None,
    "password": None,
    "password_reset_required": None,
    "last_breach_check_at": None,
    "teams": [],
    "user_role": "internal_user",
    "max_budget": None,
    "spend": 0.0,
    "user_email": None,
    "models": [],
    "metadata": {},
    "max_parallel_requests": None,
    "tpm_limit": None,
    "rpm_limit": None,
    "budget_duration": None,
    "budget_reset_at": None,
    "allowed_cache_controls": [],
    "policies": [],
    "model_spend": {},
    "model_max_budget": {},
    "created_at": None,
    "updated_at": None,
    "litellm_organization_table": None,
    "organization_memberships": None,
    "invitations_created": None,
    "invitations_updated": None,
    "invitations_user": None,
    "object_permission": None,
}

BUDGET_TABLE_TEMPLATE: Record = {
    "budget_id": None,
    "max_budget": None,
    "soft_budget": None,
    "max_parallel_requests": None,
    "tpm_limit": None,
    "rpm_limit": None,
    "tpd_limit": None,
    "model_max_budget": {},
    "budget_duration": None,
    "budget_reset_at": None,
    "allowed_models": [],
    "temp_budget_increase": None,
    "temp_budget_expiry": None,
    "created_at": None,
    "created_by": None,
    "updated_at": None,
    "updated_by": None,
    "organization": None,
    "projects": None,
    "keys": None,
    "end_users": None,
    "tags": None,
    "model_access_groups": None,
    "team_membership": None,
    "organization_membership": None,
}

# Which columns attach only when the caller asks for `expand=user`.
EXPANSION_FIELDS = ("user", "created_by_user")


def _filled(template: Record, fields: dict[str, Any]) -> Record:
    if not fields.keys() <= template.keys():
        unknown = sorted(set(fields) - set(template))
        # A typo here would silently add a field real LiteLLM never sends.
        raise KeyError(f"not a LiteLLM field: {', '.join(unknown)}")
    record = dict(template)
    for name, value in template.items():
        # Only containers need copying, and only those `fields` does not replace anyway.
        if type(value) in _CONTAINERS and name not in fields:
            record[name] = json_copy(value)
    record.update(fields)
    return record


_CONTAINERS = (dict, list)


def json_copy(value: Any) -> Any:
    """A deep copy of JSON-shaped data (dicts, lists, scalars), several times faster than
    `copy.deepcopy`, which matters when generating 100,000 keys."""
    if isinstance(value, dict):
        return {name: json_copy(item) for name, item in value.items()}
    if isinstance(value, list):
        return [json_copy(item) for item in value]
    return value


def key_record(**fields: Any) -> Record:
    """A key row with every LiteLLM field present; `fields` override the defaults."""
    return _filled(KEY_TEMPLATE, fields)


def user_row(**fields: Any) -> Record:
    return _filled(USER_TEMPLATE, fields)


def budget_table(**fields: Any) -> Record:
    return _filled(BUDGET_TABLE_TEMPLATE, fields)


def creator_summary(user: Record) -> Record:
    """`created_by_user`: LiteLLM exposes only these three columns of the creator's row."""
    return {
        "user_id": user.get("user_id"),
        "user_email": user.get("user_email"),
        "user_alias": user.get("user_alias"),
    }

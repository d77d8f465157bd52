"""A key as the table should show it, read from one of the fake LiteLLM's raw records.

- masked key: LiteLLM's `key_name` (`sk-...abcd`) shown as `sk-****abcd`, never more than 4 chars;
- owner: the user row's alias, else its email, else its id (or the key's `user_id`); without a user
  row, `metadata.owner`/`username`/`user`, else `user_id`;
- the API answers from its mirror of LiteLLM's keys: once synced, that is exactly the fake's
  records (the tests read `stack.records`, or the records a scoped key may list: `owned_by`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from e2e_oracle_insights import Insights, insights_from


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return ()
    cleaned = [item.strip() for item in value if isinstance(item, str) and item.strip()]
    return tuple(dict.fromkeys(cleaned))


def mask(key_name: str | None) -> str | None:
    if not key_name:
        return None
    prefix, dash, rest = key_name.partition("-")
    if not dash or len(prefix) > 8:
        return "****" + key_name[-4:]
    return f"{prefix}-****{rest.lstrip('.')[-4:]}"


@dataclass(frozen=True)
class Row:
    id: str
    masked_key: str | None
    alias: str | None
    description: str | None
    owner_username: str | None
    owner_email: str | None
    owner_id: str | None
    team_id: str | None
    created_at: datetime | None
    expires_at: datetime | None
    models: tuple[str, ...]
    tags: tuple[str, ...]
    spend: float | None
    max_budget: float | None
    blocked: bool
    insights: Insights = field(default_factory=lambda: Insights())

    @property
    def owner(self) -> str | None:
        return self.owner_username or self.owner_email or self.owner_id

    def status(self, now: datetime | None = None) -> str:
        now = now or datetime.now(UTC)
        if self.blocked:
            return "blocked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"

    @property
    def reaches_every_model(self) -> bool:
        """No model list (LiteLLM then allows every model) or an `all-*` entry."""
        return not self.models or any(model.startswith("all-") for model in self.models)

    @property
    def spend_share(self) -> float | None:
        """Spend over max_budget (1.0 = used up); None without a positive budget."""
        if self.max_budget is None or self.max_budget <= 0:
            return None
        return (self.spend or 0.0) / self.max_budget

    def expires_within(self, days: int, now: datetime) -> bool:
        """Not expired yet, and expiring within `days` of `now`."""
        return self.expires_at is not None and now < self.expires_at <= now + timedelta(days=days)

    def haystack(self) -> tuple[str, ...]:
        fields = (
            self.owner_username,
            self.owner_email,
            self.owner_id,
            self.description,
            self.alias,
            *self.tags,
            *self.models,
        )
        return tuple(value.casefold() for value in fields if value)


def row_from_record(record: Mapping[str, Any]) -> Row:
    metadata = record.get("metadata")
    if not isinstance(metadata, dict):
        metadata = {}
    user = record.get("user")
    user_id = _text(record.get("user_id"))
    if isinstance(user, dict):
        owner_username = _text(user.get("user_alias"))
        owner_email = _text(user.get("user_email"))
        owner_id = _text(user.get("user_id")) or user_id
    else:
        named = (_text(metadata.get(name)) for name in ("owner", "username", "user"))
        owner_username = next((name for name in named if name), None)
        owner_email = None
        owner_id = user_id
    return Row(
        id=str(record["token"]),
        masked_key=mask(_text(record.get("key_name"))),
        alias=_text(record.get("key_alias")),
        description=_text(metadata.get("description")),
        owner_username=owner_username,
        owner_email=owner_email,
        owner_id=owner_id,
        team_id=_text(record.get("team_id")),
        created_at=_moment(record.get("created_at")),
        expires_at=_moment(record.get("expires")),
        models=_strings(record.get("models")) if isinstance(record.get("models"), list) else (),
        tags=_strings(metadata.get("tags")),
        spend=_number(record.get("spend")),
        max_budget=_number(record.get("max_budget")),
        blocked=record.get("blocked") is True,
        insights=insights_from(record, _moment),
    )


def rows_from(records: Sequence[Mapping[str, Any]]) -> list[Row]:
    """The rows of every key the mirror holds: last use is proven against all of them (the
    earliest `last_active` any key has; docs/api.md, `last_use`)."""
    rows = [row_from_record(record) for record in records]
    since = min((at for row in rows if (at := row.insights.last_used_at)), default=None)
    return [replace(row, insights=replace(row.insights, recorded_since=since)) for row in rows]


def owned_by(records: Sequence[Mapping[str, Any]], user_id: str) -> list[Mapping[str, Any]]:
    """The records a LiteLLM key scoped to `user_id` may list: that user's keys only
    (docs/litellm-contract.md, "Visibility"); what a mirror read with such a key holds."""
    return [record for record in records if record.get("user_id") == user_id]

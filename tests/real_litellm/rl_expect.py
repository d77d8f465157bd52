"""What Keydash should show for a LiteLLM `/key/list` record, written from the documented rules
(docs/api.md) and NOT from Keydash's mapping module, plus field-by-field comparisons."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from rl_expect_insights import INSIGHT_DATES, INSIGHT_FIELDS, expected_insights

FIELDS = (
    "id",
    "masked_key",
    "alias",
    "description",
    "owner",
    "owner_username",
    "owner_email",
    "owner_id",
    "team_id",
    "created_at",
    "expires_at",
    "allowed_models",
    "tags",
    "spend",
    "max_budget",
    "status",
    "partial",
    "unreadable_fields",
    *INSIGHT_FIELDS,
)
_DATES = {"created_at", "expires_at", *INSIGHT_DATES}
_NUMBERS = {"spend", "max_budget"}


def when(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _clean(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def masked(secret_or_key_name: str) -> str:
    """`sk-` + four stars + the last 4 characters, whether given the secret or `sk-...abcd`."""
    return "sk-****" + secret_or_key_name[-4:]


def expected_from_record(record: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The item Keydash should serve for one raw record (well-typed fields, as LiteLLM sends)."""
    metadata = record.get("metadata") or {}
    user = record.get("user")
    if isinstance(user, dict):
        username = _clean(user.get("user_alias"))
        email = _clean(user.get("user_email"))
        owner_id = _clean(user.get("user_id")) or _clean(record.get("user_id"))
    else:
        # No user row: a name from the key's metadata, if any (owner, username, user in order).
        username = next(
            (
                _clean(metadata.get(f))
                for f in ("owner", "username", "user")
                if _clean(metadata.get(f))
            ),
            None,
        )
        email = None
        owner_id = _clean(record.get("user_id"))
    raw_tags = metadata.get("tags")
    if isinstance(raw_tags, str):
        raw_tags = [raw_tags]
    tags = list(
        dict.fromkeys(t.strip() for t in raw_tags or [] if isinstance(t, str) and t.strip())
    )
    expires = when(record.get("expires"))
    if record.get("blocked"):
        status = "blocked"
    elif expires is not None and expires <= now:
        status = "expired"
    else:
        status = "active"
    key_name = record.get("key_name")
    return {
        "id": record["token"],
        "masked_key": masked(key_name) if key_name else None,
        "alias": _clean(record.get("key_alias")),
        "description": _clean(metadata.get("description")),
        "owner": username or email or owner_id,
        "owner_username": username,
        "owner_email": email,
        "owner_id": owner_id,
        "team_id": _clean(record.get("team_id")),
        "created_at": when(record.get("created_at")),
        "expires_at": expires,
        "allowed_models": [m for m in record.get("models") or [] if isinstance(m, str) and m],
        "tags": tags,
        "spend": None if record.get("spend") is None else float(record["spend"]),
        "max_budget": None if record.get("max_budget") is None else float(record["max_budget"]),
        "status": status,
        "partial": False,
        "unreadable_fields": [],
        **expected_insights(record),
    }


def same_number(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def diff_item(actual: Mapping[str, Any], expected: Mapping[str, Any]) -> list[str]:
    """Every field that differs, as readable lines (empty: the same)."""
    out = []
    label = f"{expected.get('alias') or ''}#{str(expected['id'])[:10]}"
    for name in FIELDS:
        if name not in expected:
            continue
        want, got = expected[name], actual.get(name)
        if name in _DATES:
            same = (when(got) if isinstance(got, str) else got) == want
        elif name in _NUMBERS:
            same = same_number(got, want)
        else:
            same = got == want
        if not same:
            out.append(f"{label} {name}: Keydash {got!r} != expected {want!r}")
    return out


def diff_sets(
    actual: Iterable[Mapping[str, Any]], expected: Iterable[Mapping[str, Any]], what: str
) -> list[str]:
    got = {item["id"]: item for item in actual}
    want = {item["id"]: item for item in expected}
    out = [f"{what}: missing in Keydash {key[:10]}" for key in want.keys() - got.keys()]
    out += [f"{what}: not expected in Keydash {key[:10]}" for key in got.keys() - want.keys()]
    for key in want.keys() & got.keys():
        out += diff_item(got[key], want[key])
    return sorted(out)


def searchable(item: Mapping[str, Any]) -> list[str]:
    """The fields a search term may match (docs/api.md: owner, description, alias, tag, model)."""
    texts = [item.get(name) for name in ("owner_username", "owner_email", "owner_id")]
    texts += [item.get("description"), item.get("alias"), *item["tags"], *item["allowed_models"]]
    return [text for text in texts if isinstance(text, str)]


def matches(item: Mapping[str, Any], search: str) -> bool:
    terms = search.casefold().split()
    return all(any(term in text.casefold() for text in searchable(item)) for term in terms)


def newest_first(items: Iterable[Mapping[str, Any]]) -> list[str]:
    """Ids in Keydash's default order: created_at desc, then id desc."""
    return [
        item["id"]
        for item in sorted(
            items,
            key=lambda item: (item["created_at"] or datetime.min.replace(tzinfo=UTC), item["id"]),
            reverse=True,
        )
    ]


def reaches_every_model(item: Mapping[str, Any]) -> bool:
    models = item["allowed_models"]
    return not models or any(model.startswith("all-") for model in models)


def expected_facets(items: list[dict[str, Any]], as_of: datetime) -> dict[str, Any]:
    """Facet counts over `items` with no filter set (docs/api.md, GET /api/keys/facets)."""

    def counts(values: Iterable[str]) -> dict[str, int]:
        return dict(Counter(values))

    def expiring(days: int) -> int:
        limit = as_of + timedelta(days=days)
        return sum(
            1 for i in items if i["expires_at"] is not None and as_of < i["expires_at"] <= limit
        )

    def share(at_least: float) -> int:
        return sum(
            1
            for i in items
            if i["max_budget"]
            and i["max_budget"] > 0
            and (i["spend"] or 0.0) / i["max_budget"] >= at_least
        )

    return {
        "total": len(items),
        "total_spend": sum(i["spend"] or 0.0 for i in items),
        "status": {
            s: sum(1 for i in items if i["status"] == s) for s in ("active", "expired", "blocked")
        },
        "expires_within_days": {7: expiring(7), 30: expiring(30), 90: expiring(90)},
        "never_expires": sum(1 for i in items if i["expires_at"] is None),
        "all_models": sum(1 for i in items if reaches_every_model(i)),
        "owner_missing": sum(1 for i in items if i["owner"] is None),
        "team_missing": sum(1 for i in items if i["team_id"] is None),
        "spend_share_at_least": {0.5: share(0.5), 0.8: share(0.8), 1.0: share(1.0)},
        "tags": counts(t for i in items for t in i["tags"]),
        "models": counts(m for i in items for m in i["allowed_models"]),
        "teams": counts(i["team_id"] for i in items if i["team_id"]),
        "owners": counts(i["owner"] for i in items if i["owner"]),
    }


def diff_facets(actual: Mapping[str, Any], expected: Mapping[str, Any]) -> list[str]:
    out = []
    for name in ("total", "never_expires", "all_models", "owner_missing", "team_missing"):
        if actual.get(name) != expected[name]:
            out.append(f"facets.{name}: Keydash {actual.get(name)!r} != {expected[name]!r}")
    # Keydash rounds the facet's total spend to 6 decimals (a millionth of a dollar).
    total_spend = actual.get("total_spend")
    if not (
        isinstance(total_spend, float | int) and abs(total_spend - expected["total_spend"]) <= 5e-7
    ):
        out.append(
            f"facets.total_spend: {actual.get('total_spend')!r} != {expected['total_spend']!r}"
        )
    if actual.get("status") != expected["status"]:
        out.append(f"facets.status: {actual.get('status')!r} != {expected['status']!r}")
    for name, key in (("expires_within_days", "days"), ("spend_share_at_least", "share")):
        got = {row[key]: row["count"] for row in actual.get(name) or []}
        if got != expected[name]:
            out.append(f"facets.{name}: {got!r} != {expected[name]!r}")
    for name in ("tags", "models", "teams", "owners"):
        block = actual.get(name) or {}
        got = {row["value"]: row["count"] for row in block.get("values") or []}
        if got != expected[name]:
            out.append(f"facets.{name}: {got!r} != {expected[name]!r}")
        if block.get("distinct") != len(expected[name]):
            out.append(
                f"facets.{name}.distinct: {block.get('distinct')!r} != {len(expected[name])}"
            )
    return out

"""The generator's draws for a key's own fields: models, tags, metadata, dates, spend and limits.

Every draw comes from the generator's one `random.Random`, so the order in which the generator
calls these methods is part of the output; see `generator`.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from keydash_fakes.litellm import catalog, timestamps
from keydash_fakes.litellm.people import Owner
from keydash_fakes.litellm.records import budget_table

_TWO_YEARS = timedelta(days=730)


def _midnight(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


class KeyFields:
    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now
        self.last_created: datetime | None = None

    def models(self, trait: str | None) -> list[str]:
        rng = self.rng
        if trait == "empty_models":
            return []
        if trait == "all_team_models":
            return ["all-team-models"]
        if trait == "all_proxy_models":
            return ["all-proxy-models"]
        if trait == "long_models":
            return rng.sample(catalog.MODELS, rng.randint(6, 9))
        roll = rng.random()
        if roll < 0.20:
            return []
        if roll < 0.28:
            return list(rng.choice(catalog.SPECIAL_MODEL_LISTS))
        if roll < 0.35:
            return rng.sample(catalog.MODELS, rng.randint(6, 9))
        return rng.sample(catalog.MODELS, rng.randint(1, 3))

    def _tags(self, trait: str | None) -> Any:
        rng = self.rng
        if trait == "tags_string" or (trait is None and rng.random() < 0.05):
            return rng.choice(catalog.TAGS)
        if trait == "tags_mixed" or (trait is None and rng.random() < 0.03):
            return [rng.choice(catalog.TAGS), 42, None, "läbel"]
        return rng.sample(catalog.TAGS, rng.randint(1, 3))

    def metadata(self, owner: Owner, trait: str | None) -> dict[str, Any]:
        rng = self.rng
        if trait == "empty_metadata" or (trait is None and rng.random() < 0.08):
            return {}
        meta: dict[str, Any] = {}
        if trait == "rtl_description":
            meta["description"] = rng.choice(catalog.UNICODE_DESCRIPTIONS[1:3])
        elif rng.random() < 0.85:
            roll = rng.random()
            if roll < 0.05:
                meta["description"] = None
            elif roll < 0.13:
                meta["description"] = rng.choice(catalog.UNICODE_DESCRIPTIONS)
            else:
                meta["description"] = rng.choice(catalog.DESCRIPTIONS)
        if trait in {"tags_string", "tags_mixed"} or rng.random() < 0.85:
            meta["tags"] = self._tags(trait)
        if owner.row is None and (trait == "orphan_owner_in_metadata" or rng.random() < 0.4):
            # Without a user row, teams record who is responsible in free-form metadata.
            if owner.service:
                meta["owner"] = rng.choice(["platform", "data-eng", "finance-ops", "sre"])
                meta["service_account_id"] = owner.alias_stem
            elif rng.random() < 0.5:
                meta["owner"] = rng.choice(["someone-else", "jdoe", "Mika Laine"])
            else:
                meta["username"] = owner.alias_stem
        if rng.random() < 0.1:
            meta["cost_center"] = f"cc-{rng.randint(1000, 9999)}"
        return meta

    def created_at(self, trait: str | None) -> datetime | None:
        rng = self.rng
        if trait == "null_created_at" or (trait is None and rng.random() < 0.02):
            return None
        duplicate = trait == "same_created_at" or (trait is None and rng.random() < 0.04)
        if duplicate and self.last_created is not None:
            return self.last_created
        offset = rng.randint(3600, int(_TWO_YEARS.total_seconds()))
        # Mostly millisecond precision, like Prisma; some whole seconds, like rows set by hand.
        millis = 0 if rng.random() < 0.15 else rng.randrange(1, 1000)
        moment = (self.now - timedelta(seconds=offset)).replace(microsecond=millis * 1000)
        self.last_created = moment
        return moment

    def expires(self, created: datetime | None, trait: str | None) -> str | None:
        rng = self.rng
        roll = rng.random()
        if trait == "expired" or (trait is None and roll < 0.15):
            earliest = max(created or self.now - _TWO_YEARS, self.now - timedelta(days=365))
            span = max(int((self.now - timedelta(days=1) - earliest).total_seconds()), 3600)
            moment = self.now - timedelta(days=1) - timedelta(seconds=rng.randrange(span))
        elif trait == "future_expiry" or (trait is None and roll < 0.30):
            moment = self.now + timedelta(days=rng.randint(2, 400))
        else:
            return None
        if rng.random() < 0.6:
            return timestamps.iso(_midnight(moment))
        return timestamps.iso(moment)

    def blocked(self, trait: str | None) -> bool | None:
        if trait == "blocked":
            return True
        if trait == "blocked_false":
            return False
        return self.rng.choices([None, False, True], weights=[85, 7, 8])[0]

    def between(self, start: datetime | None) -> datetime:
        """A moment from `start` (two years ago when unknown) up to now."""
        start = start or self.now - _TWO_YEARS
        span = max(int((self.now - start).total_seconds()), 1)
        return start + timedelta(
            seconds=self.rng.randrange(span), milliseconds=self.rng.randrange(1000)
        )

    def spend(self, models: list[str], trait: str | None) -> dict[str, Any]:
        rng = self.rng
        spend = 0.0 if rng.random() < 0.3 else round(min(rng.lognormvariate(1.2, 1.6), 5000.0), 4)
        max_budget = rng.choice(catalog.BUDGETS) if rng.random() < 0.45 else None
        if trait == "over_budget":
            spend, max_budget = 12.5, 10.0
        fields: dict[str, Any] = {
            "spend": spend,
            "total_spend": round(spend + (rng.uniform(0, 50) if rng.random() < 0.3 else 0.0), 4),
            "max_budget": max_budget,
        }
        if max_budget is not None and rng.random() < 0.5:
            reset = _midnight(self.now + timedelta(days=rng.randint(1, 30)))
            fields["budget_duration"] = rng.choice(catalog.BUDGET_DURATIONS)
            fields["budget_reset_at"] = timestamps.iso(reset)
        real_models = [m for m in models if not m.startswith(("all-", "no-"))]
        if spend > 0 and real_models:
            first = round(spend * rng.uniform(0.5, 1.0), 4)
            fields["model_spend"] = {real_models[0]: first}
            if len(real_models) > 1:
                fields["model_spend"][real_models[1]] = round(spend - first, 4)
        return fields

    def limits(self, trait: str | None) -> dict[str, Any]:
        rng = self.rng
        fields: dict[str, Any] = {}
        if rng.random() < 0.2:
            fields["tpm_limit"], fields["rpm_limit"] = rng.choice(
                [(10_000, 60), (100_000, 600), (200_000, 1000)]
            )
        if trait == "budget_table" or (trait is None and rng.random() < 0.04):
            reset = timestamps.iso(_midnight(self.now + timedelta(days=8)))
            fields["budget_id"] = "budget-tier-standard"
            fields["litellm_budget_table"] = budget_table(
                budget_id="budget-tier-standard",
                max_budget=250.0,
                tpm_limit=200_000,
                rpm_limit=1000,
                budget_duration="30d",
                budget_reset_at=reset,
                created_at="2025-06-01T08:00:00Z",
                created_by="default_user_id",
                updated_at="2025-06-01T08:00:00Z",
                updated_by="default_user_id",
            )
        if rng.random() < 0.05:
            rotated = self.now - timedelta(days=rng.randint(1, 29))
            fields.update(
                rotation_count=rng.randint(1, 3),
                auto_rotate=True,
                rotation_interval="30d",
                last_rotation_at=timestamps.iso(rotated),
                key_rotation_at=timestamps.iso(rotated + timedelta(days=30)),
            )
        return fields

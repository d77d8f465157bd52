"""The usage drawer's body: one key's spend, requests and tokens per day, with its top models."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

from keydash_core.key_usage import KeyUsage, UsageFigures
from pydantic import BaseModel, Field

SPEND_SOURCE_NOTE = (
    "From LiteLLM's daily activity (its spend logs). It can differ from the key's spend counter,"
    " which budgets are checked against (BerriAI/litellm #37144)."
)


class UsageFiguresOut(BaseModel):
    spend: float
    requests: int
    successful_requests: int
    failed_requests: int
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int

    @classmethod
    def from_domain(cls, figures: UsageFigures) -> UsageFiguresOut:
        return cls(**_figure_fields(figures))


def _figure_fields(figures: UsageFigures) -> dict[str, float | int]:
    """The figures as the body's fields: the days and the models carry the same ones."""
    fields = asdict(figures)
    fields["spend"] = round(figures.spend, 8)  # float sums: no noise past a millionth of a cent
    return fields


class DayUsageOut(UsageFiguresOut):
    date: date


class ModelUsageOut(UsageFiguresOut):
    model: str


class KeyUsageOut(BaseModel):
    key_id: str
    start_date: date
    end_date: date
    available: bool = Field(description="False when this LiteLLM has no daily activity or refuses")
    unavailable_reason: str | None
    days: list[DayUsageOut] = Field(description="Every day of the window, oldest first")
    totals: UsageFiguresOut
    top_models: list[ModelUsageOut] = Field(description="By spend, at most five")
    fetched_at: datetime
    note: str = Field(description="Where the figures come from, and how they may differ")

    @classmethod
    def from_domain(cls, usage: KeyUsage) -> KeyUsageOut:
        return cls(
            key_id=usage.key_id,
            start_date=usage.start,
            end_date=usage.end,
            available=usage.available,
            unavailable_reason=usage.unavailable_reason,
            days=[
                DayUsageOut(date=entry.day, **_figure_fields(entry.figures)) for entry in usage.days
            ],
            totals=UsageFiguresOut.from_domain(usage.totals),
            top_models=[
                ModelUsageOut(model=share.model, **_figure_fields(share.figures))
                for share in usage.top_models
            ],
            fetched_at=usage.fetched_at,
            note=SPEND_SOURCE_NOTE,
        )

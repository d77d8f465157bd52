"""LiteLLM's daily activity for one key: its real shape, one request for many viewers, a short
memory, and 'not available' (not an error) where the endpoint is missing or refuses."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import httpx
import pytest
from fixture_data import sample
from keydash_adapters.litellm.usage import LiteLLMUsageSource, parse_days
from keydash_core.errors import UpstreamBadResponse, UpstreamHttpError, UpstreamTimeout
from keydash_fakes.litellm.server import create_app
from sync_support import MASTER_KEY, make_fake

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
START, END = date(2026, 11, 1), date(2026, 11, 30)


class Clock:
    def now(self) -> datetime:
        return NOW


def test_the_real_proxys_answer_is_read() -> None:
    # Recorded from LiteLLM 1.108.7: two requests through a mocked model, on one day.
    days = parse_days(sample("daily-activity-1.108.7.json"))
    assert [entry.day for entry in days] == [date(2026, 11, 30)]
    figures = days[0].figures
    assert (figures.requests, figures.successful_requests, figures.failed_requests) == (2, 2, 0)
    assert (figures.prompt_tokens, figures.completion_tokens, figures.total_tokens) == (16, 40, 56)
    assert figures.spend == pytest.approx(2.64e-05)
    # Model groups are the names keys are granted (the provider's name is openai/gpt-4o-mini).
    assert list(days[0].models) == ["mock-gpt"]


@pytest.mark.parametrize("body", [[], {"results": "no"}, {"results": [1]}, {"results": [{}]}])
def test_off_contract_answers_are_bad_responses(body: object) -> None:
    with pytest.raises(UpstreamBadResponse):
        parse_days(body)


def _source(handler: httpx.MockTransport, **options: float) -> LiteLLMUsageSource:
    http = httpx.AsyncClient(transport=handler, base_url="http://litellm")
    return LiteLLMUsageSource(
        http,
        api_key=MASTER_KEY,
        clock=Clock(),
        deadline_seconds=options.get("deadline", 2.0),
        remember_seconds=options.get("remember", 60.0),
    )


async def test_concurrent_viewers_share_one_request_and_it_is_remembered() -> None:
    calls: list[httpx.Request] = []

    async def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        await asyncio.sleep(0.05)
        return httpx.Response(200, json=sample("daily-activity-1.108.7.json"))

    source = _source(httpx.MockTransport(answer))
    reports = await asyncio.gather(*(source.daily_usage("a" * 64, START, END) for _ in range(5)))
    await source.daily_usage("a" * 64, START, END)
    assert len(calls) == 1
    assert all(report is reports[0] for report in reports)
    params = calls[0].url.params
    assert (params["api_key"], params["start_date"], params["end_date"]) == (
        "a" * 64,
        "2026-11-01",
        "2026-11-30",
    )
    assert calls[0].headers["x-litellm-api-key"] == MASTER_KEY
    await source.daily_usage("b" * 64, START, END)
    assert len(calls) == 2  # another key is another question


async def test_an_answer_is_forgotten_after_its_time() -> None:
    calls = 0

    def answer(_: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return httpx.Response(200, json={"results": []})

    source = _source(httpx.MockTransport(answer), remember=0.0)
    await source.daily_usage("a" * 64, START, END)
    await source.daily_usage("a" * 64, START, END)
    assert calls == 2


@pytest.mark.parametrize(
    ("status", "body", "words"),
    [
        (404, {"detail": "Not Found"}, "no per-key daily activity"),
        (403, {"detail": {"error": "Service-account keys cannot query"}}, "refused"),
        (400, {"detail": {"error": "Please provide start_date and end_date"}}, "refused"),
    ],
)
async def test_missing_or_refused_is_not_available(status: int, body: object, words: str) -> None:
    source = _source(httpx.MockTransport(lambda _: httpx.Response(status, json=body)))
    report = await source.daily_usage("a" * 64, START, END)
    assert not report.available
    assert words in (report.unavailable_reason or "")


async def test_litellm_failing_or_hanging_is_an_upstream_error() -> None:
    failing = _source(httpx.MockTransport(lambda _: httpx.Response(503, json={})))
    with pytest.raises(UpstreamHttpError):
        await failing.daily_usage("a" * 64, START, END)

    async def hang(_: httpx.Request) -> httpx.Response:
        await asyncio.sleep(10)
        return httpx.Response(200, json={"results": []})

    hanging = _source(httpx.MockTransport(hang), deadline=0.2)
    with pytest.raises(UpstreamTimeout):
        await hanging.daily_usage("a" * 64, START, END)


async def test_against_the_fake_a_used_key_has_days_and_an_unused_one_none() -> None:
    fake = make_fake(60)
    used = next(k for k in fake.keys if k.get("last_active"))
    unused = next(k for k in fake.keys if not k.get("last_active"))
    last = datetime.fromisoformat(str(used["last_active"])).date()
    transport = httpx.ASGITransport(app=create_app(fake))
    async with httpx.AsyncClient(transport=transport, base_url="http://fake") as http:
        source = LiteLLMUsageSource(http, api_key=MASTER_KEY, clock=Clock(), deadline_seconds=5)
        found = await source.daily_usage(str(used["token"]), last, last)
        none = await source.daily_usage(str(unused["token"]), START, END)
    assert [entry.day for entry in found.days] == [last]
    assert found.days[0].figures.requests > 0
    assert none.days == ()
    assert none.available
    fake.faults.no_daily_activity = True
    async with httpx.AsyncClient(transport=transport, base_url="http://fake") as http:
        source = LiteLLMUsageSource(http, api_key=MASTER_KEY, clock=Clock(), deadline_seconds=5)
        assert not (await source.daily_usage(str(used["token"]), START, END)).available

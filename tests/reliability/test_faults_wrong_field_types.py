"""One field of one LiteLLM record with a value of the wrong JSON type: that key is kept and marked
partial, naming the field, and every other key is served as it was."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from keydash_fakes.litellm import FakeLiteLLM, running_fake_litellm
from reliability_clients import logged_in_client
from reliability_fake_litellm import new_fake
from reliability_in_process import build_app, serving

# Each field Keydash reads, with values of every wrong JSON type.
READ_FIELDS = {
    "token": [12345, True, ["list"], {"an": "object"}, ""],
    "key_name": [12345, True, ["list"], {"an": "object"}],
    "key_alias": [12345, True, ["list"], {"an": "object"}],
    "user_id": [12345, True, ["list"], {"an": "object"}],
    "team_id": [12345, True, ["list"], {"an": "object"}],
    "expires": [12345, True, ["list"], {"an": "object"}, "not a date", "2026-13-45T99:99:99"],
    "created_at": [12345, True, ["list"], {"an": "object"}, "yesterday"],
    "models": [12345, True, "gpt-4o", {"an": "object"}, [1, None, "gpt-4o"]],
    "spend": ["lots", True, ["list"], {"an": "object"}],
    "max_budget": ["unlimited", True, ["list"], {"an": "object"}],
    "blocked": ["yes", 1, ["list"], {"an": "object"}],
    "metadata": [12345, True, "text", ["list"]],
}


@pytest.fixture(scope="module")
def small() -> Iterator[tuple[FakeLiteLLM, httpx.Client]]:
    """30 keys (one LiteLLM page) behind an app with no mirror: the default view reads LiteLLM's
    page on every request, through the same mapping the sync uses."""
    fake = new_fake(30)
    with running_fake_litellm(fake) as url:
        app, _ = build_app(litellm_base_url=url, cache_ttl_seconds=0)
        with serving(app) as base:
            http = logged_in_client(base)
            yield fake, http
            http.close()


def _with_one_wrong(small: tuple[FakeLiteLLM, httpx.Client], edit: Any) -> dict[str, Any]:
    fake, http = small
    original = [dict(key) for key in fake.keys]
    try:
        victim = next(key for key in fake.keys if key.get("user") and key.get("metadata"))
        edit(victim)
        response = http.get("/api/keys", params={"size": 100})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert body["total_keys"] == len(body["items"]) == len(fake.keys)
        return body
    finally:
        fake.keys[:] = original


@pytest.mark.parametrize(
    ("field", "value"),
    [(field, value) for field, values in READ_FIELDS.items() for value in values],
    ids=lambda item: json.dumps(item)[:20],
)
def test_one_wrong_field_marks_that_key_partial_and_keeps_it(
    small: tuple[FakeLiteLLM, httpx.Client], field: str, value: Any
) -> None:
    body = _with_one_wrong(small, lambda victim: victim.__setitem__(field, value))
    partial = [item for item in body["items"] if item["partial"]]
    assert body["partial_count"] == len(partial) == 1
    assert field in partial[0]["unreadable_fields"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("user", "alice"),
        ("user", ["alice"]),
        ("metadata.tags", {"team": "prod"}),
        ("metadata.tags", 7),
    ],
)
def test_wrong_owner_row_or_tags_are_reported_not_dropped_silently(
    small: tuple[FakeLiteLLM, httpx.Client], field: str, value: Any
) -> None:
    def edit(victim: dict[str, Any]) -> None:
        if field == "metadata.tags":
            victim["metadata"] = {**victim["metadata"], "tags": value}
        else:
            victim[field] = value

    assert _with_one_wrong(small, edit)["partial_count"] == 1

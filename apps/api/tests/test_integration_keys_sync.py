"""The sync seen through the API: staleness on every view and export, the status page and
readyz, changes in LiteLLM showing within an interval, and one log line a pass.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pytest
from api_support import LITELLM_KEY
from keydash_fakes.litellm import FakeLiteLLM
from keys_integration_support import KEY_COUNT, MESSAGE_500, all_items, as_moment, get_json, ids_of
from litellm_support import (
    FAST_FAILURE,
    LONG_INTERVAL,
    SHORT_INTERVAL,
    AppClients,
    container_of,
    fresh_pass,
    json_lines,
    key_sync,
    run_pass,
    serving_fake,
    wait_for,
    wait_until_ready,
    wake,
)
from litellm_support import status as api_status


def test_after_a_failed_pass_keys_facets_and_export_say_how_stale_they_are(
    fake: FakeLiteLLM, clients: AppClients
) -> None:
    client = clients.synced(sync_interval_seconds=LONG_INTERVAL, **FAST_FAILURE)
    healthy = get_json(client)["freshness"]
    fake.faults.fail_status = 500
    wake(client)
    keys = wait_for(
        lambda: (found := get_json(client))["freshness"]["stale"] and found, "the failed pass"
    )
    freshness = keys["freshness"]
    assert keys["total"] == KEY_COUNT
    assert freshness["source"] == "mirror"
    assert freshness["as_of"] == healthy["as_of"]
    assert freshness["last_error"]["code"] == "upstream_error"
    assert freshness["last_error"]["message"] == MESSAGE_500
    assert as_moment(freshness["last_error"]["at"]) > as_moment(freshness["as_of"])
    assert get_json(client, "/api/keys/facets")["freshness"] == freshness
    assert get_json(client, search="a")["freshness"] == freshness

    exported = client.get("/api/keys/export", params={"format": "json"})
    assert exported.status_code == 200
    assert exported.json()["freshness"] == freshness
    assert len(exported.json()["items"]) == KEY_COUNT
    table = client.get("/api/keys/export", params={"format": "csv"})
    assert len(list(csv.DictReader(io.StringIO(table.text)))) == KEY_COUNT
    for response in (exported, table):
        assert response.headers["x-keydash-stale"] == "true"
        assert response.headers["x-keydash-last-error"] == "upstream_error"
        assert as_moment(response.headers["x-keydash-as-of"]) == as_moment(freshness["as_of"])

    sync = api_status(client)["sync"]
    assert sync["state"] == "ready"
    assert sync["last_error"] == freshness["last_error"]
    assert sync["last_success_at"] == freshness["as_of"]
    assert sync["mirrored_keys"] == KEY_COUNT
    assert api_status(client)["freshness"] == freshness

    # A successful pass clears it all.
    fake.reset()
    fresh_pass(client)
    recovered = get_json(client)["freshness"]
    assert (recovered["stale"], recovered["last_error"]) == (False, None)
    assert get_json(client, "/api/keys/facets")["freshness"] == recovered
    table = client.get("/api/keys/export", params={"format": "csv"})
    assert table.headers["x-keydash-stale"] == "false"
    assert "x-keydash-last-error" not in table.headers
    assert as_moment(table.headers["x-keydash-as-of"]) == as_moment(recovered["as_of"])
    assert api_status(client)["sync"]["last_error"] is None


def test_status_reports_the_sync_and_the_key_scope(fake: FakeLiteLLM, clients: AppClients) -> None:
    client = clients.synced(sync_interval_seconds=LONG_INTERVAL)
    current = api_status(client)
    sync = current["sync"]
    assert sync["state"] == "ready"
    assert sync["progress"] == {"loaded": KEY_COUNT, "total": KEY_COUNT, "eta_seconds": 0.0}
    assert (sync["mirrored_keys"], sync["interval_seconds"]) == (KEY_COUNT, LONG_INTERVAL)
    assert sync["last_error"] is None
    assert sync["last_success_at"] is not None
    # The master key may list another user's keys: it sees every key.
    scope = current["key_scope"]
    assert (scope["scope"], scope["role"], scope["warning"]) == ("all", "proxy_admin", None)
    assert scope["visible_keys"] == KEY_COUNT
    probes = [call for call in fake.requests if call.get("user_id") == "keydash-scope-probe"]
    assert [(call["page"], call["size"]) for call in probes] == [("1", "1")]
    assert current["freshness"]["source"] == "mirror"
    assert current["freshness"]["as_of"] == sync["last_success_at"]
    # Asked once, then remembered: the status page is no load on LiteLLM.
    api_status(client)
    assert len([call for call in fake.requests if call.get("user_id")]) == 1


def test_readyz_says_litellm_answers_with_the_sync_state_and_key_scope(
    fake: FakeLiteLLM, clients: AppClients
) -> None:
    client = clients.synced(**FAST_FAILURE)
    response = client.get("/api/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "sync": "ready", "key_scope": "all"}
    fake.faults.fail_status = 503
    container_of(client).readiness.reset()  # forget the remembered answer
    response = client.get("/api/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "sync": "ready", "key_scope": "all"}


def test_keys_created_blocked_and_deleted_in_litellm_show_within_an_interval() -> None:
    with serving_fake(40, seed=5, master_key=LITELLM_KEY) as fake:
        apps = AppClients(fake)
        try:
            client = apps.synced(sync_interval_seconds=SHORT_INTERVAL)
            within = SHORT_INTERVAL + 1.0

            def found(**params: Any) -> list[dict[str, Any]]:
                body = get_json(client, search="late-arrival", **params)
                items: list[dict[str, Any]] = body["items"]
                return items

            token = str(fake.create_key({"key_alias": "late-arrival"})["token"])
            created = wait_for(lambda: found(), "the created key", timeout=within)
            assert ids_of(created) == [token]
            assert created[0]["status"] == "active"

            fake.block_key(token)
            wait_for(lambda: found(status="blocked"), "the blocked key", timeout=within)

            fake.delete_key(token)
            wait_for(lambda: not found(), "the deleted key to leave", timeout=within)
            assert get_json(client)["total_keys"] == 40
        finally:
            apps.close()


def test_each_sync_pass_logs_one_line_and_a_failed_pass_a_warning_with_its_cause(
    fake: FakeLiteLLM, clients: AppClients, capsys: pytest.CaptureFixture[str]
) -> None:
    client = clients.synced(sync_interval_seconds=LONG_INTERVAL, **FAST_FAILURE)
    lines = json_lines(capsys.readouterr().out)
    finished = [line for line in lines if line["event"] == "sync_finished"]
    assert [line["kind"] for line in finished] == ["first_load", "incremental"]
    assert key_sync(client).passes == 2
    first, catch_up = finished
    assert (first["upstream_requests"], first["changed"], first["mirrored"]) == (3, 250, 250)
    assert (catch_up["upstream_requests"], catch_up["changed"], catch_up["removed"]) == (2, 0, 0)
    assert all(line["level"] == "info" and line["seconds"] >= 0 for line in finished)
    assert not [line for line in lines if line["event"] == "sync_failed"]

    run_pass(client)
    lines = json_lines(capsys.readouterr().out)
    assert [line["kind"] for line in lines if line["event"] == "sync_finished"] == ["incremental"]

    fake.faults.fail_status = 500
    wake(client)
    wait_for(lambda: key_sync(client).freshness().stale, "the failed pass")
    lines = json_lines(capsys.readouterr().out)
    assert not [line for line in lines if line["event"] == "sync_finished"]
    failed = [line for line in lines if line["event"] == "sync_failed"]
    assert len(failed) == 1
    warning = failed[0]
    assert (warning["level"], warning["kind"], warning["code"]) == (
        "warning",
        "incremental",
        "upstream_error",
    )
    assert warning["cause"] == MESSAGE_500
    assert isinstance(warning["served_data_age_seconds"], int | float)
    assert warning["served_data_age_seconds"] >= 0


def test_a_first_load_failing_after_its_first_page_is_reported_and_retried(
    fake: FakeLiteLLM, clients: AppClients
) -> None:
    original = fake.request_started

    def fail_after_page_one(params: dict[str, str]) -> None:
        original(params)
        if params.get("page") != "1" and "sort_by" not in params:
            fake.faults.fail_status = 500

    # Page 1 of the first load answers; every later page fails (retried, then given up).
    fake.request_started = fail_after_page_one  # type: ignore[method-assign]
    try:
        client = clients.started(**FAST_FAILURE)

        def failed() -> httpx.Response | None:
            response = client.get("/api/keys", params={"search": "a"})
            return response if response.status_code != 503 else None

        response = wait_for(failed, "the first load to report its failure")
        assert response.status_code == 502
        assert response.json()["error"]["message"] == MESSAGE_500
        assert api_status(client)["sync"]["progress"]["loaded"] == 100
    finally:
        fake.request_started = original  # type: ignore[method-assign]
    # The loop survived the failure: once LiteLLM answers, the next attempt ends the load.
    fake.reset()
    wake(client)
    wait_until_ready(client)
    assert len(all_items(client, search="")) == KEY_COUNT


def test_a_litellm_ignoring_sort_by_is_followed_in_full_and_named_in_a_warning(
    fake: FakeLiteLLM, clients: AppClients, capsys: pytest.CaptureFixture[str]
) -> None:
    client = clients.synced(sync_interval_seconds=LONG_INTERVAL)
    fake.faults.ignore_sort_by = True
    oldest = min(fake.keys, key=lambda row: str(row["created_at"]))["token"]
    fake.block_key(oldest)
    capsys.readouterr()
    run_pass(client)
    passes = [line for line in json_lines(capsys.readouterr().out) if "kind" in line]
    assert [(line["event"], line["level"]) for line in passes] == [("sync_finished", "warning")]
    assert passes[0]["cause"] == "LiteLLM ignores sort_by=updated_at"
    assert passes[0]["changed"] >= 1
    blocked = get_json(client, status="blocked", size=100)["items"]
    assert oldest in ids_of(blocked)

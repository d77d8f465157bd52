import json

import pytest
from api_support import LITELLM_KEY, PASSWORD, USERNAME, make_app, memory_repository
from fastapi.testclient import TestClient
from keydash_api.logging_setup import REDACTED, SecretRedactor
from prometheus_client import generate_latest


def test_redactor_drops_sensitive_fields_and_scrubs_known_secrets() -> None:
    redact = SecretRedactor(["hunter2-secret"])
    event = redact(
        None,
        "info",
        {
            "event": "x",
            "password": "p",
            "Authorization": "Bearer abc",
            "nested": {"cookie": "keydash_session=abc", "note": "has hunter2-secret inside"},
            "detail": "key sk-abcdefghijklmnop leaked",
            "token_count": None,
        },
    )
    assert event["password"] == event["Authorization"] == REDACTED
    assert event["nested"] == {"cookie": REDACTED, "note": f"has {REDACTED} inside"}
    assert event["detail"] == f"key {REDACTED} leaked"
    assert event["token_count"] is None


def test_one_json_log_event_per_request_with_its_id(capsys: pytest.CaptureFixture[str]) -> None:
    app, _ = make_app(memory_repository())
    client = TestClient(app)
    capsys.readouterr()
    response = client.post("/api/auth/login", json={"username": USERNAME, "password": PASSWORD})
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    requests = [line for line in lines if line["event"] == "request"]
    assert len(requests) == 1
    event = requests[0]
    assert event["request_id"] == response.headers["x-request-id"]
    assert (event["route"], event["status"], event["upstream_calls"]) == ("/api/auth/login", 200, 0)
    assert event["latency_ms"] >= 0
    text = json.dumps(lines)
    assert PASSWORD not in text
    assert response.json()["access_token"] not in text
    assert LITELLM_KEY not in text


def test_metrics_count_requests_and_login_failures() -> None:
    app, container = make_app(memory_repository())
    client = TestClient(app)
    client.post("/api/auth/login", json={"username": USERNAME, "password": "wrong"})
    client.get("/api/healthz")
    exposition = generate_latest(container.metrics().registry).decode()
    assert 'keydash_login_failures_total{reason="invalid_credentials"} 1.0' in exposition
    assert (
        'keydash_http_request_duration_seconds_count{method="GET",route="/api/healthz",status="200"}'
        in exposition
    )

from api_support import logged_in, make_app, memory_repository
from fastapi.testclient import TestClient
from keydash_fakes.memory import FixedClock


def test_healthz_needs_no_auth_and_says_little() -> None:
    app, _ = make_app(memory_repository())
    response = TestClient(app).get("/api/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_503_when_litellm_is_unreachable() -> None:
    # The default test settings point at 127.0.0.1:9, where nothing listens.
    app, _ = make_app(memory_repository(), upstream_deadline_seconds=1, upstream_max_attempts=1)
    response = TestClient(app).get("/api/readyz")
    assert response.status_code == 503
    # The sync never started (the client was not entered) and the scope was never looked up.
    assert response.json() == {"status": "unavailable", "sync": "starting", "key_scope": "unknown"}


def test_openapi_documents_every_endpoint_with_models() -> None:
    app, _ = make_app(memory_repository())
    spec = TestClient(app).get("/api/openapi.json").json()
    paths = spec["paths"]
    assert set(paths) >= {
        "/api/auth/login",
        "/api/auth/logout",
        "/api/auth/me",
        "/api/keys",
        "/api/healthz",
        "/api/readyz",
        "/api/status",
    }
    keys = paths["/api/keys"]["get"]
    assert keys["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/KeyPage"
    )
    for status in ("401", "422", "502", "503", "504"):
        assert keys["responses"][status]["content"]["application/json"]["schema"]["$ref"].endswith(
            "/ErrorEnvelope"
        )
    sort_by = next(p for p in keys["parameters"] if p["name"] == "sort_by")
    assert "owner" in str(sort_by["schema"]) or "SortField" in str(sort_by["schema"])
    for path in ("/api/keys/facets", "/api/keys/export"):
        assert paths[path]["get"]["responses"]["503"]["content"]["application/json"]["schema"][
            "$ref"
        ].endswith("/ErrorEnvelope")
    status = paths["/api/status"]["get"]
    assert status["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/StatusOut"
    )
    assert status["responses"]["401"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ErrorEnvelope"
    )
    ready = paths["/api/readyz"]["get"]["responses"]
    assert ready["503"]["content"]["application/json"]["schema"]["$ref"].endswith("/ReadyStatus")
    schemas = spec["components"]["schemas"]
    assert set(schemas["ErrorBody"]["properties"]) >= {"code", "message", "request_id", "progress"}
    assert set(schemas["FreshnessOut"]["required"]) == {"as_of", "stale", "last_error", "source"}


def test_status_needs_a_session_and_refuses_an_expired_one() -> None:
    clock = FixedClock()
    app, _ = make_app(memory_repository(), clock=clock)
    client = TestClient(app)
    response = client.get("/api/status")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    logged_in(client)
    assert client.get("/api/status").status_code == 200
    clock.advance(3600 + 60)
    response = client.get("/api/status")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_expired"


def test_status_without_a_sync_or_a_reachable_litellm() -> None:
    # An in-memory repository: no sync runs; LiteLLM (127.0.0.1:9) refuses the scope probe.
    app, _ = make_app(memory_repository(), upstream_deadline_seconds=1, upstream_max_attempts=1)
    body = logged_in(TestClient(app)).get("/api/status").json()
    assert body["sync"]["state"] == "starting"
    assert body["sync"]["mirrored_keys"] == 0
    assert body["sync"]["last_error"] is None
    assert body["key_scope"]["scope"] == "unknown"
    assert body["key_scope"]["warning"] is None

from api_support import make_app, memory_repository
from fastapi.testclient import TestClient


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
    assert response.json() == {"status": "unavailable"}


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
    }
    keys = paths["/api/keys"]["get"]
    assert keys["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/KeyPage"
    )
    for status in ("401", "422", "502", "504"):
        assert keys["responses"][status]["content"]["application/json"]["schema"]["$ref"].endswith(
            "/ErrorEnvelope"
        )
    sort_by = next(p for p in keys["parameters"] if p["name"] == "sort_by")
    assert "owner" in str(sort_by["schema"]) or "SortField" in str(sort_by["schema"])

"""What an answer must look like: the documented error envelope, `freshness`, and waiting for the
mirror (the first load) or for a good sync pass."""

from __future__ import annotations

import time
from typing import Any

import httpx

ERROR_CODES = {
    400: {"invalid_request"},
    401: {"not_authenticated", "invalid_token", "token_expired", "invalid_credentials"},
    403: {"forbidden_origin"},
    404: {"not_found", "key_not_found"},
    405: {"method_not_allowed"},
    413: {"payload_too_large"},
    415: {"unsupported_media_type"},
    422: {"invalid_query", "invalid_request"},
    429: {"too_many_attempts"},
    502: {
        "upstream_unavailable",
        "upstream_error",
        "upstream_auth_failed",
        "upstream_bad_response",
    },
    503: {"mirror_loading"},
    504: {"upstream_timeout"},
}
# The sync's and the single-page read's failures, as `freshness.last_error.code` names them.
UPSTREAM_CODES = ERROR_CODES[502] | ERROR_CODES[504]


def assert_envelope(
    response: httpx.Response, status: int, code: str | None = None
) -> dict[str, Any]:
    """The documented error envelope, with its request id echoed in X-Request-ID."""
    assert response.status_code == status, f"{response.status_code}: {response.text[:500]}"
    assert response.headers["content-type"].startswith("application/json"), response.headers
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert (
        {"code", "message", "request_id"}
        <= set(error)
        <= {
            "code",
            "message",
            "request_id",
            "details",
            "progress",
        }
    ), error
    assert isinstance(error["message"], str), error
    assert error["message"], error
    assert error["request_id"] == response.headers["x-request-id"], error
    assert error["code"] in ERROR_CODES.get(status, {error["code"]}), error
    if code is not None:
        assert error["code"] == code, error
    assert response.headers.get("cache-control") == "no-store", response.headers
    if error["code"] == "mirror_loading":
        # Come back later, told when and how far the first load is.
        assert 1 <= int(response.headers["retry-after"]) <= 60, response.headers
        # (`total` and `eta_seconds` are documented as required but dropped when null: see
        # test_mirror_loading_progress_has_every_documented_field, test_faults_before_a_mirror.py.)
        assert isinstance(error["progress"]["loaded"], int), error
    return dict(error)


def freshness_of(response: httpx.Response) -> dict[str, Any]:
    """The `freshness` of a 200 answer, checked for shape: stale exactly when an error is named."""
    assert response.status_code == 200, f"{response.status_code}: {response.text[:500]}"
    freshness: dict[str, Any] = response.json()["freshness"]
    assert set(freshness) == {"as_of", "stale", "last_error", "source"}, freshness
    assert freshness["source"] in {"mirror", "litellm_page"}, freshness
    error = freshness["last_error"]
    if error is not None:
        assert freshness["stale"] is True, freshness
        assert set(error) == {"at", "code", "message"}, error
        assert error["code"] in UPSTREAM_CODES, error
    return freshness


def loading(response: httpx.Response) -> bool:
    """A 503 `mirror_loading`: the view needs every key and the first load has not ended."""
    if response.status_code != 503:
        return False
    return bool(assert_envelope(response, 503, "mirror_loading"))


def await_mirror(
    client: httpx.Client, params: dict[str, Any] | None = None, seconds: float = 60
) -> httpx.Response:
    """Ask a view that needs every key until it is no longer `mirror_loading`; return that answer.

    Such a view never calls LiteLLM, so waiting like this adds no upstream call. The answer is
    200 once the first load ended, or the sync's own error while its last attempt failed.
    """
    deadline = time.monotonic() + seconds
    while True:
        response = client.get("/api/keys", params=params or {"sort_by": "owner"})
        if not loading(response):
            return response
        assert time.monotonic() < deadline, f"the first load did not end in {seconds} s"
        time.sleep(0.02)


def await_fresh(
    client: httpx.Client, params: dict[str, Any] | None = None, seconds: float = 30
) -> dict[str, Any]:
    """Ask until an answer from the mirror is not stale (a pass succeeded); return its freshness."""
    deadline = time.monotonic() + seconds
    while True:
        response = await_mirror(client, params, seconds)
        if response.status_code == 200:
            freshness = freshness_of(response)
            if not freshness["stale"] and freshness["source"] == "mirror":
                return freshness
        assert time.monotonic() < deadline, f"no successful sync pass in {seconds} s"
        time.sleep(0.02)

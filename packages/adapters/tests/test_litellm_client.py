import httpx
import pytest
from keydash_adapters.litellm.client import LiteLLMKeyListClient
from keydash_adapters.litellm.retry import RetryPolicy
from keydash_core.errors import (
    UpstreamAuthFailed,
    UpstreamBadResponse,
    UpstreamHttpError,
    UpstreamTimeout,
    UpstreamUnavailable,
    upstream_words,
)
from litellm_stub import json_response, make_client, page_body, record, scripted

OK = json_response(200, page_body([record("t1")], 1, 100))


async def test_sends_the_contracted_query_and_header() -> None:
    handler, calls = scripted(OK)
    await make_client(handler, api_key="sk-admin-123").fetch_page(3, 100)
    request = calls[0]
    assert request.url.path == "/key/list"
    assert dict(request.url.params) == {
        "page": "3",
        "size": "100",
        "return_full_object": "false",
        "include_team_keys": "false",
        "include_created_by_keys": "false",
        "sort_order": "desc",
        "expand": "user",
    }
    assert request.headers["x-litellm-api-key"] == "sk-admin-123"
    assert "authorization" not in request.headers


@pytest.mark.parametrize("status", [500, 502, 503, 429])
async def test_transient_failures_are_retried_then_succeed(status: int) -> None:
    handler, calls = scripted(json_response(status, {"error": {}}), OK)
    page = await make_client(handler).fetch_page(1, 100)
    assert len(calls) == 2
    # Records come back cut to the fields the mapping reads (client._decode_projected).
    assert [(r["token"], r["key_name"]) for r in page.records] == [("t1", "sk-...t1")]


@pytest.mark.parametrize("status", [500, 503])
async def test_persistent_5xx_gives_up_after_the_attempt_limit(status: int) -> None:
    handler, calls = scripted(json_response(status, {"error": {}}))
    with pytest.raises(UpstreamHttpError, match=f"^HTTP {status}$"):
        await make_client(handler).fetch_page(1, 100)
    assert len(calls) == 3


async def test_litellms_own_message_is_kept_in_plain_words() -> None:
    body = {"error": {"message": "Database  not\nconnected. key sk-abcdef123", "code": "500"}}
    handler, _ = scripted(json_response(500, body))
    with pytest.raises(UpstreamHttpError) as caught:
        await make_client(handler).fetch_page(1, 100)
    assert str(caught.value) == "HTTP 500: Database not connected. key sk-…"
    assert upstream_words(caught.value) == (
        "upstream_error",
        "LiteLLM answered with an error (HTTP 500: Database not connected. key sk-…).",
    )


@pytest.mark.parametrize("status", [401, 403])
async def test_rejected_key_is_never_retried(status: int) -> None:
    handler, calls = scripted(json_response(status, {"error": {"code": str(status)}}))
    with pytest.raises(UpstreamAuthFailed):
        await make_client(handler).fetch_page(1, 100)
    assert len(calls) == 1


@pytest.mark.parametrize("status", [400, 404, 422])
async def test_other_client_errors_are_reported_not_retried(status: int) -> None:
    handler, calls = scripted(json_response(status, {"detail": []}))
    with pytest.raises(UpstreamHttpError, match=f"^HTTP {status}$"):
        await make_client(handler).fetch_page(1, 100)
    assert len(calls) == 1


async def test_connection_refused_is_retried_then_reported_unreachable() -> None:
    handler, calls = scripted(httpx.ConnectError("[Errno 111] Connection refused"))
    with pytest.raises(UpstreamUnavailable) as caught:
        await make_client(handler).fetch_page(1, 100)
    assert len(calls) == 3
    # Said once, in plain words: not "not reachable: not reachable (ConnectError)".
    assert upstream_words(caught.value)[1] == "LiteLLM is not reachable (connection refused)."


async def test_read_timeout_becomes_upstream_timeout() -> None:
    handler, calls = scripted(httpx.ReadTimeout("slow"))
    with pytest.raises(UpstreamTimeout):
        await make_client(handler).fetch_page(1, 100)
    assert len(calls) == 3


async def test_retry_after_longer_than_the_deadline_stops_retrying() -> None:
    handler, calls = scripted(json_response(429, {}, {"retry-after": "30"}), OK)
    policy = RetryPolicy(deadline_seconds=2.0, base_delay_seconds=0.001)
    with pytest.raises(UpstreamHttpError, match="429"):
        await make_client(handler, policy=policy).fetch_page(1, 100)
    assert len(calls) == 1


async def test_short_retry_after_is_honoured() -> None:
    handler, calls = scripted(json_response(429, {}, {"retry-after": "0.05"}), OK)
    await make_client(handler).fetch_page(1, 100)
    assert len(calls) == 2


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, content=b"<html>proxy error</html>"),
        json_response(200, {"data": []}),
        json_response(200, {"keys": "nope"}),
        json_response(200, ["not", "an", "object"]),
    ],
)
async def test_off_contract_bodies_are_bad_responses(response: httpx.Response) -> None:
    handler, calls = scripted(response)
    with pytest.raises(UpstreamBadResponse):
        await make_client(handler).fetch_page(1, 100)
    assert len(calls) == 1


async def test_missing_totals_are_derived_from_the_page() -> None:
    handler, _ = scripted(json_response(200, {"keys": [record("a"), record("b")]}))
    page = await make_client(handler).fetch_page(1, 100)
    assert (page.total_count, page.total_pages) == (2, 1)


async def test_a_closed_port_is_called_connection_refused() -> None:
    # A real socket, not a scripted error: httpx on anyio hides the reason a few causes down.
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}")
    client = LiteLLMKeyListClient(
        http,
        api_key="sk-test",
        timeout=httpx.Timeout(2.0),
        policy=RetryPolicy(max_attempts=1, deadline_seconds=2.0),
    )
    with pytest.raises(UpstreamUnavailable) as caught:
        await client.fetch_page(1, 10)
    await http.aclose()
    assert upstream_words(caught.value)[1] == "LiteLLM is not reachable (connection refused)."

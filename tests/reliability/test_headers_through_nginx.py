"""Through the project's NGINX (infra/nginx) with the real built SPA and the real API process:
every answer, whatever its status or origin (static, API, NGINX's own error pages), carries the
security header set, and /api and index.html are never cached.

tests/delivery/test_nginx_spa_and_api.py checks the NGINX config itself with a stand-in bundle;
this checks the whole stack as deployed, the SPA bundle included, across the statuses users
actually meet.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from reliability_api_process import ApiProcess, start_api
from reliability_clients import login_body
from reliability_fake_litellm import FakeServer, new_fake
from reliability_leak_guard import watched
from reliability_nginx_process import (
    SPA_DIST,
    NginxProcess,
    copy_web_root,
    scratch_dir,
    security_header_set,
    start_nginx,
)

SECURITY_HEADERS = security_header_set()


@dataclass
class Stack:
    litellm: FakeServer
    api: ApiProcess
    nginx: NginxProcess


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    scratch = scratch_dir()
    litellm = FakeServer(new_fake(60)).start()
    # LiteLLM fails from the start, so the API has no mirror yet when the first test asks for
    # keys: its upstream-failure answers (502, 503 mirror_loading) go through NGINX too.
    litellm.fake.faults.fail_status = 503
    api = None
    nginx = None
    try:
        web_root = copy_web_root(scratch)
        api = start_api(
            litellm.url,
            log_dir=scratch,
            TRUSTED_PROXIES="127.0.0.1",
            CACHE_TTL_SECONDS="0",
            UPSTREAM_MAX_ATTEMPTS="1",
        )
        nginx = start_nginx(scratch, web_root, [f"127.0.0.1:{api.port}"], real_ip_from="127.0.0.1")
        yield Stack(litellm, api, nginx)
    finally:
        if nginx is not None:
            nginx.stop()
        if api is not None:
            api.stop()
        litellm.stop()
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.fixture
def web(stack: Stack) -> Iterator[httpx.Client]:
    with watched(httpx.Client(base_url=stack.nginx.url, timeout=30)) as client:
        yield client


def _secured(response: httpx.Response) -> None:
    where = f"{response.request.method} {response.request.url.path} -> {response.status_code}"
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, f"{name} missing or wrong on {where}"
    assert response.headers.get("server", "nginx") == "nginx", f"version disclosed on {where}"


def _no_store(response: httpx.Response) -> None:
    assert response.headers.get("cache-control") == "no-store", (
        f"{response.request.url.path} -> {response.status_code}: {response.headers}"
    )


def _asset() -> str:
    scripts = sorted((SPA_DIST / "assets").glob("*.js"))
    assert scripts, "the SPA build has no scripts"
    return "/assets/" + scripts[0].name


def test_static_answers(web: httpx.Client) -> None:
    for path in ("/", "/index.html", "/keys", "/login?next=/keys"):
        response = web.get(path)
        assert response.status_code == 200, path
        assert '<div id="root"' in response.text or "id=root" in response.text
        _secured(response)
        _no_store(response)
    asset = web.get(_asset())
    assert asset.status_code == 200
    _secured(asset)
    assert "immutable" in asset.headers["cache-control"]
    missing = web.get("/assets/does-not-exist-123.js")
    assert missing.status_code == 404
    _secured(missing)
    assert missing.headers["cache-control"] == "no-store"


def test_api_answers_of_every_status(web: httpx.Client, stack: Stack) -> None:
    client_ip = {"x-forwarded-for": "198.51.100.201"}
    answers: list[tuple[int, httpx.Response]] = []
    assert web.post("/api/auth/login", json=login_body(), headers=client_ip).status_code == 200
    # LiteLLM failing before any mirror: the default view's own read, then a view that needs
    # every key (the sync's error, or mirror_loading if its first attempt has not ended yet).
    answers.append((502, web.get("/api/keys")))
    needs_all = web.get("/api/keys", params={"sort_by": "owner"})
    assert needs_all.status_code in (502, 503), needs_all.text[:200]
    answers.append((needs_all.status_code, needs_all))
    stack.litellm.fake.reset()
    assert web.post("/api/auth/logout").status_code == 204
    answers += [
        (200, web.get("/api/healthz")),
        (401, web.get("/api/keys")),
        (404, web.get("/api/does-not-exist")),
        (405, web.put("/api/keys")),
        (401, web.post("/api/auth/login", json=login_body(password="nope"), headers=client_ip)),
        # The API's own 413 (over MAX_BODY_BYTES), then NGINX's (over client_max_body_size).
        (
            413,
            web.post(
                "/api/auth/login", content=b'{"a": "' + b"a" * 20_000 + b'"}', headers=client_ip
            ),
        ),
        (
            413,
            web.post(
                "/api/auth/login", content=b'{"a": "' + b"a" * 100_000 + b'"}', headers=client_ip
            ),
        ),
        (200, web.post("/api/auth/login", json=login_body(), headers=client_ip)),
        (200, web.get("/api/keys")),
        (200, web.get("/api/auth/me")),
        (422, web.get("/api/keys", params={"size": 0})),
    ]
    answers.append((204, web.post("/api/auth/logout")))
    for status, response in answers:
        assert response.status_code == status, (response.request.url.path, response.text[:200])
        _secured(response)
        _no_store(response)
        if status >= 400:
            error = response.json()["error"]
            assert error["request_id"] == response.headers["x-request-id"]


def test_nginx_own_rate_limit_page(web: httpx.Client) -> None:
    statuses = []
    for _ in range(12):
        response = web.post(
            "/api/auth/login",
            json=login_body(password="nope"),
            headers={"x-forwarded-for": "198.51.100.202"},
        )
        statuses.append(response.status_code)
        if response.status_code == 429:
            break
    assert statuses[-1] == 429, statuses
    _secured(response)
    _no_store(response)
    assert response.headers["retry-after"]


def test_zz_api_down_is_still_secured(web: httpx.Client, stack: Stack) -> None:
    stack.api.stop()
    for path in ("/api/keys", "/api/healthz"):
        response = web.get(path)
        assert response.status_code in (502, 503, 504), response.status_code
        _secured(response)
        _no_store(response)
        assert response.json()["error"]["code"].startswith("api_")
    index = web.get("/")  # the SPA is still served, so it can show the outage
    assert index.status_code == 200
    _secured(index)

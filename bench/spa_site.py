"""A small server that serves the SPA's dist/ like NGINX (gzip, long-lived cache for hashed assets,
SPA fallback) and passes /api to the API, so that Chromium loads the SPA as in production."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import uvicorn
from processes import LOOPBACK, free_port
from starlette.applications import Starlette
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "content-length",
    "content-encoding",
    "upgrade",
}


def _site(dist: Path, api_url: str) -> Starlette:
    upstream = httpx.AsyncClient(base_url=api_url, timeout=120)
    root = dist.resolve()
    files = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}

    async def api(request: Request) -> Response:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_BY_HOP}
        answer = await upstream.request(
            request.method,
            request.url.path,
            params=request.query_params,
            headers=headers,
            content=await request.body(),
        )
        out = [(k, v) for k, v in answer.headers.multi_items() if k.lower() not in _HOP_BY_HOP]
        response = Response(answer.content, status_code=answer.status_code)
        response.raw_headers = [(k.encode(), v.encode()) for k, v in out] + [
            (b"content-length", str(len(answer.content)).encode())
        ]
        return response

    async def static(request: Request) -> Response:
        relative = request.url.path.lstrip("/")
        # Only files that were in dist/ when the server started: no path ever leaves it.
        if relative in files:
            cache = "public, max-age=31536000, immutable" if relative.startswith("assets/") else ""
            return FileResponse(
                root / relative, headers={"cache-control": cache} if cache else None
            )
        return FileResponse(root / "index.html", headers={"cache-control": "no-cache"})

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    app = Starlette(
        routes=[
            Route("/api/{rest:path}", api, methods=methods),
            Route("/{rest:path}", static, methods=["GET"]),
        ]
    )
    app.add_middleware(GZipMiddleware, minimum_size=512, compresslevel=5)
    return app


@contextlib.contextmanager
def serving_site(dist: Path, api_url: str) -> Iterator[str]:
    port = free_port()
    config = uvicorn.Config(
        _site(dist, api_url), host=LOOPBACK, port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="spa-site", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the SPA site did not start")
        time.sleep(0.02)
    try:
        yield f"http://{LOOPBACK}:{port}"
    finally:
        server.should_exit = True
        thread.join(10)

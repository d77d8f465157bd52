"""Checks a running Keydash (web container in front of the API) the way a browser would.

Usage: python3 smoke_check.py BASE_URL USERNAME PASSWORD EXPECTED_KEYS
Standard library only: it runs on the host, outside the project's venv. Exit 0 when all pass.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import sys
import urllib.error
import urllib.request

base, username, password, expected_keys = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
if not base.startswith("http://127.0.0.1:"):
    sys.exit("smoke_check.py only talks to a Keydash on http://127.0.0.1:PORT")
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
failures: list[str] = []


def fetch(path: str, body: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    data = json.dumps(body).encode() if body is not None else None
    # The scheme and host are pinned to http://127.0.0.1 above.
    method = "POST" if data else "GET"
    request = urllib.request.Request(base + path, data=data, method=method)  # noqa: S310
    if data:
        request.add_header("Content-Type", "application/json")
        request.add_header("Origin", base)  # what a browser sends on a same-origin POST
    try:
        with opener.open(request, timeout=20) as response:
            return (
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def check(name: str, ok: bool, detail: object = "") -> None:
    print(f"  {'ok  ' if ok else 'FAIL'} {name}" + (f"  ({detail})" if not ok else ""))
    if not ok:
        failures.append(name)


status, headers, page = fetch("/")
check("GET / is the SPA", status == 200 and b'id="root"' in page, status)
check(
    "index.html is no-store",
    headers.get("cache-control") == "no-store",
    headers.get("cache-control"),
)
check("CSP on the page", "frame-ancestors 'none'" in headers.get("content-security-policy", ""))
scripts = re.findall(rb'src="(/assets/[^"]+\.js)"', page)
check("the page names a hashed script", bool(scripts), page[:200])
if scripts:
    status, headers, _ = fetch(scripts[0].decode())
    check(
        "the script is served, immutable",
        status == 200 and "immutable" in headers.get("cache-control", ""),
        (status, headers.get("cache-control")),
    )
status, _headers, deep = fetch("/keys")
check("client route /keys falls back to the SPA", status == 200 and deep == page, status)

status, _headers, body = fetch("/api/keys")
check("/api/keys needs a session", status == 401, status)
status, headers, body = fetch("/api/auth/login", {"username": username, "password": password})
check("login through the web container", status == 200, (status, body[:200]))
check("login sets the session cookie", "keydash_session=" in headers.get("set-cookie", ""))
status, _headers, body = fetch("/api/keys?size=5&sort_by=spend&sort_order=desc")
keys = json.loads(body) if status == 200 else {}
check("/api/keys with the session", status == 200, (status, body[:200]))
check(
    f"all {expected_keys} keys read from LiteLLM",
    keys.get("total_keys") == expected_keys,
    keys.get("total_keys"),
)
check("a page of 5", len(keys.get("items", [])) == 5, len(keys.get("items", [])))
status, _headers, body = fetch("/metrics")
check("metrics are not routed", b"keydash_http_request" not in body, status)

print(f"{len(failures)} failed" if failures else "all smoke checks passed")
sys.exit(1 if failures else 0)

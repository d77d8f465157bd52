"""The sync against a real LiteLLM: time to a complete mirror, requests per pass when idle and
under churn, and whether the mirror then equals a full read of /key/list.

    cd ../shared/real-litellm && ./start && ./seed --bulk 10000 && cd -
    uv run python bench/sync_real_litellm.py http://127.0.0.1:4000 \
        "$(cat ~/.cache/real-litellm/state/master_key)"

Needs a mocked model named `mock-gpt` in LiteLLM's config for the spend writes (see the real
proxy's README). It writes to the proxy (creates, updates, blocks, deletes keys): never point it at
a LiteLLM that matters. Loopback only.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
LOG = Path(tempfile.gettempdir()) / "keydash-sync-real-litellm-api.log"
API = "http://127.0.0.1:8600"
LOGIN = {"username": "admin", "password": secrets.token_urlsafe(12)}
OPERATIONS = ["create", "create", "update", "update", "block", "unblock", "delete", "spend"]


def passes() -> list[dict[str, Any]]:
    lines = LOG.read_text().splitlines()
    return [json.loads(line) for line in lines if '"sync_finished"' in line]


def start_api(litellm: str, master: str) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        LITELLM_BASE_URL=litellm,
        LITELLM_API_KEY=master,
        ADMIN_USERNAME=LOGIN["username"],
        ADMIN_PASSWORD=LOGIN["password"],
        JWT_SECRET=secrets.token_urlsafe(48),
        METRICS_PORT="0",
        SYNC_INTERVAL_SECONDS="10",
        UPSTREAM_READ_TIMEOUT_SECONDS="30",
        UPSTREAM_DEADLINE_SECONDS="60",
    )
    command = [str(ROOT / ".venv/bin/uvicorn"), "keydash_api.main:app", "--port", "8600"]
    with LOG.open("wb") as log:
        # Our own uvicorn from this checkout's virtual environment: no untrusted input.
        return subprocess.Popen(  # noqa: S603
            [*command, "--no-access-log"], env=env, stdout=log, stderr=log
        )


def sign_in(api: httpx.Client, spawned: float) -> tuple[str, float]:
    while True:
        try:
            token = str(api.post("/api/auth/login", json=LOGIN).json()["access_token"])
        except (httpx.HTTPError, KeyError):
            time.sleep(0.3)
            continue
        return token, time.monotonic() - spawned


def churn(litellm: httpx.Client, seed: int = 7) -> dict[str, int]:
    rng = random.Random(seed)  # noqa: S311 - a reproducible mix, not a secret
    body = litellm.get("/key/list", params={"size": 100, "return_full_object": "true"}).json()
    keys, made = body["keys"], []
    done = dict.fromkeys(OPERATIONS, 0)
    run = secrets.token_hex(3)  # LiteLLM refuses an alias it already has
    for i in range(60):
        op = rng.choice(OPERATIONS)
        if op == "create":
            answer = litellm.post("/key/generate", json={"key_alias": f"churn-{run}-{i}"})
            made.append(answer.raise_for_status().json()["key"])
        elif op == "update":
            tags = {"metadata": {"tags": ["churned", str(i)]}}
            litellm.post("/key/update", json={"key": rng.choice(keys)["token"], **tags})
        elif op in ("block", "unblock"):
            litellm.post(f"/key/{op}", json={"key": rng.choice(keys)["token"]})
        elif op == "delete":
            gone = keys.pop(rng.randrange(len(keys)))
            litellm.post("/key/delete", json={"keys": [gone["token"]]})
        elif made:
            chat = {"model": "mock-gpt", "messages": [{"role": "user", "content": "hi"}]}
            litellm.post(
                "/chat/completions", json=chat, headers={"authorization": "Bearer " + made[-1]}
            )
        done[op] += 1
        time.sleep(0.25)
    return done


def every_key(litellm: httpx.Client) -> dict[str, dict[str, Any]]:
    truth: dict[str, dict[str, Any]] = {}
    page = 1
    while True:
        params: dict[str, str | int] = {"page": page, "size": 100, "return_full_object": "true"}
        body = litellm.get("/key/list", params=params).json()
        truth.update((key["token"], key) for key in body["keys"])
        if page >= body["total_pages"]:
            return truth
        page += 1


def status(key: dict[str, Any], now: str) -> str:
    if key.get("blocked"):
        return "blocked"
    return "active" if not key.get("expires") or key["expires"] > now else "expired"


def compare(truth: dict[str, dict[str, Any]], mirror: dict[str, dict[str, Any]]) -> dict[str, int]:
    now = datetime.now(UTC).isoformat()
    both = set(truth) & set(mirror)
    return {
        "truth": len(truth),
        "mirror": len(mirror),
        "missing": len(set(truth) - set(mirror)),
        "extra": len(set(mirror) - set(truth)),
        "status": sum(status(truth[t], now) != mirror[t]["status"] for t in both),
        "tags": sum(
            ((truth[t].get("metadata") or {}).get("tags") or []) != mirror[t]["tags"] for t in both
        ),
        "spend": sum(
            abs((truth[t].get("spend") or 0) - (mirror[t]["spend"] or 0)) > 1e-9 for t in both
        ),
    }


def main(litellm_url: str, master: str) -> None:
    spawned = time.monotonic()
    process = start_api(litellm_url, master)
    master_auth = {"authorization": "Bearer " + master}
    try:
        with (
            httpx.Client(base_url=API, timeout=120) as api,
            httpx.Client(base_url=litellm_url, headers=master_auth, timeout=120) as litellm,
        ):
            token, listening = sign_in(api, spawned)
            auth = {"authorization": "Bearer " + token}
            while api.get("/api/status", headers=auth).json()["sync"]["state"] != "ready":
                time.sleep(0.5)
            print(
                f"listening {listening:.1f} s; mirror complete {time.monotonic() - spawned:.1f} s"
            )
            time.sleep(35)
            print(
                "first load and idle passes:",
                [(p["kind"], p["seconds"], p["upstream_requests"]) for p in passes()],
            )
            before = len(passes())
            print("churn:", churn(litellm))
            time.sleep(40)  # quiet: LiteLLM's spend batches land, passes catch up
            print(
                "passes since:",
                [
                    (p["seconds"], p["upstream_requests"], p["changed"], p["removed"])
                    for p in passes()[before:]
                ],
            )
            exported = api.get("/api/keys/export", params={"format": "json"}, headers=auth).json()
            mirror = {item["id"]: item for item in exported["items"]}
            print("mirror against /key/list:", compare(every_key(litellm), mirror))
    finally:
        process.terminate()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

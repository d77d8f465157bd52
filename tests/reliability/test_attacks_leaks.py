"""Secrets leaking: a rejected LiteLLM key (or its hash) echoed back, or a secret in the SPA bundle.

(The API process's metrics and logs: test_attacks_against_a_running_api.py.)
"""

from __future__ import annotations

import hashlib
import re

from api_support import JWT_SECRET, LITELLM_KEY, PASSWORD
from fastapi.testclient import TestClient
from keydash_fakes.litellm import running_fake_litellm
from reliability_answers import assert_envelope
from reliability_clients import login_body
from reliability_fake_litellm import new_fake
from reliability_in_process import build_app
from reliability_leak_guard import EXTRA_SECRETS, RAW_KEY_PATTERN, watched
from reliability_machine import REPO, missing


def test_a_rejected_litellm_key_is_never_echoed_nor_its_hash() -> None:
    wrong_key = "sk-wrong-key-for-leak-test-0123456789"
    # LiteLLM's own 401 names the presented key's hash; Keydash must not pass that on.
    EXTRA_SECRETS.update({wrong_key, hashlib.sha256(wrong_key.encode()).hexdigest()})
    fake = new_fake(5)
    with running_fake_litellm(fake) as url:
        app, _ = build_app(litellm_base_url=url, litellm_api_key=wrong_key)
        with TestClient(app) as client:
            watched(client)
            client.post("/api/auth/login", json=login_body())
            assert_envelope(client.get("/api/keys"), 502, "upstream_auth_failed")
            assert client.get("/api/readyz").status_code == 503


SPA_DIST = REPO / "apps" / "web" / "dist"
# What a bundle must never carry: keys, tokens, private keys, and names of server-side secrets.
BUNDLE_PATTERNS = [
    RAW_KEY_PATTERN,
    re.compile(r"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}"),
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    # A server-side variable with a value (its bare name in a help message is fine).
    re.compile(r"(LITELLM_API_KEY|JWT_SECRET|ADMIN_PASSWORD)\s*[=:]\s*[\"'`]?[^\s\"'`,.]{4,}"),
    re.compile(r"sk-fake-master-key|keydash-demo"),
]


def test_the_spa_bundle_contains_no_secret() -> None:
    files = [path for path in SPA_DIST.rglob("*") if path.is_file()] if SPA_DIST.exists() else []
    if not any(path.suffix == ".js" for path in files):
        missing("the built SPA in apps/web/dist (run `npm run build` in apps/web)")
    found = []
    for path in files:
        text = path.read_text(errors="replace")
        for secret in (LITELLM_KEY, JWT_SECRET, PASSWORD, *EXTRA_SECRETS):
            if secret in text:
                found.append(f"{path.relative_to(REPO)}: a test secret")
        for pattern in BUNDLE_PATTERNS:
            match = pattern.search(text)
            if match:
                found.append(f"{path.relative_to(REPO)}: {match.group()[:24]}...")
    assert not found, found

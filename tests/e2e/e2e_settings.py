"""Where things are, which Chromium runs, and the credentials every test stack shares."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WEB = REPO / "apps" / "web"
DIST = WEB / "dist"
AXE_JS = WEB / "node_modules" / "axe-core" / "axe.min.js"
NGINX_ENTRYPOINT = REPO / "infra" / "nginx" / "entrypoint.sh"
ARTIFACTS = REPO / "artifacts" / "e2e"
SCREENSHOTS = REPO / "docs" / "screenshots"
LOOPBACK = "127.0.0.1"

CHROMIUM = os.environ.get("KEYDASH_E2E_CHROMIUM", "/usr/bin/chromium")
# The flags ../shared/TOOLING.md asks for: no GPU, no sandbox (root in CI), and no attempts to
# reach Google's services, which these machines cannot reach anyway. Playwright adds --headless
# and gives every launch a fresh temporary user-data dir.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

USERNAME = "admin"
PASSWORD = "e2e-correct-horse-battery"
# Made fresh per run: a test crafts (expired) session tokens with it, nothing else knows it.
JWT_SECRET = "e2e-" + secrets.token_urlsafe(48)
LITELLM_KEY = "sk-e2e-" + secrets.token_hex(16)
COOKIE_NAME = "keydash_session"

# How often a test API refreshes its mirror of LiteLLM's keys (the default is 30 s).
SYNC_INTERVAL_SECONDS = 1

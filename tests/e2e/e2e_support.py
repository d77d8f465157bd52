"""What a journey needs of the stack it drives, gathered from the modules of each concern.

Chromium -> the real NGINX (infra/nginx rendered by its own entrypoint.sh, the Debian `nginx`
binary, a temp prefix) -> the real API (`uvicorn keydash_api.main:app` subprocess, settings from
the environment only) -> the fake LiteLLM over HTTP (served from a thread of the test process,
so a test can read its keys and flip its faults). Everything binds to 127.0.0.1; every child is
stopped by its own PID.

- e2e_settings: paths, Chromium and its flags, the credentials every stack shares;
- e2e_prerequisites: Chromium, NGINX, playwright, axe-core present; the SPA built;
- e2e_processes, e2e_api_process, e2e_nginx_process: the child processes and their logs;
- e2e_fake_litellm: the fake LiteLLM's server and its `/_fake/` control routes;
- e2e_stack: a whole stack, and the stacks alive now; e2e_scoped_key: a user-scoped LiteLLM key;
- e2e_browser, e2e_artifacts, e2e_early_expiry: what conftest's fixtures are made of.
"""

from __future__ import annotations

from e2e_fake_litellm import FakeControl, new_fake
from e2e_scoped_key import SCOPED_ROLE, scoped_user, start_scoped_stack
from e2e_settings import (
    ARTIFACTS,
    AXE_JS,
    CHROMIUM,
    COOKIE_NAME,
    DIST,
    JWT_SECRET,
    LITELLM_KEY,
    PASSWORD,
    REPO,
    SCREENSHOTS,
    SYNC_INTERVAL_SECONDS,
    USERNAME,
    WEB,
)
from e2e_stack import LIVE_STACKS, TEST_LOG_OFFSETS, Stack

__all__ = [
    "ARTIFACTS",
    "AXE_JS",
    "CHROMIUM",
    "COOKIE_NAME",
    "DIST",
    "JWT_SECRET",
    "LITELLM_KEY",
    "LIVE_STACKS",
    "PASSWORD",
    "REPO",
    "SCOPED_ROLE",
    "SCREENSHOTS",
    "SYNC_INTERVAL_SECONDS",
    "TEST_LOG_OFFSETS",
    "USERNAME",
    "WEB",
    "FakeControl",
    "Stack",
    "new_fake",
    "scoped_user",
    "start_scoped_stack",
]

"""Helpers for the reliability suites, by concern, each in its own module:

- reliability_machine: the checkout, loopback, free ports, tools, and missing prerequisites;
- reliability_leak_guard: secrets and unmasked keys searched for in every answer and log line;
- reliability_answers: the error envelope, `freshness`, and waiting for the mirror;
- reliability_in_process: apps built in this process and served over real HTTP;
- reliability_clients: signed-in clients, sync and async;
- reliability_fake_litellm: the fake LiteLLM's records and a server that can go down and come back;
- reliability_api_process: the API as production runs it, a uvicorn process;
- reliability_nginx_process: NGINX with the project's config, in front of the API.

This module names them all in one place, for suites that import from here.
"""

from __future__ import annotations

from reliability_answers import (
    ERROR_CODES,
    UPSTREAM_CODES,
    assert_envelope,
    await_fresh,
    await_mirror,
    freshness_of,
    loading,
)
from reliability_api_process import ApiProcess, api_env, start_api, wait_until_healthy
from reliability_clients import logged_in_client, login_body, run_async, storm, timed
from reliability_fake_litellm import FakeServer, fake_keys, new_fake
from reliability_in_process import app_on_a_fake, build_app, serving
from reliability_leak_guard import (
    EXTRA_SECRETS,
    LOG_FILES,
    LOG_SINK,
    MASKED_KEY_PATTERN,
    PLANTED_RAW_KEY,
    RAW_KEY_PATTERN,
    LeakGuard,
    check_masked_keys,
    current_guard,
    watched,
)
from reliability_machine import LOOPBACK, REPO, find_tool, free_port, in_ci, missing
from reliability_nginx_process import (
    NGINX_ENTRYPOINT,
    SPA_DIST,
    NginxProcess,
    copy_web_root,
    scratch_dir,
    security_header_set,
    start_nginx,
)

__all__ = [
    "ERROR_CODES",
    "EXTRA_SECRETS",
    "LOG_FILES",
    "LOG_SINK",
    "LOOPBACK",
    "MASKED_KEY_PATTERN",
    "NGINX_ENTRYPOINT",
    "PLANTED_RAW_KEY",
    "RAW_KEY_PATTERN",
    "REPO",
    "SPA_DIST",
    "UPSTREAM_CODES",
    "ApiProcess",
    "FakeServer",
    "LeakGuard",
    "NginxProcess",
    "api_env",
    "app_on_a_fake",
    "assert_envelope",
    "await_fresh",
    "await_mirror",
    "build_app",
    "check_masked_keys",
    "copy_web_root",
    "current_guard",
    "fake_keys",
    "find_tool",
    "free_port",
    "freshness_of",
    "in_ci",
    "loading",
    "logged_in_client",
    "login_body",
    "missing",
    "new_fake",
    "run_async",
    "scratch_dir",
    "security_header_set",
    "serving",
    "start_api",
    "start_nginx",
    "storm",
    "timed",
    "wait_until_healthy",
    "watched",
]

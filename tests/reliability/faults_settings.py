"""The fault suites' sizes and settings: few attempts, short timeouts, a fast sync.

The same settings serve the API process (`FAULT_SETTINGS`, from env) and the in-process apps
(`COLD_SETTINGS`, as `make_app` overrides).
"""

from __future__ import annotations

KEY_COUNT = 250  # three LiteLLM pages of 100
PAGES = 3
FULL_READ = {"sort_by": "owner"}  # a view LiteLLM cannot answer alone: it needs the mirror
ATTEMPTS = 3
READ_TIMEOUT = 0.5
DEADLINE = 3.0
CONCURRENCY = 2
SYNC_INTERVAL = 0.5
FAULT_SETTINGS = {
    "CACHE_TTL_SECONDS": "0",  # every default-view request reads LiteLLM, so every call counts
    "UPSTREAM_MAX_ATTEMPTS": str(ATTEMPTS),
    "UPSTREAM_READ_TIMEOUT_SECONDS": str(READ_TIMEOUT),
    "UPSTREAM_CONNECT_TIMEOUT_SECONDS": "1",
    "UPSTREAM_DEADLINE_SECONDS": str(DEADLINE),
    "UPSTREAM_CONCURRENCY": str(CONCURRENCY),
    "SYNC_INTERVAL_SECONDS": str(SYNC_INTERVAL),
}
COLD_SETTINGS = {name.lower(): float(value) for name, value in FAULT_SETTINGS.items()}
COLD_SETTINGS["upstream_max_attempts"] = ATTEMPTS
COLD_SETTINGS["upstream_concurrency"] = CONCURRENCY

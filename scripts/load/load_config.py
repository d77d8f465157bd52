"""What one load run does: its size, its length, its budget, and whether and how the APIs behind
it are rolled; bounded so that no run can grow without limit."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_DURATION_SECONDS = 600
MAX_USERS = 200


@dataclass
class LoadConfig:
    keys: int = 10_000
    users: int = 50
    duration: float = 60.0
    max_requests: int = 1_000_000
    through_nginx: bool = True
    # "": one API. "stop-one": two APIs behind a Service stand-in, one stopped for good mid-run.
    # "replace-all": both replaced in turn, as a Kubernetes rolling update does.
    rolling: str = ""
    # Seconds until a stopping API's endpoint leaves the Service, and the preStop pause before
    # its SIGTERM (the Helm chart has none today: 0).
    rolling_lag: float = 1.0
    rolling_prestop: float = 0.0
    think_ms: float = 0.0
    # Settings for the API beyond the production defaults, e.g. {"CACHE_STALE_SECONDS": "30"}.
    api_env: dict[str, str] = field(default_factory=dict)
    seed: int = 1
    timeout: float = 30.0

    def check(self) -> None:
        if not 0 < self.duration <= MAX_DURATION_SECONDS:
            raise ValueError(f"duration must be in (0, {MAX_DURATION_SECONDS}] seconds")
        if not 0 < self.users <= MAX_USERS:
            raise ValueError(f"users must be in 1..{MAX_USERS}")
        if self.max_requests < 1 or self.keys < 0:
            raise ValueError("max_requests must be >= 1 and keys >= 0")
        if self.rolling not in ("", "stop-one", "replace-all"):
            raise ValueError("rolling must be stop-one or replace-all")

"""Prometheus metrics, served on their own port (METRICS_PORT) that NGINX never routes."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server

from keydash_api.request_context import current_request


class Metrics:
    def __init__(self) -> None:
        # A registry per app, so tests that build many apps never collide on metric names.
        self.registry = CollectorRegistry()
        self.requests = Histogram(
            "keydash_http_request_duration_seconds",
            "API requests by route, method and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.upstream = Histogram(
            "keydash_upstream_request_duration_seconds",
            "Calls to LiteLLM /key/list by outcome (HTTP status or error)",
            ["outcome"],
            registry=self.registry,
        )
        self.retries = Counter(
            "keydash_upstream_retries_total",
            "Retries of LiteLLM calls",
            ["reason"],
            registry=self.registry,
        )
        self.snapshots = Histogram(
            "keydash_snapshot_load_seconds",
            "Time to read every key from LiteLLM",
            registry=self.registry,
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
        )
        self.cache_hits = Counter(
            "keydash_snapshot_cache_total",
            "Key snapshot requests by result (hit: served from the cache, miss: read LiteLLM)",
            ["result"],
            registry=self.registry,
        )
        self.login_failures = Counter(
            "keydash_login_failures_total",
            "Failed logins by reason",
            ["reason"],
            registry=self.registry,
        )

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).observe(seconds)

    # UpstreamObserver
    def request_finished(self, outcome: str, seconds: float) -> None:
        self.upstream.labels(outcome).observe(seconds)
        facts = current_request.get()
        if facts is not None:
            facts.upstream_calls += 1

    def retry_scheduled(self, reason: str) -> None:
        self.retries.labels(reason).inc()

    def snapshot_loaded(self, keys: int, seconds: float) -> None:
        self.snapshots.observe(seconds)

    def snapshot_served(self, *, from_cache: bool) -> None:
        self.cache_hits.labels("hit" if from_cache else "miss").inc()

    def serve(self, port: int, address: str = "0.0.0.0") -> None:  # noqa: S104 - a pod port
        start_http_server(port, addr=address, registry=self.registry)

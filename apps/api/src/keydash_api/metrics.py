"""Prometheus metrics, served on their own port (METRICS_PORT) that NGINX never routes."""

from __future__ import annotations

import time

import structlog
from keydash_adapters.litellm.observer import SyncReport
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

from keydash_api.request_context import current_request

sync_log = structlog.get_logger("keydash.sync")


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

        self.sync_passes = Counter(
            "keydash_sync_passes_total",
            "Sync passes by kind (first_load, incremental, reconcile) and outcome",
            ["kind", "outcome"],
            registry=self.registry,
        )
        self.sync_requests = Histogram(
            "keydash_sync_upstream_requests",
            "LiteLLM requests one sync pass made, by kind",
            ["kind"],
            registry=self.registry,
            buckets=(1, 2, 3, 5, 10, 20, 50, 100, 1000, 10_000),
        )
        self.sync_seconds = Histogram(
            "keydash_sync_duration_seconds",
            "Duration of a sync pass by kind (reconcile: the reconcile duration)",
            ["kind"],
            registry=self.registry,
            buckets=(0.05, 0.25, 1, 5, 15, 60, 300, 1800),
        )
        self.sync_differences = Counter(
            "keydash_sync_differences_total",
            "Keys a pass changed or removed in the mirror, by kind",
            ["kind", "change"],
            registry=self.registry,
        )
        self.mirrored_keys = Gauge(
            "keydash_mirror_keys", "Keys in this replica's mirror", registry=self.registry
        )
        self.last_sync_success = Gauge(
            "keydash_sync_last_success_timestamp_seconds",
            "When the last sync pass succeeded (lag = now - this)",
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

    def sync_finished(self, report: SyncReport) -> None:
        self.sync_passes.labels(report.kind, "ok").inc()
        self.sync_requests.labels(report.kind).observe(report.requests)
        self.sync_seconds.labels(report.kind).observe(report.seconds)
        self.sync_differences.labels(report.kind, "changed").inc(report.changed)
        self.sync_differences.labels(report.kind, "removed").inc(report.removed)
        self.mirrored_keys.set(report.mirrored)
        self.last_sync_success.set(time.time())
        # Not a failure, but each pass then costs LiteLLM every page: the operator should know.
        log, odd = sync_log.info, {}
        if report.order_ignored:
            log, odd = sync_log.warning, {"cause": "LiteLLM ignores sort_by=updated_at"}
        log(
            "sync_finished",
            **odd,
            kind=report.kind,
            seconds=round(report.seconds, 3),
            upstream_requests=report.requests,
            changed=report.changed,
            removed=report.removed,
            mirrored=report.mirrored,
        )

    def sync_failed(
        self,
        kind: str,
        code: str,
        message: str,
        served_age_seconds: float | None,
        seconds: float,
        requests: int,
    ) -> None:
        self.sync_passes.labels(kind, code).inc()
        sync_log.warning(
            "sync_failed",
            kind=kind,
            code=code,
            cause=message,
            served_data_age_seconds=(
                round(served_age_seconds, 1) if served_age_seconds is not None else None
            ),
            seconds=round(seconds, 3),
            upstream_requests=requests,
        )

    def serve(self, port: int, address: str = "0.0.0.0") -> None:  # noqa: S104 - a pod port
        start_http_server(port, addr=address, registry=self.registry)

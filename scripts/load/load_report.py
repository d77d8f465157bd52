"""What a load run found: throughput, latency percentiles (overall and per request kind), statuses,
failures, the APIs' memory and rolling events, as text and as JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Report:
    config: dict[str, Any]
    target: str
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    throughput_rps: float = 0.0
    latency_ms: dict[str, float] = field(default_factory=dict)
    by_kind: dict[str, dict[str, float]] = field(default_factory=dict)
    status_counts: dict[str, int] = field(default_factory=dict)
    rss_mib: dict[str, float] = field(default_factory=dict)
    upstream_calls: int = 0
    events: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    failure_window_seconds: float = 0.0

    def text(self) -> str:
        lines = [
            f"target           {self.target}",
            f"config           {json.dumps(self.config)}",
            f"requests         {self.requests} in {self.seconds:.1f} s "
            f"= {self.throughput_rps:.1f} req/s",
            f"errors           {self.errors} (window {self.failure_window_seconds:.2f} s)",
            "latency ms       "
            + "  ".join(f"{name} {value:.1f}" for name, value in self.latency_ms.items()),
            f"statuses         {self.status_counts}",
            "API RSS MiB      "
            + "  ".join(f"{name} {value:.1f}" for name, value in self.rss_mib.items()),
            f"LiteLLM calls    {self.upstream_calls}",
        ]
        for kind, figures in sorted(self.by_kind.items()):
            lines.append(
                f"  {kind:<14} n={int(figures['n']):<6} p50 {figures['p50']:.1f}  "
                f"p95 {figures['p95']:.1f}  p99 {figures['p99']:.1f} ms"
            )
        for event in self.events:
            lines.append(f"event            t={event['at']:.2f} s {event['what']}")
        for failure in self.failures[:10]:
            lines.append(
                f"failure          t={failure['at']:.2f} s {failure['kind']}: {failure['detail']}"
            )
        return "\n".join(lines)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]

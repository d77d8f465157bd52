"""The API's Prometheus metrics as bench/sync_bench.py reads them: every sample of one scrape,
and the sum of a metric's samples whose labels match."""

from __future__ import annotations

import math
import re
import urllib.error
import urllib.request

from processes import LOOPBACK

_SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)")


def read_metrics(port: int) -> dict[str, float]:
    """Prometheus samples as {'name{labels}': value} (labels as the server wrote them)."""
    try:
        url = f"http://{LOOPBACK}:{port}/metrics"
        with urllib.request.urlopen(url, timeout=10) as response:
            text = response.read().decode()
    except (urllib.error.URLError, OSError):
        return {}
    samples: dict[str, float] = {}
    for line in text.splitlines():
        match = _SAMPLE.match(line)
        if match and not line.startswith("#"):
            try:
                samples[match.group(1) + (match.group(2) or "")] = float(match.group(3))
            except ValueError:
                continue
    return samples


def metric(samples: dict[str, float], name: str, default: float = math.nan, **labels: str) -> float:
    """The sum of `name` samples whose labels include `labels` (`default` when none)."""
    total, found = 0.0, False
    for key, value in samples.items():
        base, _, rest = key.partition("{")
        if base != name:
            continue
        if all(f'{label}="{wanted}"' in rest for label, wanted in labels.items()):
            total += value
            found = True
    return total if found else default

"""bench/run.py's progress line: what it measures now, and when."""

from __future__ import annotations

import time


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)

"""Small shared pieces of the real-LiteLLM suite: paths, ports, phase timings, bounded waits."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from keydash_fakes.ports import free_port as free_port

T = TypeVar("T")

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
LOOPBACK = "127.0.0.1"

# The sync settings Keydash is started with (see rl_keydash.API_SETTINGS), and the bounds the
# suite allows for a change in LiteLLM to show in Keydash.
SYNC_INTERVAL_SECONDS = 2.0
SYNC_RECONCILE_SECONDS = 30.0
# A created/updated/blocked key: two sync intervals and a few seconds (2 busy cores).
CHANGE_BOUND_SECONDS = 2 * SYNC_INTERVAL_SECONDS + 6.0
# A deleted key may only go at the next reconcile.
DELETE_BOUND_SECONDS = SYNC_RECONCILE_SECONDS + 10.0
# A fresh Keydash loading every key of a (small) LiteLLM database.
READY_BOUND_SECONDS = 60.0


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@dataclass
class Phase:
    name: str
    seconds: float


PHASES: list[Phase] = []


@contextlib.contextmanager
def phase(name: str) -> Iterator[None]:
    """Time one phase of the run; every phase is listed in pytest's terminal summary."""
    started = time.monotonic()
    try:
        yield
    finally:
        PHASES.append(Phase(name, time.monotonic() - started))


NOTES: list[str] = []


def note(text: str) -> None:
    """A line for the end-of-run summary (recorded behaviour, convergence times, ...)."""
    NOTES.append(text)


class NotYet(Exception):
    """Raised by a poll check to say: not there yet (the message says what is missing)."""


def eventually(check: Callable[[], T], *, bound: float, what: str, every: float = 0.5) -> T:
    """Call `check` until it returns without raising NotYet/AssertionError, for `bound` seconds.

    The one waiting helper of the suite. On timeout the last reason is the failure message.
    """
    deadline = time.monotonic() + bound
    last = "never checked"
    while True:
        try:
            return check()
        except (NotYet, AssertionError) as reason:
            last = str(reason)
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what}: not within {bound:.0f} s; last: {last[:3000]}")
        time.sleep(every)

"""Run the fake LiteLLM in the foreground, for the demo and for manual checks.

python -m keydash_fakes.litellm --port 4000 --keys 300 --seed 7

Beyond those: `--latency-ms` (a flat delay per call, the `latency_ms` fault), the database-like
page cost `--page-latency-ms B --latency-per-1000-offset-ms K` (each page waits
B + K * offset / 1000 ms; `--real-latency` is 150 and 7, LiteLLM 1.108.7's measured figures),
and `--churn-per-minute R` (with `--churn-seed S`: seeded writes spread over time from the start,
in the default mix). `--scoped-key SECRET:USER_ID:ROLE` (repeatable) also accepts SECRET as a key
of USER_ID (empty: a key without a user) whose user has ROLE, scoped as LiteLLM scopes it (see
`callers`), e.g. `--scoped-key sk-demo-scoped-0001:u-1037:internal_user`; each is also a key row.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence

import uvicorn

from keydash_fakes.litellm import callers
from keydash_fakes.litellm.churn_rate import ChurnRate
from keydash_fakes.litellm.faults import Faults
from keydash_fakes.litellm.generator import generate_keys
from keydash_fakes.litellm.latency import REAL_1087, PageLatency
from keydash_fakes.litellm.runner import GRACEFUL_SHUTDOWN_SECONDS, LOOPBACK
from keydash_fakes.litellm.server import create_app
from keydash_fakes.litellm.state import DEFAULT_KEY_COUNT, DEFAULT_MASTER_KEY, FakeLiteLLM

log = logging.getLogger("keydash.fake_litellm")


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m keydash_fakes.litellm",
        description="A fake LiteLLM proxy serving /key/list from generated keys.",
    )
    parser.add_argument("--host", default=LOOPBACK, help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=4000)
    parser.add_argument("--keys", type=int, default=DEFAULT_KEY_COUNT, help="how many keys")
    parser.add_argument("--seed", type=int, default=7, help="generator seed")
    parser.add_argument(
        "--master-key",
        default=os.environ.get("FAKE_LITELLM_MASTER_KEY", DEFAULT_MASTER_KEY),
        help="admin credential (default: $FAKE_LITELLM_MASTER_KEY, else a fixed fake key)",
    )
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay per /key/list call")
    parser.add_argument("--page-latency-ms", type=float, default=0.0, help="fixed cost per page")
    parser.add_argument(
        "--latency-per-1000-offset-ms", type=float, default=0.0, help="cost per 1000 rows skipped"
    )
    parser.add_argument(
        "--real-latency", action="store_true", help="LiteLLM 1.108.7's measured page costs"
    )
    parser.add_argument("--churn-per-minute", type=float, default=0.0, help="writes per minute")
    parser.add_argument("--churn-seed", type=int, default=0, help="seed of the churn")
    parser.add_argument(
        "--scoped-key",
        action="append",
        default=[],
        metavar="SECRET:USER_ID:ROLE",
        help="a non-master credential (repeatable); USER_ID empty for a key without a user",
    )
    return parser.parse_args(argv)


def _add_scoped_keys(fake: FakeLiteLLM, specs: Sequence[str]) -> str | None:
    """Register each `--scoped-key`; the first problem (never naming the secret), else None."""
    for number, spec in enumerate(specs, start=1):
        try:
            secret, user_id, role = callers.parse_spec(spec)
            fake.add_api_key(secret, user_id, role)
        except ValueError as invalid:
            return f"--scoped-key #{number}: {invalid}"
    return None


def _latency(args: argparse.Namespace) -> PageLatency:
    if args.real_latency:
        return PageLatency(REAL_1087.page_base_ms, REAL_1087.per_1000_offset_ms)
    return PageLatency(args.page_latency_ms, args.latency_per_1000_offset_ms)


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    amounts = (args.keys, args.latency_ms, args.page_latency_ms, args.latency_per_1000_offset_ms)
    if min(*amounts, args.churn_per_minute) < 0:
        print("--keys, --churn-per-minute and the latencies must be >= 0", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    started = time.monotonic()
    # Nothing in this process edits records in place, so orders and JSON can be kept (and made
    # now): otherwise each page of 100,000 keys would cost seconds of sorting and serializing.
    fake = FakeLiteLLM(
        keys=generate_keys(args.keys, seed=args.seed),
        master_key=args.master_key,
        faults=Faults(latency_ms=args.latency_ms),
        frozen_records=True,
        latency=_latency(args),
        churn_rate=ChurnRate(args.churn_per_minute, args.churn_seed)
        if args.churn_per_minute
        else None,
    )
    problem = _add_scoped_keys(fake, args.scoped_key)
    if problem is not None:
        print(problem, file=sys.stderr)
        return 2
    fake.prepare()
    # The master key is a credential even here: it is never logged.
    log.info(
        "fake LiteLLM serving %d keys (%d scoped credentials) at http://%s:%d (prepared in %.1f s)",
        len(fake.keys),
        len(fake.api_keys),
        args.host,
        args.port,
        time.monotonic() - started,
    )
    uvicorn.run(
        create_app(fake),
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
        # On, so a churn rate starts with the server (the app's lifespan starts it).
        lifespan="on",
        date_header=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

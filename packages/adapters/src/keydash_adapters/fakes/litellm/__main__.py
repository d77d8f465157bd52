"""Run the fake LiteLLM in the foreground, for the demo and for manual checks.

python -m keydash_adapters.fakes.litellm --port 4000 --keys 300 --seed 7
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence

import uvicorn

from keydash_adapters.fakes.litellm.faults import Faults
from keydash_adapters.fakes.litellm.generator import generate_keys
from keydash_adapters.fakes.litellm.runner import GRACEFUL_SHUTDOWN_SECONDS, LOOPBACK
from keydash_adapters.fakes.litellm.server import create_app
from keydash_adapters.fakes.litellm.state import DEFAULT_KEY_COUNT, DEFAULT_MASTER_KEY, FakeLiteLLM

log = logging.getLogger("keydash.fake_litellm")


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m keydash_adapters.fakes.litellm",
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
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    if args.keys < 0 or args.latency_ms < 0:
        print("--keys and --latency-ms must be >= 0", file=sys.stderr)
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
    )
    fake.prepare()
    # The master key is a credential even here: it is never logged.
    log.info(
        "fake LiteLLM serving %d keys at http://%s:%d (prepared in %.1f s)",
        args.keys,
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
        lifespan="off",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Production entry point: `uvicorn keydash_api.main:app`, configured only from the environment."""

from __future__ import annotations

import gc
import sys

from fastapi import FastAPI
from pydantic import ValidationError

from keydash_api.app import create_app
from keydash_api.settings import Settings, describe_settings_errors


def load_settings() -> Settings:
    try:
        return Settings()  # fields come from the environment
    except ValidationError as error:
        # One clear line per problem and a clean exit: a traceback would bury the cause.
        print("Keydash cannot start; fix these settings:", file=sys.stderr)
        for line in describe_settings_errors(error):
            print(f"  {line}", file=sys.stderr)
        raise SystemExit(2) from None


def build() -> FastAPI:
    return create_app(load_settings())


# A full read allocates millions of short-lived containers (LiteLLM's parsed records, about 300 KB
# of JSON per 100 keys), almost all freed by reference counting. With CPython's default threshold
# (700) the cyclic collector runs thousands of times per 10,000-key read and took 15-20% of its CPU
# (bench/run.py, issue 7); the cold read is CPU-bound, so that was wall time too. Objects made while
# starting (FastAPI, pydantic, the container) live as long as the process: freezing them keeps every
# full collection from walking them again. Process-wide, so it belongs here, not in an adapter.
# Not higher: at (50_000, 20, 20) full collections became so rare that cyclic garbage from serving
# held ~80 MiB more under load (tests/reliability/test_load.py's memory bound failed).
GC_THRESHOLDS = (20_000, 10, 10)


def tune_garbage_collector() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


app = build()
tune_garbage_collector()

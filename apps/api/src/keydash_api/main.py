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


# Reading and mirroring keys allocates millions of short-lived containers, almost all freed by
# reference counting: a higher generation-0 threshold keeps the cyclic collector from running
# thousands of times per load, and freezing what start-up made keeps full collections from walking
# it again. Not higher than this: full collections must stay frequent enough that cyclic garbage
# from serving is reclaimed (tests/reliability/test_load.py bounds memory growth). Process-wide,
# so it belongs here, not in an adapter.
GC_THRESHOLDS = (20_000, 10, 10)


def tune_garbage_collector() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


app = build()
tune_garbage_collector()

"""Production entry point: `uvicorn keydash_api.main:app`, configured only from the environment."""

from __future__ import annotations

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


app = build()

"""Writes the API's OpenAPI document to apps/web/openapi.json, or checks it is current.

The SPA's types are generated from that file, so a change to a response model that is not
exported (and the types regenerated) fails the build instead of surprising a user.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from keydash_api.app import create_app
from keydash_api.settings import Settings

TARGET = Path(__file__).resolve().parent.parent / "apps" / "web" / "openapi.json"
# Placeholder values: the document does not depend on them, and nothing is contacted.
_DOC_SETTINGS = {
    "litellm_base_url": "http://litellm.invalid",
    "litellm_api_key": "unused",
    "admin_username": "unused",
    "admin_password": "unused-password",
    "jwt_secret": "unused-secret-unused-secret-unused-secret",
    "metrics_port": 0,
}


def render() -> str:
    spec = create_app(Settings(**_DOC_SETTINGS)).openapi()  # type: ignore[arg-type]
    return json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the file is out of date")
    args = parser.parse_args()
    current = render()
    if args.check:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != current:
            print(
                f"{TARGET} is out of date: run `uv run python scripts/export_openapi.py` "
                "then `npm run gen:api` in apps/web",
                file=sys.stderr,
            )
            return 1
        print(f"{TARGET.name} is current")
        return 0
    TARGET.write_text(current, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

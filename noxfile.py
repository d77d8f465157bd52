"""Every check Keydash has. `uv run nox` runs them all; `uv run nox -s NAME` runs one."""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "none"
nox.options.sessions = ["lint", "types", "architecture", "web", "tests"]
nox.options.error_on_external_run = False

PYTHON_PATHS = ["packages", "apps/api", "noxfile.py", "scripts"]


@nox.session
def lint(session: nox.Session) -> None:
    session.run("uv", "run", "ruff", "check", *PYTHON_PATHS)
    session.run("uv", "run", "ruff", "format", "--check", *PYTHON_PATHS)


@nox.session
def types(session: nox.Session) -> None:
    session.run(
        "uv",
        "run",
        "mypy",
        "--strict",
        "packages/core/src",
        "packages/adapters/src",
        "apps/api/src",
    )


@nox.session
def architecture(session: nox.Session) -> None:
    """Imports point inward: api -> adapters -> core, and core uses only the standard library."""
    session.run("uv", "run", "lint-imports")
    session.run("uv", "run", "python", "scripts/check_core_stdlib.py")


@nox.session
def web(session: nox.Session) -> None:
    with session.chdir("apps/web"):
        session.run("npm", "ci", "--no-audit", "--no-fund", external=True)
        session.run("npm", "run", "typecheck", external=True)
        session.run("npm", "run", "check:api", external=True)
        session.run("npm", "test", external=True)
        session.run("npm", "run", "build", external=True)
    session.run("uv", "run", "python", "scripts/export_openapi.py", "--check")


@nox.session
def tests(session: nox.Session) -> None:
    session.run("uv", "run", "pytest", *session.posargs)

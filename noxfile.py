"""Every check Keydash has. `uv run nox` runs them all; `uv run nox -s NAME` runs one."""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "none"
nox.options.sessions = ["lint", "types", "architecture", "web", "tests"]
nox.options.error_on_external_run = False

PYTHON_PATHS = ["packages", "apps/api", "noxfile.py", "scripts", "tests", "bench"]


@nox.session
def lint(session: nox.Session) -> None:
    session.run("uv", "run", "ruff", "check", *PYTHON_PATHS)
    session.run("uv", "run", "ruff", "format", "--check", *PYTHON_PATHS)


# Test and tool folders import their own helper modules by plain name, and several share file
# names (conftest.py), so each is checked on its own with itself on the module path.
TYPED_FOLDERS = [
    "packages/core/tests",
    "packages/adapters/tests",
    "packages/fakes/tests",
    "apps/api/tests",
    "tests/delivery",
    "tests/reliability",
    "tests/e2e",
    "tests/real_litellm",
    "bench",
    "scripts",
]


@nox.session
def types(session: nox.Session) -> None:
    session.run(
        "uv",
        "run",
        "mypy",
        "--strict",
        "packages/core/src",
        "packages/adapters/src",
        "packages/fakes/src",
        "apps/api/src",
    )
    for folder in TYPED_FOLDERS:
        session.run(
            "uv",
            "run",
            "mypy",
            "--strict",
            "--explicit-package-bases",
            folder,
            env={"MYPYPATH": folder},
        )


@nox.session
def architecture(session: nox.Session) -> None:
    """Imports point inward: api -> adapters -> core, core uses only the standard library, and no
    production package imports the dev-only fakes (keydash_fakes)."""
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


@nox.session
def reliability(session: nox.Session) -> None:
    """Every reliability suite with its slow checks (faults, bad input, attacks, load, rollout).

    The fast part also runs in the default pytest run; see docs/reliability.md.
    """
    session.run(
        "uv",
        "run",
        "pytest",
        "tests/reliability",
        *session.posargs,
        env={"KEYDASH_RELIABILITY_FULL": "1"},
    )


@nox.session(name="real-litellm")
def real_litellm(session: nox.Session) -> None:
    """Keydash against a real LiteLLM 1.108.7 + PostgreSQL (tests/real_litellm, a few minutes).

    Uses KEYDASH_REAL_LITELLM_URL + KEYDASH_REAL_LITELLM_KEY (a proxy-admin key) when set; else
    sets up, starts and stops the machine's ../shared/real-litellm tool. Never skips: without a
    proxy it fails with the reason.
    """
    session.run("uv", "run", "pytest", "tests/real_litellm", *session.posargs)


@nox.session
def load(session: nox.Session) -> None:
    """The full-size load test (60 s, 50 users, 10,000 keys, behind NGINX), then a rolling update
    of two APIs under load. JSON reports land in artifacts/load/ (figures: docs/reliability.md)."""
    session.run("mkdir", "-p", "artifacts/load", external=True)
    script = "scripts/load/keydash_load.py"
    session.run(
        "uv", "run", "python", script, "--duration", "60", "--users", "50",
        "--json", "artifacts/load/dashboard-mix.json",
    )  # fmt: skip
    session.run(
        "uv", "run", "python", script, "--duration", "60", "--users", "20", "--keys", "10000",
        "--rolling", "replace-all", "--prestop", "2",
        "--json", "artifacts/load/rolling-update.json",
    )  # fmt: skip


@nox.session
def bench(session: nox.Session) -> None:
    """The performance benchmark: a full run writes docs/performance.md; `-- --quick` (the short
    matrix) writes artifacts/bench/performance-quick.md."""
    session.run("uv", "run", "python", "bench/run.py", *session.posargs)

"""The real proxy's own database, reached as PostgreSQL's superuser on this machine: switched
off and on for the outage tests, and key rows edited where LiteLLM's API cannot (a rotation that
came due, a budget window half spent). Only ever this proxy's database, never the cluster.
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator


def _superpsql(sql: str, database: str = "postgres") -> str:
    done = subprocess.run(  # noqa: S603 - fixed psql invocation as the postgres superuser
        ["runuser", "-u", "postgres", "--", "psql", "-X", "-qAt", "-d", database, "-c", sql],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd="/",
    )
    if done.returncode != 0:
        raise RuntimeError(f"psql failed: {done.stderr.strip()[:500]}")
    return done.stdout


def _quoted_identifier(name: str) -> str:
    assert name.replace("_", "").isalnum(), f"unexpected database name {name!r}"
    return f'"{name}"'


@contextlib.contextmanager
def database_down(db_name: str) -> Iterator[None]:
    """Refuse new connections to this one database and end its sessions; restored on exit.

    Never touches the cluster (other work dirs share it).
    """
    ident = _quoted_identifier(db_name)
    literal = "'" + db_name + "'"
    _superpsql(f"ALTER DATABASE {ident} WITH ALLOW_CONNECTIONS false")
    try:
        terminate = (  # a checked database name, not input:
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"  # noqa: S608
            f" WHERE datname = {literal} AND pid <> pg_backend_pid()"
        )
        _superpsql(terminate)
        yield
    finally:
        _superpsql(f"ALTER DATABASE {ident} WITH ALLOW_CONNECTIONS true")


def update_key_row(db_name: str, token: str, assignments: str) -> None:
    """SET `assignments` on one key row, moving updated_at as LiteLLM's own writes do (the
    sync reads changes by updated_at)."""
    assert all(c in "0123456789abcdef" for c in token), token
    _superpsql(
        'UPDATE "LiteLLM_VerificationToken"'  # noqa: S608 - a checked token, fixed assignments
        f" SET {assignments}, updated_at = now() WHERE token = '{token}'",
        database=db_name,
    )

"""An older commit's code checked out beside the current one (a temporary git worktree), so that
bench/sync_bench.py can run the previous design against the same fake."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git_worktree(root: Path, commit: str, where: Path) -> Path:
    subprocess.run(  # noqa: S603
        ["git", "-C", str(root), "worktree", "add", "--detach", "--quiet", str(where), commit],  # noqa: S607
        check=True,
        timeout=120,
        capture_output=True,
    )
    return where


def remove_worktree(root: Path, where: Path) -> None:
    subprocess.run(  # noqa: S603
        ["git", "-C", str(root), "worktree", "remove", "--force", str(where)],  # noqa: S607
        check=False,
        timeout=120,
        capture_output=True,
    )
    subprocess.run(  # noqa: S603
        ["git", "-C", str(root), "worktree", "prune"],  # noqa: S607
        check=False,
        timeout=60,
        capture_output=True,
    )

"""Fails when keydash_core imports anything outside the standard library.

import-linter's contract forbids the packages we know about; this catches the ones nobody
thought to list, by reading every import in the core's source.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "packages" / "core" / "src" / "keydash_core"


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def main() -> int:
    allowed = set(sys.stdlib_module_names) | {"keydash_core", "__future__"}
    problems = [
        f"{path.relative_to(CORE.parent)}: imports {name}"
        for path in sorted(CORE.rglob("*.py"))
        for name in sorted(imported_roots(path) - allowed)
    ]
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print("keydash_core imports only the standard library")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The API image holds no fake: keydash-fakes (fake LiteLLM, in-memory fakes) is dev-only.

Read from the files: the API Dockerfile's default target and the stages it copies from, the lock's
dependency graph, and what `uv sync --frozen --no-dev --package keydash-api` (the Dockerfile's
install) would install. scripts/images/build-and-smoke also checks the built image itself:
`import keydash_fakes` must fail inside it.
"""

# Tests start the tools they check (uv).
# ruff: noqa: S603

from __future__ import annotations

import re
import subprocess
import tomllib
from typing import Any

import pytest
from delivery_support import REPO, dockerfile_instructions, require_tool

DOCKERFILE = REPO / "apps/api/Dockerfile"
FAKES = "keydash-fakes"
# What only the fake server needed; the adapters must not pull them in for it any more.
FAKE_SERVER_DEPENDENCIES = {"starlette", "uvicorn"}


def stages() -> dict[str, list[tuple[str, str]]]:
    """Each named stage's instructions (a stage's FROM included), in file order."""
    named: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] | None = None
    for index, (word, rest) in enumerate(dockerfile_instructions(DOCKERFILE)):
        if word == "FROM":
            parts = rest.split()
            name = parts[2] if len(parts) == 3 and parts[1].upper() == "AS" else f"#{index}"
            current = named.setdefault(name, [])
        if current is not None:
            current.append((word, rest))
    return named


def stage_chain(name: str, named: dict[str, list[tuple[str, str]]]) -> set[str]:
    """The stage and every stage it is built FROM or COPYs --from, transitively."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        stage = todo.pop()
        if stage in seen or stage not in named:
            continue
        seen.add(stage)
        for word, rest in named[stage]:
            if word == "FROM":
                todo.append(rest.split()[0])
            elif word == "COPY":
                todo.extend(re.findall(r"--from=(\S+)", rest))
    return seen


def api_image_stages() -> tuple[dict[str, list[tuple[str, str]]], set[str]]:
    named = stages()
    default_target = list(named)[-1]  # `docker build` without --target builds the last stage
    return named, stage_chain(default_target, named)


def test_the_default_target_is_the_api_runtime() -> None:
    named, _ = api_image_stages()
    final = named[list(named)[-1]]
    assert final[0][1].endswith(" AS runtime"), final[0]
    cmd = next(rest for word, rest in final if word == "CMD")
    assert "keydash_api.main:app" in cmd


def test_api_image_installs_only_keydash_api_without_dev_dependencies() -> None:
    named, chain = api_image_stages()
    syncs = [
        rest
        for stage in chain
        for word, rest in named[stage]
        if word == "RUN" and "uv sync" in rest
    ]
    assert syncs, f"no `uv sync` in the stages of the API image: {sorted(chain)}"
    for command in syncs:
        assert "--frozen" in command, command
        assert "--no-dev" in command, command  # the root's dev group carries keydash-fakes
        assert "--package keydash-api" in command, command
        assert "--all-packages" not in command, command
        assert "--group" not in command, command
        assert "--all-groups" not in command, command


def test_api_image_never_copies_the_fakes_sources() -> None:
    named, chain = api_image_stages()
    copied = [rest for stage in chain for word, rest in named[stage] if word == "COPY"]
    assert not [rest for rest in copied if "packages/fakes/src" in rest], copied
    # A whole-tree copy would bring the fakes' sources along.
    assert not [rest for rest in copied if rest.split()[0] in {".", "./", "packages", "packages/"}]


def test_the_fake_has_its_own_target_outside_the_api_image() -> None:
    named, chain = api_image_stages()
    assert "fake-litellm" in named
    assert "fake-litellm" not in chain
    fake_chain = stage_chain("fake-litellm", named)
    syncs = [
        rest
        for stage in fake_chain
        for word, rest in named[stage]
        if word == "RUN" and "uv sync" in rest
    ]
    assert syncs
    assert all("--package keydash-fakes" in command for command in syncs), syncs
    cmd = next(rest for word, rest in named["fake-litellm"] if word == "CMD")
    assert '"keydash_fakes.litellm"' in cmd
    assert ("USER", "10001:10001") in named["fake-litellm"]


def lock() -> dict[str, Any]:
    return tomllib.loads((REPO / "uv.lock").read_text())


def runtime_closure(root: str, packages: dict[str, dict[str, Any]]) -> set[str]:
    """Every package `root` needs at runtime (dependencies and requested extras, no dev groups)."""
    seen: set[str] = set()
    todo: list[tuple[str, tuple[str, ...]]] = [(root, ())]
    while todo:
        name, extras = todo.pop()
        package = packages[name]
        key_seen = name in seen
        seen.add(name)
        wanted = list(package.get("dependencies", [])) if not key_seen else []
        for extra in extras:
            wanted += package.get("optional-dependencies", {}).get(extra, [])
        for dependency in wanted:
            todo.append((dependency["name"], tuple(dependency.get("extra", []))))
    return seen


def test_the_lock_keeps_the_fakes_out_of_keydash_api() -> None:
    packages = {package["name"]: package for package in lock()["package"]}
    assert FAKES in packages, "keydash-fakes is a workspace member in the lock"
    api = runtime_closure("keydash-api", packages)
    assert {"keydash-core", "keydash-adapters", "fastapi"} <= api  # the walk does find things
    assert FAKES not in api
    adapters = runtime_closure("keydash-adapters", packages)
    assert not adapters & ({FAKES} | FAKE_SERVER_DEPENDENCIES), sorted(adapters)
    # ... while the fakes themselves still have what they need, and are a dev dependency.
    assert runtime_closure(FAKES, packages) >= FAKE_SERVER_DEPENDENCIES
    root = next(package for package in packages.values() if package["name"] == "keydash")
    assert {"name": FAKES} in root["dev-dependencies"]["dev"]
    assert FAKES not in {dependency["name"] for dependency in root.get("dependencies", [])}


def test_uv_would_not_install_the_fakes_for_keydash_api() -> None:
    uv = require_tool("uv", "python3 -m pip install uv")
    result = subprocess.run(
        [uv, "export", "--frozen", "--no-dev", "--package", "keydash-api", "--no-hashes"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "keydash-adapters" in result.stdout
    assert FAKES not in result.stdout
    assert "packages/fakes" not in result.stdout


@pytest.mark.parametrize("name", ["keydash-core", "keydash-adapters", "keydash-api"])
def test_no_production_package_declares_the_fakes(name: str) -> None:
    folder = {"keydash-core": "packages/core", "keydash-adapters": "packages/adapters"}
    path = REPO / folder.get(name, "apps/api") / "pyproject.toml"
    project = tomllib.loads(path.read_text())["project"]
    declared = {re.split(r"[\[<>=!~ ;]", dependency)[0] for dependency in project["dependencies"]}
    assert FAKES not in declared
    if name == "keydash-adapters":
        assert not declared & FAKE_SERVER_DEPENDENCIES, declared

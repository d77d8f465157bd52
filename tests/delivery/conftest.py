"""Lets the delivery tests import their helpers (pytest runs with --import-mode=importlib), and
holds the Helm chart fixtures the test_helm_*.py modules share."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from delivery_helm import EVERYTHING, Manifest, render
from delivery_support import require_tool


@pytest.fixture(scope="module")
def helm() -> str:
    return require_tool("helm", "run scripts/images/install-helm")


@pytest.fixture(scope="module")
def defaults(helm: str) -> list[Manifest]:
    """The chart rendered with its default values."""
    return render(helm)


@pytest.fixture(scope="module")
def everything(helm: str) -> list[Manifest]:
    """The chart rendered with every option on (helm/values-everything.yaml)."""
    return render(helm, "-f", str(EVERYTHING))

"""The Helm chart, as the delivery tests see it: rendering it, finding manifests, and validating
them against the Kubernetes schemas.

Needs the helm binary (scripts/images/install-helm puts it in .tools/bin) and the PyPI package
kubernetes-validate. Both missing in CI=true is a failure, not a skip.
"""

# Runs helm, the tool under test, with fixed arguments.
# ruff: noqa: S603

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]
from delivery_support import REPO, in_ci

CHART = REPO / "infra" / "helm" / "keydash"
EVERYTHING = Path(__file__).parent / "helm" / "values-everything.yaml"
KUBERNETES_VERSION = "1.33.0"
SECRET_ENV = {"LITELLM_API_KEY", "ADMIN_PASSWORD", "JWT_SECRET"}
Manifest = dict[str, Any]


def run_helm(helm: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([helm, *args], capture_output=True, text=True, timeout=120, check=False)


def render(helm: str, *args: str) -> list[Manifest]:
    result = run_helm(helm, "template", "kd", str(CHART), "--namespace", "tools", *args)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def find(manifests: list[Manifest], kind: str, suffix: str = "") -> Manifest:
    matches = [m for m in manifests if m["kind"] == kind and m["metadata"]["name"].endswith(suffix)]
    assert len(matches) == 1, f"{kind} *{suffix}: {[m['metadata']['name'] for m in matches]}"
    return matches[0]


def validate(manifests: list[Manifest]) -> None:
    try:
        import kubernetes_validate  # type: ignore[import-untyped]
    except ImportError:
        message = "kubernetes-validate is not installed (uv pip install kubernetes-validate)"
        if in_ci():
            pytest.fail(f"CI=true and {message}", pytrace=False)
        pytest.skip(message)
    for manifest in manifests:
        if manifest["apiVersion"].startswith("monitoring.coreos.com/"):
            # A CRD: no bundled schema; test_service_monitor_targets_the_metrics_port checks it
            # (test_helm_rendering.py).
            continue
        try:
            kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            first_line = str(error).splitlines()[0]
            pytest.fail(f"{manifest['kind']}/{manifest['metadata']['name']}: {first_line}")

"""The Helm chart's secrets: never in a ConfigMap, taken from an existing Secret when one is
named, or created by the chart from the given values (with a generated JWT secret)."""

from __future__ import annotations

import base64
import json

from delivery_helm import CHART, SECRET_ENV, Manifest, find, render, run_helm


def test_secrets_never_reach_a_configmap(
    defaults: list[Manifest], everything: list[Manifest]
) -> None:
    for manifests in (defaults, everything):
        for config_map in (m for m in manifests if m["kind"] == "ConfigMap"):
            assert not SECRET_ENV & set(config_map["data"]), config_map["metadata"]["name"]
            assert "sk-everything-test" not in json.dumps(config_map)
        (container,) = find(manifests, "Deployment", "-api")["spec"]["template"]["spec"][
            "containers"
        ]
        from_secret = {
            e["name"] for e in container["env"] if "secretKeyRef" in e.get("valueFrom", {})
        }
        assert from_secret == SECRET_ENV


def test_existing_secret_is_referenced_and_none_is_created(helm: str) -> None:
    manifests = render(
        helm,
        "--set",
        "api.existingSecret=keydash-secrets",
        "--set",
        "api.secrets.litellmApiKey=ignored",
    )
    assert not [m for m in manifests if m["kind"] == "Secret"]
    (container,) = find(manifests, "Deployment", "-api")["spec"]["template"]["spec"]["containers"]
    refs = {e["valueFrom"]["secretKeyRef"]["name"] for e in container["env"] if "valueFrom" in e}
    assert refs == {"keydash-secrets"}


def test_chart_created_secret_holds_given_values_and_a_generated_jwt(
    everything: list[Manifest],
) -> None:
    secret = find(everything, "Secret")
    data = {k: base64.b64decode(v).decode() for k, v in secret["data"].items()}
    assert data["litellm-api-key"] == "sk-everything-test"
    assert data["admin-password"] == "a-long-admin-password"
    assert len(data["jwt-secret"]) >= 32
    deployment = find(everything, "Deployment", "-api")
    assert "checksum/secret" in deployment["spec"]["template"]["metadata"]["annotations"]


def test_chart_created_secret_requires_the_admin_password(helm: str) -> None:
    result = run_helm(helm, "template", "kd", str(CHART), "--set", "api.secrets.litellmApiKey=sk-x")
    assert result.returncode != 0
    assert "api.secrets.adminPassword is required" in result.stderr

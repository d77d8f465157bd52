"""The Helm chart renders valid Kubernetes, with defaults and with every option, and what it
renders is locked down, stateless and wired together (`defaults` and `everything`: conftest.py).
"""

# The pods' writable /tmp is named in an expected manifest, not used as a path here.
# ruff: noqa: S108

from __future__ import annotations

import re

import pytest
from delivery_helm import CHART, EVERYTHING, Manifest, find, render, run_helm, validate


def test_lint_strict(helm: str) -> None:
    for extra in ([], ["-f", str(EVERYTHING)]):
        result = run_helm(helm, "lint", "--strict", str(CHART), *extra)
        assert result.returncode == 0, result.stdout + result.stderr


def test_defaults_are_valid_kubernetes(defaults: list[Manifest]) -> None:
    kinds = sorted(m["kind"] for m in defaults)
    assert kinds == sorted(
        [
            "ServiceAccount",
            "ConfigMap",
            "ConfigMap",
            "Service",
            "Service",
            "Deployment",
            "Deployment",
            "PodDisruptionBudget",
            "PodDisruptionBudget",
        ]
    )
    validate(defaults)


def test_every_option_renders_valid_kubernetes(everything: list[Manifest]) -> None:
    kinds = {m["kind"] for m in everything}
    assert kinds >= {
        "Secret",
        "Ingress",
        "HorizontalPodAutoscaler",
        "NetworkPolicy",
        "ServiceMonitor",
    }
    validate(everything)


@pytest.mark.parametrize("values", ["defaults", "everything"])
def test_pods_are_locked_down_and_stateless(values: str, request: pytest.FixtureRequest) -> None:
    manifests: list[Manifest] = request.getfixturevalue(values)
    for suffix in ("-api", "-web"):
        deployment = find(manifests, "Deployment", suffix)
        spec = deployment["spec"]
        assert spec["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
        pod = spec["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
        assert pod["automountServiceAccountToken"] is False
        assert [v["name"] for v in pod["volumes"]] == ["tmp"]
        assert "emptyDir" in pod["volumes"][0]
        (container,) = pod["containers"]
        security = container["securityContext"]
        assert security["readOnlyRootFilesystem"] is True
        assert security["allowPrivilegeEscalation"] is False
        assert security["capabilities"]["drop"] == ["ALL"]
        assert security["seccompProfile"]["type"] == "RuntimeDefault"
        assert container["volumeMounts"] == [{"name": "tmp", "mountPath": "/tmp"}]
        assert container["readinessProbe"]["httpGet"]["port"] == "http"
        assert container["livenessProbe"]["httpGet"]["port"] == "http"
        assert re.fullmatch(
            r"[0-9a-f]{64}", spec["template"]["metadata"]["annotations"]["checksum/config"]
        )


def test_api_probes_use_healthz_not_readyz(defaults: list[Manifest]) -> None:
    (container,) = find(defaults, "Deployment", "-api")["spec"]["template"]["spec"]["containers"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/api/healthz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/api/healthz"


def test_config_change_rolls_the_pods(helm: str, defaults: list[Manifest]) -> None:
    changed = render(helm, "--set", "api.env.LOG_LEVEL=DEBUG", "--set", "web.hsts=true")
    for suffix in ("-api", "-web"):
        before = find(defaults, "Deployment", suffix)["spec"]["template"]["metadata"]["annotations"]
        after = find(changed, "Deployment", suffix)["spec"]["template"]["metadata"]["annotations"]
        assert before["checksum/config"] != after["checksum/config"], suffix


def test_web_proxies_to_the_api_service(defaults: list[Manifest]) -> None:
    api_service = find(defaults, "Service", "-api")
    web_config = find(defaults, "ConfigMap", "-web")["data"]
    assert web_config["KEYDASH_API_UPSTREAM"] == f"{api_service['metadata']['name']}:8000"
    assert web_config["KEYDASH_HSTS"] == "false"
    api_config = find(defaults, "ConfigMap", "-api")["data"]
    assert api_config["METRICS_PORT"] == "9100"
    assert api_config["TRUSTED_PROXIES"]  # the web pods' traffic is believed, from private ranges


def test_every_option_is_wired(everything: list[Manifest]) -> None:
    api = find(everything, "Deployment", "-api")
    assert "replicas" not in api["spec"]  # the HPA owns it
    pod = api["spec"]["template"]["spec"]
    assert pod["containers"][0]["image"].startswith("registry.example.com/keydash/api@sha256:")
    assert pod["serviceAccountName"] == "keydash-runner"
    assert pod["imagePullSecrets"] == [{"name": "regcred"}]
    assert len(pod["topologySpreadConstraints"]) == 2
    assert pod["containers"][0]["lifecycle"]["preStop"]["exec"]["command"] == ["sleep", "10"]
    annotations = api["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/port"] == "9200"
    assert find(everything, "ConfigMap", "-api")["data"]["METRICS_PORT"] == "9200"
    web = find(everything, "Deployment", "-web")["spec"]["template"]["spec"]
    assert web["containers"][0]["image"] == "registry.example.com/keydash/web:1.2.3"
    ingress = find(everything, "Ingress")
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend["name"] == find(everything, "Service", "-web")["metadata"]["name"]
    assert ingress["spec"]["tls"][0]["secretName"] == "keydash-tls"
    policy = find(everything, "NetworkPolicy", "-api")
    web_only = policy["spec"]["ingress"][0]["from"][0]["podSelector"]["matchLabels"]
    assert web_only["app.kubernetes.io/component"] == "web"
    hpa = find(everything, "HorizontalPodAutoscaler", "-api")
    assert hpa["spec"]["scaleTargetRef"]["name"] == api["metadata"]["name"]


def test_service_monitor_targets_the_metrics_port(everything: list[Manifest]) -> None:
    monitor = find(everything, "ServiceMonitor")
    service = find(everything, "Service", "-api")
    assert monitor["apiVersion"] == "monitoring.coreos.com/v1"
    assert monitor["metadata"]["labels"]["release"] == "prometheus"
    assert (
        monitor["spec"]["selector"]["matchLabels"].items() <= service["metadata"]["labels"].items()
    )
    assert monitor["spec"]["endpoints"][0]["port"] in {p["name"] for p in service["spec"]["ports"]}

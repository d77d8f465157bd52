"""The Helm chart: lint, render, validate against Kubernetes' schemas, and refuse wrong values.

Needs the helm binary (scripts/images/install-helm puts it in .tools/bin) and the PyPI package
kubernetes-validate. Both missing in CI=true is a failure, not a skip.
"""

# Tests start the tools they check (nginx, helm, hadolint) and name /tmp in fixtures.
# ruff: noqa: S603, S108

from __future__ import annotations

import base64
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]
from delivery_support import REPO, in_ci, require_tool

CHART = REPO / "infra" / "helm" / "keydash"
EVERYTHING = Path(__file__).parent / "helm" / "values-everything.yaml"
KUBERNETES_VERSION = "1.33.0"
SECRET_ENV = {"LITELLM_API_KEY", "ADMIN_PASSWORD", "JWT_SECRET"}
Manifest = dict[str, Any]


@pytest.fixture(scope="module")
def helm() -> str:
    return require_tool("helm", "run scripts/images/install-helm")


def _run_helm(helm: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([helm, *args], capture_output=True, text=True, timeout=120, check=False)


def render(helm: str, *args: str) -> list[Manifest]:
    result = _run_helm(helm, "template", "kd", str(CHART), "--namespace", "tools", *args)
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
            # A CRD: no bundled schema; test_service_monitor_targets_the_metrics_port checks it.
            continue
        try:
            kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            first_line = str(error).splitlines()[0]
            pytest.fail(f"{manifest['kind']}/{manifest['metadata']['name']}: {first_line}")


@pytest.fixture(scope="module")
def defaults(helm: str) -> list[Manifest]:
    return render(helm)


@pytest.fixture(scope="module")
def everything(helm: str) -> list[Manifest]:
    return render(helm, "-f", str(EVERYTHING))


def test_lint_strict(helm: str) -> None:
    for extra in ([], ["-f", str(EVERYTHING)]):
        result = _run_helm(helm, "lint", "--strict", str(CHART), *extra)
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
    result = _run_helm(
        helm, "template", "kd", str(CHART), "--set", "api.secrets.litellmApiKey=sk-x"
    )
    assert result.returncode != 0
    assert "api.secrets.adminPassword is required" in result.stderr


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


@pytest.mark.parametrize(
    ("setting", "complaint"),
    [
        ("api.env.LOG_LEVEL=LOUD", "/api/env/LOG_LEVEL"),
        ("api.env.JWT_SECRET=a-secret-in-a-configmap", "JWT_SECRET"),
        ("api.env.LITELLM_BASE_URL=litellm:4000", "/api/env/LITELLM_BASE_URL"),
        ("api.replicaCont=3", "replicaCont"),
        ("web.replicaCount=0", "/web/replicaCount"),
        ("containerSecurityContext.readOnlyRootFilesystem=false", "readOnlyRootFilesystem"),
        ("web.service.type=Sideways", "/web/service/type"),
        ("api.image.digest=latest", "/api/image/digest"),
        ("web.realIpFrom=everyone", "/web/realIpFrom"),
    ],
)
def test_wrong_values_are_refused_by_the_schema(helm: str, setting: str, complaint: str) -> None:
    result = _run_helm(helm, "template", "kd", str(CHART), "--set", setting)
    assert result.returncode != 0, f"{setting} was accepted"
    assert "schema" in result.stderr, result.stderr
    assert complaint in result.stderr, result.stderr


def test_schema_knows_every_documented_setting() -> None:
    """The chart's api.env accepts exactly the non-secret settings of docs/configuration.md."""
    documented = set(
        re.findall(r"^\| `([A-Z_]+)` \|", (REPO / "docs" / "configuration.md").read_text(), re.M)
    )
    schema = json.loads((CHART / "values.schema.json").read_text())
    accepted = set(schema["properties"]["api"]["properties"]["env"]["properties"])
    assert accepted == documented - SECRET_ENV - {"METRICS_PORT"}


def _value_paths(values: dict[str, Any], prefix: str = "") -> list[str]:
    opaque = {"podSecurityContext", "containerSecurityContext", "resources"}
    paths = []
    for key, value in values.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value and key not in opaque:
            paths += _value_paths(value, path + ".")
        else:
            paths.append(path)
    return paths


def test_chart_readme_documents_every_value() -> None:
    readme = (CHART / "README.md").read_text()
    values = yaml.safe_load((CHART / "values.yaml").read_text())
    missing = [path for path in _value_paths(values) if f"| `{path}` |" not in readme]
    assert not missing, f"values without a row in the chart README: {missing}"


def test_notes_tell_what_is_missing(helm: str) -> None:
    def notes(*extra: str) -> str:
        result = _run_helm(helm, "install", "kd", str(CHART), "--dry-run=client", *extra)
        assert result.returncode == 0, result.stderr
        return result.stdout.split("NOTES:", 1)[1]

    bare = notes()
    assert "No secrets were given" in bare
    assert "port-forward service/kd-keydash-web" in bare
    complete = notes("-f", str(EVERYTHING))
    assert "No secrets were given" not in complete
    assert "https://keydash.example.com/" in complete

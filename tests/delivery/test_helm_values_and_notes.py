"""The Helm chart's values: wrong ones are refused by its schema, the schema and the chart README
cover every documented setting and value, and the install NOTES tell what is missing."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]
from delivery_helm import CHART, EVERYTHING, SECRET_ENV, run_helm
from delivery_support import REPO


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
    result = run_helm(helm, "template", "kd", str(CHART), "--set", setting)
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
        result = run_helm(helm, "install", "kd", str(CHART), "--dry-run=client", *extra)
        assert result.returncode == 0, result.stderr
        return result.stdout.split("NOTES:", 1)[1]

    bare = notes()
    assert "No secrets were given" in bare
    assert "port-forward service/kd-keydash-web" in bare
    complete = notes("-f", str(EVERYTHING))
    assert "No secrets were given" not in complete
    assert "https://keydash.example.com/" in complete

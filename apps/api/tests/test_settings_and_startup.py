import os
import subprocess
import sys

import pytest
from api_support import make_settings
from keydash_api.settings import Settings, describe_settings_errors
from pydantic import ValidationError

REQUIRED = ("LITELLM_BASE_URL", "LITELLM_API_KEY", "ADMIN_USERNAME", "ADMIN_PASSWORD", "JWT_SECRET")


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in REQUIRED}
    return subprocess.run(
        [sys.executable, "-c", "import keydash_api.main"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_missing_settings_stop_start_up_with_one_line_each_and_no_traceback() -> None:
    result = _start({"LITELLM_API_KEY": "sk-should-never-be-printed"})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    for name in ("LITELLM_BASE_URL", "ADMIN_USERNAME", "ADMIN_PASSWORD", "JWT_SECRET"):
        assert f"{name}: is required but not set" in result.stderr
    assert "sk-should-never-be-printed" not in result.stderr + result.stdout


def test_a_short_jwt_secret_refuses_to_start_with_a_clear_message() -> None:
    result = _start(
        {
            "LITELLM_BASE_URL": "http://127.0.0.1:4000",
            "LITELLM_API_KEY": "sk-x",
            "ADMIN_USERNAME": "admin",
            "ADMIN_PASSWORD": "long-enough-pw",
            "JWT_SECRET": "too-short",
        }
    )
    assert result.returncode == 2
    assert "JWT_SECRET: " in result.stderr
    assert "32 bytes" in result.stderr
    assert "too-short" not in result.stderr


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"litellm_base_url": "not a url"}, "LITELLM_BASE_URL"),
        ({"jwt_secret": "changeme"}, "JWT_SECRET"),
        ({"admin_password": "short"}, "ADMIN_PASSWORD"),
        ({"upstream_concurrency": 0}, "UPSTREAM_CONCURRENCY"),
        ({"cache_ttl_seconds": -1}, "CACHE_TTL_SECONDS"),
        ({"trusted_proxies": "10.0.0.0/8,not-an-ip"}, "TRUSTED_PROXIES"),
        ({"log_format": "xml"}, "LOG_FORMAT"),
    ],
)
def test_invalid_values_name_the_variable(overrides: dict[str, object], variable: str) -> None:
    with pytest.raises(ValidationError) as caught:
        make_settings(**overrides)
    lines = describe_settings_errors(caught.value)
    assert any(line.startswith(f"{variable}: ") for line in lines), lines


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "LITELLM_BASE_URL": "http://litellm:4000",
        "LITELLM_API_KEY": "sk-env",
        "ADMIN_USERNAME": "root",
        "ADMIN_PASSWORD": "long-enough-pw",
        "JWT_SECRET": "j" * 40,
        "CACHE_TTL_SECONDS": "0",
        "LOG_LEVEL": "debug",
    }.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    assert (settings.admin_username, settings.cache_ttl_seconds, settings.log_level) == (
        "root",
        0,
        "DEBUG",
    )
    assert "sk-env" not in repr(settings)


def test_the_production_entry_point_tunes_the_garbage_collector() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import gc, keydash_api.main as m; "
            "print(gc.get_threshold() == m.GC_THRESHOLDS, gc.get_freeze_count() > 0)",
        ],
        env={
            **os.environ,
            "LITELLM_BASE_URL": "http://127.0.0.1:4000",
            "LITELLM_API_KEY": "sk-x",
            "ADMIN_USERNAME": "admin",
            "ADMIN_PASSWORD": "long-enough-pw",
            "JWT_SECRET": "a-random-enough-secret-of-more-than-32-bytes",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]

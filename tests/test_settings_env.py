"""Settings come from the environment; each case runs a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "APP_ENV": "production",
    "SECRET_KEY": "kP9#vL2$qW8@nR5!mT3&xY7*zB1^cD4%fG6(hJ0)aS-eU_iO+yE=wQ~rZ",
    "ALLOWED_HOSTS": "casusregie.voorbeeldstad.nl",
    "DATABASE_URL": "postgres://app:pw@db.internal:5432/casusregie",
    "REDIS_URL": "redis://redis.internal:6379/0",
}


def _clean_env(extra: dict[str, str]) -> dict[str, str]:
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "PYTHONPATH"}
    env = {key: value for key, value in os.environ.items() if key in keep}
    env["DJANGO_SETTINGS_MODULE"] = "socialdomain.settings"
    env.update(extra)
    return env


def _settings(extra: dict[str, str], *names: str) -> subprocess.CompletedProcess:
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: str(getattr(settings, n)) for n in {list(names)!r}}}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=_clean_env(extra), capture_output=True, text=True, timeout=60
    )


def _values(extra: dict[str, str], *names: str) -> dict:
    result = _settings(extra, *names)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_development_defaults_need_no_environment():
    values = _values({}, "DEBUG", "DEMO_MODE", "DATABASES", "CELERY_BROKER_URL", "TIME_ZONE", "LANGUAGE_CODE")
    assert values["DEBUG"] == "True"
    assert values["DEMO_MODE"] == "True"
    assert "sqlite3" in values["DATABASES"]
    assert "var/db.sqlite3" in values["DATABASES"]
    assert values["CELERY_BROKER_URL"] == "filesystem://"
    assert values["TIME_ZONE"] == "Europe/Amsterdam"
    assert values["LANGUAGE_CODE"] == "nl"


def test_values_are_read_from_the_environment():
    values = _values(
        {
            "DATABASE_URL": "postgres://u:p@127.0.0.1:5433/abc",
            "REDIS_URL": "redis://127.0.0.1:6390/2",
            "SESSION_IDLE_TIMEOUT_MINUTES": "30",
        },
        "DATABASES",
        "CELERY_BROKER_URL",
        "SESSION_COOKIE_AGE",
    )
    assert "'NAME': 'abc'" in values["DATABASES"]
    assert "'PORT': 5433" in values["DATABASES"]
    assert values["CELERY_BROKER_URL"] == "redis://127.0.0.1:6390/2"
    assert values["SESSION_COOKIE_AGE"] == "1800"


def test_malformed_values_fail_loudly():
    result = _settings({"SESSION_IDLE_TIMEOUT_MINUTES": "kwartier"}, "SESSION_COOKIE_AGE")
    assert result.returncode != 0
    assert "ValueError" in result.stderr or "ImproperlyConfigured" in result.stderr


def test_production_requires_a_real_secret_key():
    env = {**PRODUCTION, "SECRET_KEY": ""}
    result = _settings(env, "DEBUG")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_demo_mode_and_debug():
    assert "DEMO_MODE" in _settings({**PRODUCTION, "DEMO_MODE": "true"}, "DEBUG").stderr
    assert "DJANGO_DEBUG" in _settings({**PRODUCTION, "DJANGO_DEBUG": "true"}, "DEBUG").stderr


def test_production_passes_check_deploy_without_warnings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_clean_env(PRODUCTION),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_requires_database_and_redis():
    env = {key: value for key, value in PRODUCTION.items() if key != "DATABASE_URL"}
    assert "DATABASE_URL" in _settings(env, "DEBUG").stderr
    env = {key: value for key, value in PRODUCTION.items() if key != "REDIS_URL"}
    assert "REDIS_URL" in _settings(env, "DEBUG").stderr

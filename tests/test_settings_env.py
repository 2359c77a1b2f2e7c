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
    assert values["DEBUG"] == "False"
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


# --- DEBUG only when asked for; the product's own error pages in every mode -------------------


def test_debug_is_off_in_every_mode_unless_asked_for():
    for app_env in ("development", "test"):
        values = _values({"APP_ENV": app_env}, "DEBUG", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE")
        assert values["DEBUG"] == "False", app_env
        # The quick start runs on plain http://127.0.0.1: HTTPS hardening follows production, not DEBUG.
        assert values["SECURE_SSL_REDIRECT"] == "False", app_env
        assert values["SESSION_COOKIE_SECURE"] == "False", app_env
    assert _values({"DJANGO_DEBUG": "true"}, "DEBUG")["DEBUG"] == "True"
    assert _values(PRODUCTION, "SECURE_SSL_REDIRECT")["SECURE_SSL_REDIRECT"] == "True"


def test_the_replaced_cool_off_variable_is_refused_loudly():
    result = _settings({"AXES_COOLOFF_MINUTES": "15"}, "DEBUG")
    assert result.returncode != 0
    assert "LOGIN_MAX_DELAY_MINUTES" in result.stderr


# A request through the whole stack with the quick start's settings (no APP_ENV, no DJANGO_DEBUG), as
# `make run` serves it: Django's test client, not the test runner, so DEBUG stays what the settings say.
QUICK_START_REQUESTS = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(raise_request_exception=False)
answers = {"debug": settings.DEBUG}
for path in ("/bestaat-niet/", "/api/v1/bestaat-niet", "/static/css/app.css", "/static/vendor/utrecht/component-library.css"):
    response = client.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    answers[path] = [response.status_code, response["Content-Type"], body.decode(errors="replace")[:3000]]
print(json.dumps(answers))
"""


def test_the_quick_start_serves_its_own_dutch_404_page_and_its_css(tmp_path):
    env = _clean_env({"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    result = subprocess.run(
        [sys.executable, "-c", QUICK_START_REQUESTS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    assert answers["debug"] is False

    status, content_type, body = answers["/bestaat-niet/"]
    assert status == 404
    assert content_type.startswith("text/html")
    assert "Pagina niet gevonden" in body
    assert 'lang="nl"' in body
    assert "URLconf" not in body and "Using the URLconf" not in body and "Traceback" not in body

    status, content_type, body = answers["/api/v1/bestaat-niet"]
    assert (status, content_type) == (404, "application/problem+json")

    # Without DEBUG, runserver serves no static files: WhiteNoise does (WHITENOISE_USE_FINDERS outside production).
    for path in ("/static/css/app.css", "/static/vendor/utrecht/component-library.css"):
        status, content_type, body = answers[path]
        assert status == 200, path
        assert content_type.startswith("text/css"), path
        assert body.strip(), path

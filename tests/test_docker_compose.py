"""docker-compose.yml describes a complete production setup.

These tests read the file and need no database. Where the docker compose
plugin is installed, `docker compose config` also validates the file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

COMPOSE_FILE = Path(__file__).resolve().parent.parent / "docker-compose.yml"
APP_SERVICES = ("web", "worker", "beat")
BACKING_SERVICES = ("postgres", "redis")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def _environment(service: dict) -> dict[str, str]:
    """A service's environment as a dict, whether written as a mapping or as a list."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


def _depends_on(service: dict) -> dict[str, str]:
    """A service's dependencies with their condition ("service_started" for the short form)."""
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return dict.fromkeys(deps, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in deps.items()}


def test_all_services_are_defined(compose):
    assert set(compose["services"]) >= {"postgres", "redis", "web", "worker", "beat"}


@pytest.mark.parametrize("name", ["postgres", "redis", "web"])
def test_service_has_a_healthcheck(compose, name):
    healthcheck = compose["services"][name].get("healthcheck")
    assert healthcheck, f"{name} has no healthcheck"
    assert healthcheck.get("test"), f"{name} healthcheck has no test"
    assert not healthcheck.get("disable", False)


def test_web_healthcheck_calls_health_endpoint(compose):
    test = compose["services"]["web"]["healthcheck"]["test"]
    command = " ".join(test) if isinstance(test, list) else test
    assert "/health" in command
    assert "urllib" in command


def test_database_volume_is_declared_and_mounted(compose):
    volumes = compose.get("volumes") or {}
    assert "pgdata" in volumes
    mounts = compose["services"]["postgres"].get("volumes") or []
    sources = [mount.split(":", 1)[0] if isinstance(mount, str) else mount.get("source") for mount in mounts]
    assert "pgdata" in sources
    targets = [mount.split(":")[1] if isinstance(mount, str) else mount.get("target") for mount in mounts]
    assert "/var/lib/postgresql/data" in targets


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_runs_in_production_on_postgres_and_redis(compose, name):
    env = _environment(compose["services"][name])
    assert env.get("APP_ENV") == "production"
    assert env.get("DATABASE_URL", "").startswith("postgres://")
    assert "@postgres:" in env["DATABASE_URL"]
    assert env.get("REDIS_URL", "").startswith("redis://redis:")
    # Production refuses to start without these; compose must demand them rather than invent them.
    assert env.get("SECRET_KEY", "").startswith("${SECRET_KEY:?")
    assert env.get("ALLOWED_HOSTS", "").startswith("${ALLOWED_HOSTS:?")
    assert env.get("DEMO_MODE", "false").lower() == "false"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_waits_for_healthy_backing_services(compose, name):
    deps = _depends_on(compose["services"][name])
    for backing in BACKING_SERVICES:
        assert deps.get(backing) == "service_healthy", f"{name} does not wait for a healthy {backing}"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_waits_for_migrations(compose, name):
    services = compose["services"]
    assert "migrate" in services
    assert "migrate" in " ".join(services["migrate"]["command"])
    assert _depends_on(services[name]).get("migrate") == "service_completed_successfully"


def test_worker_and_beat_run_celery(compose):
    worker = " ".join(compose["services"]["worker"]["command"])
    beat = " ".join(compose["services"]["beat"]["command"])
    assert worker.startswith("celery -A socialdomain worker")
    assert beat.startswith("celery -A socialdomain beat")
    assert "--schedule=" in beat


def _docker_with_compose_plugin() -> str | None:
    """The docker executable where `docker compose version` works, else None."""
    docker = shutil.which("docker")
    if docker is None:
        return None
    result = subprocess.run(
        [docker, "compose", "version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return docker if result.returncode == 0 else None


def test_docker_compose_config_is_valid(compose):
    # Always: the file parses to a compose document.
    assert isinstance(compose.get("services"), dict)
    docker = _docker_with_compose_plugin()
    if docker is None:
        # No docker compose plugin on this machine: the YAML checks above are the check.
        return
    env = {
        **os.environ,
        "SECRET_KEY": "x" * 64,
        "ALLOWED_HOSTS": "casusregie.example.org",
        "POSTGRES_PASSWORD": "compose-config-test",
    }
    result = subprocess.run(
        [docker, "compose", "-f", str(COMPOSE_FILE), "config", "-q"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=COMPOSE_FILE.parent,
        check=False,
    )
    assert result.returncode == 0, result.stderr

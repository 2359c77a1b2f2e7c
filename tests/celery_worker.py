"""Start a real Celery worker (and optionally beat) against the test database and Redis."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    db = settings.DATABASES["default"]
    # The worker must use the test database pytest-django created, not the main one.
    return f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}"


@contextlib.contextmanager
def celery_worker(*, beat: bool = False, extra_env: dict[str, str] | None = None, ready_timeout: float = 60):
    """Run ``celery worker`` in a subprocess until the block ends; yields the process."""
    if not os.environ.get("REDIS_URL"):
        raise RuntimeError("A real worker needs REDIS_URL (scripts/with-services starts Redis).")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "socialdomain.test_settings",
        "DATABASE_URL": _database_url(),
        "PYTHONUNBUFFERED": "1",
        **(extra_env or {}),
    }
    workdir = tempfile.mkdtemp(prefix="celery-test-")
    cmd = [
        sys.executable, "-m", "celery", "-A", "socialdomain", "worker",
        "--pool=solo", "--loglevel=INFO", "--without-gossip", "--without-mingle",
        f"--hostname=test-{os.getpid()}@localhost",
    ]  # fmt: skip
    if beat:
        cmd += ["--beat", f"--schedule={workdir}/beat-schedule"]
    log_path = Path(workdir) / "worker.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + ready_timeout
        while "ready." not in log_path.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Celery worker did not start:\n{log_path.read_text()}")
            time.sleep(0.2)
        process.log_path = log_path  # type: ignore[attr-defined]
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()

"""Settings for the test suite: the real settings plus speed knobs.

The database and Redis are real servers (DATABASE_URL, REDIS_URL), started by
``scripts/with-services`` when none is configured.
"""

import os

os.environ.setdefault("APP_ENV", "test")

# Under pytest-xdist every worker gets its own test database (pytest-django) and its own Redis
# database, so that a real Celery worker started by one test process never takes another's task.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _xdist_worker.startswith("gw") and os.environ.get("REDIS_URL"):
    from urllib.parse import urlsplit, urlunsplit

    _redis = urlsplit(os.environ["REDIS_URL"])
    os.environ["REDIS_URL"] = urlunsplit(_redis._replace(path=f"/{int(_xdist_worker[2:]) + 1}"))

from .settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = False
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
LANGUAGE_CODE = "nl"
# Live-server request threads must not keep connections open past the request.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

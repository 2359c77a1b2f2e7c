"""Settings for the test suite: the real settings plus speed knobs.

The database and Redis are real servers (DATABASE_URL, REDIS_URL), started by
``scripts/with-services`` when none is configured.
"""

import os

os.environ.setdefault("APP_ENV", "test")

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = False
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
LANGUAGE_CODE = "nl"
# Live-server request threads must not keep connections open past the request.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

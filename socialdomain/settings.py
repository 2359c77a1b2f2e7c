"""Settings for the case-coordination product, read from the environment.

Three modes, chosen by ``APP_ENV``:

- ``development`` (the default when nothing is set): SQLite in ``var/``, a
  file-system Celery broker, demo accounts allowed. This is what
  ``make run`` and a bare ``manage.py <command>`` use.
- ``production``: ``SECRET_KEY`` and ``ALLOWED_HOSTS`` are required, DEBUG is
  refused, demo accounts are refused, HTTPS hardening is on.
- ``test``: used by ``socialdomain.test_settings``.

DEBUG is off in every mode unless ``DJANGO_DEBUG=true`` is set (never in
production): Django's debug pages list every URL and show settings and stack
traces, so even the quick start shows the product's own 403/404/500 pages.

Every variable is documented in ``.env.example``. Malformed values fail loudly
(django-environ raises ``ImproperlyConfigured``).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

APP_ENV = env.str("APP_ENV", default="development")
if APP_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured(f"APP_ENV must be development, production or test, not {APP_ENV!r}")
IS_PRODUCTION = APP_ENV == "production"

# --- Core -------------------------------------------------------------------

DEBUG = env.bool("DJANGO_DEBUG", default=False)
if IS_PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off in production.")

_DEV_SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default="" if IS_PRODUCTION else _DEV_SECRET_KEY)
if IS_PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("Production needs a SECRET_KEY of at least 50 random characters.")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if IS_PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
if IS_PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Production needs ALLOWED_HOSTS.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Demo accounts (password "demo") may only exist where this is on; production forces it off.
DEMO_MODE = env.bool("DEMO_MODE", default=not IS_PRODUCTION)
if IS_PRODUCTION and DEMO_MODE:
    raise ImproperlyConfigured("DEMO_MODE cannot be on in production.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "guardian",
    "auditlog",
    "axes",
    "django_htmx",
    "csp",
    # Our apps, top layer first (see DESIGN.md, "Layers and dependencies").
    "socialdomain",
    "reports",
    "reminders",
    "workplans",
    "cases",
    "consent",
    "access",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "socialdomain.middleware.LoginRequiredMiddleware",
    # Deny by default: a view without an access declaration is never run (access.declarations).
    "access.declarations.AccessDeclarationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "socialdomain.middleware.PrivacyHeadersMiddleware",
    "access.log.AccessLogMiddleware",
    # Axes must be last: it turns a lockout into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "socialdomain.urls"
WSGI_APPLICATION = "socialdomain.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------

if not IS_PRODUCTION:
    VAR_DIR.mkdir(exist_ok=True)  # holds the quick start's SQLite file and broker folders
elif not env.str("DATABASE_URL", default=""):
    raise ImproperlyConfigured("Production needs DATABASE_URL (PostgreSQL).")
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The quick start runs web, worker and beat on one SQLite file: WAL and
    # immediate transactions stop "database is locked" between them.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="")
if IS_PRODUCTION and not REDIS_URL:
    raise ImproperlyConfigured("Production needs REDIS_URL (cache and Celery broker).")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Authentication and sessions --------------------------------------------

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before any other backend sees them.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "werkvoorraad"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle timeout: every request renews the cookie, so the session ends after
# this many minutes without activity (BIO: about 15 minutes).
SESSION_IDLE_TIMEOUT_MINUTES = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=15)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Login throttling: django-axes records the failures, accounts.login_throttle decides (docs/adr/0004).
# Per user name and address: after AXES_FAILURE_LIMIT wrong passwords a delay of 1 minute that doubles
# with each further one, up to LOGIN_MAX_DELAY; then the right password logs in and resets the count.
# Per address, whatever the user names: LOGIN_ADDRESS_FAILURE_LIMIT failures within LOGIN_ADDRESS_WINDOW.
if env.str("AXES_COOLOFF_MINUTES", default=""):
    raise ImproperlyConfigured("AXES_COOLOFF_MINUTES is replaced by LOGIN_MAX_DELAY_MINUTES (see .env.example).")
AXES_HANDLER = "accounts.login_throttle.LoginThrottleHandler"
AXES_LOCKOUT_CALLABLE = "accounts.login_throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.login_throttle.client_ip"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
LOGIN_MAX_DELAY = timedelta(minutes=env.int("LOGIN_MAX_DELAY_MINUTES", default=15))
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
LOGIN_ADDRESS_WINDOW = timedelta(minutes=env.int("LOGIN_ADDRESS_WINDOW_MINUTES", default=15))
# The client address behind this many trusted reverse proxies (X-Forwarded-For); 0 without a proxy.
LOGIN_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
# How long failures are remembered (the delay keeps growing within it); axes deletes older attempts.
AXES_COOLOFF_TIME = timedelta(days=1)
# What a correct log-in resets: that user name's failures from that address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Attempts refused during a delay are not counted, so hammering does not lengthen it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# One row per failure: the address rule counts these.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# django-guardian: object permissions from case membership. No anonymous user.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# --- Internationalisation ---------------------------------------------------

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if not IS_PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    # WhiteNoise serves straight from static/ without collectstatic: runserver serves static files only
    # with DEBUG on, and the quick start runs with DEBUG off.
    WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Media holds personal data (PDFs of plans and minutes); it is never served
# as public static files, only through views that ask the access policy.

# --- E-mail -----------------------------------------------------------------

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.smtp.EmailBackend"
        if IS_PRODUCTION
        else "django.core.mail.backends.console.EmailBackend"
    ),
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="casusregie@voorbeeldstad.nl")

# --- Security ---------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
# HTTPS hardening follows the mode, not DEBUG: the quick start runs on plain http://127.0.0.1 with DEBUG off.
if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# A strict content security policy: no inline script, no third-party hosts.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Django REST framework and OpenAPI --------------------------------------

API_VERSION = "1.0.0"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header turns "not logged in" into 401, not 403. Personal API keys,
        # stored hashed, made by their owner only (accounts.api.authentication), not DRF's readable authtoken.
        "accounts.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "api_conventions.problems.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api_conventions.problems.problem_exception_handler",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "NON_FIELD_ERRORS_KEY": "nonFieldErrors",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Casusregie API",
    "DESCRIPTION": (
        "API of the case-coordination product for the social domain. Follows the NL GOV API Design Rules "
        "where they fit: errors as application/problem+json, no trailing slashes, no personal data in URLs."
    ),
    "VERSION": API_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # <number:…> path parts (api_conventions.numbers): 1 to 9 digits.
    "PATH_CONVERTER_OVERRIDES": {"number": {"type": "integer", "minimum": 0, "maximum": 999_999_999}},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api_conventions.problems.add_problem_responses",
    ],
}

# --- Celery -----------------------------------------------------------------

# Without REDIS_URL or CELERY_BROKER_URL the quick start uses kombu's
# file-system transport: a real broker that needs no server.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
if CELERY_BROKER_URL == "filesystem://":
    _queue_dir = VAR_DIR / "broker" / "queue"
    _processed_dir = VAR_DIR / "broker" / "processed"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        "store_processed": False,
        # kombu's exchange table; without this it is written to ./control in the working directory.
        "control_folder": str(VAR_DIR / "broker" / "control"),
    }
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# All periodic schedules live here, in one place.
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": crontab(minute=7, hour="*"),
    },
    # Just after midnight: roles that start or end with the day also change their groups and Beheer access.
    "sync-role-groups": {
        "task": "accounts.tasks.sync_role_groups",
        "schedule": crontab(minute=5, hour=0),
    },
    # Nightly, outside office hours: closed cases past their retention period.
    "retention-sweep": {
        "task": "consent.tasks.retention_sweep",
        "schedule": crontab(minute=30, hour=2),
    },
    # Monthly: the access log's partitions for the coming months (when partitioned, PostgreSQL).
    "access-log-partitions": {
        "task": "consent.tasks.access_log_partitions",
        "schedule": crontab(minute=15, hour=3, day_of_month=1),
    },
    # Reminder rules (reminders/rules.py): before the working day starts, then hourly through office hours so
    # the inbox follows the day's work. Idempotent, so an extra or overlapping run sends nothing twice.
    "reminder-sweep": {
        "task": "reminders.tasks.reminder_sweep",
        "schedule": crontab(minute=30, hour="6-17", day_of_week="mon-fri"),
    },
    # Duty d: the last full quarter's progress report, drawn up once (the job skips an existing report).
    "quarterly-progress-report": {
        "task": "reports.tasks.quarterly_report",
        "schedule": crontab(minute=45, hour=3),
    },
    # The e-mail digest after the 06:30 sweep; it skips public holidays itself.
    "reminder-digest": {
        "task": "reminders.tasks.send_digests",
        "schedule": crontab(minute=0, hour=7, day_of_week="mon-fri"),
    },
}

# --- Logging ----------------------------------------------------------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
    },
}

# --- Product settings -------------------------------------------------------

PRODUCT_NAME = _("Casusregie")
MUNICIPALITY_NAME = env.str("MUNICIPALITY_NAME", default="Gemeente Voorbeeldstad")

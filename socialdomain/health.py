"""/health: is the database reachable, is the broker reachable."""

from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

from access.declarations import Scope, declare

from .celery import app as celery_app


def _database_state() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"status": "error", "error": exc.__class__.__name__}
    return {"status": "ok", "vendor": connection.vendor}


def _broker_state() -> dict:
    url = celery_app.conf.broker_url
    transport = url.split("://", 1)[0]
    try:
        with Connection(url, transport_options=celery_app.conf.broker_transport_options or {}) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return {"status": "error", "transport": transport, "error": exc.__class__.__name__}
    return {"status": "ok", "transport": transport}


@declare(Scope.PUBLIC)
@never_cache
@require_GET
def health(request):
    checks = {"database": _database_state(), "broker": _broker_state()}
    healthy = all(check["status"] == "ok" for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)

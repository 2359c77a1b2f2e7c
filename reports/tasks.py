"""The quarterly progress report job. The schedule lives in ``CELERY_BEAT_SCHEDULE`` (settings)."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services


@shared_task(acks_late=True, autoretry_for=(OperationalError, InterfaceError), retry_backoff=60, max_retries=5)
def quarterly_report() -> str | None:
    """Draw up the last full quarter's report when it is missing.

    Runs daily, not once on the first of the quarter: a worker that was down that day still produces the
    report the next morning, and a report that exists is never made again (one frozen report per period).
    """
    report = services.quarterly_report()
    return str(report.uuid) if report else None

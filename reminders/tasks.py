"""Periodic reminder jobs. Schedules live in ``CELERY_BEAT_SCHEDULE`` (settings), in one place."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction
from kombu.exceptions import OperationalError as BrokerError

from . import sweep

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def reminder_sweep() -> dict:
    """Run every reminder rule (``reminders.sweep.run_sweep``) and return the counts for the worker log.

    Idempotent (a unique occurrence key per inbox item), so a redelivered message (``acks_late``: a worker
    that dies mid-run leaves the message on the queue) or a retry after a database outage never delivers a
    reminder twice; it only adds what the interrupted run did not get to.
    """
    return sweep.run_sweep()


@shared_task(acks_late=True, autoretry_for=(OperationalError, InterfaceError), retry_backoff=30, max_retries=5)
def send_digests() -> int:
    """The daily e-mail digest (``reminders.digest.send_digests``); it skips weekends and public holidays."""
    from .digest import send_digests as send

    return send()


def enqueue_sweep() -> None:
    """Queue a sweep once the current transaction commits (at once outside a transaction).

    For code that changes something a reminder depends on and wants the inbox to follow soon. Best effort:
    when the broker (Redis) is down the page keeps working, a warning is logged, and the next scheduled sweep
    produces the reminders; nothing is lost because the sweep derives everything from the database.
    """

    def publish() -> None:
        try:
            # Fail fast: a request must not wait for a broker that is down (no connection or publish retries).
            with reminder_sweep.app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=0)
                reminder_sweep.apply_async(connection=connection, retry=False)
        except (BrokerError, OSError) as error:
            logger.warning(
                "Reminder sweep not queued, the broker is unreachable (%s); the next scheduled run catches up.", error
            )

    transaction.on_commit(publish)

"""Periodic jobs of the privacy app. Schedules live in ``CELERY_BEAT_SCHEDULE`` (settings)."""

from __future__ import annotations

from celery import shared_task

from . import retention


@shared_task(acks_late=True)
def retention_sweep() -> dict[str, int]:
    """Anonymise or destroy the closed cases past their retention period (``consent.retention.run``).

    Idempotent: a processed case has a ``RetentionRecord`` and is never picked up
    again, and each case is handled under a row lock, so a redelivered or
    overlapping run does nothing more. Returns counts for the worker log.
    """
    results = retention.run()
    done = [item for item in results if item["done"]]
    return {
        "geanonimiseerd": sum(1 for item in done if item["action"] == retention.ANONYMISE),
        "vernietigd": sum(1 for item in done if item["action"] == retention.DESTROY),
        "mislukt": sum(1 for item in results if "fout" in item),
    }


@shared_task(acks_late=True)
def access_log_partitions() -> list[str]:
    """Create the access log's partitions for the coming months (PostgreSQL, when partitioned)."""
    from . import partitioning

    return partitioning.ensure_partitions()

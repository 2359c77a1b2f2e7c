from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task
def clear_expired_sessions() -> int:
    """Delete sessions past their expiry (idle timeout), so none lingers in the database.

    Idempotent: a rerun finds nothing left to delete. Returns the number deleted.
    """
    deleted, _details = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted

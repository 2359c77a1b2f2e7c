from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone

from .services import sync_groups_of_changed_memberships


@shared_task
def clear_expired_sessions() -> int:
    """Delete sessions past their expiry (idle timeout), so none lingers in the database.

    Idempotent: a rerun finds nothing left to delete. Returns the number deleted.
    """
    deleted, _details = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task
def sync_role_groups() -> int:
    """Groups (and Beheer access) of the users whose memberships started or ended at midnight.

    Idempotent: a rerun sets the same groups. Returns the number of users synced.
    """
    return sync_groups_of_changed_memberships()

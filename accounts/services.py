"""Writes for people, teams and roles. Services are the only writers."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Membership, Notification, Team, User
from .selectors import forget_cached_roles


def user_sync_groups(*, user: User) -> None:
    """Make the user's Django groups equal to the roles of their current memberships."""
    roles = set(Membership.objects.current().filter(user=user).values_list("role", flat=True))
    user.groups.set(Group.objects.filter(name__in=roles))
    forget_cached_roles(user)


@transaction.atomic
def membership_add(
    *, actor: User | None, user: User, team: Team, role: str, valid_from: date | None = None
) -> Membership:
    if Membership.objects.filter(user=user, team=team, role=role, valid_to__isnull=True).exists():
        raise ValidationError(_("%(user)s heeft deze rol al in dit team.") % {"user": user})
    membership = Membership(user=user, team=team, role=role, valid_from=valid_from or timezone.localdate())
    membership.full_clean()
    membership.save()
    user_sync_groups(user=user)
    return membership


@transaction.atomic
def membership_end(*, actor: User | None, membership: Membership, valid_to: date | None = None) -> Membership:
    end = valid_to or timezone.localdate()
    if end < membership.valid_from:
        raise ValidationError(_("De einddatum ligt voor de begindatum."))
    membership.valid_to = end
    membership.full_clean()
    membership.save(update_fields=["valid_to"])
    user_sync_groups(user=membership.user)
    return membership


def notify(*, user: User, title: str, body: str = "", url: str = "") -> Notification:
    """Put a message in the user's inbox. Never put a client's name or BSN in it."""
    notification = Notification(user=user, title=title[:200], body=body, url=url)
    notification.full_clean()
    notification.save()
    return notification


def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    if notification.user_id != user.pk:
        raise ValidationError(_("Dit bericht is niet voor u."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


# How far ahead an inbox item may be snoozed: further than a quarter means it is not a reminder but a wish.
SNOOZE_MAX_DAYS = 90


def _check_owner(*, user: User, notification: Notification) -> None:
    if notification.user_id != user.pk:
        raise ValidationError(_("Dit bericht is niet voor u."))


@transaction.atomic
def notification_mark_done(*, user: User, notification: Notification) -> Notification:
    """Mark an inbox item as handled: it leaves the open list, the bell and the digest. Idempotent."""
    _check_owner(user=user, notification=notification)
    if notification.done_at is None:
        now = timezone.now()
        notification.done_at = now
        notification.read_at = notification.read_at or now
        notification.snoozed_until = None
        notification.save(update_fields=["done_at", "read_at", "snoozed_until"])
    return notification


@transaction.atomic
def notification_reopen(*, user: User, notification: Notification) -> Notification:
    """Put a handled (or snoozed) item back in the open list. The user is looking at it, so it stays read."""
    _check_owner(user=user, notification=notification)
    if notification.done_at is not None or notification.snoozed_until is not None:
        notification.done_at = None
        notification.snoozed_until = None
        notification.save(update_fields=["done_at", "snoozed_until"])
    return notification


@transaction.atomic
def notification_snooze(*, user: User, notification: Notification, until: date) -> Notification:
    """Hide an open item until ``until`` (a future date, at most ``SNOOZE_MAX_DAYS`` ahead).

    On that date it is open again as if new: unread (it counts in the bell again) and not yet e-mailed
    (the next digest names it again).
    """
    _check_owner(user=user, notification=notification)
    if notification.done_at is not None:
        raise ValidationError(_("Een afgehandeld bericht kunt u niet uitstellen. Heropen het eerst."))
    today = timezone.localdate()
    if until <= today:
        raise ValidationError(_("Kies een datum na vandaag om het bericht tot dan uit te stellen."))
    if until > today + timedelta(days=SNOOZE_MAX_DAYS):
        raise ValidationError(_("U kunt een bericht hoogstens %(days)s dagen uitstellen.") % {"days": SNOOZE_MAX_DAYS})
    notification.snoozed_until = until
    notification.read_at = None
    notification.emailed_at = None
    notification.save(update_fields=["snoozed_until", "read_at", "emailed_at"])
    return notification

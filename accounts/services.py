"""Writes for people, teams and roles. Services are the only writers."""

from __future__ import annotations

from datetime import date

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

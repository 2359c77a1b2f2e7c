"""Read-side helpers for people, teams and roles."""

from __future__ import annotations

import datetime
from typing import Literal

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from .constants import Role
from .models import Membership, Notification, User

_ROLES_CACHE = "_accounts_roles"
_MEMBERSHIPS_CACHE = "_accounts_memberships"


def user_memberships(user: User) -> list[Membership]:
    """The user's current memberships, cached on the user object for the request.

    Cost: one query the first time per request.
    """
    if not user.is_authenticated:
        return []
    cached = getattr(user, _MEMBERSHIPS_CACHE, None)
    if cached is None:
        cached = list(Membership.objects.current().filter(user=user).select_related("team__organisation"))
        setattr(user, _MEMBERSHIPS_CACHE, cached)
    return cached


def user_roles(user: User) -> frozenset[str]:
    """The roles a user holds now, through any current team membership."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _ROLES_CACHE, None)
    if cached is None:
        cached = frozenset(Role(m.role) for m in user_memberships(user))
        setattr(user, _ROLES_CACHE, cached)
    return cached


def user_has_role(user: User, *roles: str) -> bool:
    return bool(user_roles(user).intersection(roles))


def user_team_ids(user: User, *, roles: frozenset[str] | set[str] | None = None) -> set[int]:
    """Ids of the teams where the user holds one of ``roles`` (any role when None)."""
    return {m.team_id for m in user_memberships(user) if roles is None or m.role in roles}


def forget_cached_roles(user: User) -> None:
    for attr in (_ROLES_CACHE, _MEMBERSHIPS_CACHE):
        if hasattr(user, attr):
            delattr(user, attr)


# --- Inbox ---------------------------------------------------------------------------------------

InboxStatus = Literal["open", "done", "snoozed", "all"]
InboxDue = Literal["overdue", "today", "week"]


def end_of_week(day: datetime.date) -> datetime.date:
    """The Sunday of ``day``'s week (ISO weeks: Monday to Sunday)."""
    return day + datetime.timedelta(days=6 - day.weekday())


def open_items_q(today: datetime.date) -> Q:
    """Inbox items that are open on ``today``: not done, and not snoozed past it."""
    return Q(done_at__isnull=True) & (Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=today))


def inbox_items(
    user: User,
    *,
    status: InboxStatus = "open",
    kind: str | None = None,
    due: InboxDue | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Notification]:
    """The user's inbox items, filtered; each annotated with ``is_overdue``.

    open: not done and not snoozed past today (a snoozed item is open again from its date on);
    snoozed: not done and snoozed past today; done: handled. ``due``: overdue (before today), today,
    or week (today up to and including Sunday). Ordering: overdue items first, earliest due date first;
    then newest first. Cost: one query for the rows (nothing is joined; the template needs none).
    """
    today = today or timezone.localdate()
    items = Notification.objects.filter(user=user)
    if status == "open":
        items = items.filter(open_items_q(today))
    elif status == "snoozed":
        items = items.filter(done_at__isnull=True, snoozed_until__gt=today)
    elif status == "done":
        items = items.filter(done_at__isnull=False)
    if kind:
        items = items.filter(kind=kind)
    if due == "overdue":
        items = items.filter(due_on__lt=today)
    elif due == "today":
        items = items.filter(due_on=today)
    elif due == "week":
        items = items.filter(due_on__gte=today, due_on__lte=end_of_week(today))
    overdue = Q(done_at__isnull=True, due_on__lt=today)
    return items.annotate(
        is_overdue=Case(When(overdue, then=Value(True)), default=Value(False), output_field=BooleanField()),
        # Only overdue items sort by due date; for the rest this is NULL and creation time decides.
        overdue_due=Case(When(overdue, then="due_on"), default=None),
    ).order_by("-is_overdue", "overdue_due", "-created_at", "-id")


def inbox_due_this_week(user: User, *, today: datetime.date | None = None) -> QuerySet[Notification]:
    """Open items due by Sunday, overdue ones included, earliest due date first. Cost: one query."""
    today = today or timezone.localdate()
    return (
        Notification.objects.filter(open_items_q(today), user=user, due_on__lte=end_of_week(today))
        .annotate(
            is_overdue=Case(When(due_on__lt=today, then=Value(True)), default=Value(False), output_field=BooleanField())
        )
        .order_by("due_on", "-created_at", "-id")
    )


def bell_count(user: User, *, today: datetime.date | None = None) -> int:
    """Open inbox items the user has not read yet: the number on the bell. Cost: one COUNT query."""
    today = today or timezone.localdate()
    return Notification.objects.filter(open_items_q(today), user=user, read_at__isnull=True).count()

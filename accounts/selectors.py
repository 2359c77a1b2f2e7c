"""Read-side helpers for people, teams and roles."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from .constants import TEAM_GRANTABLE_ROLES, Role
from .models import ApiToken, Membership, Notification, RoleRequest, Team, User

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


# --- Role requests and memberships -------------------------------------------------------------------


def _role_requests() -> QuerySet[RoleRequest]:
    return RoleRequest.objects.select_related("user", "team__organisation", "requested_by", "decided_by")


def role_requests_to_decide(user: User) -> QuerySet[RoleRequest]:
    """Open requests ``user`` may decide (``privileges.may_decide_role_request`` as a query): never their
    own and never one for themselves. Oldest first. Cost: one query (the people and team joined)."""
    pending = _role_requests().filter(status=RoleRequest.Status.PENDING).exclude(Q(requested_by=user) | Q(user=user))
    if not user.is_active:
        return pending.none()
    roles = user_roles(user)
    if Role.BEHEERDER in roles:
        return pending.order_by("requested_at", "id")
    led = user_team_ids(user, roles={Role.TEAMLEIDER})
    return pending.filter(team_id__in=led, role__in=TEAM_GRANTABLE_ROLES).order_by("requested_at", "id")


def role_requests_filed_by(user: User) -> QuerySet[RoleRequest]:
    """The open requests ``user`` filed (they may withdraw them). Cost: one query."""
    return _role_requests().filter(requested_by=user, status=RoleRequest.Status.PENDING).order_by("requested_at", "id")


def role_requests_decided(user: User, *, limit: int = 20) -> list[RoleRequest]:
    """The latest decided or withdrawn requests ``user`` has to do with: every one for a functioneel beheerder;
    for a teamleider those of the teams they lead, and their own. Cost: one query."""
    done = _role_requests().exclude(status=RoleRequest.Status.PENDING)
    if Role.BEHEERDER not in user_roles(user):
        led = user_team_ids(user, roles={Role.TEAMLEIDER})
        done = done.filter(Q(team_id__in=led) | Q(requested_by=user) | Q(decided_by=user))
    return list(done.order_by("-decided_at", "-id")[:limit])


def current_memberships(*, team: Team | None = None) -> QuerySet[Membership]:
    """Current memberships of active users, by team and name, optionally of one team. Cost: one query."""
    memberships = (
        Membership.objects.current()
        .filter(user__is_active=True)
        .select_related("user", "team__organisation")
        .order_by("team__organisation__name", "team__name", "user__last_name", "user__first_name", "role", "id")
    )
    return memberships.filter(team=team) if team is not None else memberships


@dataclass(frozen=True)
class RoleChanges:
    """Every change of roles in a period, for the FG (``consent`` page "Rolwijzigingen")."""

    requests: list[RoleRequest]
    grants_without_request: list[Membership]
    ends: list[Membership]
    truncated: bool


ROLE_CHANGES_LIMIT = 500


def role_changes(*, start: datetime.datetime | None, end: datetime.datetime | None) -> RoleChanges:
    """Role requests filed or decided in [start, end); memberships that started in it without an approved
    request (the command-line bootstrap, the demo, data from before role requests); memberships ended in it
    (recorded then, or, for older ones, with their last day in it). At most ``ROLE_CHANGES_LIMIT`` of each.

    Cost: three queries, whatever the number of rows.
    """

    def between(field: str) -> Q:
        q = Q()
        if start is not None:
            q &= Q(**{f"{field}__gte": start})
        if end is not None:
            q &= Q(**{f"{field}__lt": end})
        return q

    def between_dates(field: str) -> Q:
        q = Q()
        if start is not None:
            q &= Q(**{f"{field}__gte": timezone.localdate(start)})
        if end is not None:
            q &= Q(**{f"{field}__lt": timezone.localdate(end)})
        return q

    limit = ROLE_CHANGES_LIMIT
    requests = list(
        _role_requests()
        .filter(between("requested_at") | Q(between("decided_at"), decided_at__isnull=False))
        .order_by("-requested_at", "-id")[: limit + 1]
    )
    memberships = Membership.objects.select_related("user", "team__organisation", "ended_by")
    grants = list(
        memberships.filter(between_dates("valid_from"), role_request__isnull=True).order_by("-valid_from", "-id")[
            : limit + 1
        ]
    )
    ends = list(
        memberships.filter(
            Q(between("ended_at"), ended_at__isnull=False)
            | Q(between_dates("valid_to"), ended_at__isnull=True, valid_to__isnull=False)
        ).order_by("-valid_to", "-id")[: limit + 1]
    )
    truncated = any(len(rows) > limit for rows in (requests, grants, ends))
    return RoleChanges(requests[:limit], grants[:limit], ends[:limit], truncated)


# --- API keys ------------------------------------------------------------------------------------


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's own keys, active first, newest first. Cost: one query."""
    return (
        ApiToken.objects.filter(user=user)
        .select_related("revoked_by")
        .order_by(Case(When(revoked_at__isnull=True, then=Value(0)), default=Value(1)), "-created_at", "-id")
    )


def api_tokens_all() -> QuerySet[ApiToken]:
    """Every key (for the functioneel beheerder), active first. Cost: one query per page."""
    return ApiToken.objects.select_related("user__organisation", "revoked_by").order_by(
        Case(When(revoked_at__isnull=True, then=Value(0)), default=Value(1)), "-created_at", "-id"
    )

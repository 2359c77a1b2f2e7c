"""Reads for handovers: the overview lists, candidates and caseloads.

Who sees a handover is decided by the access layer (``access.gate.handover_for_user``,
``handovers_for_user``): whoever may read its case, and the receiver while it waits for them. The
receiver reads the frozen summary, not the case, until they accept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from access import policy
from accounts.constants import CASEWORK_ROLES, Role
from accounts.models import Membership, User
from accounts.selectors import user_team_ids

from .constants import OPEN_STATUSES, CaseRole
from .models import Case, CaseMember, Handover

GIVEN_LIMIT = 50

_RELATED = ("case__team", "from_user", "to_user", "created_by")


def leader_team_ids(user) -> set[int]:
    """The teams where ``user`` is teamleider now (cached with the user's memberships)."""
    if not (user and user.is_authenticated and user.is_active):
        return set()
    return user_team_ids(user, roles={Role.TEAMLEIDER})


def is_team_leader(user, team_id: int) -> bool:
    return team_id in leader_team_ids(user)


def handovers_for_me(user) -> QuerySet:
    """Handovers waiting for ``user`` to accept or return, the oldest deadline first. One query."""
    return (
        Handover.objects.filter(to_user=user, status=Handover.Status.PENDING)
        .select_related(*_RELATED)
        .order_by("due_on", "created_at")
    )


def handovers_given_by(user) -> QuerySet:
    """Handovers ``user`` gave or started, newest first (slice to ``GIVEN_LIMIT`` after the access filter)."""
    return (
        Handover.objects.filter(Q(from_user=user) | Q(created_by=user))
        .select_related(*_RELATED)
        .order_by("-created_at", "-id")
    )


def handovers_pending_in_teams(user) -> QuerySet:
    """For a teamleider: every handover of their teams' cases that waits for acceptance. One query."""
    team_ids = leader_team_ids(user)
    if not team_ids:
        return Handover.objects.none()
    return (
        Handover.objects.filter(status=Handover.Status.PENDING, case__team_id__in=team_ids)
        .select_related(*_RELATED)
        .order_by("due_on", "created_at")
    )


def case_handovers(case: Case) -> QuerySet:
    """The handovers of a case, newest first (slice after the access filter)."""
    return Handover.objects.filter(case=case).select_related(*_RELATED).order_by("-created_at", "-id")


# --- Candidates and caseloads ---------------------------------------------------------


def casework_professionals(team_ids: Iterable[int]) -> QuerySet:
    """Active users with a current casework role in one of ``team_ids``, by name."""
    memberships = Membership.objects.current().filter(team_id__in=list(team_ids), role__in=CASEWORK_ROLES)
    return (
        User.objects.filter(is_active=True, memberships__in=memberships)
        .select_related("organisation")
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def open_cases_of(user, *, team_ids: Iterable[int] | None = None) -> QuerySet:
    """Open cases where ``user`` is a current case member or the coordinator (optionally of some teams only)."""
    mine = Q(pk__in=CaseMember.objects.filter(user=user, valid_to__isnull=True).values("case_id")) | Q(coordinator=user)
    queryset = Case.objects.filter(mine, status__in=OPEN_STATUSES)
    if team_ids is not None:
        queryset = queryset.filter(team_id__in=list(team_ids))
    return queryset.select_related("team", "client", "household", "coordinator").order_by("number")


def cases_to_hand_over(user, *, team_ids: Iterable[int]) -> QuerySet:
    """``open_cases_of`` without the cases that already have a handover waiting."""
    pending = Handover.objects.filter(status=Handover.Status.PENDING).values("case_id")
    return open_cases_of(user, team_ids=team_ids).exclude(pk__in=pending)


def open_caseload_counts(user_ids: Iterable[int]) -> dict[int, int]:
    """Per user: open cases they are a member or the coordinator of, plus handovers waiting for them.

    Used to spread a caseload evenly. Cost: three queries, whatever the number of users.
    """
    ids = list(user_ids)
    cases: dict[int, set[int]] = defaultdict(set)
    for user_id, case_id in CaseMember.objects.filter(
        user_id__in=ids, valid_to__isnull=True, case__status__in=OPEN_STATUSES
    ).values_list("user_id", "case_id"):
        cases[user_id].add(case_id)
    for user_id, case_id in Case.objects.filter(coordinator_id__in=ids, status__in=OPEN_STATUSES).values_list(
        "coordinator_id", "pk"
    ):
        cases[user_id].add(case_id)
    for user_id, case_id in Handover.objects.filter(to_user_id__in=ids, status=Handover.Status.PENDING).values_list(
        "to_user_id", "case_id"
    ):
        cases[user_id].add(case_id)
    return {user_id: len(cases.get(user_id, ())) for user_id in ids}


def current_case_users(case: Case) -> QuerySet:
    """The professionals (with an account) currently on the case team, the coordinator first."""
    member_ids = CaseMember.objects.filter(case=case, valid_to__isnull=True, user__isnull=False).exclude(
        role=CaseRole.PARTNER
    )
    return (
        User.objects.filter(pk__in=member_ids.values("user_id"))
        .select_related("organisation")
        .order_by("last_name", "first_name", "username")
    )


def may_hand_over(user, case: Case) -> bool:
    """May ``user`` start a handover of ``case``: as a current member, or as teamleider of its team."""
    if not policy.is_casework_professional(user):
        return False
    if is_team_leader(user, case.team_id):
        return True
    return (
        case.coordinator_id == user.pk
        or CaseMember.objects.filter(case=case, user=user, valid_to__isnull=True).exists()
    )

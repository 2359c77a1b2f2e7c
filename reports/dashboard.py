"""The team dashboard of the teamleider: live figures of their own team, names allowed (issue #8).

Unlike the progress report this is not for publication: the teamleider steers their own people. It still
shows no client: case numbers only, of the team's own cases, through the access policy.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from access import gate
from accounts.constants import CASEWORK_ROLES
from accounts.models import Membership, Team, User
from cases.constants import OPEN_STATUSES
from cases.models import Case, CaseMember, Handover
from cases.selectors import orphaned_q
from workplans.constants import WorkplanStatus
from workplans.models import Agreement, AgreementStatus, CoordinationDuty

OPEN = sorted(OPEN_STATUSES)
ADOPTED = (WorkplanStatus.VASTGESTELD, WorkplanStatus.HERZIEN)


def _count(queryset: QuerySet, user_field: str, *, field: str = "pk") -> Subquery:
    """A correlated COUNT (of distinct ``field``) per user, so the whole table is one query."""
    counted = (
        queryset.filter(**{user_field: OuterRef("pk")})
        .order_by()
        .values(user_field)
        .annotate(n=Count(field, distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@dataclass
class TeamDashboard:
    team: Team
    professionals: list[User]
    orphaned: list[Case]
    pending_handovers: list[Handover]


def team_dashboard(request, team: Team, *, today: datetime.date) -> TeamDashboard:
    """Per professional of ``team``: caseload, cases coordinated, overdue duties and agreements, handovers
    waiting; and the team's cases without an active coordinator and its pending handovers, both through the
    access layer (which logs the cases shown). A fixed number of queries."""
    member_ids = Membership.objects.current(today).filter(team=team, role__in=CASEWORK_ROLES).values("user_id")
    team_cases = Q(case__team=team, case__status__in=OPEN)
    professionals = list(
        User.objects.filter(pk__in=member_ids, is_active=True)
        .annotate(
            caseload=_count(CaseMember.objects.filter(team_cases, valid_to__isnull=True), "user", field="case"),
            coordinated=_count(Case.objects.filter(team=team, status__in=OPEN), "coordinator"),
            overdue_duties=_count(
                CoordinationDuty.objects.filter(
                    workplan__case__team=team,
                    workplan__case__status__in=OPEN,
                    workplan__status__in=ADOPTED,
                    next_due_on__lt=today,
                ),
                "workplan__case__coordinator",
            ),
            overdue_agreements=_count(
                Agreement.objects.filter(team_cases, status=AgreementStatus.OPEN, due_on__lt=today), "owner"
            ),
            handovers_out=_count(Handover.objects.filter(status=Handover.Status.PENDING, case__team=team), "from_user"),
            handovers_in=_count(Handover.objects.filter(status=Handover.Status.PENDING, case__team=team), "to_user"),
        )
        .order_by("last_name", "first_name", "pk")
    )
    orphaned = list(gate.orphaned_cases_of_teams(request, [team.pk], orphaned_q()).order_by("number"))
    pending = list(
        gate.handovers_for_user(
            request, Handover.objects.filter(status=Handover.Status.PENDING, case__team=team)
        ).order_by("due_on", "pk")
    )
    return TeamDashboard(team=team, professionals=professionals, orphaned=orphaned, pending_handovers=pending)

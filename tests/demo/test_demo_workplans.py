"""The demo workplans and casusoverleg loaded by ``manage.py seed_demo``: every warning is visible."""

import datetime
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from access import policy
from accounts.models import Team, User
from cases.constants import CaseStatus
from cases.models import Case, CaseMember
from workplans.constants import Duty, WorkplanStatus
from workplans.meeting_selectors import agenda_suggestions
from workplans.models import (
    Action,
    AgendaItem,
    Agreement,
    AgreementStatus,
    AnalysisEntry,
    Attendance,
    ClientInvolvement,
    CoordinationDuty,
    DutyRecord,
    Goal,
    GoalView,
    Meeting,
    MeetingKind,
    MeetingParticipant,
    MeetingStatus,
    Obstacle,
    ProgressReview,
    Workplan,
    WorkplanVersion,
)
from workplans.selectors import gaps, review_events

pytestmark = pytest.mark.django_db

MODELS = (
    Workplan,
    WorkplanVersion,
    AnalysisEntry,
    Goal,
    ProgressReview,
    Action,
    CoordinationDuty,
    DutyRecord,
    Obstacle,
    ClientInvolvement,
    GoalView,
    Meeting,
    MeetingParticipant,
    AgendaItem,
    Agreement,
)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_twice_changes_nothing(demo):
    first = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == first
    assert all(first.values()), first


def test_every_active_case_has_a_workplan(demo):
    active = set(Case.objects.filter(status=CaseStatus.ACTIEF).values_list("pk", flat=True))
    assert active
    current = Workplan.objects.filter(case__status=CaseStatus.ACTIEF)
    assert set(current.values_list("case_id", flat=True)) == active
    # The other plans belong to the closed cases of the report's quarter (reports.demo): ended with their case.
    assert set(Workplan.objects.exclude(case__status=CaseStatus.ACTIEF).values_list("status", flat=True)) == {
        WorkplanStatus.BEEINDIGD
    }

    statuses = Counter(current.values_list("status", flat=True))
    assert statuses[WorkplanStatus.CONCEPT] >= 1
    assert statuses[WorkplanStatus.VASTGESTELD] + statuses[WorkplanStatus.HERZIEN] > len(active) / 2

    for workplan in current.prefetch_related("goals__actions", "analysis_entries"):
        assert workplan.problem_analysis
        assert 1 <= len(workplan.analysis_entries.all()) <= 3, workplan
        goals = list(workplan.goals.all())
        assert 2 <= len(goals) <= 7, workplan
        assert all(1 <= len(goal.actions.all()) <= 3 for goal in goals), workplan


def test_goal_owners_are_current_case_members(demo):
    members = set(CaseMember.objects.current().exclude(user=None).values_list("case_id", "user_id"))
    owned = Goal.objects.exclude(owner=None).values_list("workplan__case_id", "owner_id")
    assert owned
    assert set(owned) <= members
    assert Goal.objects.exclude(client_words="").exists()


def test_plans_show_versions_overdue_duties_gaps_and_review_events(demo):
    today = timezone.localdate()
    versions = Counter(WorkplanVersion.objects.values_list("workplan_id", flat=True))
    assert sum(1 for n in versions.values() if n == 2) >= 2
    assert sum(1 for n in versions.values() if n == 1) >= 2
    assert WorkplanVersion.objects.filter(number=2).exclude(reason="").count() == sum(
        1 for n in versions.values() if n == 2
    )

    overdue = CoordinationDuty.objects.filter(next_due_on__lt=today)
    for duty in (Duty.A, Duty.F):
        assert overdue.filter(duty=duty).values("workplan").distinct().count() >= 2, duty
    assert overdue.values("workplan").distinct().count() < Workplan.objects.count()

    plans = list(Workplan.objects.select_related("case"))
    found = {plan.pk: {gap.rule for gap in gaps(plan)} for plan in plans}
    rules = Counter(rule for plan_rules in found.values() for rule in plan_rules)
    assert sum(1 for plan_rules in found.values() if plan_rules) >= 3
    assert len(rules) >= 2, rules
    assert {"goal_without_owner", "action_overdue"} <= set(rules), rules
    assert any(not plan_rules for plan_rules in found.values())

    assert any(review_events(plan) for plan in plans)
    assert Obstacle.objects.filter(resolved_on=None).exists()
    assert Obstacle.objects.exclude(resolved_on=None).exists()
    assert GoalView.objects.exists()


def test_past_meetings_have_minutes_and_agreements(demo):
    today = timezone.localdate()
    held = Meeting.objects.filter(status=MeetingStatus.GEHOUDEN, starts_at__lt=timezone.now())
    assert held.count() >= 3
    for meeting in held:
        items = list(meeting.agenda_items.all())
        assert items
        assert all(item.decisions and item.reasoning for item in items), meeting
        assert all(2 <= item.case.agreements.filter(meeting=meeting).count() <= 4 for item in items), meeting

    agreements = Agreement.objects.filter(meeting__in=held)
    assert agreements.filter(status=AgreementStatus.GEDAAN).exists()
    assert agreements.filter(status=AgreementStatus.NIET_GEDAAN).exclude(status_note="").exists()
    assert agreements.filter(status=AgreementStatus.OPEN, due_on__lt=today).count() >= 3
    regisseur = User.objects.get(username="regisseur")
    assert Agreement.objects.filter(
        case__in=policy.filter_cases(regisseur), status=AgreementStatus.OPEN, due_on__lt=timezone.localdate()
    ).exists()
    assert MeetingParticipant.objects.filter(attendance=Attendance.AFWEZIG).exclude(absence_reason="").exists()

    zuid = held.get(kind=MeetingKind.CASUSOVERLEG)
    assert zuid.team.name == "Wijkteam Zuid"
    assert zuid.chair.username == "wijkcoach2"
    assert zuid.agenda_items.count() == 1

    noord = held.filter(kind=MeetingKind.TEAMOVERLEG, team__name="Wijkteam Noord")
    assert noord.count() >= 2
    assert {m.chair.username for m in noord} == {"regisseur"}


def test_partner_joins_one_meeting_with_one_of_their_cases(demo):
    partner = User.objects.get(username="partner")
    meetings = Meeting.objects.filter(participants__user=partner)
    assert meetings.count() == 1
    member_of = set(CaseMember.objects.current().filter(user=partner).values_list("case_id", flat=True))
    agenda = set(meetings.get().agenda_items.values_list("case_id", flat=True))
    assert len(agenda & member_of) == 1
    assert agenda - member_of


def test_one_planned_meeting_next_week_with_suggested_agenda(demo):
    now = timezone.now()
    planned = Meeting.objects.filter(
        status=MeetingStatus.GEPLAND, starts_at__gte=now, starts_at__lt=now + datetime.timedelta(days=14)
    )
    assert planned.count() == 1
    meeting = planned.get()
    assert meeting.kind == MeetingKind.TEAMOVERLEG
    assert meeting.chair.username == "regisseur"
    assert meeting.location == "Stadskantoor, zaal 2.14"
    assert meeting.team.name == "Wijkteam Noord"
    items = list(meeting.agenda_items.order_by("position"))
    assert len(items) == 3
    team = Team.objects.get(name="Wijkteam Noord")
    top = [
        s.case.pk
        for s in agenda_suggestions(
            policy.filter_cases(meeting.chair, Case.objects.filter(team=team, status=CaseStatus.ACTIEF))
        )[:3]
    ]
    assert [item.case_id for item in items] == top
    assert meeting.participants.count() >= 2

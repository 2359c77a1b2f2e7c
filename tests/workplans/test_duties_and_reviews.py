"""Duties a–g: scheduling from the team's defaults, recording, client involvement (f), and the
events that ask for a review of an adopted plan (e)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.constants import Role
from cases import services as case_services
from cases.constants import CaseStatus, LifeDomain, Relation, SignalOutcome, SignalSource
from cases.models import HouseholdMember
from tests.factories import make_user
from workplans import services
from workplans.constants import (
    DEFAULT_DUTY_INTERVAL_DAYS,
    DEFAULT_REVIEW_INTERVAL_WEEKS,
    Duty,
    GoalStatus,
    GoalTerm,
    InvolvementHow,
)
from workplans.models import ClientInvolvement, CoordinationDuty, DutyRecord, GoalView, TeamWorkplanSettings
from workplans.selectors import review_events

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
START = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=AMS)


def _duty(workplan, duty: str) -> CoordinationDuty:
    return CoordinationDuty.objects.get(workplan=workplan, duty=duty)


def _goal(actor, workplan, **fields):
    values = {
        "term": GoalTerm.SHORT,
        "life_domain": LifeDomain.WERK_OPLEIDING,
        "description": "Werkervaringsplaats vinden",
        "owner": actor,
    }
    values.update(fields)
    return services.goal_add(actor=actor, workplan=workplan, **values)


def _second_active_case(actor, team):
    client = case_services.client_create(
        actor=actor, given_names="Piet", family_name="Bakker", date_of_birth=datetime.date(1970, 1, 1)
    )
    case = case_services.case_open(actor=actor, team=team, client=client)
    for status in (CaseStatus.INTAKE, CaseStatus.TRIAGE, CaseStatus.ACTIEF):
        case = case_services.case_transition(actor=actor, case=case, to_status=status)
    case_services.case_set_coordinator(actor=actor, case=case, user=actor)
    return case


# --- Scheduling a–g ---------------------------------------------------------------------


def test_a_new_plan_schedules_duties_a_to_g_from_the_defaults(wijkcoach, active_case):
    today = timezone.localdate()
    workplan = services.workplan_create(actor=wijkcoach, case=active_case)

    duties = {d.duty: d for d in workplan.duties.all()}
    assert sorted(duties) == ["a", "b", "c", "d", "e", "f", "g"]
    for code, duty in duties.items():
        assert duty.interval_days == DEFAULT_DUTY_INTERVAL_DAYS[code]
        assert duty.next_due_on == today + datetime.timedelta(days=DEFAULT_DUTY_INTERVAL_DAYS[code])
        assert duty.last_done_on is None
    assert workplan.review_interval_weeks == DEFAULT_REVIEW_INTERVAL_WEEKS


def test_team_defaults_changed_by_the_beheerder_apply_to_new_plans_only(wijkcoach, team, active_case):
    earlier = services.workplan_create(actor=wijkcoach, case=active_case)
    TeamWorkplanSettings.objects.create(
        team=team, review_interval_weeks=6, interval_a=14, interval_c=30, interval_f=21, interval_g=60
    )
    today = timezone.localdate()

    later = services.workplan_create(actor=wijkcoach, case=_second_active_case(wijkcoach, team))

    intervals = {d.duty: d.interval_days for d in later.duties.all()}
    assert intervals == {"a": 14, "b": 90, "c": 30, "d": 91, "e": 91, "f": 21, "g": 60}
    assert _duty(later, Duty.A).next_due_on == today + datetime.timedelta(days=14)
    assert later.review_interval_weeks == 6
    # The plan made before the change keeps its schedule.
    assert {d.duty: d.interval_days for d in earlier.duties.all()} == DEFAULT_DUTY_INTERVAL_DAYS
    assert earlier.review_interval_weeks == DEFAULT_REVIEW_INTERVAL_WEEKS


def test_the_beheerder_may_change_the_team_workplan_defaults(team):
    """The settings are "managed by the functioneel beheerder" (models.TeamWorkplanSettings)."""
    beheerder = make_user(Role.BEHEERDER, team)
    assert beheerder.has_perm("workplans.view_teamworkplansettings")
    assert beheerder.has_perm("workplans.change_teamworkplansettings")


def test_a_plan_needs_an_active_case_and_only_one_per_case(wijkcoach, team, active_case):
    services.workplan_create(actor=wijkcoach, case=active_case)
    with pytest.raises(ValidationError, match="al een werkplan"):
        services.workplan_create(actor=wijkcoach, case=active_case)

    client = case_services.client_create(
        actor=wijkcoach, given_names="Piet", family_name="Bakker", date_of_birth=datetime.date(1970, 1, 1)
    )
    new_case = case_services.case_open(actor=wijkcoach, team=team, client=client)
    with pytest.raises(ValidationError, match="status actief"):
        services.workplan_create(actor=wijkcoach, case=new_case)
    assert not CoordinationDuty.objects.filter(workplan__case=new_case).exists()


# --- Recording a duty --------------------------------------------------------------------


def test_recording_a_duty_moves_next_due_to_done_on_plus_interval(wijkcoach, workplan):
    duty = _duty(workplan, Duty.A)
    done = timezone.localdate() - datetime.timedelta(days=3)

    record = services.duty_record(actor=wijkcoach, duty=duty, what="Voortgang besproken", done_on=done)

    duty.refresh_from_db()
    assert record.done_by == wijkcoach
    assert record.done_on == done
    assert duty.last_done_on == done
    assert duty.next_due_on == done + datetime.timedelta(days=duty.interval_days)


def test_a_back_dated_record_does_not_move_the_schedule_backwards(wijkcoach, workplan):
    duty = _duty(workplan, Duty.B)
    today = timezone.localdate()
    services.duty_record(actor=wijkcoach, duty=duty, what="Partijen afgestemd")
    duty.refresh_from_db()
    assert duty.next_due_on == today + datetime.timedelta(days=duty.interval_days)

    services.duty_record(
        actor=wijkcoach, duty=duty, what="Vergeten vast te leggen", done_on=today - datetime.timedelta(days=30)
    )

    duty.refresh_from_db()
    assert duty.last_done_on == today
    assert duty.next_due_on == today + datetime.timedelta(days=duty.interval_days)
    assert duty.records.count() == 2


def test_a_duty_done_in_the_future_is_refused(wijkcoach, workplan):
    duty = _duty(workplan, Duty.C)
    before = duty.next_due_on
    with pytest.raises(ValidationError) as excinfo:
        services.duty_record(
            actor=wijkcoach,
            duty=duty,
            what="Casusoverleg",
            done_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert excinfo.value.message_dict == {"done_on": ["Deze datum ligt in de toekomst."]}
    duty.refresh_from_db()
    assert duty.next_due_on == before
    assert duty.last_done_on is None
    assert not DutyRecord.objects.exists()


def test_a_duty_record_needs_to_say_what_was_done(wijkcoach, workplan):
    duty = _duty(workplan, Duty.D)
    with pytest.raises(ValidationError):
        services.duty_record(actor=wijkcoach, duty=duty, what="")
    assert not DutyRecord.objects.exists()
    assert _duty(workplan, Duty.D).last_done_on is None


def test_changing_a_duty_interval_reschedules_from_the_last_record(wijkcoach, workplan):
    duty = _duty(workplan, Duty.G)
    done = timezone.localdate() - datetime.timedelta(days=10)
    services.duty_record(actor=wijkcoach, duty=duty, what="Overdracht besproken", done_on=done)
    duty.refresh_from_db()
    services.duty_set_interval(actor=wijkcoach, duty=duty, interval_days=30)
    duty.refresh_from_db()
    assert duty.next_due_on == done + datetime.timedelta(days=30)
    with pytest.raises(ValidationError):
        services.duty_set_interval(actor=wijkcoach, duty=duty, interval_days=0)


# --- Client involvement (duty f) -------------------------------------------------------------


def test_involvement_records_duty_f_and_the_clients_view_per_goal(wijkcoach, active_case, workplan):
    work = _goal(wijkcoach, workplan)
    money = _goal(wijkcoach, workplan, life_domain=LifeDomain.FINANCIEN, description="Rekeningen betalen")
    mother, son = sorted(
        (m.client for m in HouseholdMember.objects.filter(household=active_case.household)),
        key=lambda c: c.date_of_birth,
    )
    day = timezone.localdate() - datetime.timedelta(days=2)

    involvement = services.involvement_record(
        actor=wijkcoach,
        workplan=workplan,
        how=InvolvementHow.HUISBEZOEK,
        participants=[mother, son],
        general_view="Het gaat iets beter.",
        goal_views={work: "Ik wil graag in de zorg werken.", money: "   "},
        occurred_on=day,
    )

    assert set(involvement.participants.all()) == {mother, son}
    assert involvement.recorded_by == wijkcoach
    assert [(v.goal, v.view) for v in GoalView.objects.filter(involvement=involvement)] == [
        (work, "Ik wil graag in de zorg werken.")
    ]
    duty_f = _duty(workplan, Duty.F)
    record = duty_f.records.get()
    assert record.done_on == day
    assert "Huisbezoek" in record.what
    assert duty_f.last_done_on == day
    assert duty_f.next_due_on == day + datetime.timedelta(days=duty_f.interval_days)


def test_involvement_without_participants_is_refused(wijkcoach, workplan):
    with pytest.raises(ValidationError) as excinfo:
        services.involvement_record(actor=wijkcoach, workplan=workplan, how=InvolvementHow.GESPREK, participants=[])
    assert excinfo.value.message_dict == {"participants": ["Kies wie van het huishouden meedeed."]}
    assert not ClientInvolvement.objects.exists()
    assert not DutyRecord.objects.exists()


def test_involvement_with_a_goal_of_another_plan_saves_nothing(wijkcoach, team, active_case, workplan):
    other_plan = services.workplan_create(actor=wijkcoach, case=_second_active_case(wijkcoach, team))
    foreign_goal = _goal(wijkcoach, other_plan)
    mother = HouseholdMember.objects.filter(household=active_case.household).first().client
    with pytest.raises(ValidationError, match="hoort niet bij dit werkplan"):
        services.involvement_record(
            actor=wijkcoach,
            workplan=workplan,
            how=InvolvementHow.GESPREK,
            participants=[mother],
            goal_views={foreign_goal: "Mening"},
        )
    assert not ClientInvolvement.objects.exists()
    assert not GoalView.objects.exists()
    assert not DutyRecord.objects.exists()


def test_involvement_in_the_future_is_refused(wijkcoach, active_case, workplan):
    mother = HouseholdMember.objects.filter(household=active_case.household).first().client
    with pytest.raises(ValidationError):
        services.involvement_record(
            actor=wijkcoach,
            workplan=workplan,
            how=InvolvementHow.TELEFOON,
            participants=[mother],
            occurred_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert not ClientInvolvement.objects.exists()


# --- Review events (duty e) --------------------------------------------------------------------


@pytest.fixture
def clock():
    """Time stands still at START (a Monday) until a test moves it."""
    traveller = time_machine.travel(START, tick=False)
    coordinates = traveller.start()
    yield coordinates
    traveller.stop()


@pytest.fixture
def adopted(clock, wijkcoach, active_case, workplan):
    """The plan, adopted on START; the clock then stands ten days later."""
    assert active_case.opened_on == START.date()
    _goal(wijkcoach, workplan)
    services.workplan_adopt(actor=wijkcoach, workplan=workplan)
    clock.move_to(START + datetime.timedelta(days=10))
    workplan.refresh_from_db()
    assert review_events(workplan) == []
    return workplan


def _reasons(workplan) -> list[str]:
    return [event.reason for event in review_events(workplan)]


def _record_duty_e(actor, workplan, clock):
    clock.shift(datetime.timedelta(hours=1))
    services.duty_record(actor=actor, duty=_duty(workplan, Duty.E), what="Werkplan besproken, niets te wijzigen")


def test_a_concept_plan_has_no_review_events(clock, wijkcoach, active_case, workplan):
    clock.move_to(START + datetime.timedelta(days=5))
    sanne = case_services.client_create(
        actor=wijkcoach, given_names="Sanne", family_name="de Boer", date_of_birth=datetime.date(2019, 5, 5)
    )
    case_services.household_add_member(
        actor=wijkcoach, household=active_case.household, client=sanne, relation=Relation.KIND
    )
    assert review_events(workplan) == []


def test_a_household_member_moving_in_asks_for_a_review(clock, wijkcoach, active_case, adopted):
    sanne = case_services.client_create(
        actor=wijkcoach, given_names="Sanne", family_name="de Boer", date_of_birth=datetime.date(2019, 5, 5)
    )
    moved_in = START.date() + datetime.timedelta(days=5)
    case_services.household_add_member(
        actor=wijkcoach, household=active_case.household, client=sanne, relation=Relation.KIND, valid_from=moved_in
    )

    events = review_events(adopted)
    assert [(e.at, e.reason) for e in events] == [(moved_in, "Sanne de Boer is bij het huishouden gekomen.")]

    _record_duty_e(wijkcoach, adopted, clock)
    assert review_events(adopted) == []


def test_a_household_member_moving_out_asks_for_a_review(clock, wijkcoach, active_case, adopted):
    son = HouseholdMember.objects.get(household=active_case.household, client__given_names="Tim")
    left = START.date() + datetime.timedelta(days=4)
    case_services.household_end_member(actor=wijkcoach, member=son, valid_to=left)

    assert [(e.at, e.reason) for e in review_events(adopted)] == [
        (left, "Tim de Boer is uit het huishouden vertrokken.")
    ]

    services.workplan_adopt(actor=wijkcoach, workplan=adopted, reason="Tim woont bij zijn vader")
    assert review_events(adopted) == []


def test_a_new_signal_on_the_case_asks_for_a_review(clock, wijkcoach, team, active_case, adopted):
    mother = HouseholdMember.objects.get(household=active_case.household, client__given_names="Anna").client
    signal = case_services.signal_record(
        actor=wijkcoach, team=team, source=SignalSource.SCHOOL, what_was_seen="Zorgen over de kinderen", client=mother
    )
    assert review_events(adopted) == []  # not linked to the case yet
    case_services.signal_triage(actor=wijkcoach, signal=signal, outcome=SignalOutcome.BESTAANDE_CASUS, case=active_case)

    assert _reasons(adopted) == ["Nieuwe melding over dit huishouden (School)."]

    _record_duty_e(wijkcoach, adopted, clock)
    assert review_events(adopted) == []


def test_a_signal_received_before_but_linked_after_the_adoption_asks_for_a_review(
    clock, wijkcoach, team, active_case, workplan
):
    """A melding received two days before adoption and triaged to the case after it is new to the plan."""
    mother = HouseholdMember.objects.get(household=active_case.household, client__given_names="Anna").client
    signal = case_services.signal_record(
        actor=wijkcoach,
        team=team,
        source=SignalSource.BUREN,
        what_was_seen="Geschreeuw",
        client=mother,
        received_at=START - datetime.timedelta(days=2),
    )
    _goal(wijkcoach, workplan)
    services.workplan_adopt(actor=wijkcoach, workplan=workplan)
    clock.move_to(START + datetime.timedelta(days=3))
    case_services.signal_triage(actor=wijkcoach, signal=signal, outcome=SignalOutcome.BESTAANDE_CASUS, case=active_case)
    workplan.refresh_from_db()

    assert _reasons(workplan) == ["Nieuwe melding over dit huishouden (Buren)."]


def test_a_zrm_drop_of_two_asks_for_a_review(clock, wijkcoach, active_case, workplan):
    case_services.assessments_record(
        actor=wijkcoach,
        case=active_case,
        scores=[case_services.ScoreInput(LifeDomain.FINANCIEN, 4), case_services.ScoreInput(LifeDomain.HUISVESTING, 4)],
    )
    _goal(wijkcoach, workplan)
    services.workplan_adopt(actor=wijkcoach, workplan=workplan)
    clock.move_to(START + datetime.timedelta(days=10))
    drop_day = timezone.localdate()

    case_services.assessments_record(
        actor=wijkcoach,
        case=active_case,
        scores=[case_services.ScoreInput(LifeDomain.FINANCIEN, 2), case_services.ScoreInput(LifeDomain.HUISVESTING, 3)],
    )
    workplan.refresh_from_db()

    assert [(e.at, e.reason) for e in review_events(workplan)] == [(drop_day, "ZRM Financiën is gedaald van 4 naar 2.")]
    _record_duty_e(wijkcoach, workplan, clock)
    assert review_events(workplan) == []


@pytest.mark.parametrize("how", ["goal_update", "progress_review"])
def test_a_goal_not_achieved_asks_for_a_review(clock, wijkcoach, adopted, how):
    goal = adopted.goals.get()
    if how == "goal_update":
        services.goal_update(
            actor=wijkcoach, goal=goal, expected_version=goal.lock_version, status=GoalStatus.NIET_BEHAALD
        )
    else:
        services.progress_review_add(actor=wijkcoach, goal=goal, status=GoalStatus.NIET_BEHAALD, note="Geen plek")

    assert _reasons(adopted) == ["Doel 'Werkervaringsplaats vinden' is niet behaald."]

    _record_duty_e(wijkcoach, adopted, clock)
    assert review_events(adopted) == []


def test_the_review_date_passing_asks_for_a_review(clock, wijkcoach, adopted):
    due = adopted.review_due_on
    assert due == START.date() + datetime.timedelta(weeks=DEFAULT_REVIEW_INTERVAL_WEEKS)
    clock.move_to(datetime.datetime.combine(due, datetime.time(12, 0), tzinfo=AMS))
    assert review_events(adopted) == []  # due today is not yet passed

    clock.move_to(datetime.datetime.combine(due + datetime.timedelta(days=1), datetime.time(12, 0), tzinfo=AMS))
    assert [(e.at, e.reason) for e in review_events(adopted)] == [
        (due, f"De herzieningsdatum ({due:%d-%m-%Y}) is verstreken.")
    ]

    services.workplan_adopt(actor=wijkcoach, workplan=adopted, reason="Halfjaarlijkse herziening")
    adopted.refresh_from_db()
    assert review_events(adopted) == []


def test_events_before_the_adoption_do_not_count(clock, wijkcoach, active_case, workplan):
    clock.move_to(START + datetime.timedelta(days=1))
    sanne = case_services.client_create(
        actor=wijkcoach, given_names="Sanne", family_name="de Boer", date_of_birth=datetime.date(2019, 5, 5)
    )
    case_services.household_add_member(
        actor=wijkcoach, household=active_case.household, client=sanne, relation=Relation.KIND
    )
    goal = _goal(wijkcoach, workplan)
    services.goal_update(actor=wijkcoach, goal=goal, expected_version=goal.lock_version, status=GoalStatus.NIET_BEHAALD)
    _goal(wijkcoach, workplan, description="Nieuw doel")
    clock.move_to(START + datetime.timedelta(days=2))
    services.workplan_adopt(actor=wijkcoach, workplan=workplan)
    clock.move_to(START + datetime.timedelta(days=9))
    workplan.refresh_from_db()
    assert review_events(workplan) == []


def test_review_events_are_shown_on_the_plan_page(client, clock, wijkcoach, active_case, adopted):
    sanne = case_services.client_create(
        actor=wijkcoach, given_names="Sanne", family_name="de Boer", date_of_birth=datetime.date(2019, 5, 5)
    )
    case_services.household_add_member(
        actor=wijkcoach,
        household=active_case.household,
        client=sanne,
        relation=Relation.KIND,
        valid_from=START.date() + datetime.timedelta(days=5),
    )
    client.force_login(wijkcoach)
    content = client.get(f"/casussen/{active_case.uuid}/werkplan/").content.decode()
    assert "Herziening nodig (taak e)" in content
    assert "Sanne de Boer is bij het huishouden gekomen." in content

"""Every reminder rule: it fires when the item is due, not before, and not when the work is done.

Data is set up through the services at fixed dates (time-machine); the sweep runs "as of" a day.
"""

from __future__ import annotations

import datetime

import pytest

from accounts.constants import Role
from accounts.models import Notification
from cases import services as case_services
from cases.constants import CaseRole, CaseStatus, ReferralStatus, SignalOutcome
from cases.models import CaseMember, Handover, Referral
from consent import services as consent_services
from consent.constants import ConsentMethod, LegalBasis, PurposeLaw
from consent.models import Purpose
from reminders.constants import Rule
from reminders.models import TeamReminderSettings
from reminders.sweep import run_sweep
from tests.factories import OrganisationFactory, TeamFactory, make_user
from tests.reminders.builders import (
    HIRED,
    at,
    contact,
    coordinated_case,
    handover,
    moment,
    open_case,
    signal,
    teamleider,
)
from workplans import meeting_services
from workplans import services as plan_services
from workplans.constants import Duty, GoalStatus, GoalTerm, InvolvementHow
from workplans.models import AgreementStatus, CoordinationDuty, Goal

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
D0 = datetime.date(2026, 3, 17)  # a Tuesday; see coordinated_case for what falls due when


def day(offset: int) -> datetime.date:
    return D0 + datetime.timedelta(days=offset)


def sweep(on: datetime.date, *rules: str) -> list[Notification]:
    """Run the given rules as of ``on`` and return the inbox items they produced, oldest first."""
    with at(on, hour=7):
        run_sweep(on, rules=list(rules))
    return list(Notification.objects.filter(rule__in=rules).order_by("id"))


def items(rule: str, **filters) -> list[Notification]:
    return list(Notification.objects.filter(rule=rule, **filters).order_by("id"))


@pytest.fixture(autouse=True)
def hired_long_ago():
    """Personas and teams are made before anything else, while the clock stands at ``HIRED``."""
    with at(HIRED):
        yield


@pytest.fixture
def leader(team):
    return teamleider(team)


@pytest.fixture
def case(wijkcoach, team):
    return coordinated_case(wijkcoach, team, on=D0)


# --- 1. Coordination duties ------------------------------------------------------------------------------


def test_duty_due_within_three_working_days_counting_kings_day(case, wijkcoach):
    # Duties a and f fall due on Tuesday 28 April 2026; Monday 27 April is Koningsdag.
    assert set(
        CoordinationDuty.objects.filter(next_due_on=datetime.date(2026, 4, 28)).values_list("duty", flat=True)
    ) == {"a", "f"}
    # Tuesday 21 April: three working days ahead is Friday 24 April, so not yet.
    assert sweep(datetime.date(2026, 4, 21), Rule.DUTY_DUE) == []
    # Wednesday 22 April: 23, 24 and (Koningsdag skipped) 28 April: due within three working days.
    reminders = sweep(datetime.date(2026, 4, 22), Rule.DUTY_DUE)
    assert [(n.user, n.kind, n.due_on, n.case_number) for n in reminders] == [
        (wijkcoach, Kind.REMINDER, datetime.date(2026, 4, 28), case.number)
    ] * 2
    assert {n.title for n in reminders} == {
        f"Casus {case.number}: coördinatietaak a. Voortgang van het werkplan volgen uiterlijk 28-04-2026",
        f"Casus {case.number}: coördinatietaak f. Cliënt en gezin periodiek betrekken uiterlijk 28-04-2026",
    }
    assert reminders[0].url == f"/casussen/{case.uuid}/werkplan/"


def test_duty_done_in_time_is_not_reminded(case, wijkcoach):
    for duty in CoordinationDuty.objects.filter(workplan__case=case, duty__in=[Duty.A, Duty.F]):
        with at(datetime.date(2026, 4, 20)):
            plan_services.duty_record(actor=wijkcoach, duty=duty, what="Voortgang besproken")
    assert sweep(datetime.date(2026, 4, 22), Rule.DUTY_DUE) == []


def test_overdue_duty_is_reminded_and_titled_late(case):
    reminders = sweep(datetime.date(2026, 4, 30), Rule.DUTY_DUE)
    assert len(reminders) == 2
    assert all("is te laat" in n.title for n in reminders)


def test_no_duty_reminders_for_a_closed_case(case, wijkcoach):
    with at(datetime.date(2026, 4, 1)):
        case_services.case_transition(
            actor=wijkcoach, case=case, to_status=CaseStatus.AFGESLOTEN, closing_reason="doelen_behaald"
        )
    assert sweep(datetime.date(2026, 4, 30), Rule.DUTY_DUE) == []


# --- 2. Workplan review --------------------------------------------------------------------------------------


def test_review_overdue(case):
    review_due = case.workplan.review_due_on
    assert review_due == day(91)
    assert sweep(review_due, Rule.WORKPLAN_REVIEW) == []
    [reminder] = sweep(review_due + datetime.timedelta(days=1), Rule.WORKPLAN_REVIEW)
    assert reminder.due_on == review_due
    assert "herzien" in reminder.title


def test_review_done_in_time(case, wijkcoach):
    with at(day(80)):
        plan_services.workplan_adopt(actor=wijkcoach, workplan=case.workplan, reason="Voortgang besproken")
    assert sweep(day(92), Rule.WORKPLAN_REVIEW) == []


def test_a_signal_on_the_case_asks_for_a_review(case, wijkcoach, team):
    assert sweep(day(9), Rule.WORKPLAN_REVIEW) == []
    signal(wijkcoach, team, on=day(10), case=case)
    [reminder] = sweep(day(10), Rule.WORKPLAN_REVIEW)
    assert reminder.due_on == day(10)
    assert "om herziening" in reminder.title


def test_a_zrm_drop_and_a_missed_goal_ask_for_a_review(case, wijkcoach):
    with at(day(1)):
        case_services.assessments_record(actor=wijkcoach, case=case, scores=[case_services.ScoreInput("financien", 4)])
    assert sweep(day(2), Rule.WORKPLAN_REVIEW) == []  # a first score is no drop
    with at(day(3)):
        case_services.assessments_record(actor=wijkcoach, case=case, scores=[case_services.ScoreInput("financien", 3)])
    assert sweep(day(3), Rule.WORKPLAN_REVIEW) == []  # one point is not enough
    with at(day(5)):
        case_services.assessments_record(actor=wijkcoach, case=case, scores=[case_services.ScoreInput("financien", 1)])
    [reminder] = sweep(day(5), Rule.WORKPLAN_REVIEW)
    assert reminder.due_on == day(5)


def test_a_missed_goal_asks_for_a_review(case, wijkcoach):
    goal = Goal.objects.get(workplan=case.workplan)
    with at(day(7)):
        plan_services.goal_update(actor=wijkcoach, goal=goal, expected_version=None, status=GoalStatus.NIET_BEHAALD)
    [reminder] = sweep(day(7), Rule.WORKPLAN_REVIEW)
    assert reminder.due_on == day(7)


def test_a_review_after_the_event_settles_it(case, wijkcoach, team):
    signal(wijkcoach, team, on=day(10), case=case)
    with at(day(12)):
        plan_services.workplan_adopt(actor=wijkcoach, workplan=case.workplan, reason="Nieuwe melding verwerkt")
    assert sweep(day(13), Rule.WORKPLAN_REVIEW) == []


# --- 3. Agreements -------------------------------------------------------------------------------------------


@pytest.fixture
def colleague_member(case, colleague, wijkcoach):
    with at(D0):
        case_services.case_member_add(actor=wijkcoach, case=case, user=colleague, role=CaseRole.KLANTMANAGER)
    return colleague


def make_agreement(case, actor, owner, due_on):
    with at(D0):
        return meeting_services.agreement_make(
            actor=actor, case=case, what=f"Bel {case.client} over de schuld", due_on=due_on, owner=owner
        )


def test_agreement_overdue_goes_to_owner_and_coordinator(case, wijkcoach, colleague_member):
    make_agreement(case, wijkcoach, colleague_member, day(15))
    assert sweep(day(15), Rule.AGREEMENT_OVERDUE) == []
    reminders = sweep(day(16), Rule.AGREEMENT_OVERDUE)
    assert {n.user for n in reminders} == {colleague_member, wijkcoach}
    assert {n.due_on for n in reminders} == {day(15)}


def test_agreement_done_is_not_reminded(case, wijkcoach, colleague_member):
    agreement = make_agreement(case, wijkcoach, colleague_member, day(15))
    with at(day(14)):
        meeting_services.agreement_close(actor=colleague_member, agreement=agreement, status=AgreementStatus.GEDAAN)
    assert sweep(day(20), Rule.AGREEMENT_OVERDUE) == []


# --- 4. No contact ---------------------------------------------------------------------------------------------


def test_no_contact_for_thirty_days(case, wijkcoach):
    assert sweep(day(29), Rule.NO_CONTACT) == []
    [reminder] = sweep(day(30), Rule.NO_CONTACT)
    assert (reminder.user, reminder.due_on) == (wijkcoach, day(30))
    assert reminder.title == f"Casus {case.number}: al 30 dagen geen contact met de cliënt"
    assert "17-03-2026" in reminder.body


def test_no_contact_fourteen_days_with_a_safety_flag(wijkcoach, team):
    coordinated_case(wijkcoach, team, on=D0, safety_concern="huiselijk_geweld")
    assert sweep(day(13), Rule.NO_CONTACT) == []
    [reminder] = sweep(day(14), Rule.NO_CONTACT)
    assert reminder.due_on == day(14)


def test_a_new_contact_resets_the_count(case, wijkcoach):
    contact(wijkcoach, case, on=day(20))
    assert sweep(day(30), Rule.NO_CONTACT) == []
    [reminder] = sweep(day(50), Rule.NO_CONTACT)
    assert reminder.due_on == day(50)


def test_a_case_without_coordinator_reminds_its_professionals(wijkcoach, team):
    """An aangemeld case has no coordinator yet: the professional on the case is told instead."""
    open_case(wijkcoach, team, on=D0)
    [reminder] = sweep(day(30), Rule.NO_CONTACT)
    assert reminder.user == wijkcoach


# --- 5. Client involvement (duty f) --------------------------------------------------------------------------


def test_no_involvement_for_six_weeks(case):
    assert sweep(day(41), Rule.NO_INVOLVEMENT) == []
    [reminder] = sweep(day(42), Rule.NO_INVOLVEMENT)
    assert reminder.due_on == day(42)


def test_involvement_resets_the_count(case, wijkcoach):
    with at(day(30)):
        plan_services.involvement_record(
            actor=wijkcoach, workplan=case.workplan, how=InvolvementHow.HUISBEZOEK, participants=[case.client]
        )
    assert sweep(day(42), Rule.NO_INVOLVEMENT) == []


def test_a_plan_without_any_involvement_counts_from_its_start(wijkcoach, team):
    coordinated_case(wijkcoach, team, on=D0, involve=False)
    assert sweep(day(41), Rule.NO_INVOLVEMENT) == []
    assert len(sweep(day(42), Rule.NO_INVOLVEMENT)) == 1


# --- 6. Long-term goals without an owner (duty g) --------------------------------------------------------------


def test_long_term_goal_without_owner(case, wijkcoach):
    assert sweep(day(1), Rule.GOAL_OWNER) == []  # the goal of the scenario has an owner
    with at(day(2)):
        plan_services.goal_add(
            actor=wijkcoach,
            workplan=case.workplan,
            term=GoalTerm.SHORT,
            life_domain="huisvesting",
            description="Kort doel",
        )
    assert sweep(day(3), Rule.GOAL_OWNER) == []  # short-term goals are not duty g
    with at(day(4)):
        goal = plan_services.goal_add(
            actor=wijkcoach,
            workplan=case.workplan,
            term=GoalTerm.LONG,
            life_domain="huisvesting",
            description="Passende woning",
            horizon_years=3,
        )
    [reminder] = sweep(day(5), Rule.GOAL_OWNER)
    assert (reminder.user, reminder.due_on) == (wijkcoach, day(4))
    assert reminder.title == f"Casus {case.number}: een langetermijndoel heeft geen eigenaar"
    with at(day(6)):
        plan_services.goal_update(actor=wijkcoach, goal=goal, expected_version=None, owner=wijkcoach)
    Notification.objects.all().delete()
    assert sweep(day(7), Rule.GOAL_OWNER) == []


def test_goal_owner_who_left_the_case(case, wijkcoach, colleague_member):
    goal = Goal.objects.get(workplan=case.workplan)
    with at(day(1)):
        plan_services.goal_update(actor=wijkcoach, goal=goal, expected_version=None, owner=colleague_member)
    assert sweep(day(2), Rule.GOAL_OWNER) == []
    member = CaseMember.objects.get(case=case, user=colleague_member, valid_to__isnull=True)
    with at(day(3)):
        case_services.case_member_end(actor=wijkcoach, member=member)
    [reminder] = sweep(day(4), Rule.GOAL_OWNER)
    assert (reminder.user, reminder.due_on) == (wijkcoach, day(3))
    assert "geen lid meer" in reminder.title


# --- 7. Signals -------------------------------------------------------------------------------------------------


def test_signal_past_its_triage_deadline(wijkcoach, team):
    melding = signal(wijkcoach, team, on=D0)
    assert melding.triage_deadline == datetime.date(2026, 3, 24)  # five working days
    assert sweep(datetime.date(2026, 3, 24), Rule.SIGNAL_TRIAGE) == []
    [reminder] = sweep(datetime.date(2026, 3, 25), Rule.SIGNAL_TRIAGE)
    assert (reminder.user, reminder.due_on, reminder.case_number) == (wijkcoach, datetime.date(2026, 3, 24), "")
    assert reminder.url == f"/meldingen/{melding.uuid}/"


def test_triaged_signal_is_not_reminded(wijkcoach, team):
    melding = signal(wijkcoach, team, on=D0)
    with at(day(2)):
        case_services.signal_triage(
            actor=wijkcoach, signal=melding, outcome=SignalOutcome.GEEN_ACTIE, note="Geen zorgen"
        )
    assert sweep(day(10), Rule.SIGNAL_TRIAGE) == []


# --- 8. Handovers ------------------------------------------------------------------------------------------------


def test_handover_not_accepted_in_time(case, wijkcoach, colleague):
    pending = handover(case, from_user=wijkcoach, to_user=colleague, due_on=day(7))
    assert sweep(day(7), Rule.HANDOVER_PENDING) == []
    reminders = sweep(day(8), Rule.HANDOVER_PENDING)
    assert {n.user for n in reminders} == {wijkcoach, colleague}
    assert {n.due_on for n in reminders} == {day(7)}
    Notification.objects.all().delete()
    Handover.objects.filter(pk=pending.pk).update(status=Handover.Status.ACCEPTED)
    assert sweep(day(9), Rule.HANDOVER_PENDING) == []


# --- 9. Orphaned cases ------------------------------------------------------------------------------------------


def test_deactivated_coordinator_orphans_the_case(case, wijkcoach, leader):
    assert sweep(day(1), Rule.ORPHANED_CASE) == []
    wijkcoach.is_active = False
    wijkcoach.save(update_fields=["is_active"])
    [reminder] = sweep(day(2), Rule.ORPHANED_CASE)
    assert (reminder.user, reminder.kind, reminder.case_number) == (leader, Kind.ESCALATION, case.number)
    assert reminder.url == f"/casussen/{case.uuid}/team/"
    # Told once per situation, not once a day.
    assert sweep(day(3), Rule.ORPHANED_CASE) == [reminder]


def test_ended_coordinator_membership_orphans_the_case_until_a_new_one(case, wijkcoach, colleague, leader):
    member = CaseMember.objects.get(case=case, role=CaseRole.COORDINATOR, valid_to__isnull=True)
    with at(day(1)):
        case_services.case_member_end(actor=leader, member=member)
    assert len(sweep(day(1), Rule.ORPHANED_CASE)) == 1
    with at(day(2)):
        case_services.case_set_coordinator(actor=leader, case=case, user=colleague)
    Notification.objects.all().delete()
    assert sweep(day(2), Rule.ORPHANED_CASE) == []


def test_case_nobody_active_works_on_is_orphaned(wijkcoach, team, leader):
    """An aangemeld case has no coordinator by design, but it needs at least one active professional."""
    open_case(wijkcoach, team, on=D0)
    assert sweep(day(1), Rule.ORPHANED_CASE) == []
    wijkcoach.is_active = False
    wijkcoach.save(update_fields=["is_active"])
    [reminder] = sweep(day(1), Rule.ORPHANED_CASE)
    assert reminder.user == leader


# --- 10. Consents --------------------------------------------------------------------------------------------------


@pytest.fixture
def purpose():
    return Purpose.objects.create(
        code="ggz",
        name="Afstemming met de GGZ",
        legal_basis=LegalBasis.CONSENT,
        law=PurposeLaw.WAMS,
        categories=["administratief"],
        recipient_types=["zorgaanbieder"],
    )


def give_consent(actor, case, purpose, *, expires_on: datetime.date):
    with at(D0):
        return consent_services.consent_record(
            actor=actor,
            client=case.client,
            purpose=purpose,
            recipient_type="zorgaanbieder",
            given_at=moment(D0, 8),
            expires_at=moment(expires_on, 12),
            method=ConsentMethod.WRITTEN,
        )


def test_consent_expiring_within_thirty_days(case, wijkcoach, purpose):
    give_consent(wijkcoach, case, purpose, expires_on=day(40))
    assert sweep(day(9), Rule.CONSENT_EXPIRING) == []
    [reminder] = sweep(day(10), Rule.CONSENT_EXPIRING)
    assert (reminder.user, reminder.due_on) == (wijkcoach, day(40))
    assert reminder.url == f"/casussen/{case.uuid}/toestemming/"


def test_renewed_or_withdrawn_consent_is_not_reminded(case, wijkcoach, purpose):
    give_consent(wijkcoach, case, purpose, expires_on=day(40))
    give_consent(wijkcoach, case, purpose, expires_on=day(400))  # renewed
    assert sweep(day(20), Rule.CONSENT_EXPIRING) == []
    other = Purpose.objects.create(
        code="ggz-2",
        name="Tweede doel",
        legal_basis=LegalBasis.CONSENT,
        law=PurposeLaw.WAMS,
        recipient_types=["zorgaanbieder"],
    )
    withdrawn = give_consent(wijkcoach, case, other, expires_on=day(40))
    with at(day(15)):
        consent_services.consent_withdraw(actor=wijkcoach, consent=withdrawn, reason="Wil het niet meer")
    assert sweep(day(20), Rule.CONSENT_EXPIRING) == []


# --- 11. Referrals ------------------------------------------------------------------------------------------------


def send_referral(actor, case, on, **fields):
    with at(on):
        return case_services.referral_send(
            actor=actor, case=case, question="Schuldhulp", provision="Schuldhulpverlening", **fields
        )


def test_referral_unanswered_for_ten_working_days_over_christmas(case, wijkcoach):
    # Sent Friday 18 December 2026: Christmas Day and New Year's Day are not working days.
    send_referral(wijkcoach, case, datetime.date(2026, 12, 18))
    assert sweep(datetime.date(2027, 1, 5), Rule.REFERRAL_PENDING) == []
    [reminder] = sweep(datetime.date(2027, 1, 6), Rule.REFERRAL_PENDING)
    assert reminder.due_on == datetime.date(2027, 1, 5)
    assert "niet beantwoord" in reminder.title


def test_answered_referral_is_not_reminded(case, wijkcoach):
    referral = send_referral(wijkcoach, case, day(0))
    with at(day(5)):
        case_services.referral_transition(actor=wijkcoach, referral=referral, to_status=ReferralStatus.GEACCEPTEERD)
    assert sweep(day(30), Rule.REFERRAL_PENDING) == []


def test_accepted_referral_not_started_by_its_expected_date(case, wijkcoach):
    referral = send_referral(wijkcoach, case, day(0), expected_start_on=day(20))
    with at(day(5)):
        case_services.referral_transition(actor=wijkcoach, referral=referral, to_status=ReferralStatus.GEACCEPTEERD)
    assert sweep(day(20), Rule.REFERRAL_PENDING) == []
    [reminder] = sweep(day(21), Rule.REFERRAL_PENDING)
    assert reminder.due_on == day(20)
    Notification.objects.all().delete()
    with at(day(21)):
        case_services.referral_transition(actor=wijkcoach, referral=referral, to_status=ReferralStatus.AFGEROND)
    assert sweep(day(22), Rule.REFERRAL_PENDING) == []
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.AFGEROND


def test_someone_who_may_not_see_the_case_is_not_told(case, wijkcoach, outsider):
    """The referral was sent by a professional of another team who is not on the case: only the coordinator."""
    send_referral(outsider, case, day(0))
    reminders = sweep(day(30), Rule.REFERRAL_PENDING)
    assert [n.user for n in reminders] == [wijkcoach]


# --- Thresholds per team, escalation --------------------------------------------------------------------------------


def test_thresholds_are_per_team(case, team, other_team, outsider):
    other = coordinated_case(outsider, other_team, on=D0)
    TeamReminderSettings.objects.create(team=team, contact_days=10)
    reminders = sweep(day(10), Rule.NO_CONTACT)
    assert [n.case_number for n in reminders] == [case.number]
    assert {n.case_number for n in sweep(day(30), Rule.NO_CONTACT)} == {case.number, other.number}


def test_escalation_to_the_teamleider_after_five_days_overdue(case, wijkcoach, leader):
    make_agreement(case, wijkcoach, wijkcoach, day(15))
    # Five days late: the owner is reminded, the teamleider not yet.
    assert [(n.user, n.kind) for n in sweep(day(20), Rule.AGREEMENT_OVERDUE)] == [(wijkcoach, Kind.REMINDER)]
    # Six days late: escalation.
    sweep(day(21), Rule.AGREEMENT_OVERDUE)
    escalations = items(Rule.AGREEMENT_OVERDUE, kind=Kind.ESCALATION)
    assert [(n.user, n.due_on) for n in escalations] == [(leader, day(15))]
    assert escalations[0].title.startswith("Escalatie: ")
    # The owner is not told a second time.
    assert len(items(Rule.AGREEMENT_OVERDUE, kind=Kind.REMINDER)) == 1


def test_escalation_days_are_per_team(case, wijkcoach, leader, team):
    TeamReminderSettings.objects.create(team=team, escalation_days=10)
    make_agreement(case, wijkcoach, wijkcoach, day(15))
    sweep(day(21), Rule.AGREEMENT_OVERDUE)
    assert items(Rule.AGREEMENT_OVERDUE, kind=Kind.ESCALATION) == []
    sweep(day(26), Rule.AGREEMENT_OVERDUE)
    assert [n.user for n in items(Rule.AGREEMENT_OVERDUE, kind=Kind.ESCALATION)] == [leader]


def test_duty_lead_days_are_per_team(case, team):
    TeamReminderSettings.objects.create(team=team, duty_lead_working_days=10)
    # 28 April is within ten working days of 14 April (Koningsdag skipped), not of 10 April.
    assert sweep(datetime.date(2026, 4, 10), Rule.DUTY_DUE) == []
    assert len(sweep(datetime.date(2026, 4, 14), Rule.DUTY_DUE)) == 2


def test_a_partner_is_not_reminded(case, wijkcoach):
    """Partners see what purpose and consent allow; reminders go to municipal professionals only."""
    partner_org = OrganisationFactory(partner=True)
    partner = make_user(Role.PARTNER, TeamFactory(organisation=partner_org), username="t_partner_r")
    CaseMember.objects.create(case=case, user=partner, organisation=partner_org, role=CaseRole.PARTNER)
    with at(D0):
        meeting_services.agreement_make(actor=wijkcoach, case=case, what="Intake GGZ", due_on=day(5), owner=partner)
    assert [n.user for n in sweep(day(6), Rule.AGREEMENT_OVERDUE)] == [wijkcoach]

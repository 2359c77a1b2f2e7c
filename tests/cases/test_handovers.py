"""Handovers (``cases.handovers``): the rules of create/accept/return/cancel, the acceptance transaction
(everything the giver owned on the case moves, nothing is left), caseloads spread evenly or by hand, and
the frozen summary. Data is set up through the services, as the code itself does."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.constants import OrganisationType, Role
from accounts.models import Notification
from cases import handover_summary, handovers, owned_items
from cases import services as case_services
from cases.constants import CaseRole, CaseStatus, Channel, ClosingReason, Law, LifeDomain, Relation, Task
from cases.models import Case, CaseMember, CaseUserObjectPermission, Handover
from cases.workdays import add_working_days
from consent import services as consent_services
from consent.constants import ConsentMethod, DisclosureChannel, LegalBasis, PurposeLaw
from consent.models import Disclosure, Purpose
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, make_user
from workplans import meeting_services
from workplans import services as plan_services
from workplans.constants import CLOSED_ACTION_STATUSES, CLOSED_GOAL_STATUSES, GoalStatus, GoalTerm
from workplans.models import Action, AgreementStatus, CoordinationDuty, Goal

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


# --- Set-up helpers (also used by the page tests) -------------------------------------------------------


def open_active_case(opener, team, *, family_name="De Boer", coordinator=None):
    """An active coordinated case of ``team`` for a household of two; ``opener`` is a member (wijkcoach)."""
    mother = case_services.client_create(
        actor=opener, given_names="Anna", family_name=family_name, date_of_birth=datetime.date(1985, 2, 3)
    )
    son = case_services.client_create(
        actor=opener, given_names="Tim", family_name=family_name, date_of_birth=datetime.date(2014, 6, 1)
    )
    household = case_services.household_create(
        actor=opener,
        name=f"Huishouden {family_name}",
        members=[(mother, Relation.OUDER), (son, Relation.KIND)],
    )
    case = case_services.case_open(actor=opener, team=team, household=household, laws=[Law.WMO])
    for status in (CaseStatus.INTAKE, CaseStatus.TRIAGE, CaseStatus.ACTIEF):
        case = case_services.case_transition(actor=opener, case=case, to_status=status)
    if coordinator is not None:
        case_services.case_set_coordinator(actor=opener, case=case, user=coordinator)
    case.refresh_from_db()
    return case


def giver_case(opener, team, giver, **kwargs):
    """The giver is the coordinator and also the case's werkcoach."""
    case = open_active_case(opener, team, coordinator=giver, **kwargs)
    case_services.case_member_add(actor=opener, case=case, user=giver, role=CaseRole.WERKCOACH)
    return case


def current_roles(case, user) -> set[str]:
    return set(CaseMember.objects.filter(case=case, user=user, valid_to__isnull=True).values_list("role", flat=True))


def permissions(case, user) -> set[str]:
    return set(
        CaseUserObjectPermission.objects.filter(content_object=case, user=user).values_list(
            "permission__codename", flat=True
        )
    )


@pytest.fixture
def giver(team):
    return make_user(Role.WERKCOACH, team, username="t_werkcoach")


@pytest.fixture
def receiver(colleague):
    return colleague


@pytest.fixture
def receiver2(team):
    return make_user(Role.WIJKCOACH, team, username="t_ontvanger")


@pytest.fixture
def teamleider(team):
    return make_user(Role.TEAMLEIDER, team, username="t_teamleider")


@pytest.fixture
def case(wijkcoach, team, giver):
    return giver_case(wijkcoach, team, giver)


@pytest.fixture
def plan(case, giver, wijkcoach, municipality, partner_org):
    """A workplan with open and closed items of the giver, and one goal of somebody else."""
    workplan = plan_services.workplan_create(actor=giver, case=case)
    goal = plan_services.goal_add(
        actor=giver,
        workplan=workplan,
        term=GoalTerm.SHORT,
        life_domain=LifeDomain.FINANCIEN,
        description="Schulden op orde",
        owner=giver,
        target_date=TODAY() + datetime.timedelta(days=60),
    )
    done_goal = plan_services.goal_add(
        actor=giver,
        workplan=workplan,
        term=GoalTerm.SHORT,
        life_domain=LifeDomain.HUISVESTING,
        description="Huurachterstand geregeld",
        owner=giver,
    )
    plan_services.goal_update(actor=giver, goal=done_goal, expected_version=None, status=GoalStatus.BEHAALD)
    other_goal = plan_services.goal_add(
        actor=giver,
        workplan=workplan,
        term=GoalTerm.SHORT,
        life_domain=LifeDomain.WERK_OPLEIDING,
        description="Werkervaringsplek",
        owner=wijkcoach,
    )
    action = plan_services.action_add(
        actor=giver, goal=goal, description="Budgetcoach regelen", party=municipality, professional=giver
    )
    partner_action = plan_services.action_add(
        actor=giver, goal=goal, description="Schuldhulp bij de partner", party=partner_org, professional=giver
    )
    agreement = meeting_services.agreement_make(
        actor=giver, case=case, what="Bel de woningcorporatie", due_on=TODAY() + datetime.timedelta(days=7), owner=giver
    )
    closed_agreement = meeting_services.agreement_make(
        actor=giver, case=case, what="Formulier ingevuld", due_on=TODAY() + datetime.timedelta(days=3), owner=giver
    )
    meeting_services.agreement_close(actor=giver, agreement=closed_agreement, status=AgreementStatus.GEDAAN)
    return SimpleNamespace(
        workplan=workplan,
        goal=goal,
        done_goal=done_goal,
        other_goal=other_goal,
        action=action,
        partner_action=partner_action,
        agreement=agreement,
        closed_agreement=closed_agreement,
    )


def hand_over(case, giver, receiver, *, actor=None, **kwargs):
    return handovers.handover_create(actor=actor or giver, case=case, from_user=giver, to_user=receiver, **kwargs)


# --- Create ---------------------------------------------------------------------------------------------


def test_create_freezes_a_summary_sets_the_deadline_and_notifies_the_receiver(case, giver, receiver):
    handover = hand_over(case, giver, receiver, note="Moeder belt liever 's ochtends.")
    assert handover.status == Handover.Status.PENDING
    assert handover.due_on == add_working_days(TODAY(), 5)
    assert handover.created_by == giver
    assert handover.summary["case"]["number"] == case.number
    assert handover.summary["note"] == "Moeder belt liever 's ochtends."
    item = Notification.objects.get(user=receiver)
    assert item.kind == Notification.Kind.HANDOVER
    assert item.case_number == case.number
    assert item.url == f"/overdrachten/{handover.uuid}/"
    assert case.number in item.title
    # Titles name the case by number only, never the client.
    text = item.title + item.body
    # (Whole names only: a generated professional's name may contain "Anna", as in "Annabel".)
    assert "De Boer" not in text and "Anna De Boer" not in text and "Tim De Boer" not in text
    # Nothing has moved yet: the giver still holds the case.
    assert current_roles(case, giver) == {CaseRole.COORDINATOR, CaseRole.WERKCOACH}
    assert current_roles(case, receiver) == set()


def test_the_teamleider_may_hand_over_a_professionals_case(case, giver, receiver, teamleider):
    handover = hand_over(case, giver, receiver, actor=teamleider)
    assert handover.created_by == teamleider and handover.from_user == giver


def test_a_colleague_may_not_hand_over_someone_elses_case(case, giver, receiver, wijkcoach):
    with pytest.raises(ValidationError, match="Alleen de professional zelf of de teamleider"):
        hand_over(case, giver, receiver, actor=wijkcoach)


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("giver", "andere professional"),
        ("inactive", "niet actief"),
        ("beleid", "werkt niet aan casussen"),
        ("outsider", "werkt niet in Wijkteam Noord"),
    ],
)
def test_the_receiver_must_be_able_to_take_the_case(case, giver, receiver, beleid, outsider, who, message):
    target = {"giver": giver, "inactive": receiver, "beleid": beleid, "outsider": outsider}[who]
    if who == "inactive":
        target.is_active = False
        target.save(update_fields=["is_active"])
    with pytest.raises(ValidationError, match=message):
        hand_over(case, giver, target)
    assert not Handover.objects.exists()


def test_a_member_without_the_coordinator_role_may_hand_over_to_another_team(wijkcoach, team, giver, outsider):
    case = open_active_case(wijkcoach, team, coordinator=wijkcoach)
    case_services.case_member_add(actor=wijkcoach, case=case, user=giver, role=CaseRole.WERKCOACH)
    handover = hand_over(case, giver, outsider)
    handovers.handover_accept(actor=outsider, handover=handover)
    assert current_roles(case, outsider) == {CaseRole.WERKCOACH}
    assert Case.objects.get(pk=case.pk).coordinator == wijkcoach


def test_one_open_handover_per_case(case, giver, receiver, receiver2):
    first = hand_over(case, giver, receiver)
    with pytest.raises(ValidationError, match=f"Voor casus {case.number} staat al een overdracht open"):
        hand_over(case, giver, receiver2)
    handovers.handover_return(actor=receiver, handover=first, reason="Ik ga met verlof.")
    assert hand_over(case, giver, receiver2).status == Handover.Status.PENDING


def test_only_members_of_open_cases_are_handed_over(case, giver, receiver, receiver2, wijkcoach):
    with pytest.raises(ValidationError, match="geen lid van het casusteam"):
        hand_over(case, receiver2, receiver, actor=receiver2)
    with pytest.raises(ValidationError, match="kennismakingsgesprek kan niet in het verleden"):
        hand_over(case, giver, receiver, intro_meeting_on=TODAY() - datetime.timedelta(days=1))
    case_services.case_request_closure(actor=wijkcoach, case=case, closing_reason=ClosingReason.DOELEN_BEHAALD)
    with pytest.raises(ValidationError, match="is afgesloten"):
        hand_over(case, giver, receiver)


def test_a_receiver_in_another_organisation_is_registered_as_a_disclosure(case, giver, receiver, team):
    hand_over(case, giver, receiver)
    assert not Disclosure.objects.exists()  # same organisation: nothing left it
    handover = Handover.objects.get()
    handovers.handover_cancel(actor=giver, handover=handover)
    other = OrganisationFactory(name="Gemeente Buurdorp", type=OrganisationType.GEMEENTE)
    seconded = UserFactory(organisation=other, username="t_gedetacheerd")
    MembershipFactory(user=seconded, team=team, role=Role.WIJKCOACH)
    handover = hand_over(case, giver, seconded)
    disclosure = Disclosure.objects.get()
    assert disclosure.channel == DisclosureChannel.HANDOVER
    assert disclosure.case_id == case.pk
    assert disclosure.recipient_organisation == other
    assert disclosure.recipient_user == seconded
    assert disclosure.disclosed_by == giver
    assert {"identiteit", "huishouden", "notities"} <= set(disclosure.categories)


def test_a_receiver_outside_the_municipality_needs_a_purpose_that_covers_them(case, giver, team, partner_org):
    outside = UserFactory(organisation=partner_org, username="t_extern")
    MembershipFactory(user=outside, team=team, role=Role.WIJKCOACH)
    with pytest.raises(ValidationError, match="buiten de gemeente"):
        hand_over(case, giver, outside)


# --- Accept: everything moves, nothing is left ---------------------------------------------------------

# Every reference to a user from a case's records, by what it means. An "owner" is responsible for an
# open item and must move on acceptance (``owned_items.OWNED_ITEMS``, plus the case team and coordinator);
# "history" records who did something and stays as it was. A new reference must be classified here.
OWNERSHIP = {
    ("cases.Case", "coordinator"),
    ("cases.CaseMember", "user"),
    ("cases.CaseUserObjectPermission", "user"),
    *((item.model, item.user_field) for item in owned_items.OWNED_ITEMS),
}
HISTORY = {
    ("cases.CaseStatusChange", "actor"),
    ("cases.LifeDomainAssessment", "assessor"),
    ("cases.ContactMoment", "professional"),
    ("cases.Signal", "triaged_by"),
    ("cases.Signal", "created_by"),
    ("cases.Referral", "created_by"),
    ("cases.Intake", "conducted_by"),
    ("cases.Intake", "decided_by"),
    ("cases.ApprovalRequest", "requested_by"),
    ("cases.ApprovalRequest", "decided_by"),
    ("cases.Handover", "from_user"),
    ("cases.Handover", "to_user"),
    ("cases.Handover", "created_by"),
    ("workplans.WorkplanVersion", "adopted_by"),
    ("workplans.WorkplanVersion", "approved_by"),
    ("workplans.ProgressReview", "reviewer"),
    ("workplans.DutyRecord", "done_by"),
    ("workplans.Obstacle", "raised_by"),
    ("workplans.ClientInvolvement", "recorded_by"),
    ("workplans.Agreement", "created_by"),
    # A meeting belongs to the team, not to one case; its chair and participants are not the case's owners.
    ("workplans.Meeting", "chair"),
    ("workplans.Meeting", "created_by"),
    ("workplans.MeetingParticipant", "user"),
}


def user_references():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for app_label in ("cases", "workplans"):
        for model in apps.get_app_config(app_label).get_models():
            for field in model._meta.concrete_fields:
                if field.is_relation and field.related_model is user_model:
                    yield model._meta.label, field.name


def test_every_reference_to_a_user_on_a_case_is_classified():
    assert set(user_references()) == OWNERSHIP | HISTORY


def test_open_statuses_mirror_the_workplan_constants():
    goal_item, action_item, agreement_item = owned_items.OWNED_ITEMS
    assert set(goal_item.open_q.children[0][1]) == {str(s) for s in CLOSED_GOAL_STATUSES}
    assert set(action_item.open_q.children[0][1]) == {str(s) for s in CLOSED_ACTION_STATUSES}
    assert agreement_item.open_q.children[0][1] == AgreementStatus.OPEN


def still_owned_by(case, user) -> list:
    """Everything open on ``case`` that still points at ``user``, scanning every ownership reference."""
    left = list(CaseMember.objects.filter(case=case, user=user, valid_to__isnull=True))
    left += list(Case.objects.filter(pk=case.pk, coordinator=user))
    left += list(CaseUserObjectPermission.objects.filter(content_object=case, user=user))
    left += owned_items.open_items_owned_by(user, case=case)
    return left


def test_accepting_moves_membership_coordinator_ownership_and_permissions_in_one_go(
    case, plan, giver, receiver, wijkcoach, partner_org, municipality
):
    handover = hand_over(case, giver, receiver)
    handovers.handover_accept(actor=receiver, handover=handover)

    handover.refresh_from_db()
    assert handover.status == Handover.Status.ACCEPTED and handover.decided_at is not None
    assert still_owned_by(case, giver) == []
    # The receiver has the giver's place, with the same roles and tasks.
    assert current_roles(case, receiver) == {CaseRole.COORDINATOR, CaseRole.WERKCOACH}
    assert CaseMember.objects.get(case=case, user=receiver, role=CaseRole.COORDINATOR).task == Task.COORDINATIE
    assert Case.objects.get(pk=case.pk).coordinator == receiver
    assert permissions(case, receiver) == {"view_case", "change_case"}
    assert permissions(case, giver) == set()
    # The giver's history stays: ended memberships, a goal reached, an agreement done.
    assert CaseMember.objects.filter(case=case, user=giver, valid_to=TODAY()).count() == 2
    goal, done_goal, other_goal = (Goal.objects.get(pk=g.pk) for g in (plan.goal, plan.done_goal, plan.other_goal))
    assert (goal.owner, goal.owner_organisation) == (receiver, municipality)
    assert goal.lock_version == plan.goal.lock_version + 1  # an edit form opened before cannot put the giver back
    assert done_goal.owner == giver
    assert other_goal.owner == wijkcoach
    action, partner_action = (Action.objects.get(pk=a.pk) for a in (plan.action, plan.partner_action))
    assert (action.professional, action.party) == (receiver, municipality)
    assert (partner_action.professional, partner_action.party) == (receiver, partner_org)
    plan.agreement.refresh_from_db()
    plan.closed_agreement.refresh_from_db()
    assert plan.agreement.owner == receiver
    assert plan.closed_agreement.owner == giver
    # The duties a–g are the coordinator's: they go with the coordinator role.
    assert CoordinationDuty.objects.filter(workplan=plan.workplan).count() == 7
    # Other members are untouched.
    assert current_roles(case, wijkcoach) == {CaseRole.WIJKCOACH}
    # The giver hears of it; the receiver's request is handled.
    told = Notification.objects.get(user=giver)
    assert told.case_number == case.number and str(receiver) in told.title
    assert Notification.objects.get(user=receiver).done_at is not None


def test_a_failure_half_way_leaves_everything_as_it_was(case, plan, giver, receiver, monkeypatch):
    handover = hand_over(case, giver, receiver)

    def fail(**kwargs):
        raise RuntimeError("database weg")

    # The memberships and the coordinator have moved when the open items fail to.
    monkeypatch.setattr(handovers, "move_owned_items", fail)
    with pytest.raises(RuntimeError):
        handovers.handover_accept(actor=receiver, handover=handover)

    handover.refresh_from_db()
    assert handover.status == Handover.Status.PENDING
    assert current_roles(case, giver) == {CaseRole.COORDINATOR, CaseRole.WERKCOACH}
    assert current_roles(case, receiver) == set()
    assert Case.objects.get(pk=case.pk).coordinator == giver
    assert permissions(case, giver) == {"view_case", "change_case"}
    assert permissions(case, receiver) == set()
    assert Goal.objects.get(pk=plan.goal.pk).owner == giver
    assert not Notification.objects.filter(user=giver).exists()


def test_only_the_receiver_accepts_and_only_once(case, giver, receiver, teamleider):
    handover = hand_over(case, giver, receiver)
    for actor in (giver, teamleider):
        with pytest.raises(ValidationError, match="Alleen de ontvanger"):
            handovers.handover_accept(actor=actor, handover=handover)
    handovers.handover_accept(actor=receiver, handover=handover)
    with pytest.raises(ValidationError, match="al afgehandeld"):
        handovers.handover_accept(actor=receiver, handover=handover)
    with pytest.raises(ValidationError, match="al afgehandeld"):
        handovers.handover_return(actor=receiver, handover=handover, reason="Toch niet")


def test_a_receiver_who_left_meanwhile_cannot_accept(case, giver, receiver):
    handover = hand_over(case, giver, receiver)
    receiver.is_active = False
    receiver.save(update_fields=["is_active"])
    with pytest.raises(ValidationError, match="niet actief"):
        handovers.handover_accept(actor=receiver, handover=handover)
    assert Case.objects.get(pk=case.pk).coordinator == giver


def test_the_receiver_takes_the_recorded_place_when_the_giver_left_the_case_team_meanwhile(
    wijkcoach, team, giver, receiver
):
    case = open_active_case(wijkcoach, team, coordinator=wijkcoach)
    member = case_services.case_member_add(actor=wijkcoach, case=case, user=giver, role=CaseRole.WERKCOACH)
    handover = hand_over(case, giver, receiver)
    case_services.case_member_end(actor=wijkcoach, member=member)
    handovers.handover_accept(actor=receiver, handover=handover)
    assert current_roles(case, receiver) == {CaseRole.WERKCOACH}
    assert Case.objects.get(pk=case.pk).coordinator == wijkcoach


# --- Return and cancel -----------------------------------------------------------------------------------


def test_returning_needs_a_reason_and_tells_the_giver_and_the_teamleider(case, giver, receiver, teamleider):
    handover = hand_over(case, giver, receiver)
    with pytest.raises(ValidationError, match="Alleen de ontvanger"):
        handovers.handover_return(actor=giver, handover=handover, reason="Geen tijd")
    with pytest.raises(ValidationError, match="Geef aan waarom"):
        handovers.handover_return(actor=receiver, handover=handover, reason="   ")
    handovers.handover_return(actor=receiver, handover=handover, reason="Ik ken het gezin privé.")
    handover.refresh_from_db()
    assert handover.status == Handover.Status.RETURNED
    assert handover.returned_reason == "Ik ken het gezin privé."
    told = set(
        Notification.objects.filter(case_number=case.number).exclude(user=receiver).values_list("user", flat=True)
    )
    assert told == {giver.pk, teamleider.pk}
    # The reason (free text) stays on the handover page, out of the inbox.
    assert not Notification.objects.filter(body__contains="privé").exists()
    assert current_roles(case, giver) == {CaseRole.COORDINATOR, CaseRole.WERKCOACH}


def test_cancelling_is_for_the_giver_the_starter_or_the_teamleider(case, giver, receiver, teamleider, wijkcoach):
    handover = hand_over(case, giver, receiver, actor=teamleider)
    for actor in (receiver, wijkcoach):
        with pytest.raises(ValidationError, match="kan haar intrekken"):
            handovers.handover_cancel(actor=actor, handover=handover)
    handovers.handover_cancel(actor=giver, handover=handover)
    handover.refresh_from_db()
    assert handover.status == Handover.Status.CANCELLED
    assert Notification.objects.filter(user=receiver, title__contains="ingetrokken").exists()
    with pytest.raises(ValidationError, match="al afgehandeld"):
        handovers.handover_accept(actor=receiver, handover=handover)


# --- Caseloads ---------------------------------------------------------------------------------------------


@pytest.fixture
def caseload(wijkcoach, team, giver):
    return [giver_case(wijkcoach, team, giver, family_name=name) for name in ("Aydin", "Bakker", "Claes", "Dekker")]


def test_a_caseload_is_spread_evenly_over_two_receivers_in_one_batch(caseload, giver, receiver, receiver2, teamleider):
    created = handovers.caseload_handover(
        actor=teamleider, from_user=giver, case_ids=[c.pk for c in caseload], receivers=[receiver, receiver2]
    )
    assert len(created) == 4
    assert len({h.batch for h in created}) == 1 and created[0].batch is not None
    per_receiver = {user.pk: [h.case_id for h in created if h.to_user_id == user.pk] for user in (receiver, receiver2)}
    assert sorted(len(ids) for ids in per_receiver.values()) == [2, 2]
    # Round robin in case-number order.
    assert [h.to_user_id for h in created] == [receiver.pk, receiver2.pk, receiver.pk, receiver2.pk]


def test_spreading_evenly_weighs_the_receivers_current_caseload(
    caseload, giver, receiver, receiver2, teamleider, wijkcoach, team
):
    for name in ("Eerde", "Frans"):  # receiver2 already carries two open cases
        open_active_case(wijkcoach, team, family_name=name, coordinator=receiver2)
    created = handovers.caseload_handover(
        actor=teamleider,
        from_user=giver,
        case_ids=[c.pk for c in caseload],
        receivers=[receiver, receiver2],
        assignment="even",
    )
    assert [h.to_user_id for h in created].count(receiver.pk) == 3
    assert [h.to_user_id for h in created].count(receiver2.pk) == 1


def test_a_caseload_can_be_assigned_by_hand(caseload, giver, receiver, receiver2, teamleider):
    mapping = {caseload[0].pk: receiver2, caseload[1]: receiver2, caseload[2].pk: receiver}
    created = handovers.caseload_handover(
        actor=teamleider,
        from_user=giver,
        case_ids=[c.pk for c in caseload[:3]],
        assignment=mapping,
        note="Voor allemaal: graag voor vrijdag bellen.",
    )
    assert {h.case_id: h.to_user_id for h in created} == {
        caseload[0].pk: receiver2.pk,
        caseload[1].pk: receiver2.pk,
        caseload[2].pk: receiver.pk,
    }
    assert all(h.summary["note"] == "Voor allemaal: graag voor vrijdag bellen." for h in created)


def test_a_refused_case_refuses_the_whole_batch(caseload, giver, receiver, receiver2, teamleider):
    hand_over(caseload[2], giver, receiver)
    with pytest.raises(ValidationError, match=f"Casus {caseload[2].number}: Voor casus"):
        handovers.caseload_handover(
            actor=teamleider, from_user=giver, case_ids=[c.pk for c in caseload], receivers=[receiver, receiver2]
        )
    assert Handover.objects.count() == 1
    with pytest.raises(ValidationError, match="Kies voor elke casus een ontvanger"):
        handovers.caseload_handover(
            actor=teamleider,
            from_user=giver,
            case_ids=[caseload[0].pk, caseload[1].pk],
            assignment={caseload[0].pk: receiver},
        )
    with pytest.raises(ValidationError, match="ten minste één ontvanger"):
        handovers.caseload_handover(actor=teamleider, from_user=giver, case_ids=[caseload[0].pk], receivers=[])


# --- The summary ----------------------------------------------------------------------------------------------


@pytest.fixture
def purpose():
    return Purpose.objects.create(
        code="ggz-overdracht",
        name="Afstemming met de GGZ",
        legal_basis=LegalBasis.CONSENT,
        law=PurposeLaw.WAMS,
        categories=["administratief"],
        recipient_types=["zorgaanbieder"],
    )


def test_the_summary_holds_what_the_issue_lists_and_no_secret_the_receiver_is_not_bound_by(
    case, plan, giver, receiver, wijkcoach, partner_user, purpose
):
    case_services.case_update(actor=giver, case=case, safety_concern="huiselijk_geweld")
    now = timezone.now()
    for days in range(6, 0, -1):  # six notes; the oldest falls off
        case_services.contact_record(
            actor=giver,
            case=case,
            occurred_at=now - datetime.timedelta(days=days),
            channel=Channel.TELEFOON,
            summary=f"Gesprek {days} dagen geleden",
        )
    case_services.contact_record(
        actor=wijkcoach,
        case=case,
        occurred_at=now - datetime.timedelta(hours=2),
        channel=Channel.HUISBEZOEK,
        summary="Eigen beroepsgeheim",
        restricted=True,
    )
    case_services.assessments_record(
        actor=giver,
        case=case,
        scores=[case_services.ScoreInput(domain=LifeDomain.FINANCIEN, score=2)],
        assessed_on=TODAY() - datetime.timedelta(days=30),
    )
    case_services.assessments_record(
        actor=giver, case=case, scores=[case_services.ScoreInput(domain=LifeDomain.FINANCIEN, score=3)]
    )
    mother = case.household.memberships.get(relation=Relation.OUDER).client
    expires = now + datetime.timedelta(days=20)
    consent_services.consent_record(
        actor=giver,
        client=mother,
        purpose=purpose,
        recipient_type="zorgaanbieder",
        given_at=now - datetime.timedelta(days=1),
        expires_at=expires,
        method=ConsentMethod.WRITTEN,
    )
    version = plan_services.workplan_adopt(actor=giver, workplan=plan.workplan)
    intro = TODAY() + datetime.timedelta(days=3)

    handover = hand_over(case, giver, receiver, note="Let op de hond.", intro_meeting_on=intro)
    summary = handover.summary

    assert summary["case"]["coordinator"] == str(giver)
    assert summary["case"]["team"] == "Wijkteam Noord"
    assert summary["safety"] == {"flag": True, "label": "Huiselijk geweld"}
    assert summary["household"]["name"] == "Huishouden De Boer"
    assert [m["name"] for m in summary["household"]["members"]] == ["Anna De Boer", "Tim De Boer"]
    assert {m["name"] for m in summary["case_team"]} == {str(giver), str(wijkcoach)}
    goals = {g["description"]: g for g in summary["goals"]}
    assert set(goals) == {"Schulden op orde", "Werkervaringsplek"}  # the reached goal is not open
    assert goals["Schulden op orde"]["owner"] == str(giver)
    assert goals["Schulden op orde"]["target_on"] == plan.goal.target_date.isoformat()
    assert {a["description"] for a in goals["Schulden op orde"]["actions"]} == {
        "Budgetcoach regelen",
        "Schuldhulp bij de partner",
    }
    assert [(a["what"], a["owner"], a["due_on"]) for a in summary["agreements"]] == [
        ("Bel de woningcorporatie", str(giver), plan.agreement.due_on.isoformat())
    ]
    assert len(summary["duties"]) == 7 and all(d["next_due_on"] for d in summary["duties"])
    texts = [c["summary"] for c in summary["contacts"]]
    assert len(texts) == 5
    # The receiver is a klantmanager: not bound by the wijkcoach's professional secrecy (ADR 0005).
    assert "Eigen beroepsgeheim" not in texts
    assert texts[0] == "Gesprek 1 dagen geleden"
    assert "Gesprek 6 dagen geleden" not in texts
    assert [(z["domain"], z["score"]) for z in summary["zrm"]] == [(LifeDomain.FINANCIEN, 3)]
    assert [(c["client"], c["status"], c["expires_at"]) for c in summary["consents"]] == [
        ("Anna De Boer", "geldig", expires.isoformat())
    ]
    assert summary["workplan"]["version"] == version.number == 1
    assert summary["workplan"]["adopted_at"] == version.adopted_at.isoformat()
    assert summary["note"] == "Let op de hond."
    assert summary["intro_meeting_on"] == intro.isoformat()

    # Frozen: what happens afterwards does not change it.
    case_services.contact_record(
        actor=giver, case=case, occurred_at=timezone.now(), channel=Channel.EMAIL, summary="Na de overdracht"
    )
    handover.refresh_from_db()
    assert "Na de overdracht" not in [c["summary"] for c in handover.summary["contacts"]]

    shown = handover_summary.summary_for_display(handover.summary, viewer=partner_user)
    assert "Eigen beroepsgeheim" not in [c["summary"] for c in shown["contacts"]]
    assert shown["intro_meeting_on"] == intro
    assert isinstance(shown["goals"][0]["target_on"], datetime.date)

"""Four eyes (team setting, default off): the teamleider approves adopting a plan and closing a case;
requests and decisions are recorded and the requester is notified."""

from __future__ import annotations

import contextlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.constants import Role
from accounts.models import Notification
from cases import services as case_services
from cases.constants import CaseStatus, ClosingReason, LifeDomain
from cases.models import ApprovalRequest, Case, TeamCaseSettings
from tests.factories import make_user
from workplans import services
from workplans.constants import Duty, GoalTerm, WorkplanStatus
from workplans.models import DutyRecord, Workplan, WorkplanVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def four_eyes(team):
    return TeamCaseSettings.objects.create(team=team, four_eyes=True)


@pytest.fixture
def teamleider(team):
    return make_user(Role.TEAMLEIDER, team, username="t_teamleider")


@pytest.fixture
def plan_with_goal(wijkcoach, workplan):
    services.goal_add(
        actor=wijkcoach,
        workplan=workplan,
        term=GoalTerm.SHORT,
        life_domain=LifeDomain.WERK_OPLEIDING,
        description="Werkervaringsplaats vinden",
        owner=wijkcoach,
    )
    return workplan


def _request(actor, workplan, reason: str = "") -> ApprovalRequest:
    result = services.workplan_adopt(actor=actor, workplan=workplan, reason=reason)
    assert isinstance(result, ApprovalRequest)
    return result


# --- Default off -------------------------------------------------------------------------


def test_without_the_setting_a_plan_is_adopted_at_once(wijkcoach, teamleider, plan_with_goal):
    assert isinstance(services.workplan_adopt(actor=wijkcoach, workplan=plan_with_goal), WorkplanVersion)
    assert not ApprovalRequest.objects.exists()
    assert not Notification.objects.filter(user=teamleider).exists()


def test_with_the_setting_off_a_plan_is_adopted_at_once(wijkcoach, team, plan_with_goal):
    TeamCaseSettings.objects.create(team=team, four_eyes=False)
    assert isinstance(services.workplan_adopt(actor=wijkcoach, workplan=plan_with_goal), WorkplanVersion)


def test_without_the_setting_a_case_closes_at_once(wijkcoach, active_case):
    result = case_services.case_request_closure(
        actor=wijkcoach, case=active_case, closing_reason=ClosingReason.DOELEN_BEHAALD
    )
    assert isinstance(result, Case)
    assert result.status == CaseStatus.AFGESLOTEN


# --- Adopting a plan ------------------------------------------------------------------------


def test_adopting_makes_a_request_and_notifies_the_teamleider(
    four_eyes, wijkcoach, teamleider, colleague, active_case, plan_with_goal
):
    result = services.workplan_adopt(actor=wijkcoach, workplan=plan_with_goal)

    assert isinstance(result, ApprovalRequest)
    assert result.kind == ApprovalRequest.Kind.WORKPLAN_ADOPT
    assert result.status == ApprovalRequest.Status.PENDING
    assert result.requested_by == wijkcoach
    assert result.case == active_case
    assert result.payload["workplan"] == str(plan_with_goal.uuid)
    assert not WorkplanVersion.objects.exists()
    assert not DutyRecord.objects.filter(duty__duty=Duty.E).exists()
    stored = Workplan.objects.get(pk=plan_with_goal.pk)
    assert stored.status == WorkplanStatus.CONCEPT
    assert stored.adopted_at is None

    notification = Notification.objects.get(user=teamleider)
    assert active_case.number in notification.title
    # Never a client's name in the inbox (whole names: a professional may be called "Annabel").
    assert "de Boer" not in notification.title + notification.body
    assert not Notification.objects.filter(user=colleague).exists()
    assert not Notification.objects.filter(user=wijkcoach).exists()


def test_the_teamleiders_notification_links_to_a_page_that_exists(
    client, four_eyes, wijkcoach, teamleider, plan_with_goal
):
    _request(wijkcoach, plan_with_goal)
    notification = Notification.objects.get(user=teamleider)
    client.force_login(teamleider)
    response = client.get(notification.url)
    assert response.status_code == 200


def test_a_second_request_while_one_is_pending_is_refused(four_eyes, wijkcoach, plan_with_goal):
    _request(wijkcoach, plan_with_goal)
    with pytest.raises(ValidationError, match="al een verzoek om goedkeuring open"):
        services.workplan_adopt(actor=wijkcoach, workplan=plan_with_goal)
    assert ApprovalRequest.objects.count() == 1


def test_the_requester_cannot_approve_their_own_request(four_eyes, team, wijkcoach, plan_with_goal):
    leader = make_user(Role.TEAMLEIDER, team)
    request = _request(leader, plan_with_goal)
    with pytest.raises(ValidationError, match="eigen verzoek"):
        services.workplan_decide_approval(actor=leader, request=request, approve=True)
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.PENDING
    assert request.decided_by is None
    assert not WorkplanVersion.objects.exists()


def test_rejecting_needs_a_note(four_eyes, wijkcoach, teamleider, plan_with_goal):
    request = _request(wijkcoach, plan_with_goal)
    with pytest.raises(ValidationError) as excinfo:
        services.workplan_decide_approval(actor=teamleider, request=request, approve=False, note="  ")
    assert excinfo.value.message_dict == {"decision_note": ["Geef aan waarom u het verzoek afwijst."]}
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.PENDING
    assert not Notification.objects.filter(user=wijkcoach).exists()


def test_rejecting_with_a_note_records_it_and_notifies_the_requester(four_eyes, wijkcoach, teamleider, plan_with_goal):
    request = _request(wijkcoach, plan_with_goal)

    services.workplan_decide_approval(
        actor=teamleider, request=request, approve=False, note="Eerst een doel voor de financiën"
    )

    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.REJECTED
    assert request.decided_by == teamleider
    assert request.decided_at is not None
    assert request.decision_note == "Eerst een doel voor de financiën"
    assert not WorkplanVersion.objects.exists()
    assert Workplan.objects.get(pk=plan_with_goal.pk).status == WorkplanStatus.CONCEPT
    notification = Notification.objects.get(user=wijkcoach)
    assert "Afgewezen" in notification.title
    assert notification.body == "Eerst een doel voor de financiën"
    # A new request may be made after a rejection.
    assert isinstance(services.workplan_adopt(actor=wijkcoach, workplan=plan_with_goal), ApprovalRequest)


def test_approving_adopts_the_plan_and_notifies_the_requester(four_eyes, wijkcoach, teamleider, plan_with_goal):
    request = _request(wijkcoach, plan_with_goal)

    services.workplan_decide_approval(actor=teamleider, request=request, approve=True)

    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.APPROVED
    assert request.decided_by == teamleider
    version = WorkplanVersion.objects.get()
    assert version.number == 1
    assert version.adopted_by == wijkcoach
    assert version.approved_by == teamleider
    assert version.snapshot["goals"][0]["description"] == "Werkervaringsplaats vinden"
    stored = Workplan.objects.get(pk=plan_with_goal.pk)
    assert stored.status == WorkplanStatus.VASTGESTELD
    assert stored.review_due_on is not None
    assert DutyRecord.objects.filter(duty__workplan=stored, duty__duty=Duty.E).count() == 1
    notification = Notification.objects.get(user=wijkcoach)
    assert "Goedgekeurd" in notification.title


def test_a_revision_also_needs_approval_and_keeps_its_reason(four_eyes, team, wijkcoach, teamleider, plan_with_goal):
    first = _request(wijkcoach, plan_with_goal)
    services.workplan_decide_approval(actor=teamleider, request=first, approve=True)
    with pytest.raises(ValidationError, match="reden van de wijziging"):
        services.workplan_adopt(actor=wijkcoach, workplan=plan_with_goal)

    second = _request(wijkcoach, plan_with_goal, reason="Nieuwe afspraken")
    assert WorkplanVersion.objects.count() == 1
    services.workplan_decide_approval(actor=teamleider, request=second, approve=True)

    version = WorkplanVersion.objects.get(number=2)
    assert version.reason == "Nieuwe afspraken"
    assert version.approved_by == teamleider
    assert Workplan.objects.get(pk=plan_with_goal.pk).status == WorkplanStatus.HERZIEN


def test_an_approval_that_cannot_be_carried_out_records_nothing(four_eyes, wijkcoach, teamleider, plan_with_goal):
    request = _request(wijkcoach, plan_with_goal)
    services.workplan_end(actor=wijkcoach, workplan=Workplan.objects.get(pk=plan_with_goal.pk))

    with pytest.raises(ValidationError, match="beëindigd"):
        services.workplan_decide_approval(actor=teamleider, request=request, approve=True)

    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.PENDING
    assert request.decided_by is None
    assert not WorkplanVersion.objects.exists()
    assert not Notification.objects.filter(user=wijkcoach).exists()


def test_the_plan_page_shows_the_pending_request(client, four_eyes, wijkcoach, active_case, plan_with_goal):
    client.force_login(wijkcoach)
    adopt_url = reverse("workplans:plan-adopt", args=[active_case.uuid])
    response = client.post(
        adopt_url, {"lock_version": Workplan.objects.get(pk=plan_with_goal.pk).lock_version, "confirm_gaps": "on"}
    )
    assert response.status_code == 302
    assert ApprovalRequest.objects.filter(status=ApprovalRequest.Status.PENDING).count() == 1
    content = client.get(reverse("workplans:plan", args=[active_case.uuid])).content.decode()
    assert "ter goedkeuring voorgelegd aan de teamleider" in content
    assert "wacht op goedkeuring van de teamleider" in content
    assert adopt_url not in content  # no second request from the page


# --- Closing a case ----------------------------------------------------------------------------


def test_closing_a_case_directly_is_refused_while_four_eyes_is_on(four_eyes, wijkcoach, active_case):
    with pytest.raises(ValidationError) as excinfo:
        case_services.case_transition(
            actor=wijkcoach,
            case=active_case,
            to_status=CaseStatus.AFGESLOTEN,
            closing_reason=ClosingReason.DOELEN_BEHAALD,
        )
    assert "vier-ogenprincipe" in excinfo.value.message_dict["status"][0]
    assert Case.objects.get(pk=active_case.pk).status == CaseStatus.ACTIEF


def test_a_closure_request_is_approved_and_closes_the_case_with_its_reason(
    four_eyes, wijkcoach, teamleider, active_case
):
    request = case_services.case_request_closure(
        actor=wijkcoach, case=active_case, closing_reason=ClosingReason.DOORVERWEZEN, reason="Naar GGZ"
    )
    assert isinstance(request, ApprovalRequest)
    assert request.kind == ApprovalRequest.Kind.CASE_CLOSE
    assert request.payload == {"closing_reason": ClosingReason.DOORVERWEZEN}
    assert Case.objects.get(pk=active_case.pk).status == CaseStatus.ACTIEF
    assert Notification.objects.filter(user=teamleider).count() == 1

    case_services.approval_decide_case_closure(actor=teamleider, request=request, approve=True)

    case = Case.objects.get(pk=active_case.pk)
    assert case.status == CaseStatus.AFGESLOTEN
    assert case.closing_reason == ClosingReason.DOORVERWEZEN
    assert case.closed_on is not None
    change = case.status_changes.order_by("-id").first()
    assert change.to_status == CaseStatus.AFGESLOTEN
    assert change.actor == teamleider
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.APPROVED
    assert Notification.objects.filter(user=wijkcoach).count() == 1


def test_a_rejected_closure_leaves_the_case_open(four_eyes, wijkcoach, teamleider, active_case):
    request = case_services.case_request_closure(
        actor=wijkcoach, case=active_case, closing_reason=ClosingReason.GEEN_CONTACT
    )
    case_services.approval_decide_case_closure(
        actor=teamleider, request=request, approve=False, note="Nog één huisbezoek proberen"
    )
    assert Case.objects.get(pk=active_case.pk).status == CaseStatus.ACTIEF
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.REJECTED
    assert Notification.objects.get(user=wijkcoach).body == "Nog één huisbezoek proberen"


def test_a_closure_request_needs_a_closing_reason(four_eyes, wijkcoach, active_case):
    with pytest.raises(ValidationError):
        case_services.case_request_closure(actor=wijkcoach, case=active_case, closing_reason="")
    assert not ApprovalRequest.objects.exists()


# --- The approvals page ------------------------------------------------------------------------


def test_the_approvals_page_lists_the_teams_pending_requests(
    client, four_eyes, wijkcoach, teamleider, active_case, plan_with_goal
):
    request = _request(wijkcoach, plan_with_goal, reason="")
    client.force_login(teamleider)
    response = client.get(reverse("workplans:approvals"))
    assert response.status_code == 200
    content = response.content.decode()
    assert active_case.number in content
    assert "Werkplan vaststellen" in content
    assert reverse("workplans:approval-decide", args=[request.uuid]) in content


@pytest.mark.parametrize("persona", ["wijkcoach", "colleague", "beleid"])
def test_the_approvals_page_is_only_for_a_teamleider(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("workplans:approvals")).status_code == 403


def test_approving_on_the_page_adopts_the_plan(client, four_eyes, wijkcoach, teamleider, plan_with_goal):
    request = _request(wijkcoach, plan_with_goal)
    client.force_login(teamleider)
    response = client.post(reverse("workplans:approval-decide", args=[request.uuid]), {"approve": "1"}, follow=True)
    assert response.status_code == 200
    assert "Uw besluit is vastgelegd" in response.content.decode()
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.APPROVED
    assert WorkplanVersion.objects.get().approved_by == teamleider


def test_rejecting_on_the_page_without_a_note_is_refused(client, four_eyes, wijkcoach, teamleider, plan_with_goal):
    request = _request(wijkcoach, plan_with_goal)
    client.force_login(teamleider)
    url = reverse("workplans:approval-decide", args=[request.uuid])
    response = client.post(url, {"approve": "0", "note": ""}, follow=True)
    assert "Geef aan waarom u het verzoek afwijst." in response.content.decode()
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.PENDING

    client.post(url, {"approve": "0", "note": "Graag eerst met de cliënt bespreken"})
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.REJECTED
    assert not WorkplanVersion.objects.exists()


def test_closing_on_the_page_is_decided_by_the_teamleider(client, four_eyes, wijkcoach, teamleider, active_case):
    request = case_services.case_request_closure(
        actor=wijkcoach, case=active_case, closing_reason=ClosingReason.DOELEN_BEHAALD
    )
    client.force_login(teamleider)
    response = client.post(reverse("workplans:approval-decide", args=[request.uuid]), {"approve": "1"})
    assert response.status_code == 302
    case = Case.objects.get(pk=active_case.pk)
    assert case.status == CaseStatus.AFGESLOTEN
    assert case.closing_reason == ClosingReason.DOELEN_BEHAALD


def test_a_teamleider_of_another_team_gets_404_on_the_decide_url(
    client, four_eyes, other_team, wijkcoach, plan_with_goal
):
    request = _request(wijkcoach, plan_with_goal)
    stranger = make_user(Role.TEAMLEIDER, other_team)
    client.force_login(stranger)

    assert client.post(reverse("workplans:approval-decide", args=[request.uuid]), {"approve": "1"}).status_code == 404
    assert request.case.number not in client.get(reverse("workplans:approvals")).content.decode()
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.PENDING
    assert not WorkplanVersion.objects.exists()


def test_the_requester_cannot_decide_on_the_page(client, four_eyes, team, plan_with_goal):
    leader = make_user(Role.TEAMLEIDER, team)
    request = _request(leader, plan_with_goal)
    client.force_login(leader)
    response = client.post(reverse("workplans:approval-decide", args=[request.uuid]), {"approve": "1"}, follow=True)
    assert "U kunt uw eigen verzoek niet goedkeuren" in response.content.decode()
    request.refresh_from_db()
    assert request.status == ApprovalRequest.Status.PENDING


def test_the_teamleider_never_adopts_changes_made_after_the_request(four_eyes, wijkcoach, teamleider, plan_with_goal):
    """The request records the plan's lock version: what is approved is what was put forward."""
    request = _request(wijkcoach, plan_with_goal)
    services.goal_add(
        actor=wijkcoach,
        workplan=Workplan.objects.get(pk=plan_with_goal.pk),
        term=GoalTerm.SHORT,
        life_domain=LifeDomain.FINANCIEN,
        description="Na het verzoek toegevoegd",
        owner=wijkcoach,
    )

    with contextlib.suppress(ValidationError):  # refusing a stale approval is fine too
        services.workplan_decide_approval(actor=teamleider, request=request, approve=True)

    adopted = [g["description"] for v in WorkplanVersion.objects.all() for g in v.snapshot["goals"]]
    assert "Na het verzoek toegevoegd" not in adopted


def test_closing_from_the_case_page_asks_the_teamleider_with_four_eyes(client, four_eyes, wijkcoach, team, active_case):
    leader = make_user(Role.TEAMLEIDER, team)
    client.force_login(wijkcoach)
    active_case.refresh_from_db()
    response = client.post(
        reverse("cases:case-transition", args=[active_case.uuid]),
        {
            "to_status": CaseStatus.AFGESLOTEN,
            "closing_reason": "doelen_behaald",
            "lock_version": active_case.lock_version,
        },
    )
    assert response.status_code == 302
    active_case.refresh_from_db()
    assert active_case.status == CaseStatus.ACTIEF
    assert ApprovalRequest.objects.filter(case=active_case, kind=ApprovalRequest.Kind.CASE_CLOSE).exists()
    assert Notification.objects.filter(user=leader).exists()

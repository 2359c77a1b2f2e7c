"""Deactivating a user (``accounts.deactivation``): refused while they have open cases, unless a
teamleider or beheerder forces it; then the cases are orphaned and the teamleider is told at once.
Also through the Django admin (change form and action)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import deactivation
from accounts.constants import Role
from accounts.models import Notification, User
from cases import handovers
from cases import services as case_services
from cases.constants import CaseRole
from cases.models import Case, CaseMember, Handover
from tests.cases.test_handovers import giver_case, open_active_case
from tests.factories import make_user
from workplans import services as plan_services
from workplans.constants import GoalTerm
from workplans.models import Goal

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver(team):
    return make_user(Role.WERKCOACH, team, username="t_vertrekker")


@pytest.fixture
def cases_of_leaver(wijkcoach, team, leaver):
    """Two open cases coordinated by the leaver, and one where the leaver is only a member."""
    coordinated = [giver_case(wijkcoach, team, leaver, family_name=name) for name in ("Aydin", "Bakker")]
    member_only = open_active_case(wijkcoach, team, family_name="Claes", coordinator=wijkcoach)
    case_services.case_member_add(actor=wijkcoach, case=member_only, user=leaver, role=CaseRole.WERKCOACH)
    return coordinated, member_only


def test_a_user_with_open_cases_is_not_deactivated(cases_of_leaver, leaver, teamleider):
    coordinated, member_only = cases_of_leaver
    with pytest.raises(ValidationError) as refused:
        deactivation.user_deactivate(actor=teamleider, user=leaver)
    message = " ".join(refused.value.messages)
    for case in (*coordinated, member_only):
        assert case.number in message
    assert "Draag de casussen eerst over" in message
    leaver.refresh_from_db()
    assert leaver.is_active
    assert (
        CaseMember.objects.filter(user=leaver, valid_to__isnull=True).count() == 5
    )  # two roles in two cases, one in one


def test_a_handover_waiting_for_the_user_blocks_too(wijkcoach, team, leaver, teamleider):
    case = open_active_case(wijkcoach, team, coordinator=wijkcoach)
    handovers.handover_create(actor=wijkcoach, case=case, from_user=wijkcoach, to_user=leaver)
    with pytest.raises(ValidationError, match=f"{case.number} \\(overdracht wacht op acceptatie\\)"):
        deactivation.user_deactivate(actor=teamleider, user=leaver)


def test_a_user_without_open_work_is_deactivated(leaver, teamleider):
    assert deactivation.user_deactivate(actor=teamleider, user=leaver) == []
    leaver.refresh_from_db()
    assert not leaver.is_active


def test_forcing_orphans_the_cases_and_tells_the_teamleider_at_once(
    cases_of_leaver, leaver, teamleider, wijkcoach, receiver_for_pending
):
    coordinated, member_only = cases_of_leaver
    workplan = plan_services.workplan_create(actor=wijkcoach, case=coordinated[0])
    goal = plan_services.goal_add(
        actor=wijkcoach,
        workplan=workplan,
        term=GoalTerm.SHORT,
        life_domain="financien",
        description="Rust",
        owner=leaver,
    )
    pending = handovers.handover_create(
        actor=leaver, case=coordinated[1], from_user=leaver, to_user=receiver_for_pending
    )

    passed_over = deactivation.user_deactivate(actor=teamleider, user=leaver, force=True)

    assert set(passed_over) == {c.number for c in (*coordinated, member_only)}
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert not CaseMember.objects.filter(user=leaver, valid_to__isnull=True).exists()
    assert not Case.objects.filter(coordinator=leaver).exists()
    for case in coordinated:
        assert Case.objects.get(pk=case.pk).coordinator is None
    assert Case.objects.get(pk=member_only.pk).coordinator == wijkcoach
    assert Goal.objects.get(pk=goal.pk).owner is None  # nothing stays owned by someone who left
    pending.refresh_from_db()
    assert pending.status == Handover.Status.CANCELLED
    told = Notification.objects.filter(user=teamleider, rule="orphaned_case")
    assert {n.case_number for n in told} == {c.number for c in coordinated}


@pytest.fixture
def receiver_for_pending(colleague):
    return colleague


def test_without_the_reminders_app_the_teamleider_is_told_with_the_sweeps_key(
    cases_of_leaver, leaver, teamleider, monkeypatch
):
    monkeypatch.setattr(handovers, "_orphan_notifier", None)
    coordinated, _member_only = cases_of_leaver
    deactivation.user_deactivate(actor=teamleider, user=leaver, force=True)
    today = timezone.localdate()
    for case in coordinated:
        item = Notification.objects.get(
            occurrence_key=f"orphaned_case:case:{case.pk}:{today}:{teamleider.pk}:herinnering"
        )
        assert item.user == teamleider
        assert item.kind == Notification.Kind.REMINDER
        assert item.rule == "orphaned_case"
        assert item.case_number == case.number
        assert case.number in item.title
    # Told once: a second announcement (or the sweep with the same key) adds nothing.
    handovers.announce_orphaned([c.pk for c in coordinated])
    assert Notification.objects.filter(user=teamleider, rule="orphaned_case").count() == 2


def test_only_a_teamleider_or_beheerder_deactivates(cases_of_leaver, leaver, colleague, beheerder, teamleider):
    with pytest.raises(ValidationError, match="Alleen een teamleider"):
        deactivation.user_deactivate(actor=colleague, user=leaver, force=True)
    with pytest.raises(ValidationError, match="uzelf"):
        deactivation.user_deactivate(actor=teamleider, user=teamleider)
    deactivation.user_deactivate(actor=beheerder, user=leaver, force=True)
    leaver.refresh_from_db()
    assert not leaver.is_active
    with pytest.raises(ValidationError, match="al uit dienst"):
        deactivation.user_deactivate(actor=beheerder, user=leaver)


def test_a_teamleider_of_another_team_may_not(cases_of_leaver, leaver, other_team):
    stranger = make_user(Role.TEAMLEIDER, other_team, username="t_andere_teamleider")
    with pytest.raises(ValidationError, match="Alleen een teamleider"):
        deactivation.user_deactivate(actor=stranger, user=leaver, force=True)


# --- The Django admin ---------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, beheerder):
    client.force_login(beheerder)
    return client


def change_form_data(client, user: User) -> dict:
    """What the admin change form would post back unchanged: its fields and the membership inline."""
    response = client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data: dict = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        bound = form[name]
        value = bound.value()
        widget = field.widget
        if hasattr(widget, "widgets"):  # a split date and time
            for index, part in enumerate(widget.decompress(value)):
                if part is not None:
                    data[f"{bound.html_name}_{index}"] = str(part)
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        elif value is not None:
            data[bound.html_name] = str(value)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for inline_form in formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None:
                    data[inline_form[name].html_name] = str(value)
    return data


def test_the_admin_refuses_to_deactivate_a_user_with_open_cases(admin_client, cases_of_leaver, leaver):
    data = change_form_data(admin_client, leaver)
    data.pop("is_active")
    response = admin_client.post(reverse("admin:accounts_user_change", args=[leaver.pk]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "heeft nog open werk" in page
    assert cases_of_leaver[0][0].number in page
    leaver.refresh_from_db()
    assert leaver.is_active


def test_the_admin_deactivates_with_the_force_box_ticked(admin_client, cases_of_leaver, leaver):
    data = change_form_data(admin_client, leaver)
    data.pop("is_active")
    data["force_deactivation"] = "on"
    data["first_name"] = "Vertrokken"
    response = admin_client.post(reverse("admin:accounts_user_change", args=[leaver.pk]), data)
    assert response.status_code == 302
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert leaver.first_name == "Vertrokken"
    assert Case.objects.get(pk=cases_of_leaver[0][0].pk).coordinator is None


def test_the_admin_action_deactivates_only_users_without_open_cases(admin_client, cases_of_leaver, leaver, colleague):
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate_users", "_selected_action": [leaver.pk, colleague.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "heeft nog open werk" in response.content.decode()
    leaver.refresh_from_db()
    colleague.refresh_from_db()
    assert leaver.is_active
    assert not colleague.is_active

"""Handover pages: the overview (with its query budget), handing over from the case page, the receiver's
page with the summary (accept, return, cancel), the caseload wizard and "Medewerker uit dienst".
Every page: works for who may use it, refuses to write for who may only read, 404 for outsiders."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from accounts.constants import Role
from cases import handovers
from cases import services as case_services
from cases.constants import CaseRole
from cases.models import Case, Handover
from consent.models import AccessLogEntry
from tests.cases.test_handovers import giver_case
from tests.factories import make_user, shared_purpose

pytestmark = pytest.mark.django_db

OVERVIEW = "/overdrachten/"
WIZARD = "/overdrachten/werkvoorraad/"


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
def handover(case, giver, receiver):
    return handovers.handover_create(actor=giver, case=case, from_user=giver, to_user=receiver, note="Let op de hond.")


def detail_url(handover) -> str:
    return reverse("cases:handover-detail", args=[handover.uuid])


def tab_url(case) -> str:
    return reverse("cases:case-handover", args=[case.uuid])


# --- Overview -------------------------------------------------------------------------------------


def test_urls():
    assert reverse("cases:handovers") == OVERVIEW
    assert reverse("cases:caseload-handover") == WIZARD


def test_the_overview_shows_each_party_their_handovers(client, handover, case, giver, receiver, teamleider):
    client.force_login(receiver)
    page = client.get(OVERVIEW).content.decode()
    assert "Wacht op uw acceptatie" in page and case.number in page and detail_url(handover) in page
    assert WIZARD not in page
    client.force_login(giver)
    page = client.get(OVERVIEW).content.decode()
    assert "Door u overgedragen" in page and case.number in page
    client.force_login(teamleider)
    page = client.get(OVERVIEW).content.decode()
    assert "Open overdrachten in uw team" in page and case.number in page and WIZARD in page


def test_the_overview_is_for_casework_professionals(client, beleid, partner_user):
    for user in (beleid, partner_user):
        client.force_login(user)
        assert client.get(OVERVIEW).status_code == 403


def test_the_overview_costs_the_same_queries_for_one_and_for_many_handovers(
    client, wijkcoach, team, giver, receiver, receiver2, teamleider, django_assert_num_queries
):
    cases = [giver_case(wijkcoach, team, giver, family_name=f"Familie{n}") for n in range(6)]
    handovers.caseload_handover(actor=teamleider, from_user=giver, case_ids=[cases[0].pk], receivers=[receiver])
    client.force_login(teamleider)
    with CaptureQueriesContext(connection) as one:
        assert client.get(OVERVIEW).status_code == 200
    handovers.caseload_handover(
        actor=teamleider, from_user=giver, case_ids=[c.pk for c in cases[1:]], receivers=[receiver, receiver2]
    )
    # 13: session, user, the user's memberships (roles and nav, cached), the access scope (object permissions,
    # break-the-glass grants), one query per list (waiting for me, given or started by me, pending in my teams),
    # the inbox count of the header, the one access-log INSERT for the handovers shown, and saving the session
    # (savepoint, update, release). None per row.
    with django_assert_num_queries(13):
        response = client.get(OVERVIEW)
    assert response.status_code == 200
    assert all(c.number in response.content.decode() for c in cases)
    assert len(one) == 13


# --- One case, from the case page -----------------------------------------------------------------


def test_the_case_page_has_the_handover_tab_and_its_form(client, case, giver, receiver):
    client.force_login(giver)
    page = client.get(reverse("cases:case-detail", args=[case.uuid])).content.decode()
    assert tab_url(case) in page
    response = client.get(tab_url(case))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Naar wie" in page and escape(str(receiver)) in page
    assert "Wie draagt over" not in page  # a professional hands over their own place


def test_the_teamleider_chooses_who_hands_over(client, case, teamleider, giver):
    client.force_login(teamleider)
    page = client.get(tab_url(case)).content.decode()
    assert "Wie draagt over" in page and escape(str(giver)) in page


def test_handing_over_from_the_case_page(client, case, giver, receiver):
    client.force_login(giver)
    response = client.post(
        tab_url(case), {"to_user": str(receiver.uuid), "note": "Graag bellen.", "intro_meeting_on": ""}
    )
    handover = Handover.objects.get()
    assert response.status_code == 302 and response.url == detail_url(handover)
    assert (handover.from_user, handover.to_user, handover.note) == (giver, receiver, "Graag bellen.")
    page = client.get(tab_url(case)).content.decode()
    assert "Accepteren uiterlijk" in page and "Overdracht klaarzetten" not in page


def test_a_refused_handover_is_a_400_with_a_dutch_message(client, handover, case, giver, receiver2):
    client.force_login(giver)
    response = client.post(tab_url(case), {"to_user": ""})
    assert response.status_code == 400
    response = client.post(tab_url(case), {"to_user": str(receiver2.uuid)})
    assert response.status_code == 400
    assert "staat al een overdracht open" in response.content.decode()


def test_read_only_and_outsiders_cannot_hand_over(client, case, wijkcoach, giver, receiver, outsider, partner_user):
    case_services.case_member_add(
        actor=wijkcoach, case=case, user=partner_user, role=CaseRole.PARTNER, purpose=shared_purpose()
    )
    client.force_login(partner_user)
    assert client.post(tab_url(case), {"to_user": str(receiver.uuid)}).status_code == 403
    client.force_login(outsider)
    assert client.get(tab_url(case)).status_code == 404
    assert client.post(tab_url(case), {"to_user": str(receiver.uuid)}).status_code == 404
    assert not Handover.objects.exists()


# --- The receiver's page -----------------------------------------------------------------------------


def test_the_receiver_sees_the_summary_and_the_buttons(client, handover, case, receiver):
    client.force_login(receiver)
    response = client.get(detail_url(handover))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "Overdrachtssamenvatting",
        "Huishouden De Boer",
        "Let op de hond.",
        "Overdracht accepteren",
        "Teruggeven",
    ):
        assert text in page
    assert AccessLogEntry.objects.filter(user=receiver, case=case, action="view", detail="handover").exists()


def test_the_giver_and_the_teamleider_see_the_status(client, handover, giver, teamleider):
    for user in (giver, teamleider):
        client.force_login(user)
        page = client.get(detail_url(handover)).content.decode()
        assert "Wacht op acceptatie" in page
        assert "Overdracht accepteren" not in page
        assert "Overdracht intrekken" in page


def test_who_may_not_read_the_case_gets_a_404_and_the_refusal_is_logged(client, handover, case, wijkcoach, outsider):
    client.force_login(outsider)
    assert client.get(detail_url(handover)).status_code == 404
    assert client.post(reverse("cases:handover-accept", args=[handover.uuid])).status_code == 404
    assert AccessLogEntry.objects.filter(user=outsider, case=case, action="denied", detail="handover").exists()
    # A case member who is no party reads the summary as they read the case, but cannot accept it.
    client.force_login(wijkcoach)
    assert client.get(detail_url(handover)).status_code == 200
    assert client.post(reverse("cases:handover-accept", args=[handover.uuid])).status_code == 400


def test_accepting_from_the_page(client, handover, case, giver, receiver):
    client.force_login(giver)
    response = client.post(reverse("cases:handover-accept", args=[handover.uuid]))
    assert response.status_code == 400
    assert "Alleen de ontvanger" in response.content.decode()
    client.force_login(receiver)
    assert client.get(reverse("cases:handover-accept", args=[handover.uuid])).status_code == 405
    response = client.post(reverse("cases:handover-accept", args=[handover.uuid]))
    assert response.status_code == 302 and response.url == reverse("cases:case-detail", args=[case.uuid])
    assert Case.objects.get(pk=case.pk).coordinator == receiver


def test_returning_from_the_page_needs_a_reason(client, handover, receiver):
    client.force_login(receiver)
    url = reverse("cases:handover-return", args=[handover.uuid])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Geef aan waarom u de overdracht teruggeeft." in response.content.decode()
    response = client.post(url, {"reason": "Ik ken het gezin privé."})
    assert response.status_code == 302 and response.url == OVERVIEW
    handover.refresh_from_db()
    assert handover.status == Handover.Status.RETURNED


def test_cancelling_from_the_page(client, handover, giver, receiver):
    client.force_login(receiver)
    assert client.post(reverse("cases:handover-cancel", args=[handover.uuid])).status_code == 400
    client.force_login(giver)
    assert client.post(reverse("cases:handover-cancel", args=[handover.uuid])).status_code == 302
    handover.refresh_from_db()
    assert handover.status == Handover.Status.CANCELLED


# --- The caseload wizard (teamleider) ----------------------------------------------------------------------


@pytest.fixture
def caseload(wijkcoach, team, giver):
    return [giver_case(wijkcoach, team, giver, family_name=name) for name in ("Aydin", "Bakker", "Claes", "Dekker")]


def plan_data(giver, cases, receivers, assignment="even", **extra):
    return {
        "medewerker": str(giver.uuid),
        "stap": "verdelen",
        "cases": [str(c.uuid) for c in cases],
        "receivers": [str(r.uuid) for r in receivers],
        "assignment": assignment,
        "note": "Graag deze week bellen.",
        "intro_meeting_on": "",
        **extra,
    }


def confirm_data(response, data) -> dict:
    """Step 3 posted back as shown: the plan, and the receiver per case the page proposed or chose."""
    form = response.context["assign_form"]
    return {**data, "stap": "bevestigen", **{name: field.initial for name, field in form.fields.items()}}


def test_the_wizard_is_for_a_teamleider(client, giver):
    client.force_login(giver)
    assert client.get(WIZARD).status_code == 403
    assert client.get(reverse("cases:staff-deactivate")).status_code == 403


def test_the_wizard_spreads_a_caseload_evenly(client, caseload, giver, receiver, receiver2, teamleider):
    client.force_login(teamleider)
    response = client.get(WIZARD)
    assert response.status_code == 200 and escape(str(giver)) in response.content.decode()
    response = client.get(WIZARD, {"medewerker": str(giver.uuid)})
    assert response.status_code == 200
    assert all(c.number in response.content.decode() for c in caseload)

    data = plan_data(giver, caseload, [receiver, receiver2])
    response = client.post(WIZARD, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Overdracht bevestigen" in page and escape(str(receiver)) in page and escape(str(receiver2)) in page
    assert not Handover.objects.exists()  # nothing happens before the confirmation

    response = client.post(WIZARD, confirm_data(response, data))
    assert response.status_code == 302 and response.url == OVERVIEW
    created = list(Handover.objects.all())
    assert len(created) == 4 and len({h.batch for h in created}) == 1
    assert sorted([h.to_user_id for h in created].count(u.pk) for u in (receiver, receiver2)) == [2, 2]
    assert all(h.note == "Graag deze week bellen." and h.created_by == teamleider for h in created)


def test_the_wizard_assigns_by_hand(client, caseload, giver, receiver, receiver2, teamleider):
    client.force_login(teamleider)
    data = plan_data(giver, caseload[:2], [receiver, receiver2], assignment="hand")
    response = client.post(WIZARD, data)
    assert response.status_code == 200
    assert "<select" in response.content.decode()
    choice = confirm_data(response, data)
    for case in caseload[:2]:
        choice[f"to-{case.uuid}"] = str(receiver2.uuid)
    response = client.post(WIZARD, choice)
    assert response.status_code == 302
    assert set(Handover.objects.values_list("to_user_id", flat=True)) == {receiver2.pk}


def test_the_wizard_refuses_incomplete_input(client, caseload, giver, receiver, teamleider, outsider):
    client.force_login(teamleider)
    response = client.post(WIZARD, plan_data(giver, [], [receiver]))
    assert response.status_code == 400
    assert "Kies ten minste één casus." in response.content.decode()
    response = client.get(WIZARD, {"medewerker": str(outsider.uuid)})  # not of the teamleider's team
    assert response.status_code == 400
    assert not Handover.objects.exists()


# --- Medewerker uit dienst ----------------------------------------------------------------------------------


def test_a_teamleider_cannot_deactivate_a_colleague_with_open_cases_without_forcing(client, case, giver, teamleider):
    client.force_login(teamleider)
    url = reverse("cases:staff-deactivate")
    assert client.get(url).status_code == 200
    response = client.post(url, {"user": str(giver.uuid)})
    assert response.status_code == 400
    page = response.content.decode()
    assert case.number in page and f"{WIZARD}?medewerker={giver.uuid}" in page
    giver.refresh_from_db()
    assert giver.is_active
    response = client.post(url, {"user": str(giver.uuid), "force": "on"})
    assert response.status_code == 302
    giver.refresh_from_db()
    assert not giver.is_active
    assert Case.objects.get(pk=case.pk).coordinator is None

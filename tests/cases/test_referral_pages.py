"""Referrals: send one from a case, and record what became of it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases import services
from cases.constants import CaseRole, ReferralStatus
from cases.models import Referral
from tests.factories import shared_purpose

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral(wijkcoach, partner_org, resident_case):
    return services.referral_send(
        actor=wijkcoach, case=resident_case, organisation=partner_org, question="Behandeling van angstklachten"
    )


def transition_url(referral) -> str:
    return reverse("cases:referral-transition", args=[referral.uuid])


# --- Sending ------------------------------------------------------------------------------


def test_send_a_referral_to_a_partner(client, wijkcoach, partner_org, resident_case):
    client.force_login(wijkcoach)
    url = reverse("cases:referral-create", args=[resident_case.uuid])
    assert client.get(url).status_code == 200

    response = client.post(
        url, {"organisation": partner_org.uuid, "question": "Schuldhulp nodig", "expected_start_on": "2030-01-01"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(f"/casussen/{resident_case.uuid}/")
    referral = Referral.objects.get()
    assert referral.case == resident_case
    assert referral.organisation == partner_org
    assert referral.created_by == wijkcoach


def test_send_a_referral_to_a_provision(client, wijkcoach, resident_case):
    client.force_login(wijkcoach)
    response = client.post(
        reverse("cases:referral-create", args=[resident_case.uuid]),
        {"provision": "Huishoudelijke hulp (Wmo)", "question": "Hulp bij het huishouden"},
    )
    assert response.status_code == 302
    assert Referral.objects.get().provision == "Huishoudelijke hulp (Wmo)"


def test_referral_form_errors_are_dutch_and_keep_the_input(client, wijkcoach, resident_case):
    client.force_login(wijkcoach)

    response = client.post(
        reverse("cases:referral-create", args=[resident_case.uuid]), {"question": "Hulp \x00 nodig", "provision": ""}
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Kies een partnerorganisatie of vul een voorziening in." in content
    assert "De tekst bevat een ongeldig teken (NUL)." in content
    assert not Referral.objects.exists()


def test_referral_create_outsider_and_beleid_get_404(client, outsider, beleid, partner_org, resident_case):
    for user in (outsider, beleid):
        client.force_login(user)
        url = reverse("cases:referral-create", args=[resident_case.uuid])
        assert client.get(url).status_code == 404
        assert client.post(url, {"organisation": partner_org.uuid, "question": "x"}).status_code == 404
    assert not Referral.objects.exists()


def test_referral_create_read_only_partner_gets_403(client, wijkcoach, partner_user, partner_org, resident_case):
    services.case_member_add(
        actor=wijkcoach, case=resident_case, user=partner_user, role=CaseRole.PARTNER, purpose=shared_purpose()
    )
    client.force_login(partner_user)
    response = client.post(
        reverse("cases:referral-create", args=[resident_case.uuid]),
        {"organisation": partner_org.uuid, "question": "x"},
    )
    assert response.status_code == 403
    assert not Referral.objects.exists()


# --- Status -------------------------------------------------------------------------------


def test_accept_then_complete(client, wijkcoach, referral, resident_case):
    client.force_login(wijkcoach)

    response = client.post(transition_url(referral), {"to_status": ReferralStatus.GEACCEPTEERD})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/casussen/{resident_case.uuid}/")
    response = client.post(transition_url(referral), {"to_status": ReferralStatus.AFGEROND})
    assert response.status_code == 302

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AFGEROND
    assert referral.accepted_on is not None
    assert referral.completed_on is not None


def test_decline_needs_a_reason(client, wijkcoach, referral):
    client.force_login(wijkcoach)

    response = client.post(transition_url(referral), {"to_status": ReferralStatus.AFGEWEZEN, "on": "2999-01-01"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Vul de reden van afwijzing in." in content
    assert "Deze datum ligt in de toekomst." in content

    response = client.post(
        transition_url(referral), {"to_status": ReferralStatus.AFGEWEZEN, "decline_reason": "Wachtlijst van een jaar"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AFGEWEZEN
    assert referral.decline_reason == "Wachtlijst van een jaar"


def test_only_allowed_transitions_are_offered_and_accepted(client, wijkcoach, referral):
    client.force_login(wijkcoach)

    content = client.get(transition_url(referral)).content.decode()
    assert 'value="afgerond"' not in content  # help cannot start before the partner accepted
    assert 'value="ingetrokken"' in content

    response = client.post(transition_url(referral), {"to_status": ReferralStatus.AFGEROND})
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.VERSTUURD


def test_withdraw(client, colleague, referral):
    client.force_login(colleague)  # a team colleague may change the team's case
    assert client.post(transition_url(referral), {"to_status": ReferralStatus.INGETROKKEN}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.INGETROKKEN


def test_transition_outsider_and_beleid_get_404(client, outsider, beleid, referral):
    for user in (outsider, beleid):
        client.force_login(user)
        assert client.get(transition_url(referral)).status_code == 404
        assert client.post(transition_url(referral), {"to_status": ReferralStatus.INGETROKKEN}).status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.VERSTUURD


def test_transition_read_only_partner_gets_403(client, wijkcoach, partner_user, referral, resident_case):
    services.case_member_add(
        actor=wijkcoach, case=resident_case, user=partner_user, role=CaseRole.PARTNER, purpose=shared_purpose()
    )
    client.force_login(partner_user)
    assert client.post(transition_url(referral), {"to_status": ReferralStatus.GEACCEPTEERD}).status_code == 403
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.VERSTUURD

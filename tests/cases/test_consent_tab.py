"""The case tab "Toestemming en delen" and the break-the-glass request page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from access import policy
from cases import services as case_services
from cases.constants import Relation
from consent import services as consent_services
from consent.constants import AccessAction, ConsentMethod, LegalBasis, PurposeLaw
from consent.models import AccessLogEntry, BreakGlassGrant, Consent, Purpose

pytestmark = pytest.mark.django_db

REASON = "Acute crisis buiten kantoortijd, de regievoerder is niet bereikbaar."


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


def give_consent(actor, client, purpose, **overrides):
    fields = {
        "recipient_type": "zorgaanbieder",
        "given_at": timezone.now() - datetime.timedelta(days=1),
        "method": ConsentMethod.WRITTEN,
    }
    return consent_services.consent_record(actor=actor, client=client, purpose=purpose, **{**fields, **overrides})


def tab_url(case) -> str:
    return reverse("cases:case-consents", args=[case.uuid])


def record_url(case) -> str:
    return reverse("cases:case-consent-record", args=[case.uuid])


def withdraw_url(case, consent) -> str:
    return reverse("cases:case-consent-withdraw", args=[case.uuid, consent.uuid])


def consent_post(purpose, resident, **overrides):
    data = {
        "client": str(resident.uuid),
        "purpose": str(purpose.uuid),
        "recipient_organisation": "",
        "recipient_type": "zorgaanbieder",
        "given_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "expires_on": "",
        "method": ConsentMethod.WRITTEN,
        "witness": "",
        "representative_name": "",
        "scope_note": "",
    }
    return {**data, **overrides}


# --- The tab ----------------------------------------------------------------------------


def test_tab_shows_consents_with_their_status(client, wijkcoach, resident, resident_case, purpose):
    soon = give_consent(wijkcoach, resident, purpose, expires_at=timezone.now() + datetime.timedelta(days=10))
    gone = give_consent(wijkcoach, resident, purpose)
    consent_services.consent_withdraw(actor=wijkcoach, consent=gone, reason="Wil het niet meer.")
    client.force_login(wijkcoach)

    response = client.get(tab_url(resident_case))

    assert response.status_code == 200
    statuses = {row.consent.pk: (row.status, row.expiring_soon) for row in response.context["rows"]}
    assert statuses == {soon.pk: ("geldig", True), gone.pk: ("ingetrokken", False)}
    html = response.content.decode()
    assert "Verloopt binnenkort" in html
    assert "Wil het niet meer." in html
    # Only the valid consent can be withdrawn.
    assert withdraw_url(resident_case, soon) in html
    assert withdraw_url(resident_case, gone) not in html


def test_tab_includes_current_household_members(client, wijkcoach, team, make_resident, purpose):
    parent = make_resident(given_names="Ria", family_name="Smit", bsn="123456782")
    child = make_resident(given_names="Tim", family_name="Smit", date_of_birth=datetime.date(2012, 3, 1))
    household = case_services.household_create(
        actor=wijkcoach, name="Smit", members=[(parent, Relation.OUDER), (child, Relation.KIND)], team=team
    )
    case = case_services.case_open(actor=wijkcoach, team=team, household=household)
    give_consent(wijkcoach, parent, purpose)
    give_consent(wijkcoach, child, purpose, representative_name="Ria Smit")
    client.force_login(wijkcoach)

    response = client.get(tab_url(case))

    assert {row.consent.client for row in response.context["rows"]} == {parent, child}
    assert {c.full_name for c in response.context["record_form"].clients.values()} == {"Ria Smit", "Tim Smit"}


def test_outsider_gets_404(client, outsider, resident_case):
    client.force_login(outsider)
    assert client.get(tab_url(resident_case)).status_code == 404


# --- Recording ------------------------------------------------------------------------------


def test_record_a_consent(client, wijkcoach, resident, resident_case, purpose):
    client.force_login(wijkcoach)
    response = client.post(record_url(resident_case), consent_post(purpose, resident, expires_on="2099-01-01"))
    assert response.status_code == 302
    assert response["Location"] == tab_url(resident_case)
    consent = Consent.objects.get()
    assert (consent.client, consent.recorded_by, consent.recipient_type) == (resident, wijkcoach, "zorgaanbieder")
    assert timezone.localtime(consent.expires_at).date() == datetime.date(2099, 1, 1)


def test_oral_consent_without_witness_is_refused_with_a_dutch_message(
    client, wijkcoach, resident, resident_case, purpose
):
    client.force_login(wijkcoach)
    response = client.post(record_url(resident_case), consent_post(purpose, resident, method=ConsentMethod.ORAL))
    assert response.status_code == 400
    assert "een getuige verplicht" in response.content.decode()
    assert response.context["record_form"].errors["witness"]
    assert not Consent.objects.exists()


def test_expiry_before_the_given_date_is_shown_on_the_expiry_field(client, wijkcoach, resident, resident_case, purpose):
    client.force_login(wijkcoach)
    response = client.post(record_url(resident_case), consent_post(purpose, resident, expires_on="2000-01-01"))
    assert response.status_code == 400
    assert response.context["record_form"].errors["expires_on"]


def test_purpose_on_a_legal_task_is_not_offered(client, wijkcoach, resident, resident_case, purpose):
    public = Purpose.objects.create(
        code="wmo", name="Wmo-toegang", legal_basis=LegalBasis.PUBLIC_TASK, law=PurposeLaw.WMO
    )
    client.force_login(wijkcoach)
    response = client.post(record_url(resident_case), consent_post(public, resident))
    assert response.status_code == 400
    assert response.context["record_form"].errors["purpose"]
    assert not Consent.objects.exists()


def test_a_client_outside_the_case_cannot_be_chosen(client, wijkcoach, make_resident, resident_case, purpose):
    stranger = make_resident(given_names="Els", family_name="Vreemd")
    client.force_login(wijkcoach)
    response = client.post(record_url(resident_case), consent_post(purpose, stranger))
    assert response.status_code == 400
    assert not Consent.objects.exists()


# --- Withdrawing ----------------------------------------------------------------------------


def test_withdraw_needs_a_reason(client, wijkcoach, resident, resident_case, purpose):
    consent = give_consent(wijkcoach, resident, purpose)
    client.force_login(wijkcoach)
    prefix = f"w-{consent.uuid.hex}"

    refused = client.post(withdraw_url(resident_case, consent), {f"{prefix}-reason": "  "})
    assert refused.status_code == 400
    assert refused.context["open_withdraw"] == consent.pk
    consent.refresh_from_db()
    assert consent.withdrawn_at is None

    done = client.post(withdraw_url(resident_case, consent), {f"{prefix}-reason": "Cliënt trekt in."})
    assert done.status_code == 302
    consent.refresh_from_db()
    assert (consent.withdrawn_reason, consent.withdrawn_recorded_by) == ("Cliënt trekt in.", wijkcoach)
    assert not Consent.objects.valid().filter(pk=consent.pk).exists()


def test_withdrawing_twice_is_refused(client, wijkcoach, resident, resident_case, purpose):
    consent = give_consent(wijkcoach, resident, purpose)
    consent_services.consent_withdraw(actor=wijkcoach, consent=consent, reason="Eerste keer.")
    client.force_login(wijkcoach)
    response = client.post(withdraw_url(resident_case, consent), {f"w-{consent.uuid.hex}-reason": "Nog eens."})
    assert response.status_code == 400
    assert "al ingetrokken" in response.content.decode()


def test_consent_of_another_client_is_not_found(client, wijkcoach, make_resident, resident_case, purpose):
    other = make_resident(given_names="Els", family_name="Vreemd")
    consent = give_consent(wijkcoach, other, purpose)
    client.force_login(wijkcoach)
    response = client.post(withdraw_url(resident_case, consent), {f"w-{consent.uuid.hex}-reason": "Weg ermee."})
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_read_only_break_glass_user_sees_but_cannot_record(client, outsider, resident, resident_case, purpose):
    consent_services.break_glass_grant(user=outsider, case=resident_case, reason=REASON, hours=1)
    client.force_login(outsider)
    page = client.get(tab_url(resident_case))
    assert page.status_code == 200
    assert page.context["record_form"] is None
    assert client.post(record_url(resident_case), consent_post(purpose, resident)).status_code == 403
    assert not Consent.objects.exists()


# --- Break-the-glass request ----------------------------------------------------------------


def break_glass_url(case) -> str:
    return reverse("cases:case-break-glass", args=[case.uuid])


def test_break_glass_page_shows_only_the_case_number(client, outsider, resident_case):
    client.force_login(outsider)
    response = client.get(break_glass_url(resident_case))
    assert response.status_code == 200
    html = response.content.decode()
    assert resident_case.number in html
    assert "Jansen" not in html
    assert '<option value="24">' in html
    assert AccessLogEntry.objects.filter(user=outsider, case=resident_case, action=AccessAction.VIEW).exists()


def test_break_glass_request_grants_access_and_is_logged(client, outsider, resident_case):
    client.force_login(outsider)
    response = client.post(break_glass_url(resident_case), {"reason": REASON, "hours": "2"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case-detail", args=[resident_case.uuid])
    grant = BreakGlassGrant.objects.get(user=outsider, case=resident_case)
    assert grant.expires_at - grant.granted_at == datetime.timedelta(hours=2)
    entry = AccessLogEntry.objects.get(user=outsider, case=resident_case, action=AccessAction.CHANGE)
    assert entry.reason == REASON
    assert client.get(response["Location"]).status_code == 200


def test_break_glass_reason_must_be_a_sentence(client, outsider, resident_case):
    client.force_login(outsider)
    response = client.post(break_glass_url(resident_case), {"reason": "kijken", "hours": "1"})
    assert response.status_code == 400
    assert "ten minste 20 tekens" in response.content.decode()
    assert not BreakGlassGrant.objects.exists()
    assert not policy.case_decision(outsider, resident_case)


def test_team_member_is_sent_to_the_case(client, wijkcoach, resident_case):
    client.force_login(wijkcoach)
    response = client.get(break_glass_url(resident_case))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case-detail", args=[resident_case.uuid])


@pytest.mark.parametrize("persona", ["beleid", "partner_user"])
def test_break_glass_page_is_not_found_for_who_may_not_break_the_glass(client, request, persona, resident_case):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(break_glass_url(resident_case)).status_code == 404
    assert client.post(break_glass_url(resident_case), {"reason": REASON, "hours": "1"}).status_code == 404
    assert not BreakGlassGrant.objects.exists()

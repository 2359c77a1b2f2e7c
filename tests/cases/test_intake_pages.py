"""The front door: a new client, the intake over all life domains, the triage decision, and the whole flow."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.constants import CaseRole, CaseStatus, LifeDomain, ReferralStatus, SignalSource, TriageDecision
from cases.models import Case, Client, Intake, Referral, Signal
from tests.factories import shared_purpose

pytestmark = pytest.mark.django_db


def intake_post(**domains):
    """The intake form data; ``domains`` maps a domain to (situation, question, help_needed)."""
    data = {"conducted_on": timezone.localdate().isoformat(), "notes": "Open gesprek aan de keukentafel."}
    for domain, (situation, question, help_needed) in domains.items():
        data[f"{domain}-situation"] = situation
        data[f"{domain}-question"] = question
        if help_needed:
            data[f"{domain}-help_needed"] = "on"
    return data


def record_intake(actor, case):
    return services.intake_record(
        actor=actor,
        case=case,
        domains=[
            services.IntakeDomainInput(LifeDomain.FINANCIEN, "Schulden bij de energieleverancier", "Hulp", True),
            services.IntakeDomainInput(LifeDomain.HUISVESTING, "Dreigende huisuitzetting", "Woning houden", True),
            services.IntakeDomainInput(LifeDomain.SOCIAAL_NETWERK, "Zus woont dichtbij", "", False),
        ],
    )


def case_page_prefix(case) -> str:
    return f"/casussen/{case.uuid}/"


# --- New client ---------------------------------------------------------------------------


def client_post(team=None, **overrides):
    data = {
        "given_names": "Fatima",
        "family_name": "El Amrani",
        "date_of_birth": "1988-11-30",
        "bsn": "111222333",
        "postcode": "1234 AB",
    }
    if team is not None:
        data.update({"open_case": "on", "team": str(team.uuid), "laws": ["participatiewet"]})
    data.update(overrides)
    return data


def test_new_client_with_a_case(client, wijkcoach, team):
    client.force_login(wijkcoach)
    assert client.get(reverse("cases:client-create")).status_code == 200

    response = client.post(reverse("cases:client-create"), client_post(team))

    case = Case.objects.select_related("client").get()
    assert response.status_code == 302
    assert response["Location"].startswith(case_page_prefix(case))
    assert case.client.full_name == "Fatima El Amrani"
    assert case.team == team
    assert case.laws == ["participatiewet"]


def test_new_client_always_gets_a_case_so_it_stays_reachable(client, wijkcoach):
    client.force_login(wijkcoach)

    response = client.post(reverse("cases:client-create"), client_post())

    # Without a team no case can be opened: the form asks for one and stores nothing.
    assert response.status_code == 200
    assert "Kies het team dat de casus behandelt." in response.content.decode()
    assert not Client.objects.exists()


def test_new_client_errors_are_dutch_and_keep_the_input(client, wijkcoach, team, other_team):
    client.force_login(wijkcoach)

    response = client.post(
        reverse("cases:client-create"),
        client_post(other_team, bsn="111222334", given_names="Fa\x00tima"),
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Dit is geen geldig burgerservicenummer" in content
    assert 'value="111222334"' in content
    assert "De tekst bevat een ongeldig teken (NUL)." in content
    assert "Kies een van uw eigen teams." in content
    assert not Client.objects.exists()


def test_beleid_cannot_create_a_client(client, beleid):
    client.force_login(beleid)
    assert client.get(reverse("cases:client-create")).status_code == 403
    assert client.post(reverse("cases:client-create"), client_post()).status_code == 403
    assert not Client.objects.exists()


# --- Intake -------------------------------------------------------------------------------


def test_intake_page_offers_all_thirteen_domains(client, wijkcoach, resident_case):
    client.force_login(wijkcoach)

    response = client.get(reverse("cases:intake", args=[resident_case.uuid]))

    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("<legend") == len(LifeDomain.values)
    for label in LifeDomain.labels:
        assert str(label).replace("&", "&amp;") in content
    assert 'for="id_financien-help_needed"' in content  # every input has its label


def test_record_intake_and_continue_to_triage(client, wijkcoach, resident_case):
    client.force_login(wijkcoach)

    response = client.post(
        reverse("cases:intake", args=[resident_case.uuid]),
        intake_post(
            financien=("Schulden", "Overzicht krijgen", True),
            huisvesting=("Huurachterstand", "", True),
            justitie=("", "", False),
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:triage", args=[resident_case.uuid])
    intake = Intake.objects.get(case=resident_case)
    assert sorted(intake.domains.values_list("domain", flat=True)) == ["financien", "huisvesting"]
    resident_case.refresh_from_db()
    assert resident_case.status == CaseStatus.INTAKE


def test_empty_intake_is_refused_with_the_services_message(client, wijkcoach, resident_case):
    client.force_login(wijkcoach)

    response = client.post(reverse("cases:intake", args=[resident_case.uuid]), intake_post())

    assert response.status_code == 200
    content = response.content.decode()
    assert "Beschrijf ten minste één leefgebied." in content
    assert "Open gesprek aan de keukentafel." in content  # what was typed is kept
    assert not Intake.objects.exists()


def test_intake_nul_character_and_future_date_are_field_errors(client, wijkcoach, resident_case):
    client.force_login(wijkcoach)
    data = intake_post(financien=("kapot\x00teken", "", True))
    data["conducted_on"] = "2999-01-01"

    response = client.post(reverse("cases:intake", args=[resident_case.uuid]), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "De tekst bevat een ongeldig teken (NUL)." in content
    assert "Deze datum ligt in de toekomst." in content
    assert not Intake.objects.exists()


def test_intake_already_recorded_goes_to_triage(client, wijkcoach, resident_case):
    record_intake(wijkcoach, resident_case)
    client.force_login(wijkcoach)
    response = client.get(reverse("cases:intake", args=[resident_case.uuid]))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:triage", args=[resident_case.uuid])


def test_intake_outsider_and_beleid_get_404(client, outsider, beleid, resident_case):
    for user in (outsider, beleid):
        client.force_login(user)
        assert client.get(reverse("cases:intake", args=[resident_case.uuid])).status_code == 404
        response = client.post(
            reverse("cases:intake", args=[resident_case.uuid]), intake_post(justitie=("x", "", True))
        )
        assert response.status_code == 404
    assert not Intake.objects.exists()


def test_intake_read_only_partner_gets_403(client, wijkcoach, partner_user, resident_case):
    services.case_member_add(
        actor=wijkcoach, case=resident_case, user=partner_user, role=CaseRole.PARTNER, purpose=shared_purpose()
    )
    client.force_login(partner_user)
    response = client.post(reverse("cases:intake", args=[resident_case.uuid]), intake_post(justitie=("x", "", True)))
    assert response.status_code == 403
    assert not Intake.objects.exists()


# --- Triage -------------------------------------------------------------------------------


def test_triage_shows_the_domains_that_need_help(client, wijkcoach, resident_case):
    record_intake(wijkcoach, resident_case)
    client.force_login(wijkcoach)

    response = client.get(reverse("cases:triage", args=[resident_case.uuid]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Hulp nodig op 2 leefgebieden" in content
    assert "Dreigende huisuitzetting" in content
    assert "Sociaal netwerk" in content  # discussed, without a question for help


def test_triage_multi_problem_names_the_coordinator(client, wijkcoach, colleague, resident_case):
    record_intake(wijkcoach, resident_case)
    client.force_login(wijkcoach)

    response = client.post(
        reverse("cases:triage", args=[resident_case.uuid]),
        {
            "decision": TriageDecision.MEERVOUDIG,
            "note": "Schulden en wonen hangen samen",
            "coordinator": colleague.uuid,
        },
    )

    assert response.status_code == 302
    assert response["Location"].startswith(case_page_prefix(resident_case))
    resident_case.refresh_from_db()
    assert resident_case.status == CaseStatus.ACTIEF
    assert resident_case.coordinator == colleague


def test_triage_multi_problem_needs_a_coordinator_of_the_team(client, wijkcoach, outsider, resident_case):
    record_intake(wijkcoach, resident_case)
    client.force_login(wijkcoach)
    url = reverse("cases:triage", args=[resident_case.uuid])

    content = client.post(url, {"decision": TriageDecision.MEERVOUDIG, "note": "Samenhang"}).content.decode()
    assert "Kies de regievoerder van de gecoördineerde aanpak." in content
    assert "Samenhang" in content

    response = client.post(url, {"decision": TriageDecision.MEERVOUDIG, "coordinator": outsider.uuid})
    assert "Selecteer een geldige keuze" in response.content.decode()
    resident_case.refresh_from_db()
    assert resident_case.status == CaseStatus.INTAKE


def test_triage_single_problem_refers_to_a_partner(client, wijkcoach, partner_org, resident_case):
    record_intake(wijkcoach, resident_case)
    client.force_login(wijkcoach)
    url = reverse("cases:triage", args=[resident_case.uuid])

    content = client.post(url, {"decision": TriageDecision.ENKELVOUDIG}).content.decode()
    assert "Kies een partnerorganisatie of vul een voorziening in." in content
    assert "Vul de hulpvraag voor de verwijzing in." in content

    response = client.post(
        url,
        {
            "decision": TriageDecision.ENKELVOUDIG,
            "referral_organisation": partner_org.uuid,
            "referral_question": "Behandeling van somberheid",
        },
    )
    assert response.status_code == 302
    resident_case.refresh_from_db()
    assert resident_case.status == CaseStatus.ENKELVOUDIG_DOORVERWEZEN
    referral = Referral.objects.get(case=resident_case)
    assert referral.organisation == partner_org
    assert referral.status == ReferralStatus.VERSTUURD


def test_triage_without_intake_goes_back_to_intake(client, wijkcoach, resident_case):
    client.force_login(wijkcoach)
    response = client.get(reverse("cases:triage", args=[resident_case.uuid]))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:intake", args=[resident_case.uuid])


def test_triage_outsider_and_beleid_get_404(client, wijkcoach, outsider, beleid, colleague, resident_case):
    record_intake(wijkcoach, resident_case)
    for user in (outsider, beleid):
        client.force_login(user)
        url = reverse("cases:triage", args=[resident_case.uuid])
        assert client.get(url).status_code == 404
        assert client.post(url, {"decision": "meervoudig", "coordinator": colleague.uuid}).status_code == 404
    resident_case.refresh_from_db()
    assert resident_case.status == CaseStatus.INTAKE


# --- The whole flow -----------------------------------------------------------------------


def test_full_flow_from_signal_to_coordinated_case(client, wijkcoach, colleague, team):
    client.force_login(wijkcoach)

    # 1. A neighbour calls the meldpunt; the person is recorded as a new client.
    response = client.post(
        reverse("cases:signal-create"),
        {
            "team": str(team.uuid),
            "source": SignalSource.BUREN,
            "subject": "nieuwe_client",
            "what_was_seen": "Brievenbus puilt uit, deurwaarder geweest.",
            "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "client-given_names": "Sander",
            "client-family_name": "Bakker",
            "client-date_of_birth": "1979-04-01",
            "client-bsn": "123456782",
        },
    )
    assert response.status_code == 302
    signal = Signal.objects.get()
    assert signal.client.family_name == "Bakker"

    # 2. Triage of the melding: a new case.
    response = client.post(
        reverse("cases:signal-triage", args=[signal.uuid]), {"outcome": "nieuwe_casus", "laws": ["wgs"]}
    )
    signal.refresh_from_db()
    case = signal.case
    assert response["Location"] == reverse("cases:intake", args=[case.uuid])
    assert client.get(response["Location"]).status_code == 200

    # 3. The kitchen-table conversation.
    response = client.post(
        reverse("cases:intake", args=[case.uuid]),
        intake_post(financien=("Schulden", "Rust", True), huisvesting=("Huurachterstand", "", True)),
    )
    assert response["Location"] == reverse("cases:triage", args=[case.uuid])
    assert client.get(response["Location"]).status_code == 200

    # 4. Multi-problem: a coordinated case with a coordinator.
    response = client.post(
        reverse("cases:triage", args=[case.uuid]),
        {"decision": TriageDecision.MEERVOUDIG, "coordinator": colleague.uuid, "note": "Samenhang schulden en wonen"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(case_page_prefix(case))
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIEF
    assert case.coordinator == colleague
    assert case.client == signal.client

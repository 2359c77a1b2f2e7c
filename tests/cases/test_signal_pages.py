"""The meldpunt pages: the team's inbox, recording a melding, triage and informing both parties."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.constants import CaseStatus, SignalOutcome, SignalSource
from cases.models import Client, Signal
from consent.models import AccessLogEntry

pytestmark = pytest.mark.django_db


def record_signal(actor, team, *, client=None, what="Post stapelt zich op, gordijnen al weken dicht.", days_ago=0):
    return services.signal_record(
        actor=actor,
        team=team,
        source=SignalSource.BUREN,
        what_was_seen=what,
        client=client,
        subject_description="" if client else "Bewoner van Dorpsstraat 12",
        received_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def signal_post(team, **overrides):
    data = {
        "team": str(team.uuid),
        "source": SignalSource.BUREN,
        "reporter_name": "Buurvrouw",
        "reporter_contact": "06-12345678",
        "subject": "beschrijving",
        "subject_description": "Bewoner van Dorpsstraat 12",
        "what_was_seen": "Hij lijkt in de war en eet slecht.",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }
    data.update(overrides)
    return data


def new_client_fields(**overrides):
    data = {
        "subject": "nieuwe_client",
        "subject_description": "",
        "client-given_names": "Piet",
        "client-family_name": "Pietersen",
        "client-date_of_birth": "1970-03-02",
        "client-bsn": "123456782",
        "client-postcode": "1234ab",
        "client-street": "Dorpsstraat",
        "client-house_number": "12",
        "client-city": "Testdorp",
    }
    data.update(overrides)
    return data


# --- The inbox ------------------------------------------------------------------------


def test_inbox_shows_open_signals_overdue_first_with_words_not_only_colour(client, wijkcoach, team, resident):
    late = record_signal(wijkcoach, team, client=resident, days_ago=30)
    fresh = record_signal(wijkcoach, team, what="Vers signaal")
    client.force_login(wijkcoach)

    response = client.get(reverse("cases:signal-list"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Jan Jansen" in content
    assert "Bewoner van Dorpsstraat 12" in content
    assert "Te laat" in content  # the overdue one says so in words
    assert content.index(str(late.uuid)) < content.index(str(fresh.uuid))
    # The client shown is in the access log as a list view.
    assert AccessLogEntry.objects.filter(user=wijkcoach, action="list", client=resident).exists()


def test_inbox_hides_triaged_signals_unless_asked(client, wijkcoach, team):
    triaged = record_signal(wijkcoach, team, what="Afgehandeld signaal")
    services.signal_triage(actor=wijkcoach, signal=triaged, outcome=SignalOutcome.GEEN_ACTIE)
    client.force_login(wijkcoach)

    assert "Afgehandeld signaal" not in client.get(reverse("cases:signal-list")).content.decode()
    content = client.get(reverse("cases:signal-list") + "?alle=1").content.decode()
    assert "Afgehandeld signaal" in content
    assert "Geen actie" in content


def test_inbox_shows_nothing_of_another_team(client, wijkcoach, team, outsider):
    record_signal(wijkcoach, team, what="Alleen voor Noord")
    client.force_login(outsider)

    response = client.get(reverse("cases:signal-list"))

    assert response.status_code == 200
    assert "Alleen voor Noord" not in response.content.decode()


def test_inbox_refuses_beleid(client, beleid):
    client.force_login(beleid)
    response = client.get(reverse("cases:signal-list"))
    assert response.status_code == 403
    assert "alleen voor professionals die aan casussen werken" in response.content.decode()


def test_inbox_query_count_does_not_grow_with_rows(client, wijkcoach, team, make_resident, django_assert_num_queries):
    client.force_login(wijkcoach)
    url = reverse("cases:signal-list")
    record_signal(wijkcoach, team, client=make_resident(bsn="111222333"))
    client.get(url)  # warm up: content types and the like

    with CaptureQueriesContext(connection) as one_row:
        assert client.get(url).status_code == 200
    for number in range(9):
        record_signal(wijkcoach, team, client=make_resident(family_name=f"Jansen{number}"))

    # The same queries for 10 rows as for 1: session, user, memberships, count,
    # the page of signals with client/team/case joined, the access-log insert, session save.
    with django_assert_num_queries(len(one_row.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Jansen") >= 10


def test_what_was_seen_is_escaped(client, wijkcoach, team):
    signal = record_signal(wijkcoach, team, what="<script>alert('x')</script> gezien")
    client.force_login(wijkcoach)

    for url in (reverse("cases:signal-list"), reverse("cases:signal-detail", args=[signal.uuid])):
        content = client.get(url).content.decode()
        assert "&lt;script&gt;" in content
        assert "<script>alert" not in content


# --- Recording a melding ----------------------------------------------------------------


def test_record_signal_about_described_person(client, wijkcoach, team):
    client.force_login(wijkcoach)
    assert client.get(reverse("cases:signal-create")).status_code == 200

    response = client.post(reverse("cases:signal-create"), signal_post(team))

    signal = Signal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:signal-detail", args=[signal.uuid])
    assert signal.client is None
    assert signal.subject_description == "Bewoner van Dorpsstraat 12"
    assert signal.created_by == wijkcoach
    assert signal.team == team


def test_record_signal_with_new_client_creates_both(client, wijkcoach, team):
    client.force_login(wijkcoach)

    response = client.post(reverse("cases:signal-create"), signal_post(team, **new_client_fields()))

    assert response.status_code == 302
    signal = Signal.objects.select_related("client").get()
    assert signal.client.full_name == "Piet Pietersen"
    assert signal.client.bsn == "123456782"
    assert signal.client.postcode == "1234 AB"


def test_invalid_bsn_shows_on_its_field_and_keeps_the_input(client, wijkcoach, team):
    client.force_login(wijkcoach)

    response = client.post(
        reverse("cases:signal-create"),
        signal_post(team, **new_client_fields(**{"client-bsn": "123456789", "client-postcode": "12345"})),
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Dit is geen geldig burgerservicenummer" in content
    assert 'value="123456789"' in content
    assert "Vul een postcode in als 1234 AB." in content
    assert 'value="Pietersen"' in content  # the rest of what was typed is kept
    assert not Client.objects.exists()
    assert not Signal.objects.exists()


def test_duplicate_bsn_from_the_service_shows_on_the_bsn_field_and_nothing_is_saved(client, wijkcoach, team, resident):
    client.force_login(wijkcoach)

    response = client.post(
        reverse("cases:signal-create"), signal_post(team, **new_client_fields(**{"client-bsn": resident.bsn}))
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Er is al een cliënt met dit BSN." in content
    assert 'id="id_client-bsn_error"' in content
    assert Client.objects.count() == 1
    assert not Signal.objects.exists()


def test_describing_nobody_is_a_dutch_field_error(client, wijkcoach, team):
    client.force_login(wijkcoach)

    response = client.post(reverse("cases:signal-create"), signal_post(team, subject_description=""))

    assert response.status_code == 200
    assert "Beschrijf over wie de melding gaat." in response.content.decode()
    assert not Signal.objects.exists()


def test_nul_character_is_a_form_error_not_a_crash(client, wijkcoach, team):
    client.force_login(wijkcoach)

    response = client.post(reverse("cases:signal-create"), signal_post(team, what_was_seen="kapot\x00teken"))

    assert response.status_code == 200
    assert "De tekst bevat een ongeldig teken (NUL)." in response.content.decode()
    assert not Signal.objects.exists()


def test_cannot_record_for_another_team(client, wijkcoach, other_team):
    client.force_login(wijkcoach)

    response = client.post(reverse("cases:signal-create"), signal_post(other_team))

    assert response.status_code == 200
    assert "Kies een van uw eigen teams." in response.content.decode()
    assert not Signal.objects.exists()


def test_future_received_at_is_refused(client, wijkcoach, team):
    client.force_login(wijkcoach)
    tomorrow = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")

    response = client.post(reverse("cases:signal-create"), signal_post(team, received_at=tomorrow))

    assert "Dit tijdstip ligt in de toekomst." in response.content.decode()
    assert not Signal.objects.exists()


def test_beleid_cannot_record_a_signal(client, beleid, team):
    client.force_login(beleid)
    assert client.get(reverse("cases:signal-create")).status_code == 403
    assert client.post(reverse("cases:signal-create"), signal_post(team)).status_code == 403
    assert not Signal.objects.exists()


# --- Detail and triage ----------------------------------------------------------------


def test_detail_shows_the_signal_and_logs_the_view(client, wijkcoach, team, resident):
    signal = record_signal(wijkcoach, team, client=resident, days_ago=30)
    client.force_login(wijkcoach)

    response = client.get(reverse("cases:signal-detail", args=[signal.uuid]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Melding over Jan Jansen" in content
    assert "Te laat" in content
    assert "Nog niet geïnformeerd" in content
    assert AccessLogEntry.objects.filter(user=wijkcoach, action="view", client=resident, detail="signal").exists()


def test_outsider_and_beleid_get_404_for_the_signal(client, wijkcoach, team, outsider, beleid):
    signal = record_signal(wijkcoach, team)
    for user in (outsider, beleid):
        client.force_login(user)
        assert client.get(reverse("cases:signal-detail", args=[signal.uuid])).status_code == 404
        response = client.post(reverse("cases:signal-triage", args=[signal.uuid]), {"outcome": "geen_actie"})
        assert response.status_code == 404
        response = client.post(
            reverse("cases:signal-informed", args=[signal.uuid]),
            {"who": "reporter", "reporter-how": "telefoon", "reporter-at": "2020-01-01T10:00"},
        )
        assert response.status_code == 404
    signal.refresh_from_db()
    assert signal.is_open
    assert signal.reporter_informed_at is None


def test_triage_without_action(client, colleague, wijkcoach, team):
    signal = record_signal(wijkcoach, team)
    client.force_login(colleague)  # every casework professional of the team may triage

    response = client.post(
        reverse("cases:signal-triage", args=[signal.uuid]), {"outcome": "geen_actie", "note": "Zorg is er al."}
    )

    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.outcome == SignalOutcome.GEEN_ACTIE
    assert signal.triaged_by == colleague
    content = client.get(reverse("cases:signal-detail", args=[signal.uuid])).content.decode()
    assert "Zorg is er al." in content


def test_triage_to_existing_case_needs_the_case(client, wijkcoach, team, resident, resident_case):
    signal = record_signal(wijkcoach, team, client=resident)
    client.force_login(wijkcoach)
    url = reverse("cases:signal-triage", args=[signal.uuid])

    response = client.post(url, {"outcome": "bestaande_casus", "note": "Hoort bij lopende casus"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Kies de bestaande casus." in content
    assert "Hoort bij lopende casus" in content  # the note typed is kept

    response = client.post(url, {"outcome": "bestaande_casus", "case": str(resident_case.uuid)})
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.case == resident_case


def test_triage_cannot_link_a_case_of_another_team(client, wijkcoach, team, outsider, other_team, make_resident):
    foreign_case = services.case_open(actor=outsider, team=other_team, client=make_resident(family_name="Zuid"))
    signal = record_signal(wijkcoach, team)
    client.force_login(wijkcoach)

    response = client.post(
        reverse("cases:signal-triage", args=[signal.uuid]),
        {"outcome": "bestaande_casus", "case": str(foreign_case.uuid)},
    )

    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    signal.refresh_from_db()
    assert signal.case is None


def test_triage_new_case_opens_it_and_continues_with_intake(client, wijkcoach, team, resident):
    signal = record_signal(wijkcoach, team, client=resident)
    client.force_login(wijkcoach)

    response = client.post(
        reverse("cases:signal-triage", args=[signal.uuid]), {"outcome": "nieuwe_casus", "laws": ["wmo", "wgs"]}
    )

    signal.refresh_from_db()
    case = signal.case
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:intake", args=[case.uuid])
    assert case.client == resident
    assert case.status == CaseStatus.AANGEMELD
    assert set(case.laws) == {"wmo", "wgs"}


def test_triage_new_case_for_a_described_person_asks_for_the_client(client, wijkcoach, team):
    signal = record_signal(wijkcoach, team)
    client.force_login(wijkcoach)
    url = reverse("cases:signal-triage", args=[signal.uuid])

    response = client.post(url, {"outcome": "nieuwe_casus", "client-given_names": "Kees", "client-bsn": "12"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Dit veld is vereist." in content
    assert "Dit is geen geldig burgerservicenummer" in content
    assert 'value="Kees"' in content

    response = client.post(
        url,
        {
            "outcome": "nieuwe_casus",
            "client-given_names": "Kees",
            "client-family_name": "de Vries",
            "client-date_of_birth": "1955-01-01",
        },
    )
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.case.client.family_name == "de Vries"


def test_record_that_reporter_and_subject_were_informed(client, wijkcoach, team):
    signal = record_signal(wijkcoach, team)
    client.force_login(wijkcoach)
    url = reverse("cases:signal-informed", args=[signal.uuid])
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    assert client.post(url, {"who": "reporter", "reporter-how": "telefoon", "reporter-at": when}).status_code == 302
    assert client.post(url, {"who": "subject", "subject-how": "brief", "subject-at": when}).status_code == 302

    signal.refresh_from_db()
    assert signal.reporter_informed_how == "telefoon"
    assert signal.subject_informed_how == "brief"
    assert signal.reporter_informed_at is not None


def test_informed_form_errors_are_dutch(client, wijkcoach, team):
    signal = record_signal(wijkcoach, team)
    client.force_login(wijkcoach)
    url = reverse("cases:signal-informed", args=[signal.uuid])

    response = client.post(url, {"who": "subject", "subject-how": "", "subject-at": "gisteren"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Dit veld is vereist." in content
    assert "Voer een geldige datum/tijd in." in content
    assert client.post(url, {"who": "iemand"}).status_code == 400
    signal.refresh_from_db()
    assert signal.subject_informed_at is None

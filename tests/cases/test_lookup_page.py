"""The involvement lookup: who coordinates, never what the case is about; always logged; BSN only by POST."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from cases import services
from cases.constants import LifeDomain, TriageDecision
from consent.models import AccessLogEntry

pytestmark = pytest.mark.django_db

CASE_SECRET = "Vertrouwelijk: zorgen over verslaving"


@pytest.fixture
def coordinated_case(wijkcoach, colleague, resident_case):
    """The resident's case, active with ``colleague`` as coordinator, with content nobody else should see."""
    colleague.phone = "030-1234567"
    colleague.save(update_fields=["phone"])
    services.case_update(actor=wijkcoach, case=resident_case, summary=CASE_SECRET)
    services.intake_record(
        actor=wijkcoach,
        case=resident_case,
        domains=[services.IntakeDomainInput(LifeDomain.MIDDELENGEBRUIK, CASE_SECRET, "", True)],
    )
    return services.intake_triage(
        actor=wijkcoach, case=resident_case, decision=TriageDecision.MEERVOUDIG, coordinator=colleague
    )


def test_lookup_by_bsn_shows_who_coordinates_and_nothing_else(client, outsider, colleague, coordinated_case, resident):
    client.force_login(outsider)  # another team of the municipality: may ask, may not see the case
    assert client.get(reverse("cases:lookup")).status_code == 200

    response = client.post(reverse("cases:lookup"), {"bsn": resident.bsn})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Wijkteam Noord" in content
    assert "Gemeente Testdorp" in content
    assert escape(str(colleague)) in content  # names like "'s Gravensande" are HTML-escaped
    assert "030-1234567" in content
    assert colleague.email in content
    assert CASE_SECRET not in content
    assert coordinated_case.number not in content
    # No link to the case for somebody who may not open it; only the break-the-glass request, which asks
    # for a reason first and shows nothing of the case but its number.
    case_url = reverse("cases:case-detail", args=[coordinated_case.uuid])
    assert f'href="{case_url}"' not in content
    assert content.count(str(coordinated_case.uuid)) == 1
    assert reverse("cases:case-break-glass", args=[coordinated_case.uuid]) in content
    entry = AccessLogEntry.objects.get(user=outsider, action="lookup")
    assert entry.client_id == resident.pk
    assert entry.case_id is None


def test_lookup_links_to_the_case_for_who_may_see_it(client, wijkcoach, coordinated_case, resident):
    client.force_login(wijkcoach)
    response = client.post(reverse("cases:lookup"), {"bsn": resident.bsn})
    assert f"/casussen/{coordinated_case.uuid}/" in response.content.decode()


def test_lookup_by_family_name_and_date_of_birth(client, outsider, colleague, coordinated_case, resident):
    client.force_login(outsider)

    response = client.post(
        reverse("cases:lookup"), {"family_name": "jansen", "date_of_birth": resident.date_of_birth.isoformat()}
    )

    assert escape(str(colleague)) in response.content.decode()
    assert AccessLogEntry.objects.filter(user=outsider, action="lookup", client=resident).exists()


def test_lookup_without_coordinated_case_says_so_and_is_logged(client, outsider, resident_case, resident):
    client.force_login(outsider)  # the resident's case is only aangemeld: no coordinated approach

    response = client.post(reverse("cases:lookup"), {"bsn": resident.bsn})

    assert "Geen lopende gecoördineerde aanpak bekend" in response.content.decode()
    assert AccessLogEntry.objects.filter(user=outsider, action="lookup").exists()


def test_lookup_of_unknown_person_looks_the_same_as_no_case_and_is_logged(client, outsider):
    client.force_login(outsider)
    response = client.post(reverse("cases:lookup"), {"bsn": "123456782"})
    assert "Geen lopende gecoördineerde aanpak bekend" in response.content.decode()
    assert AccessLogEntry.objects.filter(user=outsider, action="lookup", detail="no match").exists()


def test_bsn_in_the_url_is_never_searched(client, outsider, coordinated_case, resident, colleague):
    client.force_login(outsider)

    response = client.get(reverse("cases:lookup") + f"?bsn={resident.bsn}")

    assert response.status_code == 200
    content = response.content.decode()
    assert escape(str(colleague)) not in content
    assert resident.bsn not in content
    assert not AccessLogEntry.objects.filter(action="lookup").exists()
    assert 'method="post"' in content


def test_invalid_bsn_is_a_field_error_with_the_input_kept(client, outsider):
    client.force_login(outsider)

    response = client.post(reverse("cases:lookup"), {"bsn": "123456789"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Dit is geen geldig burgerservicenummer" in content
    assert 'value="123456789"' in content
    assert 'id="id_bsn_error"' in content
    assert not AccessLogEntry.objects.filter(action="lookup").exists()


@pytest.mark.parametrize("bsn", ["\u0661\u0661\u0661\u0662\u0662\u0662\u0663\u0663\u0663", "¹¹¹²²²³³³"])
def test_non_ascii_digits_are_not_a_bsn(client, outsider, bsn):
    client.force_login(outsider)
    response = client.post(reverse("cases:lookup"), {"bsn": bsn})
    assert response.status_code == 200
    assert "Dit is geen geldig burgerservicenummer" in response.content.decode()


def test_lookup_needs_bsn_or_name_and_date(client, outsider):
    client.force_login(outsider)

    content = client.post(reverse("cases:lookup"), {}).content.decode()
    assert "Vul een BSN in, of de achternaam en de geboortedatum." in content

    content = client.post(reverse("cases:lookup"), {"family_name": "Jan\x00sen"}).content.decode()
    assert "De tekst bevat een ongeldig teken (NUL)." in content

    content = client.post(reverse("cases:lookup"), {"family_name": "Jansen"}).content.decode()
    assert "Vul ook de geboortedatum in." in content
    assert 'value="Jansen"' in content


def test_beleid_and_partner_may_not_look_up(client, beleid, partner_user, resident):
    for user in (beleid, partner_user):
        client.force_login(user)
        assert client.get(reverse("cases:lookup")).status_code == 403
        assert client.post(reverse("cases:lookup"), {"bsn": resident.bsn}).status_code == 403
    assert not AccessLogEntry.objects.filter(action="lookup").exists()

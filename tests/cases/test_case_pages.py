"""The case page, its tabs, the client file and Mijn werkvoorraad."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from cases import services
from cases.constants import CaseRole, CaseStatus, Channel, Law, LifeDomain, Relation
from cases.models import Case, ContactMoment, LifeDomainAssessment
from consent.models import AccessLogEntry
from tests.factories import make_user, shared_purpose

pytestmark = pytest.mark.django_db

TABS = ["cases:case-detail", "cases:case-zrm", "cases:case-contacts", "cases:case-team", "cases:case-log"]


@pytest.fixture
def household_case(wijkcoach, team, make_resident):
    mother = make_resident(given_names="Fatma", family_name="Kaya", bsn="123456782")
    child = make_resident(given_names="Emre", family_name="Kaya", date_of_birth=datetime.date(2012, 3, 1))
    household = services.household_create(
        actor=wijkcoach, name="Huishouden Kaya", members=[(mother, Relation.OUDER), (child, Relation.KIND)]
    )
    return services.case_open(actor=wijkcoach, team=team, household=household, laws=[Law.WMO, Law.JEUGDWET])


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_works_for_the_team(client, colleague, household_case, tab):
    client.force_login(colleague)
    response = client.get(reverse(tab, args=[household_case.uuid]))
    assert response.status_code == 200
    assert household_case.number in response.content.decode()


@pytest.mark.parametrize("tab", TABS)
def test_outsider_gets_404_and_the_refusal_is_logged(client, outsider, household_case, tab):
    client.force_login(outsider)
    response = client.get(reverse(tab, args=[household_case.uuid]))
    assert response.status_code == 404
    assert household_case.number not in response.content.decode()
    assert AccessLogEntry.objects.filter(user=outsider, case=household_case, action="denied").exists()


def test_beleid_sees_no_case(client, beleid, household_case):
    client.force_login(beleid)
    assert client.get(reverse("cases:case-detail", args=[household_case.uuid])).status_code == 404


def test_partner_member_may_read_but_not_write(client, wijkcoach, household_case, partner_user):
    services.case_member_add(
        actor=wijkcoach, case=household_case, user=partner_user, role=CaseRole.PARTNER, purpose=shared_purpose()
    )
    client.force_login(partner_user)
    assert client.get(reverse("cases:case-detail", args=[household_case.uuid])).status_code == 200
    response = client.post(
        reverse("cases:case-contacts", args=[household_case.uuid]),
        {"occurred_at": "2026-11-20T10:00", "channel": Channel.TELEFOON, "summary": "Gebeld"},
    )
    assert response.status_code == 403
    assert "niet wijzigen" in response.content.decode()
    assert not ContactMoment.objects.exists()


def test_case_member_from_another_team_sees_the_case(client, wijkcoach, household_case, outsider):
    services.case_member_add(actor=wijkcoach, case=household_case, user=outsider, role=CaseRole.WIJKCOACH)
    client.force_login(outsider)
    assert client.get(reverse("cases:case-detail", args=[household_case.uuid])).status_code == 200


def test_viewing_the_case_is_logged_with_one_insert(client, wijkcoach, household_case, django_assert_max_num_queries):
    client.force_login(wijkcoach)
    client.get(reverse("cases:case-detail", args=[household_case.uuid]))
    entry = AccessLogEntry.objects.get(user=wijkcoach, case=household_case, action="view")
    assert entry.route.startswith("GET cases:case-detail")
    assert entry.task == "toeleiding"


def test_safety_flag_is_shown_prominently(client, wijkcoach, team, resident):
    case = services.case_open(actor=wijkcoach, team=team, client=resident, safety_concern="huiselijk_geweld")
    client.force_login(wijkcoach)
    content = client.get(reverse("cases:case-detail", args=[case.uuid])).content.decode()
    assert 'class="app-safety-banner" role="alert"' in content
    assert "Huiselijk geweld" in content


def test_html_in_text_is_escaped(client, wijkcoach, household_case):
    services.contact_record(
        actor=wijkcoach,
        case=household_case,
        occurred_at=timezone.now(),
        channel=Channel.HUISBEZOEK,
        summary='<script>alert("x")</script>',
    )
    client.force_login(wijkcoach)
    content = client.get(reverse("cases:case-contacts", args=[household_case.uuid])).content.decode()
    assert '<script>alert("x")</script>' not in content
    assert "&lt;script&gt;" in content


def test_contact_added_with_htmx_returns_the_partial(client, wijkcoach, household_case):
    client.force_login(wijkcoach)
    response = client.post(
        reverse("cases:case-contacts", args=[household_case.uuid]),
        {"occurred_at": "2026-11-20T10:00", "channel": Channel.HUISBEZOEK, "summary": "Keukentafelgesprek"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content
    assert "Keukentafelgesprek" in content
    assert ContactMoment.objects.get().professional == wijkcoach


def test_contact_form_errors_keep_the_input(client, wijkcoach, household_case):
    client.force_login(wijkcoach)
    response = client.post(
        reverse("cases:case-contacts", args=[household_case.uuid]),
        {"occurred_at": "geen datum", "channel": Channel.HUISBEZOEK, "summary": "Mijn tekst\x00"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Mijn tekst" in content
    assert "ongeldig teken" in content
    assert not ContactMoment.objects.exists()


def test_zrm_disagreement_is_highlighted(client, wijkcoach, colleague, household_case):
    services.assessments_record(
        actor=wijkcoach, case=household_case, scores=[services.ScoreInput(LifeDomain.FINANCIEN, 1)]
    )
    services.assessments_record(
        actor=colleague,
        case=household_case,
        scores=[services.ScoreInput(LifeDomain.FINANCIEN, 3), services.ScoreInput(LifeDomain.HUISVESTING, 4)],
    )
    client.force_login(wijkcoach)
    content = client.get(reverse("cases:case-zrm", args=[household_case.uuid])).content.decode()
    assert content.count('class="app-zrm-disagree"') == 1
    assert "Beoordelaars verschillen 2 of meer" in content
    assert '<svg class="zrm-chart" role="img"' in content


def test_zrm_scores_only_for_chosen_domains(client, wijkcoach, household_case):
    client.force_login(wijkcoach)
    response = client.post(
        reverse("cases:case-zrm", args=[household_case.uuid]),
        {"assessed_on": "2026-11-01", f"score_{LifeDomain.FINANCIEN}": "2", f"score_{LifeDomain.WERK_OPLEIDING}": "3"},
    )
    assert response.status_code == 302
    assert set(LifeDomainAssessment.objects.values_list("domain", "score")) == {
        (LifeDomain.FINANCIEN, 2),
        (LifeDomain.WERK_OPLEIDING, 3),
    }


def test_zrm_without_any_score_is_refused(client, wijkcoach, household_case):
    client.force_login(wijkcoach)
    response = client.post(reverse("cases:case-zrm", args=[household_case.uuid]), {"assessed_on": "2026-11-01"})
    assert response.status_code == 400
    assert "Scoor ten minste één leefgebied" in response.content.decode()


def test_status_transition_from_the_page_and_refusal(client, wijkcoach, household_case):
    client.force_login(wijkcoach)
    url = reverse("cases:case-transition", args=[household_case.uuid])
    response = client.post(url, {"to_status": CaseStatus.INTAKE, "lock_version": household_case.lock_version})
    assert response.status_code == 302
    household_case.refresh_from_db()
    assert household_case.status == CaseStatus.INTAKE
    response = client.post(url, {"to_status": CaseStatus.AFGESLOTEN, "lock_version": household_case.lock_version})
    assert response.status_code == 400
    household_case.refresh_from_db()
    assert household_case.status == CaseStatus.INTAKE


def test_stale_edit_is_refused_and_keeps_the_input(client, wijkcoach, colleague, household_case):
    version = household_case.lock_version
    services.case_update(actor=colleague, case=household_case, expected_version=version, summary="Door collega")
    client.force_login(wijkcoach)
    response = client.post(
        reverse("cases:case-update", args=[household_case.uuid]),
        {"laws": [Law.WMO], "summary": "Mijn eigen tekst", "lock_version": version},
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Iemand anders heeft deze casus intussen gewijzigd" in content
    assert "Mijn eigen tekst" in content
    assert Case.objects.get(pk=household_case.pk).summary == "Door collega"


def test_team_member_add_and_end(client, wijkcoach, household_case, team):
    werkcoach = make_user(Role.WERKCOACH, team)
    client.force_login(wijkcoach)
    response = client.post(
        reverse("cases:case-member-add", args=[household_case.uuid]),
        {"user": werkcoach.uuid, "role": CaseRole.WERKCOACH, "task": "hulpverlening"},
    )
    assert response.status_code == 302
    assert werkcoach.has_perm("cases.view_case", household_case)
    member = household_case.members.get(user=werkcoach)
    client.post(reverse("cases:case-member-end", args=[household_case.uuid, member.uuid]))
    member.refresh_from_db()
    assert member.valid_to is not None


def test_client_file_shows_household_cases_and_timeline(client, wijkcoach, household_case):
    mother = household_case.household.memberships.get(relation=Relation.OUDER).client
    services.contact_record(
        actor=wijkcoach,
        case=household_case,
        occurred_at=timezone.now(),
        channel=Channel.TELEFOON,
        summary="Gebeld met moeder",
    )
    client.force_login(wijkcoach)
    response = client.get(reverse("cases:client-detail", args=[mother.uuid]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Emre Kaya" in content
    assert household_case.number in content
    assert "Gebeld met moeder" in content
    assert AccessLogEntry.objects.filter(user=wijkcoach, client=mother, action="view").exists()


def test_client_file_is_404_for_outsider(client, outsider, household_case):
    mother = household_case.household.memberships.first().client
    client.force_login(outsider)
    assert client.get(reverse("cases:client-detail", args=[mother.uuid])).status_code == 404


# --- Mijn werkvoorraad ----------------------------------------------------------


def _open_cases(actor, team, make_resident, count):
    for index in range(count):
        resident = make_resident(given_names=f"Kees{index}", family_name="Boer")
        case = services.case_open(actor=actor, team=team, client=resident)
        services.case_set_coordinator(actor=actor, case=case, user=actor)


def test_werkvoorraad_lists_my_cases_only(client, wijkcoach, outsider, household_case, other_team, make_resident):
    services.case_open(
        actor=outsider, team=other_team, client=make_resident(given_names="Anders", family_name="Elders")
    )
    client.force_login(wijkcoach)
    content = client.get(reverse("werkvoorraad")).content.decode()
    assert household_case.number in content
    assert "Anders" not in content


def test_werkvoorraad_query_count_does_not_grow_with_cases(
    client, wijkcoach, team, make_resident, django_assert_num_queries
):
    client.force_login(wijkcoach)
    _open_cases(wijkcoach, team, make_resident, 1)
    client.get(reverse("werkvoorraad"))  # warm caches (content types, sessions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("werkvoorraad")).status_code == 200
    _open_cases(wijkcoach, team, make_resident, 149)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("werkvoorraad"))
    assert response.status_code == 200
    assert response.content.decode().count("app-table") >= 1
    # Session, user, memberships, count, the page of cases, signal count, the access-log INSERT...:
    # the same number whether there is 1 case or 150.
    assert len(many) == len(one), [q["sql"][:120] for q in many.captured_queries]


def test_case_page_query_count_does_not_grow_with_rows(client, wijkcoach, colleague, household_case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(wijkcoach)
    url = reverse("cases:case-detail", args=[household_case.uuid])

    def add_rows(count):
        for index in range(count):
            services.contact_record(
                actor=wijkcoach,
                case=household_case,
                occurred_at=timezone.now(),
                channel=Channel.TELEFOON,
                summary=f"c{index}",
            )
            services.assessments_record(
                actor=colleague if index % 2 else wijkcoach,
                case=household_case,
                scores=[services.ScoreInput(LifeDomain.FINANCIEN, 1 + index % 5)],
            )

    add_rows(1)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_rows(20)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]

    contacts_url = reverse("cases:case-contacts", args=[household_case.uuid])
    zrm_url = reverse("cases:case-zrm", args=[household_case.uuid])
    with CaptureQueriesContext(connection) as contacts_page:
        client.get(contacts_url)
    with CaptureQueriesContext(connection) as zrm_page:
        client.get(zrm_url)
    # Bounded: each tab runs a small fixed set of queries, not one per row.
    assert len(contacts_page) < 25
    assert len(zrm_page) < 25


def test_search_is_a_post_and_respects_the_policy(
    client, wijkcoach, outsider, household_case, other_team, make_resident
):
    hidden = make_resident(given_names="Fatma", family_name="Kaya", date_of_birth=datetime.date(1990, 1, 1))
    services.case_open(actor=outsider, team=other_team, client=hidden)
    client.force_login(wijkcoach)
    response = client.post(reverse("werkvoorraad"), {"name": "Kaya"})
    content = response.content.decode()
    assert household_case.number in content
    assert "1 casus gevonden" in content
    assert AccessLogEntry.objects.filter(user=wijkcoach, action="search", case=household_case).exists()

    response = client.post(reverse("werkvoorraad"), {"bsn": "123456782"})
    assert household_case.number in response.content.decode()

    response = client.post(reverse("werkvoorraad"), {"bsn": "123456789"})
    assert "elfproef" in response.content.decode()

"""/api/v1/cases and what hangs under it: members, assessments, contacts, status."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.constants import Role
from cases import services
from cases.api import serializers as api_serializers
from cases.constants import CaseStatus, ClosingReason
from cases.models import Case, CaseMember, CaseStatusChange, ContactMoment, LifeDomainAssessment
from consent.constants import AccessAction
from consent.models import AccessLogEntry
from tests.factories import make_user, shared_purpose

from .conftest import count_queries, invalid_names, new_client, problem

pytestmark = pytest.mark.django_db


def url(case=None, suffix: str = "") -> str:
    return "/api/v1/cases" + (f"/{case.uuid}" if case else "") + suffix


# --- Who sees what -------------------------------------------------------------------


def test_member_lists_and_retrieves_the_case(login, wijkcoach, case):
    api = login(wijkcoach)
    response = api.get(url())
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["uuid"] == str(case.uuid)
    assert row["number"] == case.number
    assert row["status"] == "aangemeld"
    assert row["laws"] == ["wmo"]
    assert row["client"]["fullName"] == "Fatima El Amrani"
    assert row["team"]["name"] == "Wijkteam Noord"
    assert row["safetyFlag"] is False
    assert "id" not in row

    detail = api.get(url(case))
    assert detail.status_code == 200
    assert detail["ETag"] == '"1"'
    data = detail.json()
    assert data["lockVersion"] == 1
    assert data["summary"] == "Schulden"
    assert data["allowedTransitions"] == ["intake"]


def test_team_colleague_sees_the_teams_cases(login, colleague, case):
    api = login(colleague)
    assert [row["uuid"] for row in api.get(url()).json()["results"]] == [str(case.uuid)]
    assert api.get(url(case)).status_code == 200


def test_case_member_from_another_team_sees_that_case(login, member_from_other_team, case, wijkcoach, other_team):
    other_case = services.case_open(actor=wijkcoach, team=case.team, client=new_client(wijkcoach))
    api = login(member_from_other_team)
    assert [row["uuid"] for row in api.get(url()).json()["results"]] == [str(case.uuid)]
    assert api.get(url(case)).status_code == 200
    problem(api.get(url(other_case)), 404)


def test_outsider_gets_404_and_an_empty_list(login, outsider, case):
    api = login(outsider)
    body = problem(api.get(url(case)), 404)
    assert case.number not in str(body)
    assert api.get(url()).json() == {"count": 0, "next": None, "previous": None, "results": []}
    for suffix in ("/members", "/assessments", "/contacts"):
        problem(api.get(url(case, suffix)), 404)
    # Refused reads are logged, without telling the outsider anything.
    assert AccessLogEntry.objects.filter(user=outsider, case=case, action=AccessAction.DENIED).exists()


def test_unknown_case_is_the_same_404_as_an_invisible_one(login, outsider, case):
    api = login(outsider)
    invisible = api.get(url(case)).json()
    unknown = api.get("/api/v1/cases/00000000-0000-4000-8000-000000000000").json()
    assert {k: v for k, v in invisible.items() if k != "instance"} == {
        k: v for k, v in unknown.items() if k != "instance"
    }


def test_beleid_sees_no_case(login, beleid, case):
    api = login(beleid)
    assert api.get(url()).json()["count"] == 0
    problem(api.get(url(case)), 404)


def test_partner_member_reads_but_cannot_write(login, partner_member, case):
    api = login(partner_member)
    assert api.get(url(case)).status_code == 200
    body = problem(api.patch(url(case), {"summary": "Overschreven"}), 403)
    assert body["detail"] == "U mag deze casus inzien, maar niet wijzigen."
    problem(api.post(url(case, "/status"), {"status": "intake"}), 403)
    problem(api.post(url(case, "/contacts"), _contact()), 403)
    case.refresh_from_db()
    assert case.summary == "Schulden"
    assert case.status == CaseStatus.AANGEMELD
    assert not ContactMoment.objects.exists()


def test_unauthenticated_is_401(api_client, case):
    problem(api_client.get(url()), 401)
    problem(api_client.get(url(case)), 401)


def test_no_trailing_slash(login, wijkcoach, case):
    api = login(wijkcoach)
    assert api.get(url() + "/").status_code == 404
    assert api.get(url(case) + "/").status_code == 404


# --- Access log ---------------------------------------------------------------------


def test_retrieve_and_list_write_access_log_entries(login, wijkcoach, case):
    api = login(wijkcoach)
    api.get(url(case))
    assert AccessLogEntry.objects.filter(user=wijkcoach, case=case, action=AccessAction.VIEW).count() == 1
    api.get(url())
    listed = AccessLogEntry.objects.get(user=wijkcoach, action=AccessAction.LIST)
    assert listed.case == case
    assert "api-case-list" in listed.route


# --- Lists: filters, pagination, query budget ------------------------------------------


def test_filters(login, wijkcoach, team, other_team, case):
    flagged = services.case_open(
        actor=wijkcoach,
        team=team,
        client=new_client(wijkcoach),
        laws=["jeugdwet", "wgs"],
        safety_concern="huiselijk_geweld",
    )
    services.case_transition(actor=wijkcoach, case=flagged, to_status=CaseStatus.INTAKE)
    api = login(wijkcoach)

    def uuids(query: str) -> set[str]:
        response = api.get(url() + query)
        assert response.status_code == 200, response.content
        return {row["uuid"] for row in response.json()["results"]}

    assert uuids("?status=intake") == {str(flagged.uuid)}
    assert uuids("?safetyFlag=true") == {str(flagged.uuid)}
    assert uuids("?safetyFlag=false") == {str(case.uuid)}
    assert uuids("?law=wgs") == {str(flagged.uuid)}
    assert uuids("?law=wmo") == {str(case.uuid)}
    assert uuids(f"?team={team.uuid}") == {str(case.uuid), str(flagged.uuid)}
    assert uuids(f"?team={other_team.uuid}") == set()


@pytest.mark.parametrize("query", ["?status=bestaat_niet", "?law=bijstand", "?team=geen-uuid"])
def test_invalid_filter_values_are_400(login, wijkcoach, case, query):
    problem(login(wijkcoach).get(url() + query), 400)


def test_pagination_with_page_size(login, wijkcoach, team, case):
    for _ in range(2):
        services.case_open(actor=wijkcoach, team=team, client=new_client(wijkcoach))
    api = login(wijkcoach)
    body = api.get(url() + "?pageSize=2").json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert "page=2" in body["next"]
    assert len(api.get(url() + "?pageSize=2&page=2").json()["results"]) == 1


def test_case_list_query_count_does_not_grow_with_rows(login, wijkcoach, colleague, team, django_assert_num_queries):
    services.case_open(actor=wijkcoach, team=team, client=new_client(wijkcoach))
    api = login(wijkcoach)
    # 1 session, 2 user, 3 memberships (roles and teams for the policy), 4-5 the access scope resolved once as
    # small id lists (object permissions, break-the-glass grants), 6 count, 7 rows with team, coordinator,
    # client, household and last contact (subquery), 8 the access-log INSERT (all rows in one), 9-11 savepoint,
    # UPDATE, release of the sliding session (SESSION_SAVE_EVERY_REQUEST).
    with django_assert_num_queries(11):
        assert len(api.get(url()).json()["results"]) == 1

    for _ in range(19):
        case = services.case_open(actor=colleague, team=team, client=new_client(wijkcoach), safety_concern="beide")
        services.case_set_coordinator(actor=colleague, case=case, user=colleague)
    with django_assert_num_queries(11):
        assert len(api.get(url()).json()["results"]) == 20
    assert AccessLogEntry.objects.filter(action=AccessAction.LIST).count() == 21


# --- Create ---------------------------------------------------------------------------


def test_open_case_for_a_visible_client(login, colleague, team, case, client_record):
    api = login(colleague)
    response = api.post(
        url(),
        {"team": str(team.uuid), "client": str(client_record.uuid), "laws": ["participatiewet"], "summary": "Werk"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "aangemeld"
    assert body["laws"] == ["participatiewet"]
    assert response["ETag"] == '"1"'
    assert response["Location"] == f"/api/v1/cases/{body['uuid']}"
    created = Case.objects.get(uuid=body["uuid"])
    assert CaseMember.objects.filter(case=created, user=colleague).exists()
    assert AccessLogEntry.objects.filter(case=created, action=AccessAction.CHANGE).exists()


def test_open_case_in_a_team_that_is_not_yours_is_403(login, outsider, team, case, client_record):
    body = problem(login(outsider).post(url(), {"team": str(team.uuid), "client": str(client_record.uuid)}), 403)
    assert body["detail"] == "U mag geen casus openen in dit team."
    assert Case.objects.count() == 1


def test_open_case_for_an_invisible_client_does_not_reveal_it(login, outsider, other_team, client_record):
    api = login(outsider)
    invisible = api.post(url(), {"team": str(other_team.uuid), "client": str(client_record.uuid)})
    unknown = api.post(url(), {"team": str(other_team.uuid), "client": "00000000-0000-4000-8000-000000000000"})
    assert problem(invisible, 400)["invalidParams"] == problem(unknown, 400)["invalidParams"]
    assert problem(invisible, 400)["invalidParams"] == [
        {"name": "client", "code": "invalid", "reason": "Onbekende cliënt."}
    ]
    assert not Case.objects.filter(team=other_team).exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "team"),
        ({"client": None}, "client"),
        ({"laws": ["bijstand"]}, "laws.0"),
        ({"safetyConcern": "onbekend"}, "safetyConcern"),
        ({"summary": "x" * 2001}, "summary"),
        ({"summary": "ok\x00"}, "summary"),
    ],
)
def test_open_case_invalid_input(login, wijkcoach, team, client_record, body, field):
    data = {"team": str(team.uuid), "client": str(client_record.uuid), **body}
    data = {k: v for k, v in data.items() if not (field == "team" and k == "team")}
    assert field in invalid_names(login(wijkcoach).post(url(), data))
    assert not Case.objects.exists()


def test_open_the_first_case_of_a_newly_registered_client(login, wijkcoach, team):
    api = login(wijkcoach)
    created = api.post(
        "/api/v1/clients", {"givenNames": "Nieuw", "familyName": "Persoon", "dateOfBirth": "1990-01-01"}
    ).json()
    response = api.post(url(), {"team": str(team.uuid), "client": created["uuid"]})
    assert response.status_code == 201
    # The registering team sees the new client; another team does not.


def test_a_newly_registered_client_is_invisible_to_other_teams(login, wijkcoach, outsider):
    created = (
        login(wijkcoach)
        .post("/api/v1/clients", {"givenNames": "Nieuw", "familyName": "Persoon", "dateOfBirth": "1990-01-01"})
        .json()
    )
    assert login(outsider).get(f"/api/v1/clients/{created['uuid']}").status_code == 404


# --- Update with optimistic locking ----------------------------------------------------


def test_patch_with_current_if_match(login, wijkcoach, case):
    api = login(wijkcoach)
    etag = api.get(url(case))["ETag"]
    response = api.patch(
        url(case),
        {
            "summary": "<script>alert('x')</script> & meer",
            "laws": ["wmo", "wgs"],
            "safetyConcern": "kindermishandeling",
        },
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'
    body = response.json()
    assert body["lockVersion"] == 2
    assert body["laws"] == ["wmo", "wgs"]
    assert body["safetyFlag"] is True
    # JSON is not HTML: the text comes back exactly as sent; escaping is the page's job.
    assert body["summary"] == "<script>alert('x')</script> & meer"
    assert response["Content-Type"] == "application/json"
    case.refresh_from_db()
    assert case.summary == "<script>alert('x')</script> & meer"


@pytest.mark.parametrize("headers", [{}, {"HTTP_IF_MATCH": "*"}, {"HTTP_IF_MATCH": " "}])
def test_patch_without_if_match_is_428_and_nothing_changes(login, wijkcoach, case, headers):
    # The same rule as the workplans API: a change of fields must say which version it changes.
    body = problem(login(wijkcoach).patch(url(case), {"summary": "Nieuw"}, **headers), 428)
    assert "If-Match" in body["detail"]
    case.refresh_from_db()
    assert (case.summary, case.lock_version) == ("Schulden", 1)


def test_a_status_change_may_leave_out_if_match(login, wijkcoach, case):
    response = login(wijkcoach).post(url(case, "/status"), {"status": "intake", "reason": "Gesprek gepland"})
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'


@pytest.mark.parametrize("if_match", ['"7"', 'W/"1"', "1", "onzin"])
def test_stale_if_match_is_412_and_nothing_changes(login, wijkcoach, colleague, case, if_match):
    api = login(wijkcoach)
    response = api.patch(url(case), {"summary": "Mijn versie"}, HTTP_IF_MATCH=if_match)
    body = problem(response, 412)
    assert body["code"] == "stale"
    assert "gewijzigd" in body["detail"]
    case.refresh_from_db()
    assert case.summary == "Schulden"
    assert case.lock_version == 1


def test_lost_update_is_refused(login, wijkcoach, colleague, case):
    """Two people load version 1; the second save is refused instead of overwriting the first."""
    first = login(wijkcoach)
    etag = first.get(url(case))["ETag"]
    assert first.patch(url(case), {"summary": "Eerste"}, HTTP_IF_MATCH=etag).status_code == 200
    second = login(colleague)
    problem(second.patch(url(case), {"summary": "Tweede"}, HTTP_IF_MATCH=etag), 412)
    case.refresh_from_db()
    assert case.summary == "Eerste"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"summary": "x" * 2001}, "summary"),
        ({"summary": "a\x00b"}, "summary"),
        ({"laws": ["wmo", "bestaat"]}, "laws.1"),
        ({"safetyConcern": "iets"}, "safetyConcern"),
    ],
)
def test_invalid_patch_is_400_and_nothing_changes(login, wijkcoach, case, body, field):
    response = login(wijkcoach).patch(url(case), body, HTTP_IF_MATCH='"1"')
    assert field in invalid_names(response)
    case.refresh_from_db()
    assert (case.summary, case.laws, case.safety_concern, case.lock_version) == ("Schulden", ["wmo"], "", 1)


def test_nul_message_is_dutch(login, wijkcoach, case):
    params = problem(login(wijkcoach).patch(url(case), {"summary": "a\x00"}, HTTP_IF_MATCH='"1"'), 400)["invalidParams"]
    assert params == [
        {"name": "summary", "code": "null_characters_not_allowed", "reason": "De tekst bevat een ongeldig teken (NUL)."}
    ]


def test_form_encoded_bodies_are_refused(login, wijkcoach, case):
    response = login(wijkcoach).patch(
        url(case), "summary=x", content_type="application/x-www-form-urlencoded", HTTP_IF_MATCH='"1"'
    )
    problem(response, 415)


# --- Status transitions --------------------------------------------------------------


def test_status_transition(login, wijkcoach, case):
    api = login(wijkcoach)
    response = api.post(url(case, "/status"), {"status": "intake", "reason": "Gesprek gepland"}, HTTP_IF_MATCH='"1"')
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "intake"
    assert response.json()["allowedTransitions"] == ["triage"]
    assert response["ETag"] == '"2"'
    change = CaseStatusChange.objects.filter(case=case).latest("id")
    assert (change.from_status, change.to_status, change.reason, change.actor) == (
        "aangemeld",
        "intake",
        "Gesprek gepland",
        wijkcoach,
    )


def test_transition_not_in_the_table_is_400_in_dutch(login, wijkcoach, case):
    params = problem(login(wijkcoach).post(url(case, "/status"), {"status": "actief"}), 400)["invalidParams"]
    assert params[0]["name"] == "status"
    assert params[0]["reason"] == "Een casus met status 'Aangemeld' kan niet naar 'Actief (gecoördineerde aanpak)'."
    case.refresh_from_db()
    assert case.status == CaseStatus.AANGEMELD
    assert CaseStatusChange.objects.filter(case=case).count() == 1


def test_unknown_status_is_400(login, wijkcoach, case):
    params = problem(login(wijkcoach).post(url(case, "/status"), {"status": "verdwenen"}), 400)["invalidParams"]
    assert params[0]["name"] == "status"
    assert "geldige keuze" in params[0]["reason"]


def test_closing_needs_a_reason(login, wijkcoach, case):
    for status in (CaseStatus.INTAKE, CaseStatus.TRIAGE, CaseStatus.ACTIEF):
        case = services.case_transition(actor=wijkcoach, case=case, to_status=status)
    api = login(wijkcoach)
    assert "closingReason" in invalid_names(api.post(url(case, "/status"), {"status": "afgesloten"}))
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIEF
    response = api.post(url(case, "/status"), {"status": "afgesloten", "closingReason": ClosingReason.DOELEN_BEHAALD})
    assert response.status_code == 200
    assert response.json()["closingReason"] == "doelen_behaald"
    assert response.json()["closedOn"] == timezone.localdate().isoformat()


def test_stale_transition_is_412(login, wijkcoach, case):
    problem(login(wijkcoach).post(url(case, "/status"), {"status": "intake"}, HTTP_IF_MATCH='"5"'), 412)
    case.refresh_from_db()
    assert case.status == CaseStatus.AANGEMELD


# --- Case team ----------------------------------------------------------------------


def test_members_list_and_add(login, wijkcoach, colleague, partner_org, case):
    api = login(wijkcoach)
    response = api.post(url(case, "/members"), {"user": str(colleague.uuid), "role": "klantmanager"})
    assert response.status_code == 201, response.content
    assert response.json()["user"]["uuid"] == str(colleague.uuid)
    response = api.post(
        url(case, "/members"),
        {
            "organisation": str(partner_org.uuid),
            "contactName": "J. de Boer",
            "contactEmail": "boer@example.org",
            "role": "partner",
        },
    )
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "purpose"
    response = api.post(
        url(case, "/members"),
        {
            "organisation": str(partner_org.uuid),
            "contactName": "J. de Boer",
            "contactEmail": "boer@example.org",
            "role": "partner",
            "purpose": shared_purpose().code,
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["purpose"] == shared_purpose().code
    assert response.json()["name"] == "J. de Boer"
    body = api.get(url(case, "/members")).json()
    assert body["count"] == 3
    assert {row["role"] for row in body["results"]} == {"wijkcoach", "klantmanager", "partner"}
    assert api.get(url(case, "/members") + "?current=false").json()["count"] == 0


def test_add_member_invalid(login, wijkcoach, case):
    api = login(wijkcoach)
    unknown = api.post(url(case, "/members"), {"user": "00000000-0000-4000-8000-000000000000", "role": "wijkcoach"})
    assert invalid_names(unknown) == {"user"}
    duplicate = api.post(url(case, "/members"), {"user": str(wijkcoach.uuid), "role": "wijkcoach"})
    assert problem(duplicate, 400)["invalidParams"][0]["name"] == "user"
    nul = api.post(
        url(case, "/members"),
        {"organisation": str(case.team.organisation.uuid), "contactName": "\x00", "role": "partner"},
    )
    assert "contactName" in invalid_names(nul)
    assert CaseMember.objects.filter(case=case).count() == 1


def test_members_query_count_does_not_grow(login, wijkcoach, case, django_assert_max_num_queries):
    api = login(wijkcoach)
    with CaptureQueriesContext(connection) as one:
        api.get(url(case, "/members"))
    for index in range(5):
        services.case_member_add(
            actor=wijkcoach, case=case, user=make_user(Role.KLANTMANAGER, case.team), role="klantmanager"
        )
        services.case_member_add(
            actor=wijkcoach, case=case, organisation=case.team.organisation, contact_name=f"C{index}", role="partner"
        )
    with django_assert_max_num_queries(len(one)):
        assert api.get(url(case, "/members")).json()["count"] == 11


# --- Assessments and contacts ---------------------------------------------------------


def test_record_and_list_assessments(login, wijkcoach, case, client_record):
    api = login(wijkcoach)
    response = api.post(
        url(case, "/assessments"),
        {
            "client": str(client_record.uuid),
            "scores": [
                {"domain": "financien", "score": 2, "targetScore": 4, "rationale": "Achterstand huur"},
                {"domain": "huisvesting", "score": 3},
            ],
        },
    )
    assert response.status_code == 201, response.content
    assert [row["domain"] for row in response.json()["scores"]] == ["financien", "huisvesting"]
    body = api.get(url(case, "/assessments") + "?domain=financien").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["score"], row["targetScore"], row["assessor"]["uuid"]) == (2, 4, str(wijkcoach.uuid))
    assert row["client"]["uuid"] == str(client_record.uuid)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"scores": []}, "scores"),
        ({"scores": [{"domain": "financien", "score": 6}]}, "scores.0.score"),
        ({"scores": [{"domain": "geluk", "score": 3}]}, "scores.0.domain"),
        ({"scores": [{"domain": "financien", "score": 3, "rationale": "x\x00"}]}, "scores.0.rationale"),
        ({"scores": [{"domain": "financien", "score": 3}, {"domain": "financien", "score": 2}]}, "nonFieldErrors"),
        ({"scores": [{"domain": "financien", "score": 3}], "assessedOn": "2999-01-01"}, "assessedOn"),
        ({"scores": [{"domain": "financien", "score": 3}], "client": "00000000-0000-4000-8000-000000000000"}, "client"),
    ],
)
def test_invalid_assessments_store_nothing(login, wijkcoach, case, body, field):
    assert field in invalid_names(login(wijkcoach).post(url(case, "/assessments"), body))
    assert not LifeDomainAssessment.objects.exists()


def _contact(**overrides) -> dict:
    return {
        "occurredAt": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
        "channel": "huisbezoek",
        "summary": "Keukentafelgesprek",
        **overrides,
    }


def test_record_and_list_contacts(login, wijkcoach, case, client_record):
    api = login(wijkcoach)
    response = api.post(url(case, "/contacts"), _contact(participants=[str(client_record.uuid)]))
    assert response.status_code == 201, response.content
    assert response.json()["participants"] == [{"uuid": str(client_record.uuid), "fullName": "Fatima El Amrani"}]
    api.post(url(case, "/contacts"), _contact(channel="telefoon"))
    assert api.get(url(case, "/contacts")).json()["count"] == 2
    assert api.get(url(case, "/contacts") + "?channel=telefoon").json()["count"] == 1
    assert api.get(url()).json()["results"][0]["lastContactAt"] is not None


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"occurredAt": (timezone.now() + datetime.timedelta(days=2)).isoformat()}, "occurredAt"),
        ({"occurredAt": "gisteren"}, "occurredAt"),
        ({"summary": "x" * 2001}, "summary"),
        ({"summary": "\x00"}, "summary"),
        ({"channel": "duif"}, "channel"),
        ({"participants": ["00000000-0000-4000-8000-000000000000"]}, "participants.0"),
    ],
)
def test_invalid_contacts_store_nothing(login, wijkcoach, case, overrides, field):
    assert field in invalid_names(login(wijkcoach).post(url(case, "/contacts"), _contact(**overrides)))
    assert not ContactMoment.objects.exists()


def test_assessment_and_contact_lists_do_not_grow_in_queries(login, wijkcoach, case, client_record):
    api = login(wijkcoach)
    services.assessments_record(actor=wijkcoach, case=case, scores=[services.ScoreInput("financien", 2)])
    services.contact_record(
        actor=wijkcoach,
        case=case,
        occurred_at=timezone.now(),
        channel="telefoon",
        summary="Eén",
        participants=[client_record],
    )
    assessments, contacts = count_queries(api, url(case, "/assessments")), count_queries(api, url(case, "/contacts"))
    other_assessor = make_user(Role.KLANTMANAGER, case.team)
    for day in range(1, 6):
        services.assessments_record(
            actor=other_assessor,
            case=case,
            client=client_record,
            scores=[services.ScoreInput("huisvesting", 3), services.ScoreInput("werk_opleiding", 4)],
            assessed_on=timezone.localdate() - datetime.timedelta(days=day),
        )
        services.contact_record(
            actor=other_assessor,
            case=case,
            occurred_at=timezone.now() - datetime.timedelta(days=day),
            channel="video",
            summary=f"Gesprek {day}",
            participants=[client_record],
        )
    assert count_queries(api, url(case, "/assessments")) == assessments
    assert count_queries(api, url(case, "/contacts")) == contacts


def test_participant_must_belong_to_the_case(login, wijkcoach, team, case):
    stranger = new_client(wijkcoach)
    services.case_open(actor=wijkcoach, team=team, client=stranger)
    response = login(wijkcoach).post(url(case, "/contacts"), _contact(participants=[str(stranger.uuid)]))
    assert invalid_names(response) == {"participants.0"}


# --- The NUL guard covers every string input ---------------------------------------------


def _writable_fields(serializer, prefix=""):
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        child = getattr(field, "child", None)
        if hasattr(field, "fields"):
            yield from _writable_fields(field, f"{prefix}{name}.")
        elif child is not None and hasattr(child, "fields"):
            yield from _writable_fields(child, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", child or field


def test_every_string_input_refuses_nul_characters():
    """A NUL must never reach PostgreSQL: every writable string field of every input serializer is NUL-free."""
    from rest_framework import serializers

    from api_conventions.serializer_fields import RefuseControlCharactersMixin

    checked = 0
    for serializer_class in vars(api_serializers).values():
        if not (isinstance(serializer_class, type) and issubclass(serializer_class, serializers.Serializer)):
            continue
        if (
            serializer_class.__module__ != api_serializers.__name__
            or serializer_class is api_serializers.CamelModelSerializer
        ):
            continue
        for name, field in _writable_fields(serializer_class()):
            if isinstance(field, serializers.CharField):
                checked += 1
                assert isinstance(field, RefuseControlCharactersMixin), f"{serializer_class.__name__}.{name}"
    assert checked > 20

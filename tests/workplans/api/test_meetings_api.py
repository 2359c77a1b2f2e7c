"""/api/v1/meetings (participants, agenda items, cancellation) and /api/v1/agreements.

Same policy as the case file: a meeting is visible to its team and its
participants (404 for anybody else), only the team changes it (403), the
meeting shows only the agenda items of cases the user may see, agreements
are listed for visible cases and changed only with write access to the case.
"""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.constants import Role
from cases import services as case_services
from cases.constants import CaseRole
from consent.constants import AccessAction
from consent.models import AccessLogEntry
from tests.factories import TeamFactory, make_user, shared_purpose
from tests.workplans.api.test_workplans_api import make_active_case, problem
from workplans import meeting_services
from workplans.meeting_models import AgreementStatus, MeetingKind, MeetingStatus

pytestmark = pytest.mark.django_db

NUL = "\x00"


def meetings_url(meeting=None, suffix: str = "") -> str:
    return "/api/v1/meetings" + (f"/{meeting.uuid}" if meeting else "") + suffix


def agreements_url(agreement=None, suffix: str = "") -> str:
    return "/api/v1/agreements" + (f"/{agreement.uuid}" if agreement else "") + suffix


def invalid_names(response) -> set[str]:
    return {param["name"] for param in problem(response, 400)["invalidParams"]}


def next_week() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=7)


EMPTY_PAGE = {"count": 0, "next": None, "previous": None, "results": []}


@pytest.fixture
def login(api_client):
    def _login(user):
        api_client.force_login(user)
        return api_client

    return _login


@pytest.fixture
def partner(partner_org, wijkcoach, active_case):
    """A GGZ professional who is a (read-only) member of ``active_case`` only."""
    partner_team = TeamFactory(organisation=partner_org, name="GGZ team")
    user = make_user(Role.PARTNER, partner_team, username="t_partner")
    case_services.case_member_add(
        actor=wijkcoach, case=active_case, user=user, role=CaseRole.PARTNER, purpose=shared_purpose()
    )
    return user


@pytest.fixture
def meeting(wijkcoach, team):
    return meeting_services.meeting_plan(
        actor=wijkcoach,
        team=team,
        title="Teamoverleg Noord",
        starts_at=next_week(),
        chair=wijkcoach,
        kind=MeetingKind.TEAMOVERLEG,
        location="Wijkcentrum",
    )


@pytest.fixture
def second_case(wijkcoach, team):
    return make_active_case(wijkcoach, team, "Visser")


@pytest.fixture
def agenda(wijkcoach, meeting, active_case, second_case):
    """Both cases of the team on the agenda of the team meeting."""
    meeting_services.agenda_item_add(actor=wijkcoach, meeting=meeting, case=active_case, question="Schulden")
    meeting_services.agenda_item_add(actor=wijkcoach, meeting=meeting, case=second_case, question="Woning")
    return meeting


def agreement_make(wijkcoach, case, *, days: int = 14, what: str = "Budgetplan opstellen", **kwargs):
    return meeting_services.agreement_make(
        actor=wijkcoach,
        case=case,
        what=what,
        due_on=timezone.localdate() + datetime.timedelta(days=days),
        owner=kwargs.pop("owner", wijkcoach),
        **kwargs,
    )


# --- Meetings: who sees what ---------------------------------------------------------------


def test_list_shows_the_meetings_of_my_team(login, wijkcoach, colleague, outsider, beleid, meeting):
    body = login(wijkcoach).get(meetings_url()).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["uuid"] == str(meeting.uuid)
    assert row["kind"] == MeetingKind.TEAMOVERLEG
    assert row["status"] == MeetingStatus.GEPLAND
    assert row["chair"]["name"] == wijkcoach.get_full_name()
    assert row["team"]["name"] == "Wijkteam Noord"
    assert row["durationMinutes"] == 60
    assert "agendaItems" not in row and "id" not in row

    assert login(colleague).get(meetings_url()).json()["count"] == 1
    for user in (outsider, beleid):
        assert login(user).get(meetings_url()).json() == EMPTY_PAGE


def test_outsider_and_beleid_get_404_on_every_meeting_route(login, outsider, beleid, agenda, active_case):
    for user in (outsider, beleid):
        api = login(user)
        problem(api.get(meetings_url(agenda)), 404)
        problem(api.post(meetings_url(agenda, "/agenda-items"), {"case": str(active_case.uuid)}), 404)
        problem(api.post(meetings_url(agenda, "/participants"), {"user": str(user.uuid)}), 404)
        problem(api.post(meetings_url(agenda, "/cancellation")), 404)
    agenda.refresh_from_db()
    assert agenda.status == MeetingStatus.GEPLAND
    assert agenda.participants.count() == 1


def test_detail_shows_participants_and_agenda_and_logs_the_cases(login, wijkcoach, agenda, active_case, second_case):
    body = login(wijkcoach).get(meetings_url(agenda)).json()
    assert [p["name"] for p in body["participants"]] == [str(wijkcoach)]
    assert [item["case"]["uuid"] for item in body["agendaItems"]] == [str(active_case.uuid), str(second_case.uuid)]
    assert [item["question"] for item in body["agendaItems"]] == ["Schulden", "Woning"]
    assert body["agendaItems"][0]["position"] == 1
    logged = set(
        AccessLogEntry.objects.filter(user=wijkcoach, action=AccessAction.VIEW).values_list("case_id", flat=True)
    )
    assert logged == {active_case.pk, second_case.pk}


def test_partner_participant_sees_only_the_item_of_its_case(
    login, wijkcoach, partner, agenda, active_case, second_case
):
    response = login(wijkcoach).post(meetings_url(agenda, "/participants"), {"user": str(partner.uuid)})
    assert response.status_code == 201, response.content
    assert response.json()["organisation"]["name"] == "GGZ Testdorp"

    api = login(partner)
    assert [row["uuid"] for row in api.get(meetings_url()).json()["results"]] == [str(agenda.uuid)]
    body = api.get(meetings_url(agenda)).json()
    assert [item["case"]["uuid"] for item in body["agendaItems"]] == [str(active_case.uuid)]
    assert second_case.number not in str(body)
    logged = set(
        AccessLogEntry.objects.filter(user=partner, action=AccessAction.VIEW).values_list("case_id", flat=True)
    )
    assert logged == {active_case.pk}

    # A participant from outside the team does not change the meeting.
    problem(api.post(meetings_url(agenda, "/cancellation")), 403)
    problem(api.post(meetings_url(agenda, "/participants"), {"user": str(partner.uuid)}), 403)
    problem(api.post(meetings_url(agenda, "/agenda-items"), {"case": str(active_case.uuid)}), 403)


def test_list_query_count_does_not_grow_with_the_meetings(login, wijkcoach, team, meeting):
    api = login(wijkcoach)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as context:
            response = api.get(meetings_url(), {"pageSize": 50})
        assert response.status_code == 200
        return len(context), response.json()["count"]

    one, listed = count()
    assert listed == 1
    for index in range(9):
        meeting_services.meeting_plan(
            actor=wijkcoach, team=team, title=f"Overleg {index}", starts_at=next_week(), chair=wijkcoach, location="X"
        )
    ten, listed = count()
    assert listed == 10
    assert ten == one


def test_detail_query_count_does_not_grow_with_the_agenda(login, wijkcoach, team, meeting):
    """Agenda items with agreements made here (with a goal) and carried over: a fixed number of queries."""
    from workplans import services

    def add_case(name: str) -> None:
        case = make_active_case(wijkcoach, team, name)
        goal = services.goal_add(
            actor=wijkcoach,
            workplan=services.workplan_create(actor=wijkcoach, case=case),
            term="kort",
            life_domain="financien",
            description="Schulden",
            owner=wijkcoach,
        )
        agreement_make(wijkcoach, case, what="Eerder gemaakt")
        meeting_services.agenda_item_add(actor=wijkcoach, meeting=meeting, case=case)
        agreement_make(wijkcoach, case, what="Hier gemaakt", meeting=meeting, goal=goal)

    api = login(wijkcoach)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as context:
            response = api.get(meetings_url(meeting))
        assert response.status_code == 200
        items = response.json()["agendaItems"]
        assert all(len(item["agreements"]) == 1 and len(item["carriedOver"]) == 1 for item in items)
        assert all(item["agreements"][0]["goal"] and item["agreements"][0]["meeting"] for item in items)
        return len(context), len(items)

    add_case("Een")
    one, listed = count()
    assert listed == 1
    for index in range(4):
        add_case(f"Gezin{index}")
    five, listed = count()
    assert listed == 5
    assert five == one


# --- Meetings: writes ---------------------------------------------------------------------


def test_plan_a_meeting_for_my_team(login, wijkcoach, team):
    body = {
        "title": "Casusoverleg De Boer",
        "startsAt": next_week().isoformat(),
        "videoLink": "https://meet.example.nl/abc",
        "durationMinutes": 45,
    }
    response = login(wijkcoach).post(meetings_url(), body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert response["Location"] == f"/api/v1/meetings/{data['uuid']}"
    assert data["team"]["uuid"] == str(team.uuid)
    assert data["kind"] == MeetingKind.CASUSOVERLEG
    assert data["chair"]["uuid"] == str(wijkcoach.uuid)
    assert [p["user"]["uuid"] for p in data["participants"]] == [str(wijkcoach.uuid)]
    assert data["agendaItems"] == []


def test_plan_refuses_other_teams_beleid_the_past_and_no_place(login, wijkcoach, outsider, beleid, team, other_team):
    body = {"title": "Overleg", "startsAt": next_week().isoformat(), "location": "Wijkcentrum"}
    problem(login(outsider).post(meetings_url(), {**body, "team": str(team.uuid)}), 403)
    problem(login(beleid).post(meetings_url(), body), 403)
    api = login(wijkcoach)
    problem(api.post(meetings_url(), {**body, "team": str(other_team.uuid)}), 403)
    assert invalid_names(api.post(meetings_url(), {**body, "team": "00000000-0000-0000-0000-000000000000"})) == {"team"}
    past = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert invalid_names(api.post(meetings_url(), {**body, "startsAt": past})) == {"startsAt"}
    assert invalid_names(api.post(meetings_url(), {**body, "location": ""})) == {"location"}


def test_nul_is_refused_everywhere(login, wijkcoach, meeting, active_case, municipality):
    api = login(wijkcoach)
    assert invalid_names(
        api.post(meetings_url(), {"title": f"A{NUL}B", "startsAt": next_week().isoformat(), "location": "X"})
    ) == {"title"}
    assert invalid_names(
        api.post(meetings_url(meeting, "/agenda-items"), {"case": str(active_case.uuid), "question": NUL})
    ) == {"question"}
    assert invalid_names(
        api.post(
            meetings_url(meeting, "/participants"),
            {"contactName": f"X{NUL}", "contactEmail": "a@example.nl", "organisation": str(municipality.uuid)},
        )
    ) == {"contactName"}
    assert invalid_names(
        api.post(agreements_url(), {"case": str(active_case.uuid), "what": f"a{NUL}", "dueOn": "2030-01-01"})
    ) == {"what"}
    agreement = agreement_make(wijkcoach, active_case)
    assert invalid_names(
        api.post(agreements_url(agreement, "/closure"), {"status": "vervallen", "note": f"x{NUL}"})
    ) == {"note"}
    assert meeting.agenda_items.count() == 0


def test_agenda_item_needs_a_visible_case(login, wijkcoach, outsider, other_team, meeting, active_case):
    foreign = make_active_case(outsider, other_team, "Bakker")
    api = login(wijkcoach)
    body = problem(api.post(meetings_url(meeting, "/agenda-items"), {"case": str(foreign.uuid)}), 400)
    assert body["invalidParams"][0]["name"] == "case"
    assert "Onbekende casus" in body["invalidParams"][0]["reason"]
    assert AccessLogEntry.objects.filter(user=wijkcoach, case=foreign, action=AccessAction.DENIED).exists()

    response = api.post(meetings_url(meeting, "/agenda-items"), {"case": str(active_case.uuid), "minutesPlanned": 20})
    assert response.status_code == 201, response.content
    assert response.json()["case"]["number"] == active_case.number
    assert response.json()["minutesPlanned"] == 20
    assert invalid_names(api.post(meetings_url(meeting, "/agenda-items"), {"case": str(active_case.uuid)})) == {"case"}


def test_participant_contact_without_account(login, wijkcoach, meeting, municipality):
    api = login(wijkcoach)
    assert invalid_names(api.post(meetings_url(meeting, "/participants"), {"contactName": "Zonder adres"})) == {
        "contactEmail"
    }
    response = api.post(
        meetings_url(meeting, "/participants"),
        {"contactName": "Mw. Jansen", "contactEmail": "jansen@example.nl", "organisation": str(municipality.uuid)},
    )
    assert response.status_code == 201, response.content
    assert response.json()["user"] is None
    assert response.json()["name"] == "Mw. Jansen"
    assert invalid_names(api.post(meetings_url(meeting, "/participants"), {"user": str(wijkcoach.uuid)})) == {"user"}


def test_cancellation_sets_the_status_and_mails_a_cancel(
    login, wijkcoach, meeting, municipality, django_capture_on_commit_callbacks
):
    meeting_services.participant_add(
        actor=wijkcoach, meeting=meeting, organisation=municipality, contact_email="gast@example.nl"
    )
    mail.outbox.clear()
    api = login(wijkcoach)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(meetings_url(meeting, "/cancellation"))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == MeetingStatus.GEANNULEERD
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.GEANNULEERD
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "gast@example.nl" in message.to
    assert message.subject.startswith("Geannuleerd")
    name, content, mimetype = message.attachments[0]
    assert "method=CANCEL" in mimetype
    assert "METHOD:CANCEL" in (content.decode() if isinstance(content, bytes) else content)

    assert "nonFieldErrors" in invalid_names(api.post(meetings_url(meeting, "/cancellation")))


# --- Agreements ---------------------------------------------------------------------------


def test_agreements_list_is_filtered_by_policy(login, wijkcoach, outsider, beleid, partner, active_case, second_case):
    mine = agreement_make(wijkcoach, active_case)
    other = agreement_make(wijkcoach, second_case, what="Woning zoeken")
    body = login(wijkcoach).get(agreements_url()).json()
    assert {row["uuid"] for row in body["results"]} == {str(mine.uuid), str(other.uuid)}
    row = next(r for r in body["results"] if r["uuid"] == str(mine.uuid))
    assert row["case"] == {"uuid": str(active_case.uuid), "number": active_case.number}
    assert row["owner"]["uuid"] == str(wijkcoach.uuid)
    assert row["status"] == AgreementStatus.OPEN
    assert row["overdue"] is False
    assert AccessLogEntry.objects.filter(user=wijkcoach, action=AccessAction.LIST, case=active_case).exists()

    assert [r["uuid"] for r in login(partner).get(agreements_url()).json()["results"]] == [str(mine.uuid)]
    for user in (outsider, beleid):
        assert login(user).get(agreements_url()).json() == EMPTY_PAGE


def test_agreements_filters(login, wijkcoach, colleague, active_case, second_case):
    case_services.case_member_add(actor=wijkcoach, case=second_case, user=colleague, role=CaseRole.KLANTMANAGER)
    late = agreement_make(wijkcoach, active_case, days=-3, what="Te laat")
    soon = agreement_make(wijkcoach, active_case, days=5, what="Binnenkort")
    theirs = agreement_make(wijkcoach, second_case, owner=colleague, what="Van collega")
    done = agreement_make(wijkcoach, second_case, days=-10, what="Klaar")
    meeting_services.agreement_close(actor=wijkcoach, agreement=done, status=AgreementStatus.GEDAAN)
    api = login(wijkcoach)

    def uuids(**params) -> set[str]:
        response = api.get(agreements_url(), params)
        assert response.status_code == 200, response.content
        return {row["uuid"] for row in response.json()["results"]}

    assert uuids() == {str(a.uuid) for a in (late, soon, theirs, done)}
    assert uuids(overdue="true") == {str(late.uuid)}
    assert uuids(overdue="false") == {str(a.uuid) for a in (soon, theirs, done)}
    assert uuids(owner=str(colleague.uuid)) == {str(theirs.uuid)}
    assert uuids(case=str(active_case.uuid)) == {str(late.uuid), str(soon.uuid)}
    assert uuids(status="gedaan") == {str(done.uuid)}
    assert uuids(status="open", case=str(second_case.uuid)) == {str(theirs.uuid)}
    row = api.get(agreements_url(), {"overdue": "true"}).json()["results"][0]
    assert row["overdue"] is True
    problem(api.get(agreements_url(), {"status": "bestaat-niet"}), 400)


def test_agreements_list_query_count_is_constant(login, wijkcoach, team, active_case):
    agreement_make(wijkcoach, active_case)
    api = login(wijkcoach)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as context:
            response = api.get(agreements_url(), {"pageSize": 50})
        assert response.status_code == 200
        return len(context), response.json()["count"]

    one, listed = count()
    assert listed == 1
    for index in range(9):
        agreement_make(wijkcoach, make_active_case(wijkcoach, team, f"Gezin{index}"), what=f"Afspraak {index}")
    ten, listed = count()
    assert listed == 10
    assert ten == one


def test_make_an_agreement_in_a_meeting(login, wijkcoach, agenda, active_case, workplan):
    from workplans import services

    goal = services.goal_add(
        actor=wijkcoach,
        workplan=workplan,
        term="kort",
        life_domain="financien",
        description="Schulden",
        owner=wijkcoach,
    )
    body = {
        "case": str(active_case.uuid),
        "what": "Budgetplan opstellen",
        "dueOn": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
        "owner": str(wijkcoach.uuid),
        "meeting": str(agenda.uuid),
        "goal": str(goal.uuid),
    }
    api = login(wijkcoach)
    response = api.post(agreements_url(), body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["meeting"] == str(agenda.uuid)
    assert data["goal"] == str(goal.uuid)
    assert data["ownerOrganisation"]["name"] == "Gemeente Testdorp"

    detail = api.get(meetings_url(agenda)).json()
    item = next(i for i in detail["agendaItems"] if i["case"]["uuid"] == str(active_case.uuid))
    assert [a["uuid"] for a in item["agreements"]] == [data["uuid"]]

    assert invalid_names(api.post(agreements_url(), {**body, "owner": None, "ownerOrganisation": None})) == {"owner"}
    unknown = "00000000-0000-0000-0000-000000000000"
    assert invalid_names(api.post(agreements_url(), {**body, "meeting": unknown, "goal": unknown})) == {
        "meeting",
        "goal",
    }


def test_make_an_agreement_needs_write_access(login, wijkcoach, outsider, partner, active_case):
    body = {"case": str(active_case.uuid), "what": "Iets", "dueOn": "2030-01-01", "owner": str(wijkcoach.uuid)}
    problem(login(partner).post(agreements_url(), body), 403)
    assert invalid_names(login(outsider).post(agreements_url(), body)) == {"case"}
    assert not active_case.agreements.exists()


def test_close_an_agreement(login, wijkcoach, outsider, partner, active_case):
    agreement = agreement_make(wijkcoach, active_case, days=-2)
    problem(login(outsider).post(agreements_url(agreement, "/closure"), {"status": "gedaan"}), 404)
    problem(login(partner).post(agreements_url(agreement, "/closure"), {"status": "gedaan"}), 403)
    api = login(wijkcoach)
    assert invalid_names(api.post(agreements_url(agreement, "/closure"), {"status": "open"})) == {"status"}
    assert invalid_names(api.post(agreements_url(agreement, "/closure"), {"status": "vervallen"})) == {"statusNote"}

    response = api.post(agreements_url(agreement, "/closure"), {"status": "niet_gedaan", "note": "Cliënt ziek"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == AgreementStatus.NIET_GEDAAN
    assert data["statusNote"] == "Cliënt ziek"
    assert data["closedAt"]
    assert data["overdue"] is False
    assert "nonFieldErrors" in invalid_names(api.post(agreements_url(agreement, "/closure"), {"status": "gedaan"}))
    problem(api.post("/api/v1/agreements/00000000-0000-0000-0000-000000000000/closure", {"status": "gedaan"}), 404)


# --- OpenAPI ---------------------------------------------------------------------------------


def test_openapi_schema_has_no_warnings(tmp_path: Path):
    target = tmp_path / "schema.yml"
    result = subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--file", str(target), "--validate", "--fail-on-warn"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    schema = target.read_text()
    for route in (
        "/api/v1/meetings:",
        "/api/v1/meetings/{uuid}:",
        "/api/v1/meetings/{uuid}/agenda-items:",
        "/api/v1/meetings/{uuid}/participants:",
        "/api/v1/meetings/{uuid}/cancellation:",
        "/api/v1/agreements:",
        "/api/v1/agreements/{uuid}/closure:",
    ):
        assert route in schema

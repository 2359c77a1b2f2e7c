"""/api/v1/workplans and what hangs under it: versions, goals, actions, duties, obstacles, involvements.

Same access policy as the case file (404 for an invisible plan, 403 for a reader
who writes), optimistic locking with ETag/If-Match (412 stale, 428 missing),
read-only versions.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.constants import Role
from cases import services as case_services
from cases.constants import CaseRole, CaseStatus, Law, Relation
from cases.models import ApprovalRequest, TeamCaseSettings
from consent.constants import AccessAction
from consent.models import AccessLogEntry
from tests.factories import TeamFactory, make_user, shared_purpose
from workplans import services
from workplans.constants import Duty, GoalStatus, WorkplanStatus
from workplans.models import ClientInvolvement, CoordinationDuty, DutyRecord, Goal, Obstacle, Workplan, WorkplanVersion

pytestmark = pytest.mark.django_db


# --- Helpers and fixtures ----------------------------------------------------------------


def url(workplan=None, suffix: str = "") -> str:
    return "/api/v1/workplans" + (f"/{workplan.uuid}" if workplan else "") + suffix


def problem(response, status_code: int) -> dict:
    """Assert a problem+json answer with this status and return its body."""
    assert response.status_code == status_code, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status_code
    assert body["title"]
    assert body["detail"]
    return body


def invalid_names(response) -> set[str]:
    return {param["name"] for param in problem(response, 400)["invalidParams"]}


def make_active_case(actor, team, family_name: str = "Jansen"):
    """A coordinated (actief) case of a household of one adult, set up through the services."""
    adult = case_services.client_create(
        actor=actor, given_names="Piet", family_name=family_name, date_of_birth=datetime.date(1980, 1, 1)
    )
    household = case_services.household_create(
        actor=actor, name=f"Huishouden {family_name}", members=[(adult, Relation.OUDER)]
    )
    case = case_services.case_open(actor=actor, team=team, household=household, laws=[Law.WMO])
    for to_status in (CaseStatus.INTAKE, CaseStatus.TRIAGE, CaseStatus.ACTIEF):
        case = case_services.case_transition(actor=actor, case=case, to_status=to_status)
    return case


@pytest.fixture
def login(api_client):
    """Log in through the session, like the browser, so each request loads the user afresh."""

    def _login(user):
        api_client.force_login(user)
        return api_client

    return _login


@pytest.fixture
def partner(partner_org, wijkcoach, active_case):
    """A GGZ professional who is a (read-only) member of the case."""
    partner_team = TeamFactory(organisation=partner_org, name="GGZ team")
    user = make_user(Role.PARTNER, partner_team, username="t_partner")
    case_services.case_member_add(
        actor=wijkcoach, case=active_case, user=user, role=CaseRole.PARTNER, purpose=shared_purpose()
    )
    return user


@pytest.fixture
def goal(wijkcoach, workplan):
    return services.goal_add(
        actor=wijkcoach,
        workplan=workplan,
        term="kort",
        life_domain="financien",
        description="Schulden in kaart",
        owner=wijkcoach,
    )


def goal_body(**fields) -> dict:
    body = {"term": "kort", "lifeDomain": "financien", "description": "Schulden in kaart"}
    body.update(fields)
    return body


# --- Who sees what ---------------------------------------------------------------------------


def test_list_shows_the_plans_of_visible_cases_only(login, wijkcoach, colleague, outsider, beleid, workplan):
    body = login(wijkcoach).get(url()).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["uuid"] == str(workplan.uuid)
    assert row["case"] == str(workplan.case.uuid)
    assert row["status"] == WorkplanStatus.CONCEPT
    assert row["lockVersion"] == 1
    assert row["coordinator"]["name"] == wijkcoach.get_full_name()
    assert "id" not in row

    assert login(colleague).get(url()).json()["count"] == 1
    for user in (outsider, beleid):
        assert login(user).get(url()).json() == {"count": 0, "next": None, "previous": None, "results": []}


def test_list_filters_by_case_and_status(login, wijkcoach, team, workplan):
    other = services.workplan_create(actor=wijkcoach, case=make_active_case(wijkcoach, team))
    api = login(wijkcoach)
    assert api.get(url()).json()["count"] == 2
    by_case = api.get(url(), {"case": str(other.case.uuid)}).json()
    assert [row["uuid"] for row in by_case["results"]] == [str(other.uuid)]
    assert api.get(url(), {"status": "vastgesteld"}).json()["count"] == 0
    assert api.get(url(), {"status": "concept"}).json()["count"] == 2


def test_list_is_logged_per_case(login, wijkcoach, workplan):
    login(wijkcoach).get(url())
    assert AccessLogEntry.objects.filter(user=wijkcoach, case=workplan.case, action=AccessAction.LIST).count() == 1


def test_list_query_count_does_not_grow_with_the_plans(login, wijkcoach, team, workplan):
    api = login(wijkcoach)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as context:
            response = api.get(url(), {"pageSize": 50})
        assert response.status_code == 200
        return len(context), response.json()["count"]

    one, listed = count()
    assert listed == 1
    for index in range(9):
        services.workplan_create(actor=wijkcoach, case=make_active_case(wijkcoach, team, f"Gezin{index}"))
    ten, listed = count()
    assert listed == 10
    assert ten == one


def test_outsider_and_beleid_get_404_everywhere(login, outsider, beleid, workplan, goal):
    for user in (outsider, beleid):
        api = login(user)
        body = problem(api.get(url(workplan)), 404)
        assert workplan.case.number not in str(body)
        for suffix in ("/goals", f"/goals/{goal.uuid}", "/duties", "/versions", "/obstacles", "/involvements"):
            problem(api.get(url(workplan, suffix)), 404)
        problem(api.patch(url(workplan), {"problemAnalysis": "x"}, HTTP_IF_MATCH='"1"'), 404)
        problem(api.post(url(workplan, "/goals"), goal_body()), 404)
    assert AccessLogEntry.objects.filter(user=outsider, case=workplan.case, action=AccessAction.DENIED).exists()


def test_unknown_plan_is_404(login, wijkcoach, workplan):
    problem(login(wijkcoach).get("/api/v1/workplans/00000000-0000-0000-0000-000000000000"), 404)


def test_not_logged_in_is_401(api_client, workplan):
    problem(api_client.get(url(workplan)), 401)


def test_partner_member_reads_but_may_not_write(login, partner, workplan, goal):
    api = login(partner)
    assert api.get(url()).json()["count"] == 1
    detail = api.get(url(workplan))
    assert detail.status_code == 200
    for suffix in ("/goals", f"/goals/{goal.uuid}", "/duties", "/versions", "/obstacles", "/involvements"):
        assert api.get(url(workplan, suffix)).status_code == 200, suffix

    problem(api.patch(url(workplan), {"problemAnalysis": "Mag niet"}, HTTP_IF_MATCH=detail["ETag"]), 403)
    problem(api.post(url(workplan, "/goals"), goal_body()), 403)
    problem(api.patch(url(workplan, f"/goals/{goal.uuid}"), {"description": "x"}, HTTP_IF_MATCH='"1"'), 403)
    problem(api.post(url(workplan, "/adoptions"), {}), 403)
    problem(api.post(url(workplan, "/duties/a/records"), {"what": "Gesprek"}), 403)
    problem(api.post(url(workplan, "/obstacles"), {"category": "wachtlijst", "description": "Wachtlijst"}), 403)
    problem(api.post(url(), {"case": str(workplan.case.uuid)}), 403)
    workplan.refresh_from_db()
    assert workplan.problem_analysis == ""
    assert workplan.goals.count() == 1
    assert AccessLogEntry.objects.filter(user=partner, case=workplan.case, action=AccessAction.DENIED).exists()


def test_reads_of_the_plan_are_logged(login, colleague, workplan):
    login(colleague).get(url(workplan, "/goals"))
    assert AccessLogEntry.objects.filter(user=colleague, case=workplan.case, action=AccessAction.VIEW).count() == 1


# --- Creating a plan ----------------------------------------------------------------------


def test_create_a_plan_for_an_active_case(login, wijkcoach, team):
    case = make_active_case(wijkcoach, team)
    response = login(wijkcoach).post(url(), {"case": str(case.uuid)})
    assert response.status_code == 201, response.content
    body = response.json()
    workplan = Workplan.objects.get(case=case)
    assert body["uuid"] == str(workplan.uuid)
    assert response["Location"] == url(workplan)
    assert response["ETag"] == '"1"'
    assert CoordinationDuty.objects.filter(workplan=workplan).count() == 7
    assert AccessLogEntry.objects.filter(user=wijkcoach, case=case, action=AccessAction.CHANGE).exists()


def test_create_refuses_an_invisible_case_as_unknown(login, outsider, active_case):
    response = login(outsider).post(url(), {"case": str(active_case.uuid)})
    body = problem(response, 400)
    assert body["invalidParams"] == [{"name": "case", "code": "invalid", "reason": "Onbekende casus."}]
    assert not Workplan.objects.exists()
    assert AccessLogEntry.objects.filter(user=outsider, case=active_case, action=AccessAction.DENIED).exists()


def test_create_refuses_a_second_plan_and_a_case_that_is_not_active(login, wijkcoach, team, workplan):
    api = login(wijkcoach)
    problem(api.post(url(), {"case": str(workplan.case.uuid)}), 400)
    new_case = case_services.case_open(
        actor=wijkcoach,
        team=team,
        client=case_services.client_create(
            actor=wijkcoach, given_names="Kees", family_name="Smit", date_of_birth=datetime.date(1970, 5, 5)
        ),
    )
    problem(api.post(url(), {"case": str(new_case.uuid)}), 400)
    assert invalid_names(api.post(url(), {"case": "geen-uuid"})) == {"case"}


# --- Optimistic locking on the plan ---------------------------------------------------------


def test_get_sends_the_etag_and_the_representation(login, wijkcoach, workplan):
    response = login(wijkcoach).get(url(workplan))
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    body = response.json()
    for key in (
        "status",
        "reviewIntervalWeeks",
        "problemAnalysis",
        "coordinationAgreements",
        "clientSupportAgreements",
        "reviewDueOn",
        "adoptedAt",
        "lockVersion",
        "coordinator",
        "gaps",
        "reviewEvents",
    ):
        assert key in body, key
    assert body["lockVersion"] == 1
    # Anna de Boer (born 1985) is of working age and there is no participation goal.
    assert "no_participation_goal" in {gap["rule"] for gap in body["gaps"]}
    assert all(set(gap) == {"rule", "message"} for gap in body["gaps"])
    assert body["reviewEvents"] == []


def test_patch_with_the_current_etag_changes_the_plan_and_bumps_the_etag(login, wijkcoach, workplan):
    api = login(wijkcoach)
    etag = api.get(url(workplan))["ETag"]
    response = api.patch(
        url(workplan), {"problemAnalysis": "Schulden en schooluitval", "reviewIntervalWeeks": 8}, HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'
    assert response.json()["problemAnalysis"] == "Schulden en schooluitval"
    assert response.json()["lockVersion"] == 2
    workplan.refresh_from_db()
    assert (workplan.problem_analysis, workplan.review_interval_weeks, workplan.lock_version) == (
        "Schulden en schooluitval",
        8,
        2,
    )
    assert api.get(url(workplan))["ETag"] == '"2"'
    assert AccessLogEntry.objects.filter(user=wijkcoach, case=workplan.case, action=AccessAction.CHANGE).exists()


def test_listed_etags_match_and_weak_ones_never(login, wijkcoach, workplan):
    # Strong comparison (RFC 9110, 13.1.1), the same rule as the cases API.
    api = login(wijkcoach)
    problem(api.patch(url(workplan), {"problemAnalysis": "a"}, HTTP_IF_MATCH='W/"1"'), 412)
    problem(api.patch(url(workplan), {"problemAnalysis": "a"}, HTTP_IF_MATCH="1"), 412)
    assert api.patch(url(workplan), {"problemAnalysis": "b"}, HTTP_IF_MATCH='"7", "1"').status_code == 200
    workplan.refresh_from_db()
    assert (workplan.problem_analysis, workplan.lock_version) == ("b", 2)


def test_stale_if_match_is_412_and_changes_nothing(login, wijkcoach, colleague, workplan):
    mine = login(wijkcoach)
    etag = mine.get(url(workplan))["ETag"]
    # A colleague saves first.
    services.workplan_update(
        actor=colleague, workplan=workplan, expected_version=1, problem_analysis="Versie van de collega"
    )
    body = problem(mine.patch(url(workplan), {"problemAnalysis": "Mijn versie"}, HTTP_IF_MATCH=etag), 412)
    assert body["title"] == "Voorwaarde niet vervuld."
    assert body["code"] == "stale"
    workplan.refresh_from_db()
    assert workplan.problem_analysis == "Versie van de collega"
    assert workplan.lock_version == 2


def test_patch_without_if_match_is_428(login, wijkcoach, workplan):
    api = login(wijkcoach)
    body = problem(api.patch(url(workplan), {"problemAnalysis": "Zonder versie"}), 428)
    assert "If-Match" in body["detail"]
    problem(api.patch(url(workplan), {"problemAnalysis": "Ster"}, HTTP_IF_MATCH="*"), 428)
    workplan.refresh_from_db()
    assert workplan.problem_analysis == ""
    assert workplan.lock_version == 1


def test_patch_validates_the_input(login, wijkcoach, workplan):
    api = login(wijkcoach)
    response = api.patch(url(workplan), {"problemAnalysis": "a\x00b", "reviewIntervalWeeks": 0}, HTTP_IF_MATCH='"1"')
    assert invalid_names(response) == {"problemAnalysis", "reviewIntervalWeeks"}


# --- Goals -------------------------------------------------------------------------------------


def test_add_a_goal(login, wijkcoach, workplan):
    response = login(wijkcoach).post(
        url(workplan, "/goals"),
        goal_body(term="lang", horizonYears=2, owner=str(wijkcoach.uuid), clientWords="Rust in mijn hoofd"),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    goal = Goal.objects.get(workplan=workplan)
    assert body["uuid"] == str(goal.uuid)
    assert body["owner"]["uuid"] == str(wijkcoach.uuid)
    assert body["ownerOrganisation"]["name"] == wijkcoach.organisation.name
    assert body["horizonYears"] == 2
    assert body["lockVersion"] == 1
    assert response["ETag"] == '"1"'
    assert response["Location"] == url(workplan, f"/goals/{goal.uuid}")


def test_goal_owner_not_on_the_case_is_400_on_owner(login, wijkcoach, colleague, workplan):
    # The colleague is in the team, but not a member of the case team.
    response = login(wijkcoach).post(url(workplan, "/goals"), goal_body(owner=str(colleague.uuid)))
    assert invalid_names(response) == {"owner"}
    assert not Goal.objects.exists()


def test_unknown_owner_and_long_term_without_horizon_are_400(login, wijkcoach, workplan):
    api = login(wijkcoach)
    response = api.post(url(workplan, "/goals"), goal_body(owner="00000000-0000-0000-0000-000000000000"))
    assert invalid_names(response) == {"owner"}
    assert invalid_names(api.post(url(workplan, "/goals"), goal_body(term="lang"))) == {"horizonYears"}


def test_nul_in_a_description_is_400_not_500(login, wijkcoach, workplan, goal):
    api = login(wijkcoach)
    response = api.post(url(workplan, "/goals"), goal_body(description="Schulden\x00weg"))
    assert invalid_names(response) == {"description"}
    response = api.patch(url(workplan, f"/goals/{goal.uuid}"), {"description": "x\x00"}, HTTP_IF_MATCH='"1"')
    assert invalid_names(response) == {"description"}
    response = api.post(url(workplan, "/obstacles"), {"category": "wachtlijst", "description": "\x00"})
    assert invalid_names(response) == {"description"}


def test_goal_patch_uses_the_goals_own_etag(login, wijkcoach, workplan, goal):
    api = login(wijkcoach)
    detail = api.get(url(workplan, f"/goals/{goal.uuid}"))
    assert detail["ETag"] == '"1"'
    problem(api.patch(url(workplan, f"/goals/{goal.uuid}"), {"description": "Zonder"}), 428)
    response = api.patch(
        url(workplan, f"/goals/{goal.uuid}"), {"description": "Schuldenvrij", "status": "loopt"}, HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == '"2"'
    assert response.json()["status"] == "loopt"
    body = problem(api.patch(url(workplan, f"/goals/{goal.uuid}"), {"description": "Oud"}, HTTP_IF_MATCH='"1"'), 412)
    assert body["title"] == "Voorwaarde niet vervuld."
    goal.refresh_from_db()
    assert goal.description == "Schuldenvrij"
    # The plan's own version is untouched by a change of a goal.
    workplan.refresh_from_db()
    assert workplan.lock_version == 1


def test_goal_of_another_plan_is_404(login, wijkcoach, team, workplan, goal):
    other = services.workplan_create(actor=wijkcoach, case=make_active_case(wijkcoach, team))
    problem(login(wijkcoach).get(url(other, f"/goals/{goal.uuid}")), 404)


def test_progress_review_sets_the_goal_status(login, wijkcoach, workplan, goal):
    response = login(wijkcoach).post(
        url(workplan, f"/goals/{goal.uuid}/reviews"), {"status": "loopt", "note": "Eerste afspraak gemaakt"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "loopt"
    assert response.json()["reviewer"]["uuid"] == str(wijkcoach.uuid)
    goal.refresh_from_db()
    assert goal.status == GoalStatus.LOOPT


def test_add_an_action_with_a_party(login, wijkcoach, workplan, goal, partner_org):
    api = login(wijkcoach)
    response = api.post(
        url(workplan, f"/goals/{goal.uuid}/actions"),
        {"description": "Intake schuldhulp", "party": str(partner_org.uuid), "professional": str(wijkcoach.uuid)},
    )
    assert response.status_code == 201, response.content
    assert response.json()["party"]["name"] == partner_org.name
    listed = api.get(url(workplan, "/goals")).json()["results"][0]
    assert [a["description"] for a in listed["actions"]] == ["Intake schuldhulp"]
    response = api.post(
        url(workplan, f"/goals/{goal.uuid}/actions"),
        {"description": "x", "party": "00000000-0000-0000-0000-000000000000"},
    )
    assert invalid_names(response) == {"party"}


# --- Adoption and versions ----------------------------------------------------------------------


def test_adoption_without_goals_is_400(login, wijkcoach, workplan):
    problem(login(wijkcoach).post(url(workplan, "/adoptions"), {}), 400)
    assert not WorkplanVersion.objects.exists()


def test_adoption_creates_a_version_and_lists_the_gaps(login, wijkcoach, workplan, goal):
    api = login(wijkcoach)
    response = api.post(url(workplan, "/adoptions"), {"reason": ""})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == 1
    assert body["adoptedBy"]["uuid"] == str(wijkcoach.uuid)
    assert body["snapshot"]["goals"][0]["description"] == "Schulden in kaart"
    assert "no_participation_goal" in {gap["rule"] for gap in body["gaps"]}
    assert response["Location"] == url(workplan, "/versions/1")
    workplan.refresh_from_db()
    assert workplan.status == WorkplanStatus.VASTGESTELD
    # A revision needs a reason.
    assert invalid_names(api.post(url(workplan, "/adoptions"), {})) == {"reason"}


def test_adoption_with_a_stale_if_match_is_412(login, wijkcoach, workplan, goal):
    api = login(wijkcoach)
    problem(api.post(url(workplan, "/adoptions"), {}, HTTP_IF_MATCH='"5"'), 412)
    assert not WorkplanVersion.objects.exists()
    assert api.post(url(workplan, "/adoptions"), {}, HTTP_IF_MATCH='"1"').status_code == 201


def test_four_eyes_adoption_waits_for_the_teamleider(login, wijkcoach, team, workplan, goal):
    TeamCaseSettings.objects.create(team=team, four_eyes=True)
    response = login(wijkcoach).post(url(workplan, "/adoptions"), {"reason": "Eerste plan"})
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "open"
    assert body["kind"] == ApprovalRequest.Kind.WORKPLAN_ADOPT
    assert "gaps" in body
    assert not WorkplanVersion.objects.exists()
    assert ApprovalRequest.objects.filter(case=workplan.case, status="open").count() == 1


def test_versions_are_read_only_and_keep_what_was_adopted(login, wijkcoach, workplan, goal):
    api = login(wijkcoach)
    assert api.post(url(workplan, "/adoptions"), {}).status_code == 201
    adopted = WorkplanVersion.objects.get(workplan=workplan, number=1).snapshot
    # The goal changes later.
    etag = api.get(url(workplan, f"/goals/{goal.uuid}"))["ETag"]
    changed = api.patch(url(workplan, f"/goals/{goal.uuid}"), {"description": "Later gewijzigd"}, HTTP_IF_MATCH=etag)
    assert changed.status_code == 200

    listed = api.get(url(workplan, "/versions")).json()
    assert [(v["number"], v["adoptedBy"]["uuid"]) for v in listed["results"]] == [(1, str(wijkcoach.uuid))]
    assert "snapshot" not in listed["results"][0]
    version = api.get(url(workplan, "/versions/1"))
    assert version.status_code == 200
    body = version.json()
    assert body["snapshot"] == adopted
    assert body["snapshot"]["goals"][0]["description"] == "Schulden in kaart"

    for method in ("put", "patch", "delete"):
        problem(getattr(api, method)(url(workplan, "/versions/1"), {"reason": "x"}), 405)
    problem(api.post(url(workplan, "/versions"), {}), 405)
    assert WorkplanVersion.objects.get(workplan=workplan, number=1).snapshot == adopted
    problem(api.get(url(workplan, "/versions/9")), 404)


def test_diff_lists_the_added_goal(login, wijkcoach, workplan, goal):
    api = login(wijkcoach)
    assert api.post(url(workplan, "/adoptions"), {}).status_code == 201
    added = api.post(url(workplan, "/goals"), goal_body(description="Naar dagbesteding", lifeDomain="tijdsbesteding"))
    assert added.status_code == 201, added.content
    assert api.post(url(workplan, "/adoptions"), {"reason": "Doel dagbesteding erbij"}).status_code == 201

    response = api.get(url(workplan, "/versions/2/diff"), {"from": 1})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["fromVersion"], body["toVersion"]) == (1, 2)
    assert {"kind": "added", "title": "Naar dagbesteding", "changes": [], "children": []} in body["goals"]
    assert body["counts"]["added"] == 1
    # Without ``from``: the version before.
    assert api.get(url(workplan, "/versions/2/diff")).json() == body
    assert invalid_names(api.get(url(workplan, "/versions/1/diff"))) == {"from"}
    problem(api.get(url(workplan, "/versions/2/diff"), {"from": 7}), 404)


# --- Duties a–g ---------------------------------------------------------------------------------


def test_duties_list_the_schedule(login, wijkcoach, workplan):
    body = login(wijkcoach).get(url(workplan, "/duties")).json()
    assert [d["duty"] for d in body] == Duty.values
    first = body[0]
    assert set(first) == {"duty", "label", "intervalDays", "nextDueOn", "lastDoneOn", "overdue"}
    assert first["overdue"] is False
    assert first["lastDoneOn"] is None


def test_duty_record_moves_next_due_on_by_the_interval(login, wijkcoach, workplan):
    duty = CoordinationDuty.objects.get(workplan=workplan, duty="a")
    done_on = timezone.localdate() - datetime.timedelta(days=10)
    api = login(wijkcoach)
    response = api.post(
        url(workplan, "/duties/a/records"), {"what": "Voortgang besproken", "doneOn": done_on.isoformat()}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    expected = done_on + datetime.timedelta(days=duty.interval_days)
    assert body["duty"]["nextDueOn"] == expected.isoformat()
    assert body["duty"]["lastDoneOn"] == done_on.isoformat()
    assert body["doneBy"]["uuid"] == str(wijkcoach.uuid)
    duties = {d["duty"]: d for d in api.get(url(workplan, "/duties")).json()}
    assert duties["a"]["nextDueOn"] == expected.isoformat()
    assert DutyRecord.objects.filter(duty=duty).count() == 1


def test_duty_record_refuses_a_future_date_and_an_unknown_duty(login, wijkcoach, workplan):
    api = login(wijkcoach)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert invalid_names(api.post(url(workplan, "/duties/a/records"), {"what": "x", "doneOn": tomorrow})) == {"doneOn"}
    problem(api.post(url(workplan, "/duties/z/records"), {"what": "x"}), 404)


# --- Obstacles -----------------------------------------------------------------------------------


def test_raise_and_resolve_an_obstacle(login, wijkcoach, workplan):
    api = login(wijkcoach)
    response = api.post(
        url(workplan, "/obstacles"), {"category": "wachtlijst", "description": "Wachtlijst GGZ", "party": "GGZ"}
    )
    assert response.status_code == 201, response.content
    obstacle = Obstacle.objects.get(workplan=workplan)
    assert response.json()["uuid"] == str(obstacle.uuid)
    assert response.json()["resolvedOn"] is None
    resolved = api.post(url(workplan, f"/obstacles/{obstacle.uuid}/resolution"), {})
    assert resolved.status_code == 200, resolved.content
    assert resolved.json()["resolvedOn"] == timezone.localdate().isoformat()
    assert api.get(url(workplan, "/obstacles")).json()["count"] == 1
    problem(api.post(url(workplan, "/obstacles/00000000-0000-0000-0000-000000000000/resolution"), {}), 404)


# --- Client involvement ----------------------------------------------------------------------------


def test_record_client_involvement(login, wijkcoach, workplan, goal, active_case):
    mother = active_case.household.memberships.get(client__given_names="Anna").client
    api = login(wijkcoach)
    response = api.post(
        url(workplan, "/involvements"),
        {
            "how": "huisbezoek",
            "participants": [str(mother.uuid)],
            "generalView": "Het gaat beter",
            "goalViews": [{"goal": str(goal.uuid), "view": "Ik wil eerst rust"}],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [p["uuid"] for p in body["participants"]] == [str(mother.uuid)]
    assert body["goalViews"] == [{"goal": str(goal.uuid), "view": "Ik wil eerst rust"}]
    assert ClientInvolvement.objects.filter(workplan=workplan).count() == 1
    # Duty f is recorded as done today.
    assert CoordinationDuty.objects.get(workplan=workplan, duty="f").last_done_on == timezone.localdate()
    assert api.get(url(workplan, "/involvements")).json()["count"] == 1


def test_involvement_refuses_clients_and_goals_outside_the_case(login, wijkcoach, team, workplan, goal):
    other_plan = services.workplan_create(actor=wijkcoach, case=make_active_case(wijkcoach, team))
    stranger = other_plan.case.household.memberships.first().client
    other_goal = services.goal_add(
        actor=wijkcoach, workplan=other_plan, term="kort", life_domain="financien", description="Ander doel"
    )
    response = login(wijkcoach).post(
        url(workplan, "/involvements"),
        {
            "how": "gesprek",
            "participants": [str(stranger.uuid)],
            "goalViews": [{"goal": str(other_goal.uuid), "view": "x"}],
        },
    )
    assert invalid_names(response) == {"participants.0", "goalViews.0.goal"}
    assert invalid_names(
        login(wijkcoach).post(url(workplan, "/involvements"), {"how": "gesprek", "participants": []})
    ) == {"participants"}
    assert not ClientInvolvement.objects.exists()


# --- Access log ------------------------------------------------------------------------------------


def test_access_log_rows_are_written(login, wijkcoach, outsider, workplan, goal):
    api = login(wijkcoach)
    api.get(url(workplan))
    api.patch(url(workplan), {"problemAnalysis": "Nieuw"}, HTTP_IF_MATCH='"1"')
    api.get(url(workplan, "/goals"))
    entries = AccessLogEntry.objects.filter(user=wijkcoach, case=workplan.case)
    assert entries.filter(action=AccessAction.VIEW).count() == 2
    assert entries.filter(action=AccessAction.CHANGE).count() == 1
    assert entries.filter(action=AccessAction.VIEW, route__contains="api-workplan-detail").exists()
    login(outsider).get(url(workplan, "/goals"))
    assert AccessLogEntry.objects.filter(user=outsider, case=workplan.case, action=AccessAction.DENIED).count() == 1

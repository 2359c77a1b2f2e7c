"""The workplan pages: the access policy on every route, HTMX partials, escaping, a bounded number of
queries whatever the plan's size, and the client version PDF (only what the plan says to the client)."""

from __future__ import annotations

import datetime
import re
import subprocess
import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.constants import Role
from cases import services as case_services
from cases.constants import CaseRole, CaseStatus, LifeDomain
from cases.models import HouseholdMember
from consent.models import AccessLogEntry
from tests.factories import TeamFactory, make_user, shared_purpose
from workplans import services
from workplans import urls as workplan_urls
from workplans.constants import ActionStatus, Duty, GoalStatus, GoalTerm, InvolvementHow, ObstacleCategory
from workplans.models import (
    Action,
    AnalysisEntry,
    ClientInvolvement,
    DutyRecord,
    Goal,
    Obstacle,
    ProgressReview,
    Workplan,
    WorkplanVersion,
)

pytestmark = pytest.mark.django_db

GET_ROUTES = ["plan", "goal-edit", "version-diff", "client-version"]
POST_ROUTES = [
    "plan-create",
    "plan-update",
    "analysis-add",
    "goal-add",
    "goal-edit",
    "review-add",
    "action-add",
    "action-status",
    "duty-record",
    "obstacle-add",
    "obstacle-resolve",
    "involvement-add",
    "plan-adopt",
]
APPROVAL_ROUTES = ["approvals", "approval-decide"]  # not case pages: see test_four_eyes.py


def _members(case):
    members = {m.client.given_names: m.client for m in HouseholdMember.objects.filter(household=case.household)}
    return members["Anna"], members["Tim"]


@pytest.fixture
def partner_user(partner_org, wijkcoach, active_case):
    """A partner professional who is a (read-only) member of the case team."""
    user = make_user(Role.PARTNER, TeamFactory(organisation=partner_org, name="Ambulant team"), username="t_partner")
    case_services.case_member_add(
        actor=wijkcoach, case=active_case, user=user, role=CaseRole.PARTNER, purpose=shared_purpose()
    )
    return user


@pytest.fixture
def full_plan(wijkcoach, municipality, active_case, workplan):
    """An adopted plan with a goal, an action and an open obstacle: every route has something to act on."""
    goal = services.goal_add(
        actor=wijkcoach,
        workplan=workplan,
        term=GoalTerm.SHORT,
        life_domain=LifeDomain.WERK_OPLEIDING,
        description="Werkervaringsplaats vinden",
        owner=wijkcoach,
    )
    action = services.action_add(actor=wijkcoach, goal=goal, description="Gesprek met werkgever", party=municipality)
    obstacle = services.obstacle_raise(
        actor=wijkcoach, workplan=workplan, category=ObstacleCategory.WACHTLIJST, description="Wachtlijst"
    )
    services.workplan_adopt(actor=wijkcoach, workplan=workplan)
    workplan.refresh_from_db()
    goal.refresh_from_db()
    return {"workplan": workplan, "goal": goal, "action": action, "obstacle": obstacle}


@pytest.fixture
def bare_case(wijkcoach, team, partner_user):
    """An active case without a plan, with the partner on its team (for plan-create)."""
    client = case_services.client_create(
        actor=wijkcoach, given_names="Piet", family_name="Bakker", date_of_birth=datetime.date(1970, 1, 1)
    )
    case = case_services.case_open(actor=wijkcoach, team=team, client=client)
    for status in (CaseStatus.INTAKE, CaseStatus.TRIAGE, CaseStatus.ACTIEF):
        case = case_services.case_transition(actor=wijkcoach, case=case, to_status=status)
    case_services.case_member_add(
        actor=wijkcoach, case=case, user=partner_user, role=CaseRole.PARTNER, purpose=shared_purpose()
    )
    return case


def _url(name, case, plan) -> str:
    args = {
        "goal-edit": [plan["goal"].uuid],
        "review-add": [plan["goal"].uuid],
        "action-add": [plan["goal"].uuid],
        "action-status": [plan["action"].uuid],
        "duty-record": [Duty.A],
        "obstacle-resolve": [plan["obstacle"].uuid],
    }.get(name, [])
    return reverse(f"workplans:{name}", args=[case.uuid, *args])


def _payload(name, case, plan, municipality) -> dict:
    """Valid data for each write, so a refusal can only come from the policy."""
    goal, action = plan["goal"], plan["action"]
    mother, son = _members(case) if case.household_id else (None, None)
    today = timezone.localdate().isoformat()
    workplan = Workplan.objects.filter(case=case).first()
    return {
        "plan-create": {},
        "plan-update": {
            "problem_analysis": "Nieuwe analyse",
            "coordination_agreements": "",
            "client_support_agreements": "",
            "review_interval_weeks": "13",
            "lock_version": workplan.lock_version if workplan else 1,
        },
        "analysis-add": {"client": str(son.uuid) if son else "", "provision": "Jeugdhulp", "party": "Jeugdteam"},
        "goal-add": {"term": GoalTerm.SHORT, "life_domain": LifeDomain.FINANCIEN, "description": "Rekeningen betalen"},
        "goal-edit": {
            "term": goal.term,
            "life_domain": goal.life_domain,
            "description": "Andere omschrijving",
            "status": goal.status,
            "lock_version": goal.lock_version,
        },
        "review-add": {f"review-{goal.uuid}-status": GoalStatus.LOOPT, f"review-{goal.uuid}-reviewed_on": today},
        "action-add": {
            f"action-{goal.uuid}-description": "Cv maken",
            f"action-{goal.uuid}-party": str(municipality.uuid),
        },
        "action-status": {f"status-{action.uuid}-status": ActionStatus.AFGEROND},
        "duty-record": {"duty-a-done_on": today, "duty-a-what": "Voortgang besproken"},
        "obstacle-add": {"category": ObstacleCategory.CAPACITEIT, "description": "Geen plek"},
        "obstacle-resolve": {},
        "involvement-add": {
            "occurred_on": today,
            "how": InvolvementHow.GESPREK,
            "participants": [str(mother.uuid)] if mother else [],
        },
        "plan-adopt": {
            "lock_version": workplan.lock_version if workplan else 1,
            "confirm_gaps": "on",
            "reason": "Bijgewerkt",
        },
    }[name]


def _fingerprint() -> tuple:
    """Everything a write on these routes could change."""
    return (
        Workplan.objects.count(),
        sorted(Workplan.objects.values_list("lock_version", "status", "problem_analysis")),
        sorted(Goal.objects.values_list("lock_version", "description", "status")),
        sorted(Action.objects.values_list("status", flat=True)),
        sorted(Obstacle.objects.values_list("description", "resolved_on")),
        AnalysisEntry.objects.count(),
        ProgressReview.objects.count(),
        DutyRecord.objects.count(),
        ClientInvolvement.objects.count(),
        WorkplanVersion.objects.count(),
    )


def test_every_workplan_route_is_covered_here():
    # The casusoverleg routes are included from workplans/urls_meetings.py and tested in test_meeting_pages.py.
    names = {pattern.name for pattern in workplan_urls.urlpatterns if hasattr(pattern, "name")}
    assert names == set(GET_ROUTES) | set(POST_ROUTES) | set(APPROVAL_ROUTES)


# --- Policy: reading ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", GET_ROUTES)
def test_a_colleague_of_the_team_may_read(client, colleague, active_case, full_plan, name):
    client.force_login(colleague)
    assert client.get(_url(name, active_case, full_plan)).status_code == 200


@pytest.mark.parametrize("name", GET_ROUTES)
@pytest.mark.parametrize("persona", ["outsider", "beleid"])
def test_outsiders_and_policy_staff_get_404(client, request, active_case, full_plan, name, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url(name, active_case, full_plan)).status_code == 404


def test_a_refused_read_is_logged(client, outsider, active_case, full_plan):
    client.force_login(outsider)
    client.get(_url("plan", active_case, full_plan))
    assert AccessLogEntry.objects.filter(user=outsider, case=active_case, action="denied").exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, active_case, full_plan):
    response = client.get(_url("plan", active_case, full_plan))
    assert response.status_code == 302
    assert "login" in response["Location"] or "inloggen" in response["Location"]


# --- Policy: writing ----------------------------------------------------------------------------


def _target(name, active_case, bare_case):
    return bare_case if name == "plan-create" else active_case


@pytest.mark.parametrize("name", POST_ROUTES)
def test_a_partner_on_the_case_team_may_not_write(
    client, partner_user, municipality, active_case, bare_case, full_plan, name
):
    case = _target(name, active_case, bare_case)
    before = _fingerprint()
    client.force_login(partner_user)
    response = client.post(_url(name, case, full_plan), _payload(name, case, full_plan, municipality))
    assert response.status_code == 403
    assert "niet wijzigen" in response.content.decode()
    assert _fingerprint() == before


@pytest.mark.parametrize("name", POST_ROUTES)
def test_an_outsider_may_not_write(client, outsider, municipality, active_case, bare_case, full_plan, name):
    case = _target(name, active_case, bare_case)
    before = _fingerprint()
    client.force_login(outsider)
    response = client.post(_url(name, case, full_plan), _payload(name, case, full_plan, municipality))
    assert response.status_code == 404
    assert _fingerprint() == before


@pytest.mark.parametrize("name", POST_ROUTES)
def test_the_same_write_by_the_coordinator_goes_through(
    client, wijkcoach, municipality, active_case, bare_case, full_plan, name
):
    """Proves the payloads above are valid: the refusals come from the policy, not from the form."""
    case = _target(name, active_case, bare_case)
    before = _fingerprint()
    client.force_login(wijkcoach)
    response = client.post(_url(name, case, full_plan), _payload(name, case, full_plan, municipality))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _fingerprint() != before


# --- HTMX ----------------------------------------------------------------------------------------


def test_htmx_goal_add_returns_the_goals_partial(client, wijkcoach, active_case, workplan):
    client.force_login(wijkcoach)
    response = client.post(
        reverse("workplans:goal-add", args=[active_case.uuid]),
        {"term": GoalTerm.SHORT, "life_domain": LifeDomain.FINANCIEN, "description": "Rekeningen op tijd betalen"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content
    assert 'id="h-goals"' in content
    assert "Rekeningen op tijd betalen" in content
    assert "Het doel is toegevoegd." in content
    assert Goal.objects.filter(workplan=workplan).count() == 1


def test_htmx_goal_add_with_errors_returns_the_partial_with_the_error(client, wijkcoach, active_case, workplan):
    client.force_login(wijkcoach)
    response = client.post(
        reverse("workplans:goal-add", args=[active_case.uuid]),
        {"term": GoalTerm.LONG, "life_domain": LifeDomain.FINANCIEN, "description": "Schuldenvrij"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "<html" not in content
    assert "Een langetermijndoel heeft een horizon in jaren." in content
    assert not Goal.objects.exists()


# --- Escaping -------------------------------------------------------------------------------------

XSS = "<script>x</script>"
ESCAPED = "&lt;script&gt;x&lt;/script&gt;"


def test_a_goal_description_is_escaped_on_the_plan_page(client, wijkcoach, active_case, workplan):
    client.force_login(wijkcoach)
    client.post(
        reverse("workplans:goal-add", args=[active_case.uuid]),
        {"term": GoalTerm.SHORT, "life_domain": LifeDomain.FINANCIEN, "description": XSS, "client_words": XSS},
    )
    assert Goal.objects.get().description == XSS
    content = client.get(reverse("workplans:plan", args=[active_case.uuid])).content.decode()
    assert XSS not in content
    assert ESCAPED in content


def test_a_goal_description_is_escaped_in_the_diff_page(client, wijkcoach, active_case, workplan):
    goal = services.goal_add(
        actor=wijkcoach, workplan=workplan, term=GoalTerm.SHORT, life_domain=LifeDomain.FINANCIEN, description="Eerst"
    )
    services.workplan_adopt(actor=wijkcoach, workplan=workplan)
    services.goal_update(actor=wijkcoach, goal=goal, expected_version=goal.lock_version, description=XSS)
    services.goal_add(
        actor=wijkcoach, workplan=workplan, term=GoalTerm.SHORT, life_domain=LifeDomain.HUISVESTING, description=XSS
    )
    services.workplan_adopt(actor=wijkcoach, workplan=workplan, reason=XSS)

    client.force_login(wijkcoach)
    response = client.get(reverse("workplans:version-diff", args=[active_case.uuid]))
    assert response.status_code == 200
    content = response.content.decode()
    assert XSS not in content
    assert content.count(ESCAPED) >= 3  # the changed goal, the added goal and the reason


# --- A bounded number of queries ------------------------------------------------------------------


def test_the_plan_page_runs_a_fixed_number_of_queries_whatever_the_plan_size(
    client, wijkcoach, colleague, municipality, partner_org, active_case, workplan
):
    case_services.case_member_add(actor=wijkcoach, case=active_case, user=colleague, role=CaseRole.KLANTMANAGER)
    mother, son = _members(active_case)
    owners = [wijkcoach, colleague]
    parties = [municipality, partner_org]
    domains = LifeDomain.values
    today = timezone.localdate()

    def add_goal(i):
        long_term = i % 2 == 0
        return services.goal_add(
            actor=wijkcoach,
            workplan=workplan,
            term=GoalTerm.LONG if long_term else GoalTerm.SHORT,
            horizon_years=2 if long_term else None,
            life_domain=domains[i % len(domains)],
            description=f"Doel {i}",
            owner=owners[i % 2] if i % 5 else None,  # some goals without owner: a gap each
        )

    def add_action(goal, i):
        services.action_add(
            actor=wijkcoach,
            goal=goal,
            description=f"Actie {i}",
            party=parties[i % 2],
            professional=owners[i % 2],
            start_on=today - datetime.timedelta(days=30),
            end_on=today - datetime.timedelta(days=1) if i % 3 == 0 else None,  # some overdue: a gap each
        )

    # The small plan: one goal, one action, one review, and one of everything else the page shows.
    goals = [add_goal(0)]
    add_action(goals[0], 0)
    services.progress_review_add(actor=wijkcoach, goal=goals[0], status=GoalStatus.LOOPT, note="Gaat goed")
    services.analysis_add(actor=wijkcoach, workplan=workplan, client=son, provision="Jeugdhulp", party="Jeugdteam")
    services.obstacle_raise(
        actor=wijkcoach, workplan=workplan, category=ObstacleCategory.WACHTLIJST, description="Wachtlijst"
    )
    services.involvement_record(
        actor=wijkcoach,
        workplan=workplan,
        how=InvolvementHow.HUISBEZOEK,
        participants=[mother, son],
        goal_views={goals[0]: "Goed plan"},
    )
    services.workplan_adopt(actor=wijkcoach, workplan=workplan)
    case_services.assessments_record(
        actor=wijkcoach, case=active_case, scores=[case_services.ScoreInput(LifeDomain.JUSTITIE, 2)]
    )

    client.force_login(wijkcoach)
    url = reverse("workplans:plan", args=[active_case.uuid])
    assert client.get(url).status_code == 200  # warm up (session, content types, translations)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200

    # Grow to 30 goals, 100 actions and some reviews.
    for i in range(1, 30):
        goals.append(add_goal(i))
    for i in range(1, 100):
        add_action(goals[i % 30], i)
    for goal in goals[1:10]:
        services.progress_review_add(actor=wijkcoach, goal=goal, status=GoalStatus.LOOPT, note="Besproken")
    services.workplan_adopt(actor=wijkcoach, workplan=workplan, reason="Uitgebreid")
    assert Goal.objects.filter(workplan=workplan).count() == 30
    assert Action.objects.filter(goal__workplan=workplan).count() == 100

    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Doel 29" in content
    assert "Actie 99" in content

    # The 38 queries, whatever the size (see workplans.selectors.plan_page), in order:
    # - request: the session and the user (2);
    # - access (access.gate.case_for_user -> access.policy): the case with team, coordinator and
    #   household; the user's memberships; the current case members; the user's and group object
    #   permissions (5), then the plan (1);
    # - plan_page: goals with owner and party (1) + one prefetch each for actions (with party and
    #   professional), reviews (with reviewer) and the client's views per goal (3); analysis entries with
    #   the client (1); duties + their records (2); obstacles (1); involvements + participants + goal
    #   views (3); versions without the snapshots (1); the current case-team user ids (1);
    # - gaps: the ZRM assessments (latest scores) and the household composition (2);
    # - review events: the last duty-e record, household changes, signals, ZRM assessments (drops) and
    #   goals not achieved (5);
    # - the page: the household (analysis and involvement choices), the case-team users (owner choices),
    #   a pending four-eyes request, the write permission again for may_change (2), the organisations
    #   (party choices) (6);
    # - the end of the request: the one INSERT of the access log and the session save (4, with savepoint).
    # None of them depends on the number of goals, actions or reviews.
    assert len(large) == len(small), "\n".join(q["sql"] for q in large.captured_queries)
    assert len(small) <= 40, "\n".join(q["sql"] for q in small.captured_queries)


# --- The client version (PDF) ------------------------------------------------------------------------


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "werkplan.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    text = unicodedata.normalize("NFKC", result.stdout.decode("utf-8"))
    return " ".join(text.split())


def test_the_client_version_pdf_holds_the_goals_and_the_coordinator_and_nothing_else(
    client, wijkcoach, municipality, active_case, workplan, tmp_path
):
    mother, son = _members(active_case)
    case_services.client_update(actor=wijkcoach, client=mother, bsn="111222333")
    case_services.client_update(actor=wijkcoach, client=son, bsn="123456782")
    services.workplan_update(
        actor=wijkcoach,
        workplan=workplan,
        expected_version=None,
        problem_analysis="Tim heeft ernstige gedragsproblemen op school",
        client_support_agreements="We bellen elke twee weken",
    )
    work = services.goal_add(
        actor=wijkcoach,
        workplan=workplan,
        term=GoalTerm.SHORT,
        life_domain=LifeDomain.WERK_OPLEIDING,
        description="Werkervaringsplaats vinden",
        client_words="Ik wil weer aan het werk in de zorg",
        owner=wijkcoach,
    )
    money = services.goal_add(
        actor=wijkcoach,
        workplan=workplan,
        term=GoalTerm.LONG,
        horizon_years=3,
        life_domain=LifeDomain.FINANCIEN,
        description="Schulden onder controle",
        owner=wijkcoach,
    )
    services.action_add(actor=wijkcoach, goal=work, description="Cv samen opstellen", party=municipality)
    services.action_add(actor=wijkcoach, goal=money, description="Aanmelden bij schuldhulp", party=municipality)
    services.analysis_add(
        actor=wijkcoach, workplan=workplan, client=son, provision="Jeugdhulp Zonnebloem-7Q", party="Jeugdteam West"
    )
    services.analysis_add(
        actor=wijkcoach, workplan=workplan, client=mother, provision="Budgetcoaching Kompas-3X", party="Kredietbank"
    )
    case_services.assessments_record(
        actor=wijkcoach,
        case=active_case,
        scores=[case_services.ScoreInput(LifeDomain.FINANCIEN, 1, rationale="Beslaglegging door deurwaarder")],
    )
    services.workplan_adopt(actor=wijkcoach, workplan=workplan)

    client.force_login(wijkcoach)
    response = client.get(reverse("workplans:client-version", args=[active_case.uuid]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"werkplan-{active_case.number}.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content, tmp_path)

    assert "Uw plan" in text
    assert "Ik wil weer aan het werk in de zorg" in text  # the client's own words stand for the goal
    assert "Schulden onder controle" in text
    assert "Cv samen opstellen" in text
    assert "Aanmelden bij schuldhulp" in text
    assert "We bellen elke twee weken" in text
    assert " ".join(wijkcoach.get_full_name().split()) in text

    # Nothing about the son: the plan has no goal or action about him.
    assert not re.search(r"\bTim\b", text)
    assert "gedragsproblemen" not in text
    # Not the analysis of services received, nor ZRM notes, nor any BSN.
    assert "Zonnebloem" not in text
    assert "Jeugdteam West" not in text
    assert "Kompas-3X" not in text
    assert "Kredietbank" not in text
    assert "deurwaarder" not in text
    assert "111222333" not in text
    assert "123456782" not in text
    assert not re.search(r"\b\d{9}\b", text)

    assert AccessLogEntry.objects.filter(user=wijkcoach, case=active_case, action="export").exists()


def test_the_client_version_leaves_out_lapsed_goals(client, wijkcoach, active_case, workplan, tmp_path):
    goal = services.goal_add(
        actor=wijkcoach,
        workplan=workplan,
        term=GoalTerm.SHORT,
        life_domain=LifeDomain.HUISVESTING,
        description="Verhuizen naar Zwolle",
    )
    services.goal_update(actor=wijkcoach, goal=goal, expected_version=goal.lock_version, status=GoalStatus.VERVALLEN)
    client.force_login(wijkcoach)
    text = _pdf_text(client.get(reverse("workplans:client-version", args=[active_case.uuid])).content, tmp_path)
    assert "Zwolle" not in text
    assert "Er staan nog geen doelen in uw plan." in text


def test_the_diff_page_needs_existing_versions(client, wijkcoach, active_case, workplan):
    client.force_login(wijkcoach)
    url = reverse("workplans:version-diff", args=[active_case.uuid])
    assert client.get(url).status_code == 404  # nothing adopted yet
    services.goal_add(
        actor=wijkcoach, workplan=workplan, term=GoalTerm.SHORT, life_domain=LifeDomain.FINANCIEN, description="Doel"
    )
    services.workplan_adopt(actor=wijkcoach, workplan=workplan)
    assert client.get(url).status_code == 200
    assert client.get(url, {"van": "1", "naar": "7"}).status_code == 404
    # Not a version number at all: a bad request, with the reason (api_conventions.numbers).
    response = client.get(url, {"van": "een"})
    assert response.status_code == 400
    assert "van moet een geheel getal zijn van 1 tot en met 999999999." in response.content.decode()
    response = client.get(url, {"van": "99999999999999999999"})
    assert response.status_code == 400


def test_a_goal_of_another_plan_is_not_found(client, wijkcoach, team, active_case, full_plan):
    other = case_services.client_create(
        actor=wijkcoach, given_names="Piet", family_name="Bakker", date_of_birth=datetime.date(1970, 1, 1)
    )
    case = case_services.case_open(actor=wijkcoach, team=team, client=other)
    for status in (CaseStatus.INTAKE, CaseStatus.TRIAGE, CaseStatus.ACTIEF):
        case = case_services.case_transition(actor=wijkcoach, case=case, to_status=status)
    services.workplan_create(actor=wijkcoach, case=case)
    client.force_login(wijkcoach)
    # The goal of active_case's plan, addressed through the other case: 404, never a cross-case write.
    url = reverse("workplans:goal-edit", args=[case.uuid, full_plan["goal"].uuid])
    assert client.get(url).status_code == 404
    assert client.post(url, {"description": "Overgenomen"}).status_code == 404
    assert Goal.objects.get(pk=full_plan["goal"].pk).description == "Werkervaringsplaats vinden"

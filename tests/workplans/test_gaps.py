"""The gap analysis of a workplan: every rule fires, and stops firing once the plan is fixed."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from accounts.constants import Role
from cases import services as case_services
from cases.constants import CaseRole, CaseStatus, LifeDomain, Relation
from cases.models import CaseMember
from tests.factories import TeamFactory, make_user, shared_purpose
from workplans import services
from workplans.constants import ActionStatus, GoalStatus, GoalTerm
from workplans.selectors import gaps

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")


def _rules(workplan) -> list[str]:
    return [gap.rule for gap in gaps(workplan)]


def _messages(workplan, rule: str) -> list[str]:
    return [gap.message for gap in gaps(workplan) if gap.rule == rule]


def _goal(actor, workplan, **fields):
    values = {
        "term": GoalTerm.SHORT,
        "life_domain": LifeDomain.FINANCIEN,
        "description": "Rekeningen op tijd betalen",
        "owner": actor,
    }
    values.update(fields)
    return services.goal_add(actor=actor, workplan=workplan, **values)


def _participation_goal(actor, workplan):
    return _goal(actor, workplan, life_domain=LifeDomain.WERK_OPLEIDING, description="Werkervaringsplaats vinden")


def _active_case_for(actor, team, members):
    """An active coordinated household case for ``members`` [(given name, date of birth, relation)]."""
    clients = [
        (
            case_services.client_create(actor=actor, given_names=name, family_name="Visser", date_of_birth=born),
            relation,
        )
        for name, born, relation in members
    ]
    household = case_services.household_create(actor=actor, name="Huishouden Visser", members=clients)
    case = case_services.case_open(actor=actor, team=team, household=household)
    for status in (CaseStatus.INTAKE, CaseStatus.TRIAGE, CaseStatus.ACTIEF):
        case = case_services.case_transition(actor=actor, case=case, to_status=status)
    case_services.case_set_coordinator(actor=actor, case=case, user=actor)
    return case


@pytest.fixture
def partner_user(partner_org):
    return make_user(Role.PARTNER, TeamFactory(organisation=partner_org, name="Ambulant team"), username="t_partner")


def test_a_complete_plan_has_no_gaps(wijkcoach, workplan):
    _goal(wijkcoach, workplan)
    _participation_goal(wijkcoach, workplan)
    assert gaps(workplan) == []


# --- 1. Life domains scored 1–2 in the latest ZRM without any goal ---------------------


@pytest.mark.parametrize("score", [1, 2])
def test_low_zrm_score_without_goal_fires_until_a_goal_is_added(wijkcoach, active_case, workplan, score):
    _participation_goal(wijkcoach, workplan)
    case_services.assessments_record(
        actor=wijkcoach,
        case=active_case,
        scores=[
            case_services.ScoreInput(LifeDomain.HUISVESTING, score),
            case_services.ScoreInput(LifeDomain.JUSTITIE, 3),
        ],
    )
    assert _rules(workplan) == ["zrm_without_goal"]
    assert _messages(workplan, "zrm_without_goal") == [
        f"Leefgebied Huisvesting scoort {score} in de laatste ZRM, maar er is geen doel voor."
    ]

    _goal(wijkcoach, workplan, life_domain=LifeDomain.HUISVESTING, description="Huurachterstand oplossen")

    assert _rules(workplan) == []


def test_low_zrm_score_stops_firing_when_a_later_assessment_is_better(wijkcoach, active_case, workplan):
    _participation_goal(wijkcoach, workplan)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    case_services.assessments_record(
        actor=wijkcoach,
        case=active_case,
        scores=[case_services.ScoreInput(LifeDomain.HUISVESTING, 2)],
        assessed_on=yesterday,
    )
    assert "zrm_without_goal" in _rules(workplan)
    case_services.assessments_record(
        actor=wijkcoach, case=active_case, scores=[case_services.ScoreInput(LifeDomain.HUISVESTING, 4)]
    )
    assert "zrm_without_goal" not in _rules(workplan)


def test_a_lapsed_goal_does_not_cover_a_low_zrm_domain(wijkcoach, active_case, workplan):
    _participation_goal(wijkcoach, workplan)
    case_services.assessments_record(
        actor=wijkcoach, case=active_case, scores=[case_services.ScoreInput(LifeDomain.HUISVESTING, 1)]
    )
    goal = _goal(wijkcoach, workplan, life_domain=LifeDomain.HUISVESTING, description="Huurachterstand oplossen")
    assert "zrm_without_goal" not in _rules(workplan)
    services.goal_update(actor=wijkcoach, goal=goal, expected_version=goal.lock_version, status=GoalStatus.VERVALLEN)
    assert "zrm_without_goal" in _rules(workplan)


# --- 2. Goals without an owner -----------------------------------------------------------


def test_goal_without_owner_fires_until_an_owner_is_set(wijkcoach, workplan):
    _participation_goal(wijkcoach, workplan)
    goal = _goal(wijkcoach, workplan, owner=None, description="Rust in huis")
    assert _rules(workplan) == ["goal_without_owner"]
    assert _messages(workplan, "goal_without_owner") == ["Doel 'Rust in huis' heeft geen eigenaar."]

    services.goal_update(actor=wijkcoach, goal=goal, expected_version=goal.lock_version, owner=wijkcoach)

    assert _rules(workplan) == []


def test_a_closed_goal_without_owner_is_not_a_gap(wijkcoach, workplan):
    _participation_goal(wijkcoach, workplan)
    goal = _goal(wijkcoach, workplan, owner=None)
    services.goal_update(actor=wijkcoach, goal=goal, expected_version=goal.lock_version, status=GoalStatus.BEHAALD)
    assert _rules(workplan) == []


# --- 3. Goals whose owner has left the case ------------------------------------------------


def test_owner_who_left_the_case_fires_until_a_new_owner_is_set(wijkcoach, colleague, active_case, workplan):
    _participation_goal(wijkcoach, workplan)
    member = case_services.case_member_add(
        actor=wijkcoach, case=active_case, user=colleague, role=CaseRole.KLANTMANAGER
    )
    goal = _goal(wijkcoach, workplan, owner=colleague, description="Inkomen op orde")
    assert _rules(workplan) == []

    case_services.case_member_end(actor=wijkcoach, member=member)

    assert _rules(workplan) == ["owner_left_case"]
    assert _messages(workplan, "owner_left_case") == [
        f"De eigenaar van doel 'Inkomen op orde' ({colleague}) is geen lid meer van het casusteam."
    ]
    assert not CaseMember.objects.filter(case=active_case, user=colleague, valid_to__isnull=True).exists()

    goal.refresh_from_db()
    services.goal_update(actor=wijkcoach, goal=goal, expected_version=goal.lock_version, owner=wijkcoach)

    assert _rules(workplan) == []


# --- 4. Actions past their end date -------------------------------------------------------


@pytest.mark.parametrize("closing_status", [ActionStatus.AFGEROND, ActionStatus.GESTOPT])
def test_action_past_its_end_date_fires_until_it_is_closed(wijkcoach, municipality, workplan, closing_status):
    _participation_goal(wijkcoach, workplan)
    goal = _goal(wijkcoach, workplan)
    today = timezone.localdate()
    action = services.action_add(
        actor=wijkcoach,
        goal=goal,
        description="Budgetplan maken",
        party=municipality,
        start_on=today - datetime.timedelta(days=20),
        end_on=today - datetime.timedelta(days=1),
    )
    services.action_add(
        actor=wijkcoach, goal=goal, description="Ends today", party=municipality, start_on=today, end_on=today
    )
    assert _rules(workplan) == ["action_overdue"]
    assert _messages(workplan, "action_overdue") == [
        f"Actie 'Budgetplan maken' had op {action.end_on:%d-%m-%Y} klaar moeten zijn."
    ]

    services.action_set_status(actor=wijkcoach, action=action, status=closing_status)

    assert _rules(workplan) == []


# --- 5. Long-term goals without a progress review in the review interval -------------------


def test_long_term_goal_without_review_in_the_interval_fires_until_reviewed(wijkcoach, workplan):
    start = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=AMS)
    with time_machine.travel(start, tick=False) as traveller:
        services.workplan_update(actor=wijkcoach, workplan=workplan, expected_version=None, review_interval_weeks=6)
        _participation_goal(wijkcoach, workplan)
        goal = _goal(wijkcoach, workplan, term=GoalTerm.LONG, horizon_years=3, description="Schuldenvrij leven")
        _goal(wijkcoach, workplan, description="Short-term goals need no review")

        traveller.move_to(start + datetime.timedelta(weeks=6))
        assert _rules(workplan) == []  # exactly six weeks: still within the interval

        traveller.move_to(start + datetime.timedelta(weeks=6, days=1))
        assert _rules(workplan) == ["long_term_goal_not_reviewed"]
        assert _messages(workplan, "long_term_goal_not_reviewed") == [
            "Langetermijndoel 'Schuldenvrij leven' is langer dan 6 weken niet besproken."
        ]

        services.progress_review_add(actor=wijkcoach, goal=goal, status=GoalStatus.LOOPT, note="Gaat goed")
        assert _rules(workplan) == []

        # The review itself grows old too.
        traveller.move_to(start + datetime.timedelta(weeks=12, days=2))
        assert _rules(workplan) == ["long_term_goal_not_reviewed"]


def test_an_old_review_does_not_count_for_the_interval(wijkcoach, workplan):
    start = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=AMS)
    with time_machine.travel(start, tick=False) as traveller:
        _participation_goal(wijkcoach, workplan)
        goal = _goal(wijkcoach, workplan, term=GoalTerm.LONG, horizon_years=2, description="Schuldenvrij leven")
        traveller.move_to(start + datetime.timedelta(weeks=20))
        services.progress_review_add(
            actor=wijkcoach,
            goal=goal,
            status=GoalStatus.LOOPT,
            reviewed_on=(start + datetime.timedelta(weeks=2)).date(),
        )
        assert _rules(workplan) == ["long_term_goal_not_reviewed"]


# --- 6. No participation goal while a client is of working age ------------------------------


@pytest.mark.parametrize(
    "domain", [LifeDomain.WERK_OPLEIDING, LifeDomain.TIJDSBESTEDING, LifeDomain.MAATSCHAPPELIJKE_PARTICIPATIE]
)
def test_no_participation_goal_for_working_age_client_fires_until_one_is_added(wijkcoach, workplan, domain):
    _goal(wijkcoach, workplan)
    assert _rules(workplan) == ["no_participation_goal"]
    message = _messages(workplan, "no_participation_goal")[0]
    assert "Anna de Boer" in message
    assert "Tim" not in message  # the son (born 2014) is not of working age

    _goal(wijkcoach, workplan, life_domain=domain, description="Meedoen")

    assert _rules(workplan) == []


def test_a_closed_participation_goal_does_not_count(wijkcoach, workplan):
    goal = _participation_goal(wijkcoach, workplan)
    assert _rules(workplan) == []
    services.goal_update(actor=wijkcoach, goal=goal, expected_version=goal.lock_version, status=GoalStatus.VERVALLEN)
    assert _rules(workplan) == ["no_participation_goal"]


def test_no_participation_gap_for_a_household_of_a_child_and_a_pensioner(wijkcoach, team):
    case = _active_case_for(
        wijkcoach,
        team,
        [("Greet", datetime.date(1950, 4, 1), Relation.OUDER), ("Sem", datetime.date(2015, 9, 9), Relation.KIND)],
    )
    workplan = services.workplan_create(actor=wijkcoach, case=case)
    _goal(wijkcoach, workplan, life_domain=LifeDomain.SOCIAAL_NETWERK, description="Vaker naar de buurt")
    assert _rules(workplan) == []


@pytest.mark.parametrize(
    ("born", "fires"),
    [
        (datetime.date(2008, 6, 16), False),  # 17, turns 18 tomorrow
        (datetime.date(2008, 6, 15), True),  # 18 today
        (datetime.date(1959, 6, 16), True),  # 66, turns 67 tomorrow
        (datetime.date(1959, 6, 15), False),  # 67 today: pension age
    ],
)
def test_working_age_boundaries(team, born, fires):
    with time_machine.travel(datetime.datetime(2026, 6, 15, 12, 0, tzinfo=AMS), tick=False):
        coach = make_user(Role.WIJKCOACH, team)  # a membership that is current on the travelled date
        case = _active_case_for(coach, team, [("Kim", born, Relation.OUDER)])
        workplan = services.workplan_create(actor=coach, case=case)
        _goal(coach, workplan)
        assert ("no_participation_goal" in _rules(workplan)) is fires


# --- 7. Two parties owning goals on the same domain ---------------------------------------


def test_two_parties_on_one_domain_fire_until_one_party_owns_it(
    wijkcoach, partner_user, municipality, partner_org, active_case, workplan
):
    _participation_goal(wijkcoach, workplan)
    case_services.case_member_add(
        actor=wijkcoach, case=active_case, user=partner_user, role=CaseRole.PARTNER, purpose=shared_purpose()
    )
    _goal(wijkcoach, workplan, life_domain=LifeDomain.GEESTELIJKE_GEZONDHEID, description="Rust in het hoofd")
    other = _goal(
        wijkcoach, workplan, owner=partner_user, life_domain=LifeDomain.GEESTELIJKE_GEZONDHEID, description="Therapie"
    )
    assert other.owner_organisation == partner_org
    assert _rules(workplan) == ["two_parties_same_domain"]
    assert _messages(workplan, "two_parties_same_domain") == [
        "Op leefgebied Geestelijke gezondheid zijn meerdere partijen eigenaar van een doel: "
        f"{partner_org.name}, {municipality.name}. Wie is verantwoordelijk?"
    ]

    services.goal_update(actor=wijkcoach, goal=other, expected_version=other.lock_version, owner=wijkcoach)

    assert _rules(workplan) == []


def test_two_parties_on_different_domains_are_fine(wijkcoach, partner_user, active_case, workplan):
    _participation_goal(wijkcoach, workplan)
    case_services.case_member_add(
        actor=wijkcoach, case=active_case, user=partner_user, role=CaseRole.PARTNER, purpose=shared_purpose()
    )
    _goal(wijkcoach, workplan, life_domain=LifeDomain.FINANCIEN)
    _goal(wijkcoach, workplan, owner=partner_user, life_domain=LifeDomain.GEESTELIJKE_GEZONDHEID, description="Rust")
    assert _rules(workplan) == []


def test_gaps_are_shown_on_the_plan_page(client, wijkcoach, active_case, workplan):
    _goal(wijkcoach, workplan, owner=None, description="Rust in huis")
    client.force_login(wijkcoach)
    content = client.get(f"/casussen/{active_case.uuid}/werkplan/").content.decode()
    assert 'data-gap="goal_without_owner"' in content
    assert 'data-gap="no_participation_goal"' in content
    assert "Open punten in het werkplan (2)" in content

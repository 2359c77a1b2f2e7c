"""Optimistic locking on the plan and its goals, and bad input refused with a clear Dutch message,
nothing half-saved: in the services and on the pages."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services as case_services
from cases.constants import CaseRole, LifeDomain
from cases.models import HouseholdMember
from workplans import services
from workplans.constants import GoalStatus, GoalTerm, ObstacleCategory, WorkplanStatus
from workplans.models import Action, AnalysisEntry, Goal, Obstacle, ProgressReview, Workplan, WorkplanVersion

pytestmark = pytest.mark.django_db

NUL_MESSAGE = "De tekst bevat een ongeldig teken (NUL)."
OWNER_MESSAGE = "De eigenaar moet lid zijn van het casusteam."
ENDED_MESSAGE = "Dit werkplan is beëindigd en kan niet meer worden gewijzigd."


def _goal(actor, workplan, **fields) -> Goal:
    values = {
        "term": GoalTerm.SHORT,
        "life_domain": LifeDomain.FINANCIEN,
        "description": "Rekeningen op tijd betalen",
        "owner": actor,
    }
    values.update(fields)
    return services.goal_add(actor=actor, workplan=workplan, **values)


def _plan_text_post(lock_version, **fields) -> dict:
    data = {
        "problem_analysis": "",
        "coordination_agreements": "",
        "client_support_agreements": "",
        "review_interval_weeks": "13",
        "lock_version": str(lock_version),
    }
    data.update(fields)
    return data


def _goal_post(goal, **fields) -> dict:
    data = {
        "term": goal.term,
        "horizon_years": goal.horizon_years or "",
        "life_domain": goal.life_domain,
        "description": goal.description,
        "client_words": goal.client_words,
        "owner": str(goal.owner.uuid) if goal.owner else "",
        "target_date": "",
        "status": goal.status,
        "lock_version": str(goal.lock_version),
    }
    data.update(fields)
    return data


@pytest.fixture
def coach_client(client, wijkcoach):
    client.force_login(wijkcoach)
    return client


# --- Stale writes in the services --------------------------------------------------------


def test_stale_workplan_update_raises_and_changes_nothing(wijkcoach, colleague, workplan):
    loaded = Workplan.objects.get(pk=workplan.pk)
    other = Workplan.objects.get(pk=workplan.pk)
    services.workplan_update(
        actor=colleague, workplan=other, expected_version=other.lock_version, problem_analysis="Tekst van de collega"
    )

    with pytest.raises(services.StaleWrite) as excinfo:
        services.workplan_update(
            actor=wijkcoach,
            workplan=loaded,
            expected_version=loaded.lock_version,
            problem_analysis="Mijn tekst",
            review_interval_weeks=4,
        )

    assert excinfo.value.code == "stale"
    assert "Iemand anders heeft dit intussen gewijzigd" in excinfo.value.messages[0]
    stored = Workplan.objects.get(pk=workplan.pk)
    assert stored.problem_analysis == "Tekst van de collega"
    assert stored.review_interval_weeks == 13
    assert stored.lock_version == loaded.lock_version + 1


def test_workplan_update_with_the_current_version_succeeds_and_bumps(wijkcoach, workplan):
    version = workplan.lock_version
    updated = services.workplan_update(
        actor=wijkcoach, workplan=workplan, expected_version=version, problem_analysis="Nieuw"
    )
    assert updated.lock_version == version + 1
    assert Workplan.objects.get(pk=workplan.pk).lock_version == version + 1


def test_stale_goal_update_raises_and_changes_nothing(wijkcoach, colleague, workplan):
    goal = _goal(wijkcoach, workplan)
    loaded = Goal.objects.get(pk=goal.pk)
    other = Goal.objects.get(pk=goal.pk)
    services.goal_update(
        actor=colleague, goal=other, expected_version=other.lock_version, description="Versie van de collega"
    )

    with pytest.raises(services.StaleWrite):
        services.goal_update(
            actor=wijkcoach,
            goal=loaded,
            expected_version=loaded.lock_version,
            description="Mijn versie",
            status=GoalStatus.BEHAALD,
            owner=None,
        )

    stored = Goal.objects.get(pk=goal.pk)
    assert stored.description == "Versie van de collega"
    assert stored.status == GoalStatus.OPEN
    assert stored.owner == wijkcoach
    assert stored.lock_version == loaded.lock_version + 1


def test_a_progress_review_makes_an_open_goal_form_stale(wijkcoach, workplan):
    goal = _goal(wijkcoach, workplan)
    loaded = Goal.objects.get(pk=goal.pk)
    services.progress_review_add(actor=wijkcoach, goal=goal, status=GoalStatus.LOOPT)
    with pytest.raises(services.StaleWrite):
        services.goal_update(actor=wijkcoach, goal=loaded, expected_version=loaded.lock_version, description="X")
    assert Goal.objects.get(pk=goal.pk).description == "Rekeningen op tijd betalen"


def test_stale_adoption_is_refused(wijkcoach, workplan):
    _goal(wijkcoach, workplan)
    loaded_version = Workplan.objects.get(pk=workplan.pk).lock_version
    services.workplan_update(actor=wijkcoach, workplan=workplan, expected_version=None, problem_analysis="Gewijzigd")
    with pytest.raises(services.StaleWrite):
        services.workplan_adopt(actor=wijkcoach, workplan=workplan, expected_version=loaded_version)
    assert not WorkplanVersion.objects.exists()
    assert Workplan.objects.get(pk=workplan.pk).status == WorkplanStatus.CONCEPT


# --- Stale writes on the pages -----------------------------------------------------------


def test_stale_plan_text_post_gets_409_with_the_saved_text_and_the_users_own_input(
    coach_client, colleague, active_case, workplan
):
    old_version = workplan.lock_version
    services.workplan_update(
        actor=colleague,
        workplan=Workplan.objects.get(pk=workplan.pk),
        expected_version=old_version,
        problem_analysis="Opgeslagen door de collega",
    )

    response = coach_client.post(
        reverse("workplans:plan-update", args=[active_case.uuid]),
        _plan_text_post(old_version, problem_analysis="Mijn eigen analyse", coordination_agreements="Mijn afspraak"),
    )

    assert response.status_code == 409
    content = response.content.decode()
    assert "Iemand anders heeft dit intussen gewijzigd" in content
    assert "Nu opgeslagen door een ander" in content
    assert "Opgeslagen door de collega" in content
    assert "Mijn eigen analyse</textarea>" in content
    assert "Mijn afspraak</textarea>" in content
    current = Workplan.objects.get(pk=workplan.pk)
    # The form now carries the current version, so saving again overwrites knowingly.
    assert f'name="lock_version" value="{current.lock_version}"' in content
    assert current.problem_analysis == "Opgeslagen door de collega"
    assert current.coordination_agreements == ""

    response = coach_client.post(
        reverse("workplans:plan-update", args=[active_case.uuid]),
        _plan_text_post(current.lock_version, problem_analysis="Mijn eigen analyse"),
    )
    assert response.status_code == 302
    assert Workplan.objects.get(pk=workplan.pk).problem_analysis == "Mijn eigen analyse"


def test_stale_goal_edit_gets_409_with_the_saved_goal_and_the_users_input(
    coach_client, wijkcoach, colleague, active_case, workplan
):
    goal = _goal(wijkcoach, workplan)
    stale = _goal_post(goal, description="Mijn nieuwe omschrijving", client_words="Ik wil rust")
    services.goal_update(
        actor=colleague, goal=Goal.objects.get(pk=goal.pk), expected_version=goal.lock_version, description="Collega"
    )

    url = reverse("workplans:goal-edit", args=[active_case.uuid, goal.uuid])
    response = coach_client.post(url, stale)

    assert response.status_code == 409
    content = response.content.decode()
    assert "Iemand anders heeft dit doel intussen gewijzigd" in content
    assert "<dd>Collega</dd>" in content
    assert "Mijn nieuwe omschrijving</textarea>" in content
    assert "Ik wil rust</textarea>" in content
    stored = Goal.objects.get(pk=goal.pk)
    assert stored.description == "Collega"
    assert stored.client_words == ""
    assert f'name="lock_version" value="{stored.lock_version}"' in content


def test_goal_edit_page_saves_with_the_current_version(coach_client, wijkcoach, active_case, workplan):
    goal = _goal(wijkcoach, workplan)
    url = reverse("workplans:goal-edit", args=[active_case.uuid, goal.uuid])
    assert coach_client.get(url).status_code == 200
    response = coach_client.post(url, _goal_post(goal, description="Vaste lasten automatisch"))
    assert response.status_code == 302
    assert Goal.objects.get(pk=goal.pk).description == "Vaste lasten automatisch"


# --- Goals: description and owner --------------------------------------------------------


@pytest.mark.parametrize("description", ["", "   "])
def test_goal_without_description_is_a_form_error(coach_client, active_case, workplan, description):
    response = coach_client.post(
        reverse("workplans:goal-add", args=[active_case.uuid]),
        {"term": GoalTerm.SHORT, "life_domain": LifeDomain.FINANCIEN, "description": description},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="id_description_error"' in content
    assert "Dit veld is vereist." in content
    assert not Goal.objects.exists()


@pytest.mark.parametrize("description", ["", "  \n "])
def test_goal_without_description_is_refused_by_the_service(wijkcoach, workplan, description):
    with pytest.raises(ValidationError) as excinfo:
        _goal(wijkcoach, workplan, description=description)
    assert excinfo.value.message_dict["description"] == ["Beschrijf het doel in gewone taal."]
    assert not Goal.objects.exists()


def test_long_term_goal_without_horizon_is_refused(coach_client, wijkcoach, active_case, workplan):
    with pytest.raises(ValidationError) as excinfo:
        _goal(wijkcoach, workplan, term=GoalTerm.LONG)
    assert excinfo.value.message_dict["horizon_years"] == ["Een langetermijndoel heeft een horizon in jaren."]
    response = coach_client.post(
        reverse("workplans:goal-add", args=[active_case.uuid]),
        {"term": GoalTerm.LONG, "life_domain": LifeDomain.FINANCIEN, "description": "Schuldenvrij"},
    )
    assert response.status_code == 400
    assert "Een langetermijndoel heeft een horizon in jaren." in response.content.decode()
    assert not Goal.objects.exists()


def test_owner_not_on_the_case_is_refused_by_the_services(wijkcoach, outsider, colleague, workplan, municipality):
    with pytest.raises(ValidationError) as excinfo:
        _goal(wijkcoach, workplan, owner=outsider)
    assert excinfo.value.message_dict == {"owner": [OWNER_MESSAGE]}
    assert not Goal.objects.exists()

    goal = _goal(wijkcoach, workplan)
    with pytest.raises(ValidationError) as excinfo:
        services.goal_update(actor=wijkcoach, goal=goal, expected_version=goal.lock_version, owner=colleague)
    assert excinfo.value.message_dict == {"owner": [OWNER_MESSAGE]}
    assert Goal.objects.get(pk=goal.pk).owner == wijkcoach

    with pytest.raises(ValidationError) as excinfo:
        services.action_add(actor=wijkcoach, goal=goal, description="Bellen", party=municipality, professional=outsider)
    assert excinfo.value.message_dict == {"professional": [OWNER_MESSAGE]}
    assert not Action.objects.exists()


def test_an_owner_who_left_the_case_cannot_be_chosen_again(wijkcoach, colleague, active_case, workplan):
    member = case_services.case_member_add(
        actor=wijkcoach, case=active_case, user=colleague, role=CaseRole.KLANTMANAGER
    )
    case_services.case_member_end(actor=wijkcoach, member=member)
    with pytest.raises(ValidationError) as excinfo:
        _goal(wijkcoach, workplan, owner=colleague)
    assert excinfo.value.message_dict == {"owner": [OWNER_MESSAGE]}


def test_owner_not_on_the_case_is_refused_on_the_page(coach_client, outsider, active_case, workplan):
    response = coach_client.post(
        reverse("workplans:goal-add", args=[active_case.uuid]),
        {
            "term": GoalTerm.SHORT,
            "life_domain": LifeDomain.FINANCIEN,
            "description": "Rekeningen betalen",
            "owner": str(outsider.uuid),
        },
    )
    assert response.status_code == 400
    assert "geen beschikbare keuze" in response.content.decode()
    assert not Goal.objects.exists()


# --- Dates out of order --------------------------------------------------------------------


def test_action_ending_before_it_starts_is_refused(coach_client, wijkcoach, municipality, active_case, workplan):
    goal = _goal(wijkcoach, workplan)
    with pytest.raises(ValidationError) as excinfo:
        services.action_add(
            actor=wijkcoach,
            goal=goal,
            description="Budgetplan",
            party=municipality,
            start_on=datetime.date(2026, 5, 10),
            end_on=datetime.date(2026, 5, 9),
        )
    assert excinfo.value.message_dict == {"end_on": ["De einddatum ligt voor de startdatum."]}

    prefix = f"action-{goal.uuid}"
    response = coach_client.post(
        reverse("workplans:action-add", args=[active_case.uuid, goal.uuid]),
        {
            f"{prefix}-description": "Budgetplan",
            f"{prefix}-party": str(municipality.uuid),
            f"{prefix}-start_on": "2026-05-10",
            f"{prefix}-end_on": "2026-05-09",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "De einddatum ligt voor de startdatum." in response.content.decode()
    assert not Action.objects.exists()


def test_analysis_period_out_of_order_is_refused(coach_client, wijkcoach, active_case, workplan):
    son = HouseholdMember.objects.get(household=active_case.household, client__given_names="Tim").client
    with pytest.raises(ValidationError) as excinfo:
        services.analysis_add(
            actor=wijkcoach,
            workplan=workplan,
            client=son,
            provision="Jeugdhulp",
            party="Jeugdteam",
            period_from=datetime.date(2025, 3, 1),
            period_to=datetime.date(2025, 2, 1),
        )
    assert excinfo.value.message_dict == {"period_to": ["De einddatum ligt voor de begindatum."]}
    response = coach_client.post(
        reverse("workplans:analysis-add", args=[active_case.uuid]),
        {
            "client": str(son.uuid),
            "provision": "Jeugdhulp",
            "party": "Jeugdteam",
            "period_from": "2025-03-01",
            "period_to": "2025-02-01",
        },
    )
    assert response.status_code == 400
    assert "De einddatum ligt voor de begindatum." in response.content.decode()
    assert not AnalysisEntry.objects.exists()


def test_obstacle_resolved_before_it_was_raised_is_refused(wijkcoach, workplan):
    today = timezone.localdate()
    obstacle = services.obstacle_raise(
        actor=wijkcoach, workplan=workplan, category=ObstacleCategory.WACHTLIJST, description="Wachtlijst GGZ"
    )
    with pytest.raises(ValidationError) as excinfo:
        services.obstacle_resolve(actor=wijkcoach, obstacle=obstacle, resolved_on=today - datetime.timedelta(days=1))
    assert excinfo.value.message_dict == {
        "resolved_on": ["Een belemmering kan niet voor de signalering zijn opgelost."]
    }
    assert Obstacle.objects.get(pk=obstacle.pk).resolved_on is None

    services.obstacle_resolve(actor=wijkcoach, obstacle=obstacle, resolved_on=today)
    assert Obstacle.objects.get(pk=obstacle.pk).resolved_on == today


def test_a_progress_review_in_the_future_is_refused(wijkcoach, workplan):
    goal = _goal(wijkcoach, workplan)
    with pytest.raises(ValidationError) as excinfo:
        services.progress_review_add(
            actor=wijkcoach,
            goal=goal,
            status=GoalStatus.BEHAALD,
            reviewed_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert excinfo.value.message_dict == {"reviewed_on": ["Deze datum ligt in de toekomst."]}
    assert not ProgressReview.objects.exists()
    assert Goal.objects.get(pk=goal.pk).status == GoalStatus.OPEN


# --- NUL characters ----------------------------------------------------------------------------


def test_nul_character_in_the_plan_text_is_a_form_error(coach_client, active_case, workplan):
    response = coach_client.post(
        reverse("workplans:plan-update", args=[active_case.uuid]),
        _plan_text_post(workplan.lock_version, problem_analysis="Schulden\x00 en zorgen"),
    )
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert Workplan.objects.get(pk=workplan.pk).problem_analysis == ""


def test_nul_character_in_a_goal_is_a_form_error(coach_client, active_case, workplan):
    response = coach_client.post(
        reverse("workplans:goal-add", args=[active_case.uuid]),
        {"term": GoalTerm.SHORT, "life_domain": LifeDomain.FINANCIEN, "description": "Rust\x00"},
    )
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert not Goal.objects.exists()


def test_nul_character_in_an_obstacle_is_a_form_error(coach_client, active_case, workplan):
    response = coach_client.post(
        reverse("workplans:obstacle-add", args=[active_case.uuid]),
        {"category": ObstacleCategory.ANDERS, "description": "Wacht\x00lijst"},
    )
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert not Obstacle.objects.exists()


def test_nul_character_is_refused_by_the_services(wijkcoach, workplan):
    with pytest.raises(ValidationError) as excinfo:
        _goal(wijkcoach, workplan, description="Rust\x00")
    assert NUL_MESSAGE in excinfo.value.message_dict["description"]
    with pytest.raises(ValidationError):
        services.workplan_update(
            actor=wijkcoach, workplan=workplan, expected_version=None, client_support_agreements="\x00"
        )
    assert not Goal.objects.exists()
    assert Workplan.objects.get(pk=workplan.pk).client_support_agreements == ""


# --- An ended plan ----------------------------------------------------------------------------


@pytest.fixture
def ended(wijkcoach, workplan):
    goal = _goal(wijkcoach, workplan)
    services.workplan_adopt(actor=wijkcoach, workplan=workplan)
    services.workplan_end(actor=wijkcoach, workplan=Workplan.objects.get(pk=workplan.pk))
    workplan.refresh_from_db()
    assert workplan.status == WorkplanStatus.BEEINDIGD
    return workplan, Goal.objects.get(pk=goal.pk)


def test_an_ended_plan_cannot_be_changed_through_the_services(wijkcoach, active_case, municipality, ended):
    workplan, goal = ended
    son = HouseholdMember.objects.get(household=active_case.household, client__given_names="Tim").client
    attempts = {
        "workplan_update": lambda: services.workplan_update(
            actor=wijkcoach, workplan=workplan, expected_version=workplan.lock_version, problem_analysis="Nieuw"
        ),
        "goal_add": lambda: _goal(wijkcoach, workplan, description="Nieuw doel"),
        "goal_update": lambda: services.goal_update(
            actor=wijkcoach, goal=goal, expected_version=goal.lock_version, description="Anders"
        ),
        "progress_review_add": lambda: services.progress_review_add(
            actor=wijkcoach, goal=goal, status=GoalStatus.BEHAALD
        ),
        "action_add": lambda: services.action_add(actor=wijkcoach, goal=goal, description="Bellen", party=municipality),
        "analysis_add": lambda: services.analysis_add(
            actor=wijkcoach, workplan=workplan, client=son, provision="Jeugdhulp", party="Jeugdteam"
        ),
        "workplan_adopt": lambda: services.workplan_adopt(actor=wijkcoach, workplan=workplan, reason="Toch nog"),
    }
    for name, attempt in attempts.items():
        with pytest.raises(ValidationError) as excinfo:
            attempt()
        assert ENDED_MESSAGE in excinfo.value.messages, name

    stored = Workplan.objects.get(pk=workplan.pk)
    assert stored.problem_analysis == ""
    assert stored.lock_version == workplan.lock_version
    assert Goal.objects.get(pk=goal.pk).description == "Rekeningen op tijd betalen"
    assert Goal.objects.count() == 1
    assert not ProgressReview.objects.exists()
    assert not Action.objects.exists()
    assert not AnalysisEntry.objects.exists()
    assert WorkplanVersion.objects.count() == 1


def test_an_ended_plan_cannot_be_changed_on_the_pages(coach_client, active_case, ended):
    workplan, goal = ended
    response = coach_client.post(
        reverse("workplans:plan-update", args=[active_case.uuid]),
        _plan_text_post(workplan.lock_version, problem_analysis="Nieuw"),
    )
    assert response.status_code == 400
    assert ENDED_MESSAGE in response.content.decode()

    response = coach_client.post(
        reverse("workplans:goal-add", args=[active_case.uuid]),
        {"term": GoalTerm.SHORT, "life_domain": LifeDomain.FINANCIEN, "description": "Nieuw doel"},
    )
    assert response.status_code == 400
    assert ENDED_MESSAGE in response.content.decode()

    response = coach_client.post(
        reverse("workplans:goal-edit", args=[active_case.uuid, goal.uuid]), _goal_post(goal, description="Anders")
    )
    assert response.status_code == 400
    assert ENDED_MESSAGE in response.content.decode()

    assert Workplan.objects.get(pk=workplan.pk).problem_analysis == ""
    assert Goal.objects.count() == 1
    assert Goal.objects.get(pk=goal.pk).description == "Rekeningen op tijd betalen"


def test_adopting_an_ended_plan_on_the_page_is_refused_with_the_reason(coach_client, active_case, ended):
    """E.g. a second tab: the plan was ended after this page was loaded."""
    workplan, _goal_ = ended
    response = coach_client.post(
        reverse("workplans:plan-adopt", args=[active_case.uuid]),
        {"lock_version": workplan.lock_version, "confirm_gaps": "on", "reason": "Toch nog"},
    )
    assert response.status_code == 400
    assert WorkplanVersion.objects.count() == 1
    assert ENDED_MESSAGE in response.content.decode()


def test_changing_an_action_status_of_an_ended_plan_is_refused_not_a_server_error(
    coach_client, wijkcoach, municipality, active_case, workplan
):
    goal = _goal(wijkcoach, workplan)
    action = services.action_add(actor=wijkcoach, goal=goal, description="Budgetplan maken", party=municipality)
    services.workplan_end(actor=wijkcoach, workplan=Workplan.objects.get(pk=workplan.pk))
    with pytest.raises(ValidationError, match="beëindigd"):
        services.action_set_status(actor=wijkcoach, action=Action.objects.get(pk=action.pk), status="afgerond")

    coach_client.raise_request_exception = False
    response = coach_client.post(
        reverse("workplans:action-status", args=[active_case.uuid, action.uuid]),
        {f"status-{action.uuid}-status": "afgerond"},
        follow=True,
    )
    assert response.status_code in (200, 400)
    assert ENDED_MESSAGE in response.content.decode()
    assert Action.objects.get(pk=action.pk).status == "gepland"

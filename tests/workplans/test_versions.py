"""Versions of a workplan (duty e): adoption, revision with a reason, immutable snapshots and their difference."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Organisation
from cases.constants import LifeDomain
from workplans import services
from workplans.constants import ActionStatus, Duty, GoalStatus, GoalTerm, WorkplanStatus
from workplans.models import CoordinationDuty, DutyRecord, Goal, ImmutableError, Workplan, WorkplanVersion
from workplans.snapshot import diff_snapshots, take_snapshot

pytestmark = pytest.mark.django_db


def _goal(actor, workplan, **fields) -> Goal:
    values = {
        "term": GoalTerm.SHORT,
        "life_domain": LifeDomain.FINANCIEN,
        "description": "Rekeningen op tijd betalen",
        "owner": actor,
    }
    values.update(fields)
    return services.goal_add(actor=actor, workplan=workplan, **values)


def _duty_e(workplan) -> CoordinationDuty:
    return CoordinationDuty.objects.get(workplan=workplan, duty=Duty.E)


# --- Adoption -----------------------------------------------------------------------


def test_adopting_creates_version_1_sets_the_review_date_and_records_duty_e(wijkcoach, workplan):
    services.workplan_update(actor=wijkcoach, workplan=workplan, expected_version=None, review_interval_weeks=8)
    _goal(wijkcoach, workplan)
    today = timezone.localdate()

    version = services.workplan_adopt(actor=wijkcoach, workplan=workplan)

    assert isinstance(version, WorkplanVersion)
    assert version.number == 1
    assert version.reason == ""
    assert version.adopted_by == wijkcoach
    assert version.approved_by is None
    assert [g["description"] for g in version.snapshot["goals"]] == ["Rekeningen op tijd betalen"]
    workplan.refresh_from_db()
    assert workplan.status == WorkplanStatus.VASTGESTELD
    assert workplan.adopted_at == version.adopted_at
    assert workplan.review_due_on == today + datetime.timedelta(weeks=8)
    duty_e = _duty_e(workplan)
    record = duty_e.records.get()
    assert record.done_on == today
    assert record.done_by == wijkcoach
    assert "versie 1" in record.what
    assert duty_e.last_done_on == today
    assert duty_e.next_due_on == today + datetime.timedelta(days=duty_e.interval_days)


def test_adopting_bumps_the_lock_version(wijkcoach, workplan):
    _goal(wijkcoach, workplan)
    before = Workplan.objects.get(pk=workplan.pk).lock_version
    services.workplan_adopt(actor=wijkcoach, workplan=workplan, expected_version=before)
    assert Workplan.objects.get(pk=workplan.pk).lock_version == before + 1


def test_adopting_a_plan_without_goals_is_refused_and_nothing_is_saved(wijkcoach, workplan):
    with pytest.raises(ValidationError) as excinfo:
        services.workplan_adopt(actor=wijkcoach, workplan=workplan)
    assert "Een werkplan zonder doelen kan niet worden vastgesteld." in excinfo.value.messages
    workplan.refresh_from_db()
    assert workplan.status == WorkplanStatus.CONCEPT
    assert workplan.adopted_at is None
    assert workplan.review_due_on is None
    assert not WorkplanVersion.objects.exists()
    assert not DutyRecord.objects.exists()


def test_a_plan_with_only_lapsed_goals_cannot_be_adopted(wijkcoach, workplan):
    goal = _goal(wijkcoach, workplan)
    services.goal_update(actor=wijkcoach, goal=goal, expected_version=goal.lock_version, status=GoalStatus.VERVALLEN)
    with pytest.raises(ValidationError, match="zonder doelen"):
        services.workplan_adopt(actor=wijkcoach, workplan=workplan)
    assert not WorkplanVersion.objects.exists()


# --- Revision -------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_revising_without_a_reason_is_refused(wijkcoach, workplan, reason):
    _goal(wijkcoach, workplan)
    services.workplan_adopt(actor=wijkcoach, workplan=workplan)
    _goal(wijkcoach, workplan, life_domain=LifeDomain.WERK_OPLEIDING, description="Werkervaringsplaats vinden")

    with pytest.raises(ValidationError) as excinfo:
        services.workplan_adopt(actor=wijkcoach, workplan=workplan, reason=reason)

    assert excinfo.value.message_dict == {"reason": ["Geef de reden van de wijziging op."]}
    assert WorkplanVersion.objects.filter(workplan=workplan).count() == 1
    assert Workplan.objects.get(pk=workplan.pk).status == WorkplanStatus.VASTGESTELD
    assert _duty_e(workplan).records.count() == 1


def test_revising_with_a_reason_creates_version_2_with_status_herzien(wijkcoach, workplan):
    _goal(wijkcoach, workplan)
    first = services.workplan_adopt(actor=wijkcoach, workplan=workplan)
    _goal(wijkcoach, workplan, life_domain=LifeDomain.WERK_OPLEIDING, description="Werkervaringsplaats vinden")

    second = services.workplan_adopt(actor=wijkcoach, workplan=workplan, reason="Werkdoel toegevoegd")

    assert second.number == 2
    assert second.reason == "Werkdoel toegevoegd"
    assert [v.number for v in workplan.versions.all()] == [1, 2]
    workplan.refresh_from_db()
    assert workplan.status == WorkplanStatus.HERZIEN
    assert workplan.adopted_at == second.adopted_at
    assert len(second.snapshot["goals"]) == 2
    # The first version is untouched.
    assert len(WorkplanVersion.objects.get(pk=first.pk).snapshot["goals"]) == 1
    records = list(_duty_e(workplan).records.order_by("id"))
    assert len(records) == 2
    assert records[1].outcome == "Werkdoel toegevoegd"


# --- Immutability ---------------------------------------------------------------------


def test_saving_an_existing_version_raises_and_changes_nothing(wijkcoach, workplan):
    _goal(wijkcoach, workplan)
    version = services.workplan_adopt(actor=wijkcoach, workplan=workplan)

    version.reason = "Achteraf aangepast"
    version.snapshot = {"goals": []}
    with pytest.raises(ImmutableError):
        version.save()

    fresh = WorkplanVersion.objects.get(pk=version.pk)
    with pytest.raises(ImmutableError):
        fresh.save(update_fields=["reason"])
    stored = WorkplanVersion.objects.get(pk=version.pk)
    assert stored.reason == ""
    assert len(stored.snapshot["goals"]) == 1


def test_deleting_a_version_raises_and_keeps_it(wijkcoach, workplan):
    _goal(wijkcoach, workplan)
    version = services.workplan_adopt(actor=wijkcoach, workplan=workplan)
    with pytest.raises(ImmutableError):
        version.delete()
    assert WorkplanVersion.objects.filter(pk=version.pk).exists()


def test_the_snapshot_keeps_the_old_text_after_the_goal_and_owner_change(wijkcoach, workplan):
    goal = _goal(wijkcoach, workplan, description="Rekeningen op tijd betalen")
    owner_then = str(wijkcoach)
    version = services.workplan_adopt(actor=wijkcoach, workplan=workplan)

    services.goal_update(
        actor=wijkcoach,
        goal=goal,
        expected_version=goal.lock_version,
        description="Schuldhulptraject afronden",
        status=GoalStatus.LOOPT,
    )
    wijkcoach.last_name = "Anders-Genoemd"
    wijkcoach.save()

    stored = WorkplanVersion.objects.get(pk=version.pk).snapshot
    assert stored["goals"][0]["description"] == "Rekeningen op tijd betalen"
    assert stored["goals"][0]["status"] == "Open"
    assert stored["goals"][0]["owner"] == owner_then
    assert stored["coordinator"] == owner_then
    assert Goal.objects.get(pk=goal.pk).description == "Schuldhulptraject afronden"


# --- Difference between two snapshots -------------------------------------------------


def test_diff_reports_added_changed_and_removed_goals_actions_and_texts(wijkcoach, workplan, municipality):
    services.workplan_update(
        actor=wijkcoach, workplan=workplan, expected_version=None, problem_analysis="Schulden en spanning thuis."
    )
    kept = _goal(wijkcoach, workplan, description="Rekeningen op tijd betalen")
    dropped = _goal(wijkcoach, workplan, life_domain=LifeDomain.HUISVESTING, description="Huurachterstand oplossen")
    same = _goal(wijkcoach, workplan, life_domain=LifeDomain.SOCIAAL_NETWERK, description="Vaker naar de buurvrouw")
    party = Organisation.objects.get(pk=municipality.pk)
    changed_action = services.action_add(actor=wijkcoach, goal=kept, description="Budgetplan maken", party=party)
    removed_action = services.action_add(actor=wijkcoach, goal=kept, description="Post openen samen", party=party)
    services.action_add(actor=wijkcoach, goal=dropped, description="Bellen met corporatie", party=party)
    services.action_add(actor=wijkcoach, goal=same, description="Koffie drinken", party=party)
    old = take_snapshot(workplan)

    services.workplan_update(
        actor=wijkcoach, workplan=workplan, expected_version=None, problem_analysis="Schulden; spanning is minder."
    )
    services.goal_update(
        actor=wijkcoach, goal=kept, expected_version=kept.lock_version, description="Vaste lasten automatisch betalen"
    )
    services.action_set_status(actor=wijkcoach, action=changed_action, status=ActionStatus.AFGEROND)
    removed_action.delete()  # no service removes an action yet; the snapshot only needs it gone
    services.action_add(actor=wijkcoach, goal=kept, description="Automatische incasso regelen", party=party)
    dropped.delete()
    added = _goal(wijkcoach, workplan, life_domain=LifeDomain.WERK_OPLEIDING, description="Werkervaringsplaats vinden")
    services.action_add(actor=wijkcoach, goal=added, description="Gesprek met werkcoach", party=party)
    new = take_snapshot(workplan)

    diff = diff_snapshots(old, new)

    assert [(c.label, c.old, c.new) for c in diff.texts] == [
        ("Problemen en samenhang", "Schulden en spanning thuis.", "Schulden; spanning is minder.")
    ]
    goals = {g.title: g for g in diff.goals}
    assert goals["Vaste lasten automatisch betalen"].kind == "changed"
    assert [(c.label, c.old, c.new) for c in goals["Vaste lasten automatisch betalen"].changes] == [
        ("Doel", "Rekeningen op tijd betalen", "Vaste lasten automatisch betalen")
    ]
    assert goals["Huurachterstand oplossen"].kind == "removed"
    assert goals["Werkervaringsplaats vinden"].kind == "added"
    assert goals["Vaker naar de buurvrouw"].kind == "same"

    actions = {a.title: a for a in goals["Vaste lasten automatisch betalen"].children}
    assert actions["Budgetplan maken"].kind == "changed"
    assert [(c.label, c.old, c.new) for c in actions["Budgetplan maken"].changes] == [("Status", "Gepland", "Afgerond")]
    assert actions["Post openen samen"].kind == "removed"
    assert actions["Automatische incasso regelen"].kind == "added"
    assert [(a.title, a.kind) for a in goals["Werkervaringsplaats vinden"].children] == [
        ("Gesprek met werkcoach", "added")
    ]
    assert [(a.title, a.kind) for a in goals["Vaker naar de buurvrouw"].children] == [("Koffie drinken", "same")]
    assert not diff.is_empty


def test_a_goal_whose_only_change_is_an_action_counts_as_changed(wijkcoach, workplan, municipality):
    goal = _goal(wijkcoach, workplan)
    action = services.action_add(actor=wijkcoach, goal=goal, description="Budgetplan maken", party=municipality)
    old = take_snapshot(workplan)
    services.action_set_status(actor=wijkcoach, action=action, status=ActionStatus.LOOPT)

    diff = diff_snapshots(old, take_snapshot(workplan))

    assert [(g.title, g.kind, g.changes) for g in diff.goals] == [("Rekeningen op tijd betalen", "changed", [])]
    assert [(a.title, a.kind) for a in diff.goals[0].children] == [("Budgetplan maken", "changed")]


def test_diff_of_identical_snapshots_is_empty(wijkcoach, workplan):
    _goal(wijkcoach, workplan)
    snapshot = take_snapshot(workplan)
    diff = diff_snapshots(snapshot, take_snapshot(workplan))
    assert diff.is_empty
    assert diff.counts == {"added": 0, "removed": 0, "changed": 0}


def test_diff_between_two_adopted_versions(wijkcoach, workplan):
    _goal(wijkcoach, workplan)
    first = services.workplan_adopt(actor=wijkcoach, workplan=workplan)
    _goal(wijkcoach, workplan, life_domain=LifeDomain.WERK_OPLEIDING, description="Werkervaringsplaats vinden")
    second = services.workplan_adopt(actor=wijkcoach, workplan=workplan, reason="Werkdoel toegevoegd")

    diff = diff_snapshots(first.snapshot, second.snapshot)

    assert diff.counts == {"added": 1, "removed": 0, "changed": 0}
    assert [(g.title, g.kind) for g in diff.goals] == [
        ("Rekeningen op tijd betalen", "same"),
        ("Werkervaringsplaats vinden", "added"),
    ]

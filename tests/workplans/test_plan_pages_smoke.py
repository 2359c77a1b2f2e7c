"""The workplan pages end to end through the test client: write, adopt, revise, diff, PDF."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.constants import LifeDomain
from workplans.constants import Duty, GoalTerm
from workplans.models import DutyRecord, Goal, WorkplanVersion

pytestmark = pytest.mark.django_db


def test_write_adopt_revise_diff_and_pdf(client, wijkcoach, active_case):
    client.force_login(wijkcoach)
    plan_url = reverse("workplans:plan", args=[active_case.uuid])
    assert "Werkplan starten" in client.get(plan_url).content.decode()
    assert client.post(reverse("workplans:plan-create", args=[active_case.uuid])).status_code == 302
    response = client.get(plan_url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Coördinatietaken a–g" in content

    response = client.post(
        reverse("workplans:goal-add", args=[active_case.uuid]),
        {
            "term": GoalTerm.LONG,
            "horizon_years": 3,
            "life_domain": LifeDomain.FINANCIEN,
            "description": "Schulden onder controle",
            "owner": str(wijkcoach.uuid),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    goal = Goal.objects.get()
    assert goal.owner == wijkcoach

    adopt_url = reverse("workplans:plan-adopt", args=[active_case.uuid])
    workplan = goal.workplan
    response = client.post(adopt_url, {"lock_version": workplan.lock_version})
    # Gaps (e.g. no participation goal for a working-age parent) ask for confirmation first.
    assert response.status_code == 400
    assert "open punten" in response.content.decode()
    response = client.post(adopt_url, {"lock_version": workplan.lock_version, "confirm_gaps": "on"})
    assert response.status_code == 302
    assert WorkplanVersion.objects.count() == 1

    client.post(
        reverse("workplans:goal-add", args=[active_case.uuid]),
        {"term": GoalTerm.SHORT, "life_domain": LifeDomain.WERK_OPLEIDING, "description": "Werkervaringsplaats vinden"},
    )
    workplan.refresh_from_db()
    response = client.post(adopt_url, {"lock_version": workplan.lock_version, "confirm_gaps": "on"})
    assert response.status_code == 400
    assert "Geef de reden van de wijziging op" in response.content.decode()
    response = client.post(
        adopt_url, {"lock_version": workplan.lock_version, "confirm_gaps": "on", "reason": "Werkdoel toegevoegd"}
    )
    assert response.status_code == 302
    assert WorkplanVersion.objects.count() == 2

    response = client.get(reverse("workplans:version-diff", args=[active_case.uuid]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Werkervaringsplaats vinden" in content
    assert "1 toegevoegd" in content

    response = client.post(
        reverse("workplans:duty-record", args=[active_case.uuid, Duty.A]),
        {"duty-a-done_on": "2026-11-20", "duty-a-what": "Voortgang besproken"},
    )
    assert response.status_code == 302
    assert DutyRecord.objects.filter(duty__duty=Duty.A).exists()

    response = client.get(reverse("workplans:client-version", args=[active_case.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")

"""Functioneel beheer: the beheerder sets a team's reminder thresholds in the admin, and the change is audited."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.constants import Role
from reminders.models import THRESHOLD_FIELDS, TeamReminderSettings
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheerder(team):
    user = make_user(Role.BEHEERDER, team, username="t_beheer")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def form(team, **values) -> dict:
    defaults = {name: TeamReminderSettings._meta.get_field(name).default for name in THRESHOLD_FIELDS}
    return {"team": team.pk, **defaults, **values}


def test_beheerder_sets_a_teams_thresholds_and_the_change_is_audited(client, beheerder, team):
    client.force_login(beheerder)
    response = client.post(reverse("admin:reminders_teamremindersettings_add"), form(team, contact_days=21))
    assert response.status_code == 302, response.content.decode()[:2000]
    row = TeamReminderSettings.objects.get(team=team)
    assert row.contact_days == 21
    response = client.post(
        reverse("admin:reminders_teamremindersettings_change", args=[row.pk]),
        form(team, contact_days=21, escalation_days=3),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row.refresh_from_db()
    assert row.escalation_days == 3
    entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(TeamReminderSettings))
    assert entries.count() == 2


def test_thresholds_are_at_least_one(client, beheerder, team):
    client.force_login(beheerder)
    response = client.post(reverse("admin:reminders_teamremindersettings_add"), form(team, contact_days=0))
    assert response.status_code == 200
    assert not TeamReminderSettings.objects.exists()


def test_a_professional_without_admin_access_cannot_open_it(client, wijkcoach):
    client.force_login(wijkcoach)
    response = client.get(reverse("admin:reminders_teamremindersettings_changelist"))
    assert response.status_code == 302  # to the admin login: not staff

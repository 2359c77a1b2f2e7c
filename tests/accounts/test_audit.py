import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from accounts.constants import Role
from accounts.models import Team
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_changes_are_audited_with_their_actor(client, team):
    beheerder = make_user(Role.BEHEERDER, team, is_staff=True)
    client.force_login(beheerder)
    url = reverse("admin:accounts_team_change", args=[team.pk])
    response = client.post(url, {"organisation": team.organisation.pk, "name": "Wijkteam Noord-Oost"})
    assert response.status_code == 302, response.content.decode()[:2000]

    entry = LogEntry.objects.get_for_object(Team.objects.get(pk=team.pk)).latest("timestamp")
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == beheerder
    assert entry.changes_dict["name"] == ["Wijkteam Noord", "Wijkteam Noord-Oost"]


def test_password_is_never_in_the_audit_log(team):
    user = make_user(Role.WIJKCOACH, team)
    user.set_password("een-ander-wachtwoord-2")
    user.save()
    for entry in LogEntry.objects.get_for_object(user):
        assert "password" not in entry.changes_dict

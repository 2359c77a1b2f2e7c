import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from accounts.models import Membership, Organisation, Team, User

pytestmark = pytest.mark.django_db

USERNAMES = {
    "wijkcoach",
    "wijkcoach2",
    "klantmanager",
    "werkcoach",
    "regisseur",
    "teamleider",
    "beleid",
    "fg",
    "beheerder",
    "partner",
}


def _snapshot():
    return {
        "organisations": sorted(Organisation.objects.values_list("name", "type")),
        "teams": sorted(Team.objects.values_list("organisation__name", "name")),
        "users": sorted(User.objects.values_list("username", "organisation__name", "is_staff")),
        "memberships": sorted(Membership.objects.values_list("user__username", "team__name", "role")),
    }


def test_seed_demo_twice_gives_the_same_data(settings):
    settings.DEMO_MODE = True
    call_command("seed_demo", verbosity=0)
    first = _snapshot()
    call_command("seed_demo", verbosity=0)
    assert _snapshot() == first
    assert {u for u, *_ in first["users"]} == USERNAMES
    assert ("Gemeente Voorbeeldstad", "gemeente") in first["organisations"]
    assert {t for _, t in first["teams"]} >= {"Wijkteam Noord", "Wijkteam Zuid", "Werk en Inkomen"}
    assert ("wijkcoach2", "Wijkteam Zuid", "wijkcoach") in first["memberships"]
    assert ("partner", "GGZ Ambulant Team", "partner") in first["memberships"]


def test_demo_users_log_in_with_demo_password(settings):
    settings.DEMO_MODE = True
    call_command("seed_demo", verbosity=0)
    request = RequestFactory().post("/inloggen/")
    user = authenticate(request, username="regisseur", password="demo")
    assert user is not None
    assert list(user.groups.values_list("name", flat=True)) == ["regisseur"]


def test_seed_demo_refuses_without_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.filter(username="wijkcoach").exists()

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User

pytestmark = pytest.mark.django_db

# Seeding twice and logging in as a demo user: tests/cases/test_demo_cases.py, which seeds once for all its tests.


def test_seed_demo_refuses_without_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.filter(username="wijkcoach").exists()

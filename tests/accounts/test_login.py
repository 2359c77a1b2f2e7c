import datetime

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord-1"


def test_login_page_is_dutch_and_open(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'lang="nl"' in content
    assert "Inloggen" in content
    assert "Direct naar de inhoud" in content  # skip link


def test_every_page_requires_login(client):
    response = client.get(reverse("werkvoorraad"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_login_lands_on_werkvoorraad_and_logout_ends_session(client, wijkcoach):
    response = client.post(
        reverse("accounts:login"), {"username": wijkcoach.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("werkvoorraad")
    assert "Mijn werkvoorraad" in response.content.decode()
    assert "Wijkteam Noord" in response.content.decode()

    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("werkvoorraad")).status_code == 302


def test_wrong_password_gives_dutch_error(client, wijkcoach):
    response = client.post(reverse("accounts:login"), {"username": wijkcoach.username, "password": "fout"})
    assert response.status_code == 200
    assert "Gebruikersnaam of wachtwoord onjuist" in response.content.decode()


def test_throttling_locks_out_after_five_failures_and_logs_them(client, wijkcoach):
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": wijkcoach.username, "password": "fout"})
    assert AccessFailureLog.objects.filter(username=wijkcoach.username).count() == 5
    attempt = AccessAttempt.objects.get(username=wijkcoach.username)
    assert attempt.failures_since_start == 5

    # Even the right password is refused while locked out.
    response = client.post(reverse("accounts:login"), {"username": wijkcoach.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "Te veel mislukte inlogpogingen" in response.content.decode()
    assert client.get(reverse("werkvoorraad")).status_code == 302


def test_session_expires_after_idle_period(client, wijkcoach, settings):
    start = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        client.force_login(wijkcoach)
        assert client.get(reverse("werkvoorraad")).status_code == 200
    # Activity renews the session: 14 minutes later it is still alive...
    with time_machine.travel(start + datetime.timedelta(minutes=14), tick=False):
        assert client.get(reverse("werkvoorraad")).status_code == 200
    # ...and 16 minutes of idleness after that it has expired.
    with time_machine.travel(start + datetime.timedelta(minutes=30), tick=False):
        response = client.get(reverse("werkvoorraad"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_idle_timeout_is_fifteen_minutes_by_default(settings):
    assert settings.SESSION_COOKIE_AGE == 15 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True

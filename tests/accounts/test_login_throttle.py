"""Login throttling (security review, finding 11): per address across user names, and per user name from an
address with a short delay that grows and that the owner ends by logging in correctly. ``accounts.login_throttle``.

Before: five wrong passwords locked a colleague out for 15 minutes from the shared municipal NAT address, and
spraying one password over many user names from one address was not limited at all.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.test import RequestFactory
from django.urls import reverse

from accounts.login_throttle import account_delay, client_ip
from accounts.services import api_token_create

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord-1"
NAT = "192.0.2.10"  # the municipality's shared address
HOME = "198.51.100.7"
ATTACKER = "203.0.113.66"
START = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def login(client):
    def _login(username: str, password: str, address: str = NAT):
        client.logout()
        return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address)

    return _login


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("werkvoorraad")


def refused(response, reason: str) -> int:
    """Assert the Dutch lockout page for ``reason`` and return the seconds of Retry-After."""
    assert response.status_code == 429, response.status_code
    content = response.content.decode()
    assert "Te veel mislukte inlogpogingen" in content
    if reason == "account":
        assert "Voor deze gebruikersnaam is te vaak een onjuist wachtwoord gebruikt." in content
        assert "met het juiste wachtwoord komt u dan gewoon binnen" in content
    else:
        assert "Vanaf dit netwerkadres is in korte tijd te vaak een onjuist wachtwoord gebruikt." in content
    assert "Inloggen kan weer vanaf" in content
    return int(response["Retry-After"])


def at(seconds: float):
    return time_machine.travel(START + datetime.timedelta(seconds=seconds), tick=False)


# --- Per user name from one address: a short delay that grows ---------------------------------------


def test_five_wrong_passwords_delay_only_that_user_name_for_a_minute_then_the_right_one_logs_in(login, wijkcoach):
    with at(0):
        for _ in range(4):
            assert login(wijkcoach.username, "fout").status_code == 200
        assert refused(login(wijkcoach.username, "fout"), "account") == 60
    with at(30):
        # Even the right password waits until the delay has passed...
        assert refused(login(wijkcoach.username, PASSWORD), "account") == 30
    with at(61):
        # ...and then logs in, and the count starts again.
        assert logged_in(login(wijkcoach.username, PASSWORD))
        assert not AccessAttempt.objects.filter(username=wijkcoach.username).exists()
        assert login(wijkcoach.username, "fout").status_code == 200


def test_the_time_to_try_again_is_on_the_page(login, wijkcoach):
    with at(0):
        for _ in range(5):
            response = login(wijkcoach.username, "fout")
    # 09:00 UTC is 10:00 in Amsterdam; one minute later, rounded up to the minute.
    assert "Inloggen kan weer vanaf 10:01 uur" in response.content.decode()
    assert "Dat is over ongeveer 1 minuut." in response.content.decode()


def test_the_delay_doubles_with_every_further_wrong_password_up_to_the_maximum(login, wijkcoach, settings):
    settings.LOGIN_MAX_DELAY = datetime.timedelta(minutes=15)
    now = 0
    with at(now):
        for _ in range(4):
            login(wijkcoach.username, "fout")
    delays = []
    for _ in range(7):
        with at(now):
            delays.append(refused(login(wijkcoach.username, "fout"), "account"))
        now += delays[-1] + 1
    assert delays == [60, 120, 240, 480, 900, 900, 900]
    assert [account_delay(n).total_seconds() for n in (4, 5, 6, 9, 40)] == [0, 60, 120, 900, 900]


def test_attempts_during_a_delay_are_not_counted_and_do_not_lengthen_it(login, wijkcoach):
    with at(0):
        for _ in range(5):
            login(wijkcoach.username, "fout")
    with at(20):
        for _ in range(10):
            refused(login(wijkcoach.username, "fout"), "account")
    assert AccessAttempt.objects.get(username=wijkcoach.username).failures_since_start == 5
    with at(61):
        assert logged_in(login(wijkcoach.username, PASSWORD))


def test_colleagues_behind_the_same_address_do_not_block_each_other(login, wijkcoach, colleague):
    with at(0):
        for _ in range(5):
            login(wijkcoach.username, "fout")
        assert refused(login(wijkcoach.username, PASSWORD), "account")
        assert logged_in(login(colleague.username, PASSWORD, NAT))


def test_an_attacker_elsewhere_does_not_lock_the_owner_out(login, wijkcoach):
    with at(0):
        for _ in range(12):
            login(wijkcoach.username, "fout", ATTACKER)
        assert refused(login(wijkcoach.username, PASSWORD, ATTACKER), "account")
        assert logged_in(login(wijkcoach.username, PASSWORD, NAT))
        assert logged_in(login(wijkcoach.username, PASSWORD, HOME))


# --- Per address, whatever the user names: password spraying -----------------------------------------


def test_spraying_one_password_over_many_user_names_from_one_address_is_limited(login, colleague, settings):
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 20
    with at(0):
        for number in range(20):
            assert login(f"medewerker{number}", "Welkom2026!", ATTACKER).status_code == 200
        # The 21st attempt from that address is refused, whatever the user name or password...
        assert refused(login("medewerker99", "Welkom2026!", ATTACKER), "address") == 15 * 60
        assert refused(login(colleague.username, PASSWORD, ATTACKER), "address")
        # ...and only from that address.
        assert logged_in(login(colleague.username, PASSWORD, NAT))
    # Refused attempts are not counted: when the window has passed, the address may try again.
    with at(15 * 60 + 1):
        assert logged_in(login(colleague.username, PASSWORD, ATTACKER))
    assert AccessFailureLog.objects.filter(ip_address=ATTACKER).count() == 20


def test_the_address_window_slides(login, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for second, username in ((0, "a"), (300, "b"), (600, "c")):
        with at(second):
            assert login(username, "x", ATTACKER).status_code == 200
    with at(601):
        # Three failures within 15 minutes; the first leaves the window at 900 s.
        assert refused(login("d", "x", ATTACKER), "address") == 299
    with at(901):
        assert login("d", "x", ATTACKER).status_code == 200


def test_a_correct_log_in_does_not_reset_the_address_count(login, colleague, settings):
    """Somebody with an account of their own cannot wipe the count of their spraying."""
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 5
    with at(0):
        for number in range(4):
            login(f"medewerker{number}", "Welkom2026!", ATTACKER)
        assert logged_in(login(colleague.username, PASSWORD, ATTACKER))
        login("medewerker4", "Welkom2026!", ATTACKER)
        assert refused(login("medewerker5", "Welkom2026!", ATTACKER), "address")


def test_the_api_token_path_is_not_affected(login, client, wijkcoach, colleague):
    _token, key = api_token_create(actor=wijkcoach, user=wijkcoach, name="Koppeling")
    with at(0):
        for number in range(20):
            login(f"medewerker{number}", "fout", NAT)
        for _ in range(5):
            login(wijkcoach.username, "fout", NAT)
        assert refused(login(colleague.username, PASSWORD, NAT), "address")
        response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}", REMOTE_ADDR=NAT)
        assert response.status_code == 200
        assert response.json()["username"] == wijkcoach.username


# --- The client's address behind the proxy ---------------------------------------------------------


def test_the_client_address_is_read_behind_the_configured_number_of_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.10")
    settings.LOGIN_PROXY_COUNT = 0
    assert client_ip(request) == "172.18.0.2"
    settings.LOGIN_PROXY_COUNT = 1
    # The entry the proxy added, never one the client sent itself.
    assert client_ip(request) == "192.0.2.10"
    settings.LOGIN_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
    settings.LOGIN_PROXY_COUNT = 3
    assert client_ip(request) == "172.18.0.2"
    settings.LOGIN_PROXY_COUNT = 1
    assert client_ip(RequestFactory().get("/", REMOTE_ADDR="172.18.0.2", HTTP_X_FORWARDED_FOR="geen-adres")) == (
        "172.18.0.2"
    )

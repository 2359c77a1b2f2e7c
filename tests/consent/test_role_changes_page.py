"""The FG's page "Rolwijzigingen" (/privacy/rolwijzigingen/): every role grant, who asked and who decided."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.constants import Role
from accounts.models import Membership
from tests.factories import UserFactory, make_user

pytestmark = pytest.mark.django_db

URL = reverse("consent:role-changes")


def ask(actor, user, team, role=Role.WIJKCOACH, reason="Nieuw in het team."):
    return services.role_request_create(actor=actor, user=user, team=team, role=role, reason=reason)


def test_only_the_fg_sees_it(client, beheerder, teamleider, fg):
    for user in (beheerder, teamleider):
        client.force_login(user)
        assert client.get(URL).status_code == 403
    client.force_login(fg)
    assert client.get(URL).status_code == 200
    assert URL in client.get(reverse("consent:index")).content.decode()


def test_the_fg_sees_grants_refusals_withdrawals_and_ends(client, fg, beheerder, second_beheerder, teamleider, team):
    granted = UserFactory(username="t_granted", first_name="Gerda", last_name="Toegekend")
    refused = UserFactory(username="t_refused", first_name="Rob", last_name="Afgewezen")
    withdrawn = UserFactory(username="t_withdrawn", first_name="Wim", last_name="Ingetrokken")
    approval = ask(beheerder, granted, team, role=Role.REGISSEUR, reason="Regie op multiprobleemcasussen.")
    services.role_request_decide(actor=teamleider, role_request=approval, approve=True)
    services.role_request_decide(
        actor=second_beheerder,
        role_request=ask(beheerder, refused, team, role=Role.FG),
        approve=False,
        note="Er is al een FG.",
    )
    services.role_request_withdraw(actor=beheerder, role_request=ask(beheerder, withdrawn, team))
    colleague_membership = Membership.objects.get(user=second_beheerder)
    services.membership_end(actor=beheerder, membership=colleague_membership)

    client.force_login(fg)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    requests = page[page.index('id="h-requests"') : page.index('id="h-direct"')]
    assert "Gerda Toegekend" in requests and "Casusregisseur" in requests and "Goedgekeurd" in requests
    assert "Regie op multiprobleemcasussen." in requests
    assert str(beheerder) in requests.replace("&#x27;", "'")  # who asked
    assert str(teamleider) in requests.replace("&#x27;", "'")  # who decided
    assert "Rob Afgewezen" in requests and "Er is al een FG." in requests
    assert "Wim Ingetrokken" in requests and "Ingetrokken" in requests
    # Roles from before role requests (here: the fixtures' memberships) show as given without a request.
    direct = page[page.index('id="h-direct"') : page.index('id="h-ends"')]
    assert "t_beheerder2" in direct and "t_granted" not in direct
    ends = page[page.index('id="h-ends"') :]
    assert "t_beheerder2" in ends and str(beheerder) in ends.replace("&#x27;", "'")


def test_the_period_filter(client, fg, team):
    with time_machine.travel(datetime.datetime(2026, 1, 10, 9, tzinfo=datetime.UTC), tick=False):
        beheerder = make_user(Role.BEHEERDER, team, username="t_beheerder_sinds_januari")
        ask(beheerder, UserFactory(username="t_januari"), team)
    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC), tick=False):
        ask(beheerder, UserFactory(username="t_maart"), team)
    client.force_login(fg)
    page = client.get(URL, {"date_from": "2026-03-01", "date_to": "2026-03-31"}).content.decode()
    assert "t_maart" in page and "t_januari" not in page
    page = client.get(URL, {"date_from": "2026-01-01", "date_to": "2026-01-31"}).content.decode()
    assert "t_januari" in page and "t_maart" not in page
    assert client.get(URL, {"date_from": "2026-03-31", "date_to": "2026-03-01"}).status_code == 400


def test_the_page_costs_the_same_queries_for_one_and_for_many_changes(client, fg, beheerder, teamleider, team):
    client.force_login(fg)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    def grant():
        user = UserFactory()
        services.role_request_decide(actor=teamleider, role_request=ask(beheerder, user, team), approve=True)
        services.membership_end(actor=beheerder, membership=Membership.objects.get(user=user))

    grant()
    one = count()
    for _ in range(5):
        grant()
    assert count() == one

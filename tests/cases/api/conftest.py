"""Case-file fixtures for the API tests, set up through the real services (no factories for domain flow).

The personas (wijkcoach, colleague, outsider, beleid) come from ``tests/conftest.py``;
here: a client with an open case in "Wijkteam Noord", a partner professional and a
professional of another team who are members of that case, a household and a signal.
"""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.constants import Role
from cases import services
from cases.constants import CaseRole, Relation, SignalSource
from tests.factories import TeamFactory, make_user, shared_purpose

_bsn_seeds = itertools.count(10_000_000)


def make_bsn() -> str:
    """A fresh BSN that passes the 11-test (9·d1 + … + 2·d8 − d9 ≡ 0 mod 11)."""
    while True:
        digits = [int(d) for d in str(next(_bsn_seeds)).zfill(8)]
        total = sum(weight * digit for weight, digit in zip(range(9, 1, -1), digits, strict=True))
        check = total % 11
        if check <= 9 and total != check:
            return "".join(map(str, digits)) + str(check)


def new_client(actor, **fields):
    values = {
        "given_names": "Fatima",
        "family_name": "El Amrani",
        "date_of_birth": datetime.date(1985, 4, 12),
        "postcode": "1234 AB",
        "house_number": "12",
        "city": "Testdorp",
        "bsn": make_bsn(),
    }
    values.update(fields)
    return services.client_create(actor=actor, **values)


def problem(response, status_code: int) -> dict:
    """Assert a problem+json answer with this status and return its body."""
    assert response.status_code == status_code, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status_code
    assert body["title"]
    assert body["detail"]
    return body


def count_queries(api, path: str) -> int:
    """Queries of one GET (session, user and access-log queries included)."""
    with CaptureQueriesContext(connection) as context:
        response = api.get(path)
    assert response.status_code == 200, response.content
    return len(context)


def invalid_names(response) -> set[str]:
    return {param["name"] for param in problem(response, 400)["invalidParams"]}


@pytest.fixture
def client_record(wijkcoach):
    return new_client(wijkcoach, given_names="Fatima", family_name="El Amrani")


@pytest.fixture
def case(wijkcoach, team, client_record):
    """An open case of Wijkteam Noord; the wijkcoach is its member (wijkcoach role)."""
    return services.case_open(actor=wijkcoach, team=team, client=client_record, laws=["wmo"], summary="Schulden")


@pytest.fixture
def partner_team(partner_org):
    return TeamFactory(organisation=partner_org, name="GGZ team")


@pytest.fixture
def partner(partner_team):
    return make_user(Role.PARTNER, partner_team, username="t_partner")


@pytest.fixture
def partner_member(case, wijkcoach, partner):
    """The partner professional is a (read-only) member of the case."""
    services.case_member_add(actor=wijkcoach, case=case, user=partner, role=CaseRole.PARTNER, purpose=shared_purpose())
    return partner


@pytest.fixture
def member_from_other_team(case, wijkcoach, other_team):
    """A werkcoach of Wijkteam Zuid who is a member of Noord's case."""
    user = make_user(Role.WERKCOACH, other_team, username="t_werkcoach_zuid")
    services.case_member_add(actor=wijkcoach, case=case, user=user, role=CaseRole.WERKCOACH)
    return user


@pytest.fixture
def household(wijkcoach, team):
    """A household of two with an open case in Wijkteam Noord."""
    parent = new_client(wijkcoach, given_names="Sanne", family_name="de Vries")
    child = new_client(wijkcoach, given_names="Daan", family_name="de Vries", date_of_birth=datetime.date(2015, 1, 2))
    household = services.household_create(
        actor=wijkcoach, name="Huishouden De Vries", members=[(parent, Relation.OUDER), (child, Relation.KIND)]
    )
    services.case_open(actor=wijkcoach, team=team, household=household, laws=["jeugdwet"])
    return household


@pytest.fixture
def signal(wijkcoach, team, client_record):
    return services.signal_record(
        actor=wijkcoach,
        team=team,
        source=SignalSource.BUREN,
        what_was_seen="Buren horen al dagen geschreeuw.",
        client=client_record,
    )


@pytest.fixture
def login(api_client):
    """Log in through the session, like the browser, so each request loads the user afresh."""

    def _login(user):
        api_client.force_login(user)
        return api_client

    return _login

"""Shared fixtures: the personas of the access policy live here, in one place."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.constants import OrganisationType, Role
from tests.factories import OrganisationFactory, TeamFactory, make_user


def pytest_collection_modifyitems(config, items):
    """Browser journeys run last: they share one seeded database that is flushed afterwards."""
    items.sort(key=lambda item: "/tests/e2e/" in str(item.fspath))


@pytest.fixture
def municipality():
    return OrganisationFactory(name="Gemeente Testdorp", type=OrganisationType.GEMEENTE)


@pytest.fixture
def team(municipality):
    return TeamFactory(organisation=municipality, name="Wijkteam Noord")


@pytest.fixture
def other_team(municipality):
    return TeamFactory(organisation=municipality, name="Wijkteam Zuid")


@pytest.fixture
def partner_org():
    return OrganisationFactory(name="GGZ Testdorp", type=OrganisationType.ZORGAANBIEDER)


@pytest.fixture
def wijkcoach(team):
    return make_user(Role.WIJKCOACH, team, username="t_wijkcoach")


@pytest.fixture
def colleague(team):
    """Another professional of the same team."""
    return make_user(Role.KLANTMANAGER, team, username="t_collega")


@pytest.fixture
def outsider(other_team):
    """A professional of another team of the same municipality."""
    return make_user(Role.WIJKCOACH, other_team, username="t_buitenstaander")


@pytest.fixture
def beleid(team):
    return make_user(Role.BELEID, team, username="t_beleid")


@pytest.fixture
def teamleider(team):
    """Leads ``team``: decides its four-eyes requests, including casework role requests."""
    return make_user(Role.TEAMLEIDER, team, username="t_teamleider")


@pytest.fixture
def beheerder(team):
    """A functioneel beheerder: works in Beheer (staff, no superuser) and files role requests."""
    return make_user(Role.BEHEERDER, team, username="t_beheerder", is_staff=True)


@pytest.fixture
def second_beheerder(team):
    """Another functioneel beheerder: the second pair of eyes on a role request."""
    return make_user(Role.BEHEERDER, team, username="t_beheerder2", is_staff=True)


@pytest.fixture
def fg(team):
    """The functionaris gegevensbescherming: the privacy pages under /privacy/."""
    return make_user(Role.FG, team, username="t_fg", is_staff=True)


@pytest.fixture
def api_client():
    return APIClient()

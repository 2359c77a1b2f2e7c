"""Fixtures for the case-file tests. Data is set up through ``cases.services``, as the code itself does.

The personas (team, wijkcoach, outsider, ...) live in ``tests/conftest.py``; this module adds the case data.
Fixtures are named ``resident``/``make_resident`` rather than ``client`` so pytest-django's test client is
not shadowed.
"""

from __future__ import annotations

import datetime

import pytest

from accounts.constants import Role
from cases import services
from cases.constants import Law
from tests.factories import TeamFactory, make_user


@pytest.fixture
def make_resident(wijkcoach):
    """Create a client through ``services.client_create``; keyword arguments override the defaults."""

    def make(**fields):
        defaults = {
            "given_names": "Jan",
            "family_name": "Jansen",
            "date_of_birth": datetime.date(1980, 5, 17),
        }
        return services.client_create(actor=wijkcoach, **{**defaults, **fields})

    return make


@pytest.fixture
def resident(make_resident):
    return make_resident(given_names="Jan", family_name="Jansen", bsn="111222333")


@pytest.fixture
def resident_case(wijkcoach, team, resident):
    """An aangemeld case of Wijkteam Noord for one client; the wijkcoach is a case member."""
    return services.case_open(actor=wijkcoach, team=team, client=resident, laws=[Law.WMO])


@pytest.fixture
def partner_team(partner_org):
    return TeamFactory(organisation=partner_org, name="Ambulant team GGZ")


@pytest.fixture
def partner_user(partner_team):
    """A professional of a partner organisation (role partner)."""
    return make_user(Role.PARTNER, partner_team, username="t_partner")

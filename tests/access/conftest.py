"""Fixtures of the access-layer tests: cases and clients set up through the services, as the product does.

The personas themselves (team, wijkcoach, colleague, outsider, beleid) live in ``tests/conftest.py``.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.constants import Role
from cases import services as case_services
from cases.constants import CaseStatus, Law
from consent.constants import ConsentMethod, DataCategory, LegalBasis, PurposeLaw, SpecialGround
from consent.models import Purpose
from tests.factories import OrganisationFactory, TeamFactory, make_user


@pytest.fixture
def regisseur(team):
    return make_user(Role.REGISSEUR, team, username="t_regisseur")


@pytest.fixture
def teamleider(team):
    return make_user(Role.TEAMLEIDER, team, username="t_teamleider")


@pytest.fixture
def fg(team):
    return make_user(Role.FG, team, username="t_fg")


@pytest.fixture
def other_team_wijkcoach(other_team):
    return make_user(Role.WIJKCOACH, other_team, username="t_zuid")


@pytest.fixture
def client_noord(wijkcoach):
    return case_services.client_create(
        actor=wijkcoach, given_names="Zoë", family_name="D'Souza", date_of_birth=datetime.date(1979, 3, 14)
    )


@pytest.fixture
def case_noord(wijkcoach, team, client_noord):
    """An active case of Wijkteam Noord; the wijkcoach is its coordinator."""
    case = case_services.case_open(actor=wijkcoach, team=team, client=client_noord, laws=[Law.WMO])
    for status in (CaseStatus.INTAKE, CaseStatus.TRIAGE, CaseStatus.ACTIEF):
        case = case_services.case_transition(actor=wijkcoach, case=case, to_status=status)
    case_services.case_set_coordinator(actor=wijkcoach, case=case, user=wijkcoach)
    return case


@pytest.fixture
def ggz():
    return OrganisationFactory(name="GGZ Proefstad", type="zorgaanbieder")


@pytest.fixture
def ggz_purpose():
    """The demo's GGZ purpose: consent-based, no finances, housing or safety."""
    return Purpose.objects.create(
        code="t-ggz",
        name="Afstemming met de GGZ-behandelaar (test)",
        legal_basis=LegalBasis.CONSENT,
        special_ground=SpecialGround.EXPLICIT_CONSENT,
        law=PurposeLaw.WAMS,
        categories=[
            DataCategory.IDENTITEIT,
            DataCategory.CONTACT,
            DataCategory.PSYCHISCHE_GEZONDHEID,
            DataCategory.GEZONDHEID,
            DataCategory.NOTITIES,
        ],
        recipient_types=["zorgaanbieder"],
    )


@pytest.fixture
def ggz_partner(ggz, ggz_purpose, wijkcoach, case_noord, client_noord):
    """A GGZ professional invited to the Noord case for the GGZ purpose, with the client's consent."""
    from cases.constants import CaseRole
    from consent import services as consent_services

    partner = make_user(Role.PARTNER, TeamFactory(organisation=ggz, name="GGZ team"), username="t_ggz")
    case_services.case_member_add(
        actor=wijkcoach, case=case_noord, user=partner, role=CaseRole.PARTNER, purpose=ggz_purpose
    )
    consent_services.consent_record(
        actor=wijkcoach,
        client=client_noord,
        purpose=ggz_purpose,
        recipient_organisation=ggz,
        given_at=timezone.now() - datetime.timedelta(days=1),
        method=ConsentMethod.WRITTEN,
    )
    return partner

"""Fixtures for workplan tests: an active coordinated case with a household, set up through services."""

from __future__ import annotations

import datetime

import pytest

from cases import services as case_services
from cases.constants import CaseStatus, Law, Relation
from workplans import services


@pytest.fixture
def active_case(wijkcoach, team):
    mother = case_services.client_create(
        actor=wijkcoach, given_names="Anna", family_name="de Boer", date_of_birth=datetime.date(1985, 2, 3)
    )
    son = case_services.client_create(
        actor=wijkcoach, given_names="Tim", family_name="de Boer", date_of_birth=datetime.date(2014, 6, 1)
    )
    household = case_services.household_create(
        actor=wijkcoach, name="Huishouden De Boer", members=[(mother, Relation.OUDER), (son, Relation.KIND)]
    )
    case = case_services.case_open(actor=wijkcoach, team=team, household=household, laws=[Law.WMO, Law.JEUGDWET])
    for status in (CaseStatus.INTAKE, CaseStatus.TRIAGE, CaseStatus.ACTIEF):
        case = case_services.case_transition(actor=wijkcoach, case=case, to_status=status)
    case_services.case_set_coordinator(actor=wijkcoach, case=case, user=wijkcoach)
    return case


@pytest.fixture
def workplan(wijkcoach, active_case):
    return services.workplan_create(actor=wijkcoach, case=active_case)

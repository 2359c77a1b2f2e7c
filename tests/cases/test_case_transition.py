"""The case status machine: the transitions table, its history rows, optimistic locking and case numbers."""

from __future__ import annotations

import datetime
import re
from collections import deque
from itertools import product

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases import services, workflow
from cases.constants import CaseStatus, ClosingReason
from cases.models import Case, CaseStatusChange

pytestmark = pytest.mark.django_db

ALLOWED = sorted((a, b) for a, targets in workflow.TRANSITIONS.items() for b in targets)
REFUSED = sorted(pair for pair in product(CaseStatus.values, repeat=2) if pair not in ALLOWED)


def _path_to(status: str) -> list[str]:
    """The shortest list of statuses to walk from ``aangemeld`` to ``status`` (breadth-first on the table)."""
    paths = {CaseStatus.AANGEMELD.value: []}
    queue = deque([CaseStatus.AANGEMELD.value])
    while queue:
        current = queue.popleft()
        for target in sorted(workflow.TRANSITIONS[current]):
            if target not in paths:
                paths[target] = [*paths[current], target]
                queue.append(target)
    return paths[status]


def _walk_to(case: Case, status: str, actor) -> Case:
    for step in _path_to(status):
        case = services.case_transition(
            actor=actor, case=case, to_status=step, closing_reason=ClosingReason.DOELEN_BEHAALD
        )
    return case


def test_every_status_is_reachable_and_the_pairs_cover_everything():
    for status in CaseStatus.values:
        _path_to(status)  # KeyError if unreachable
    assert len(ALLOWED) + len(REFUSED) == len(CaseStatus.values) ** 2
    assert ALLOWED
    assert REFUSED


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED, ids=[f"{a}->{b}" for a, b in ALLOWED])
def test_allowed_transition_succeeds_and_appends_history(wijkcoach, resident_case, from_status, to_status):
    case = _walk_to(resident_case, from_status, wijkcoach)
    history_before = list(CaseStatusChange.objects.filter(case=case).values())

    case = services.case_transition(
        actor=wijkcoach,
        case=case,
        to_status=to_status,
        reason="volgende stap",
        closing_reason=ClosingReason.DOELEN_BEHAALD,
    )

    case.refresh_from_db()
    assert case.status == to_status
    history_after = list(CaseStatusChange.objects.filter(case=case).values())
    # One row appended; the earlier rows are untouched.
    assert history_after[:-1] == history_before
    last = CaseStatusChange.objects.filter(case=case).last()
    assert (last.from_status, last.to_status, last.reason, last.actor) == (
        from_status,
        to_status,
        "volgende stap",
        wijkcoach,
    )


@pytest.mark.parametrize(("from_status", "to_status"), REFUSED, ids=[f"{a}->{b}" for a, b in REFUSED])
def test_other_transition_is_refused_in_dutch(wijkcoach, resident_case, from_status, to_status):
    case = _walk_to(resident_case, from_status, wijkcoach)
    case.refresh_from_db()
    version = case.lock_version
    history_count = CaseStatusChange.objects.filter(case=case).count()

    with pytest.raises(ValidationError) as exc:
        services.case_transition(
            actor=wijkcoach, case=case, to_status=to_status, closing_reason=ClosingReason.DOELEN_BEHAALD
        )

    message = " ".join(exc.value.message_dict["status"])
    assert "Een casus met status" in message
    assert "kan niet naar" in message
    assert str(CaseStatus(from_status).label) in message
    assert str(CaseStatus(to_status).label) in message
    case.refresh_from_db()
    assert case.status == from_status
    assert case.lock_version == version
    assert CaseStatusChange.objects.filter(case=case).count() == history_count


def test_unknown_status_is_refused(wijkcoach, resident_case):
    with pytest.raises(ValidationError) as exc:
        services.case_transition(actor=wijkcoach, case=resident_case, to_status="verdwenen")
    assert "Onbekende status" in exc.value.message_dict["status"][0]
    resident_case.refresh_from_db()
    assert resident_case.status == CaseStatus.AANGEMELD


@pytest.mark.parametrize("from_status", [CaseStatus.ACTIEF, CaseStatus.ENKELVOUDIG_DOORVERWEZEN])
def test_closing_without_a_reason_is_refused(wijkcoach, resident_case, from_status):
    case = _walk_to(resident_case, from_status, wijkcoach)
    history_count = CaseStatusChange.objects.filter(case=case).count()

    with pytest.raises(ValidationError) as exc:
        services.case_transition(actor=wijkcoach, case=case, to_status=CaseStatus.AFGESLOTEN)

    assert "closing_reason" in exc.value.message_dict
    case.refresh_from_db()
    assert case.status == from_status
    assert case.closing_reason == ""
    assert case.closed_on is None
    assert CaseStatusChange.objects.filter(case=case).count() == history_count


def test_closing_records_reason_and_date(wijkcoach, resident_case):
    case = _walk_to(resident_case, CaseStatus.ACTIEF, wijkcoach)
    case = services.case_transition(
        actor=wijkcoach, case=case, to_status=CaseStatus.AFGESLOTEN, closing_reason=ClosingReason.VERHUISD
    )
    case.refresh_from_db()
    assert case.closing_reason == ClosingReason.VERHUISD
    assert case.closed_on is not None
    assert not case.is_open


def test_history_is_the_full_walk_in_order(wijkcoach, resident_case):
    case = _walk_to(resident_case, CaseStatus.GEARCHIVEERD, wijkcoach)
    rows = list(CaseStatusChange.objects.filter(case=case).values_list("from_status", "to_status"))
    assert rows == [
        ("", CaseStatus.AANGEMELD),
        (CaseStatus.AANGEMELD, CaseStatus.INTAKE),
        (CaseStatus.INTAKE, CaseStatus.TRIAGE),
        (CaseStatus.TRIAGE, CaseStatus.ACTIEF),
        (CaseStatus.ACTIEF, CaseStatus.AFGESLOTEN),
        (CaseStatus.AFGESLOTEN, CaseStatus.NAZORG),
        (CaseStatus.NAZORG, CaseStatus.GEARCHIVEERD),
    ]


# --- Optimistic locking -----------------------------------------------------------


def test_stale_expected_version_is_refused(wijkcoach, colleague, resident_case):
    loaded_version = resident_case.lock_version
    services.case_transition(
        actor=colleague, case=resident_case, to_status=CaseStatus.INTAKE, expected_version=loaded_version
    )

    with pytest.raises(services.StaleWrite):
        services.case_transition(
            actor=wijkcoach, case=resident_case, to_status=CaseStatus.TRIAGE, expected_version=loaded_version
        )

    resident_case.refresh_from_db()
    assert resident_case.status == CaseStatus.INTAKE
    assert resident_case.lock_version == loaded_version + 1
    assert CaseStatusChange.objects.filter(case=resident_case).count() == 2


def test_current_expected_version_is_accepted(wijkcoach, resident_case):
    case = services.case_transition(
        actor=wijkcoach, case=resident_case, to_status=CaseStatus.INTAKE, expected_version=resident_case.lock_version
    )
    case = services.case_transition(
        actor=wijkcoach, case=case, to_status=CaseStatus.TRIAGE, expected_version=case.lock_version
    )
    assert case.status == CaseStatus.TRIAGE


def test_stale_write_is_a_validation_error(wijkcoach, resident_case):
    # Callers that only catch ValidationError still show the message instead of a server error.
    with pytest.raises(ValidationError, match="Iemand anders heeft deze casus"):
        services.case_update(actor=wijkcoach, case=resident_case, summary="x", expected_version=99)


# --- Case numbers and the household/client rule --------------------------------------


def test_case_numbers_are_readable_and_sequential_per_year(wijkcoach, team, make_resident):
    residents = [make_resident(given_names=f"Cliënt {i}") for i in range(4)]
    dates = [
        datetime.date(2024, 3, 1),
        datetime.date(2024, 11, 30),
        datetime.date(2025, 1, 2),
        datetime.date(2024, 12, 31),
    ]

    numbers = [
        services.case_open(actor=wijkcoach, team=team, client=client, opened_on=day).number
        for client, day in zip(residents, dates, strict=True)
    ]

    assert all(re.fullmatch(r"\d{4}-\d{6}", number) for number in numbers)
    assert numbers == ["2024-000001", "2024-000002", "2025-000001", "2024-000003"]


def test_case_open_refuses_both_household_and_client(wijkcoach, team, resident):
    household = services.household_create(actor=wijkcoach, name="Huishouden Jansen")
    with pytest.raises(ValidationError, match="huishouden óf bij één cliënt"):
        services.case_open(actor=wijkcoach, team=team, household=household, client=resident)
    assert not Case.objects.exists()


def test_case_open_refuses_neither_household_nor_client(wijkcoach, team):
    with pytest.raises(ValidationError, match="huishouden óf bij één cliënt"):
        services.case_open(actor=wijkcoach, team=team)
    assert not Case.objects.exists()


def test_case_open_for_a_household(wijkcoach, team):
    household = services.household_create(actor=wijkcoach, name="Huishouden Jansen")
    case = services.case_open(actor=wijkcoach, team=team, household=household)
    assert case.household == household
    assert case.client is None
    assert case.status == CaseStatus.AANGEMELD


@pytest.mark.parametrize("with_household,with_client", [(True, True), (False, False)], ids=["both", "neither"])
def test_database_holds_household_xor_client(wijkcoach, team, resident, with_household, with_client):
    household = services.household_create(actor=wijkcoach, name="Huishouden Jansen")
    with pytest.raises(IntegrityError, match="cases_case_household_xor_client"), transaction.atomic():
        Case.objects.create(
            number="2020-999999",
            team=team,
            household=household if with_household else None,
            client=resident if with_client else None,
        )
    assert not Case.objects.exists()

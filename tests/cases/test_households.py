"""Household membership history: the composition on any date is derived from dated membership rows."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from access import gate
from cases import selectors, services
from cases.constants import Relation
from cases.models import HouseholdMember

pytestmark = pytest.mark.django_db

JAN_1 = datetime.date(2025, 1, 1)
JUNE_1 = datetime.date(2025, 6, 1)


@pytest.fixture
def household_a(wijkcoach):
    return services.household_create(actor=wijkcoach, name="Huishouden Jansen")


@pytest.fixture
def household_b(wijkcoach):
    return services.household_create(actor=wijkcoach, name="Huishouden De Vries")


@pytest.fixture
def in_a(wijkcoach, household_a, resident):
    """The resident has lived in household A since 1 January 2025."""
    return services.household_add_member(
        actor=wijkcoach, household=household_a, client=resident, relation=Relation.OUDER, valid_from=JAN_1
    )


def _clients(memberships):
    return {m.client for m in memberships}


def test_moving_ends_the_old_membership_the_day_before(wijkcoach, household_a, household_b, resident, in_a):
    moved = services.household_add_member(
        actor=wijkcoach, household=household_b, client=resident, relation=Relation.PARTNER, valid_from=JUNE_1
    )

    in_a.refresh_from_db()
    assert in_a.valid_to == datetime.date(2025, 5, 31)
    assert moved.household == household_b
    assert moved.valid_from == JUNE_1
    assert moved.valid_to is None
    assert list(HouseholdMember.objects.filter(client=resident, valid_to__isnull=True)) == [moved]


def test_composition_follows_the_history(wijkcoach, household_a, household_b, resident, make_resident, in_a):
    stays = make_resident(given_names="Els", family_name="Jansen", bsn="123456782")
    services.household_add_member(
        actor=wijkcoach, household=household_a, client=stays, relation=Relation.PARTNER, valid_from=JAN_1
    )
    services.household_add_member(
        actor=wijkcoach, household=household_b, client=resident, relation=Relation.PARTNER, valid_from=JUNE_1
    )

    # Today (and from 1 June 2025): the resident lives in B, not in A.
    assert _clients(selectors.household_composition(household_a)) == {stays}
    assert _clients(selectors.household_composition(household_b)) == {resident}
    # Before the move, A still had both.
    assert _clients(selectors.household_composition(household_a, on=datetime.date(2025, 3, 1))) == {resident, stays}
    assert _clients(selectors.household_composition(household_a, on=datetime.date(2025, 5, 31))) == {resident, stays}
    assert _clients(selectors.household_composition(household_a, on=JUNE_1)) == {stays}
    assert _clients(selectors.household_composition(household_b, on=datetime.date(2025, 5, 31))) == set()
    assert gate.client_current_household(resident).household == household_b


def test_adding_to_the_same_household_twice_is_refused(wijkcoach, household_a, resident, in_a):
    with pytest.raises(ValidationError, match="hoort al bij dit huishouden"):
        services.household_add_member(
            actor=wijkcoach, household=household_a, client=resident, relation=Relation.OUDER, valid_from=JUNE_1
        )

    in_a.refresh_from_db()
    assert in_a.valid_to is None
    assert HouseholdMember.objects.filter(client=resident).count() == 1


@pytest.mark.parametrize("move_date", [datetime.date(2024, 12, 1), JAN_1], ids=["before-start", "on-start"])
def test_moving_before_the_current_membership_starts_is_refused(wijkcoach, household_b, resident, in_a, move_date):
    with pytest.raises(ValidationError) as exc:
        services.household_add_member(
            actor=wijkcoach, household=household_b, client=resident, relation=Relation.OUDER, valid_from=move_date
        )

    assert "valid_from" in exc.value.message_dict
    in_a.refresh_from_db()
    assert in_a.valid_to is None
    assert not HouseholdMember.objects.filter(household=household_b).exists()


def test_a_new_membership_may_not_overlap_an_ended_one(wijkcoach, household_a, household_b, resident, in_a):
    """Somebody lives in one household at a time, also in the past: periods must not overlap."""
    services.household_end_member(actor=wijkcoach, member=in_a, valid_to=datetime.date(2025, 5, 31))

    with pytest.raises(ValidationError):
        services.household_add_member(
            actor=wijkcoach,
            household=household_b,
            client=resident,
            relation=Relation.OUDER,
            valid_from=datetime.date(2025, 3, 1),
        )

    assert not HouseholdMember.objects.filter(household=household_b).exists()


def test_joining_after_an_ended_membership_is_allowed(wijkcoach, household_a, household_b, resident, in_a):
    services.household_end_member(actor=wijkcoach, member=in_a, valid_to=datetime.date(2025, 5, 31))
    member = services.household_add_member(
        actor=wijkcoach, household=household_b, client=resident, relation=Relation.OUDER, valid_from=JUNE_1
    )
    assert member.valid_to is None
    in_a.refresh_from_db()
    assert in_a.valid_to == datetime.date(2025, 5, 31)


def test_ending_before_the_start_is_refused(wijkcoach, in_a):
    with pytest.raises(ValidationError) as exc:
        services.household_end_member(actor=wijkcoach, member=in_a, valid_to=datetime.date(2024, 12, 31))
    assert "valid_to" in exc.value.message_dict
    in_a.refresh_from_db()
    assert in_a.valid_to is None


def test_database_refuses_two_open_memberships(household_b, resident, in_a):
    with pytest.raises(IntegrityError, match="cases_householdmember_one_open_per_client"), transaction.atomic():
        HouseholdMember.objects.create(household=household_b, client=resident, relation=Relation.OUDER)

    assert HouseholdMember.objects.filter(client=resident, valid_to__isnull=True).count() == 1


def test_database_refuses_a_period_out_of_order(household_b, resident):
    with pytest.raises(IntegrityError, match="cases_householdmember_period_in_order"), transaction.atomic():
        HouseholdMember.objects.create(
            household=household_b,
            client=resident,
            relation=Relation.OUDER,
            valid_from=JUNE_1,
            valid_to=datetime.date(2025, 5, 31),
        )

"""The demo case file loaded by ``manage.py seed_demo``: idempotent, complete and spread over the teams."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from access.policy import filter_cases
from accounts.models import Membership, Organisation, Team, User
from cases.constants import CaseStatus, ReferralStatus, SignalOutcome
from cases.models import (
    Case,
    CaseMember,
    Client,
    ContactMoment,
    Household,
    LifeDomainAssessment,
    Referral,
    Signal,
)
from cases.selectors import zrm_overview
from cases.validators import bsn_is_valid

pytestmark = pytest.mark.django_db

WIJKTEAMS = {"Wijkteam Noord", "Wijkteam Zuid"}


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Client, Household, Case, Signal, LifeDomainAssessment, ContactMoment, CaseMember, Referral)
    }


def _visible(username: str) -> set[int]:
    return set(filter_cases(User.objects.get(username=username)).values_list("pk", flat=True))


def _teams(case_ids: set[int]) -> set[str]:
    return set(Case.objects.filter(pk__in=case_ids).values_list("team__name", flat=True))


def test_seed_twice_gives_the_same_case_file(demo):
    first = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == first
    assert first["Household"] >= 35
    assert first["Case"] >= 40

    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)
    bsns = list(Client.objects.exclude(bsn=None).values_list("bsn", flat=True))
    assert bsns
    assert all(bsn_is_valid(bsn) for bsn in bsns)
    assert len(bsns) == len(set(bsns))


def test_demo_cases_are_spread_over_the_teams(demo):
    wijkcoach, wijkcoach2 = _visible("wijkcoach"), _visible("wijkcoach2")
    assert wijkcoach
    assert wijkcoach2
    assert not wijkcoach & wijkcoach2
    assert _teams(wijkcoach) >= {"Wijkteam Noord"}
    assert _teams(wijkcoach2) >= {"Wijkteam Zuid"}

    for username in ("klantmanager", "werkcoach"):
        assert _teams(_visible(username)) >= WIJKTEAMS | {"Werk en Inkomen"}, username

    partner = User.objects.get(username="partner")
    member_of = set(CaseMember.objects.current().filter(user=partner).values_list("case_id", flat=True))
    assert 3 <= len(member_of) <= 4
    # Invited to all, but one consent expired and one was withdrawn: those two are refused.
    assert _visible("partner") < member_of
    assert len(member_of - _visible("partner")) == 2


def test_demo_case_file_shows_the_interesting_situations(demo):
    assert any(row.disagreement for case in Case.objects.all() for row in zrm_overview(case).rows)
    assert 4 <= Case.objects.exclude(safety_concern="").count() <= 5

    for team in WIJKTEAMS:
        open_signals = Signal.objects.filter(team__name=team, outcome="")
        assert any(signal.is_overdue() for signal in open_signals), team
        assert any(not signal.is_overdue() for signal in open_signals), team
    triaged = Signal.objects.exclude(outcome="")
    assert set(triaged.values_list("outcome", flat=True)) == set(SignalOutcome.values)
    assert triaged.exclude(reporter_informed_at=None).exists()
    assert triaged.exclude(subject_informed_at=None).exists()

    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert not Referral.objects.filter(status=ReferralStatus.AFGEWEZEN, decline_reason="").exists()

    for case in Case.objects.filter(status=CaseStatus.ACTIEF):
        assessors = set(case.assessments.values_list("assessor_id", flat=True))
        dates = set(case.assessments.values_list("assessed_on", flat=True))
        assert len(assessors) >= 2, case
        assert len(dates) >= 2, case
        assert 2 <= case.contacts.count() <= 8, case


USERNAMES = {
    "wijkcoach",
    "wijkcoach2",
    "klantmanager",
    "werkcoach",
    "regisseur",
    "teamleider",
    "beleid",
    "fg",
    "beheerder",
    "partner",
}


def _accounts_snapshot():
    return {
        "organisations": sorted(Organisation.objects.values_list("name", "type")),
        "teams": sorted(Team.objects.values_list("organisation__name", "name")),
        "users": sorted(User.objects.values_list("username", "organisation__name", "is_staff")),
        "memberships": sorted(Membership.objects.values_list("user__username", "team__name", "role")),
    }


def test_seed_demo_twice_gives_the_same_accounts_and_demo_users_log_in(demo, db):
    first = _accounts_snapshot()
    call_command("seed_demo", verbosity=0)
    assert _accounts_snapshot() == first
    assert {u for u, *_ in first["users"]} == USERNAMES
    assert ("Gemeente Voorbeeldstad", "gemeente") in first["organisations"]
    assert {t for _, t in first["teams"]} >= {"Wijkteam Noord", "Wijkteam Zuid", "Werk en Inkomen"}
    assert ("wijkcoach2", "Wijkteam Zuid", "wijkcoach") in first["memberships"]
    assert ("partner", "GGZ Ambulant Team", "partner") in first["memberships"]

    request = RequestFactory().post("/inloggen/")
    user = authenticate(request, username="regisseur", password="demo")
    assert user is not None
    assert list(user.groups.values_list("name", flat=True)) == ["regisseur"]

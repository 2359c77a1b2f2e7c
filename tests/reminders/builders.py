"""Scenario builders for the reminder-rule tests: data set up through the services, at a chosen moment.

Plain functions (not fixtures) so several test modules can share them without a shared conftest.
"""

from __future__ import annotations

import datetime
import itertools
from zoneinfo import ZoneInfo

import time_machine

from accounts.constants import Role
from cases import services as case_services
from cases.constants import CaseStatus, Law, SignalOutcome, SignalSource
from cases.models import Case, Handover
from tests.factories import make_user
from workplans import services as plan_services
from workplans.constants import GoalTerm, InvolvementHow

AMS = ZoneInfo("Europe/Amsterdam")
# Staff (the personas of tests/conftest.py) are created at this moment, so their team memberships are
# current on every date the scenarios travel to.
HIRED = datetime.date(2020, 1, 6)
CLIENT_GIVEN = "Zwaantje"
CLIENT_FAMILY = "Vermeulen-Oosterhuis"
_bsn = itertools.count(1)


def at(day: datetime.date, hour: int = 9):
    """Travel to ``day`` at ``hour`` (Amsterdam), clock stopped."""
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), tzinfo=AMS), tick=False)


def moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=AMS)


def valid_bsn() -> str:
    """A fresh BSN that passes the eleven test (so a leak in a title would be a realistic one)."""
    while True:
        body = f"{next(_bsn) + 10_000_000:08d}"
        total = sum(int(d) * w for d, w in zip(body, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10:
            return body + str(last)


def teamleider(team, username: str = "t_teamleider"):
    return make_user(Role.TEAMLEIDER, team, username=username)


def open_case(actor, team, *, on: datetime.date, safety_concern: str = "") -> Case:
    """An aangemeld case for a client with a name and a BSN, opened on ``on`` by ``actor``."""
    with at(on):
        client = case_services.client_create(
            actor=actor,
            given_names=CLIENT_GIVEN,
            family_name=CLIENT_FAMILY,
            bsn=valid_bsn(),
            date_of_birth=datetime.date(1979, 4, 2),
        )
        return case_services.case_open(
            actor=actor, team=team, client=client, laws=[Law.WMO], safety_concern=safety_concern
        )


def coordinated_case(coordinator, team, *, on: datetime.date, safety_concern: str = "", involve: bool = True) -> Case:
    """An active case with ``coordinator``, an adopted workplan with one owned long-term goal, a contact
    moment and (``involve``) a client involvement, all on ``on``.

    Afterwards: duties a and f are due ``on + 42``, b and c ``on + 90``, d, e and g ``on + 91``; the review is
    due ``on + 13 weeks``; no contact is due ``on + 30`` (14 with a safety flag); no involvement ``on + 6 weeks``.
    """
    case = open_case(coordinator, team, on=on, safety_concern=safety_concern)
    with at(on):
        for status in (CaseStatus.INTAKE, CaseStatus.TRIAGE, CaseStatus.ACTIEF):
            case = case_services.case_transition(actor=coordinator, case=case, to_status=status)
        case_services.case_set_coordinator(actor=coordinator, case=case, user=coordinator)
        workplan = plan_services.workplan_create(actor=coordinator, case=case)
        plan_services.goal_add(
            actor=coordinator,
            workplan=workplan,
            term=GoalTerm.LONG,
            life_domain="financien",
            description=f"{CLIENT_GIVEN} heeft over twee jaar geen schulden meer",
            owner=coordinator,
            horizon_years=2,
        )
        plan_services.workplan_adopt(actor=coordinator, workplan=workplan)
        contact(coordinator, case, on=on)
        if involve:
            plan_services.involvement_record(
                actor=coordinator, workplan=workplan, how=InvolvementHow.GESPREK, participants=[case.client]
            )
    case.refresh_from_db()
    return case


def contact(actor, case: Case, *, on: datetime.date):
    with at(on, hour=16):
        return case_services.contact_record(
            actor=actor, case=case, occurred_at=moment(on), channel="telefoon", summary="Gebeld met mevrouw."
        )


def signal(actor, team, *, on: datetime.date, case: Case | None = None):
    """A melding received on ``on``; linked to ``case`` (triaged the same moment) when given."""
    with at(on):
        melding = case_services.signal_record(
            actor=actor,
            team=team,
            source=SignalSource.BUREN,
            what_was_seen=f"De buren maken zich zorgen om {CLIENT_GIVEN}.",
            subject_description=f"{CLIENT_GIVEN} {CLIENT_FAMILY}",
        )
        if case is not None:
            melding = case_services.signal_triage(
                actor=actor, signal=melding, outcome=SignalOutcome.BESTAANDE_CASUS, case=case
            )
    return melding


def handover(case: Case, *, from_user, to_user, due_on: datetime.date) -> Handover:
    """A pending handover with its accept-by date. Made directly: the handover service belongs to another
    part of the system; these tests are about the reminder on an open handover, not about starting one."""
    return Handover.objects.create(case=case, from_user=from_user, to_user=to_user, created_by=from_user, due_on=due_on)

"""The access matrix: every kind of record × every role and relation to the case × read, list and write.

Each cell asks the access layer the way a page does (``access.gate``) and compares with the rule written out
below, so a change of the rule in one place and not another fails here. Lists and details must agree. Also: a
client known to two teams, and the reminder sweep's recipients (the same rule applied to facts in bulk).
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from access import gate, policy
from accounts.constants import Role
from cases import handovers
from cases import services as case_services
from cases.constants import CaseRole, Channel, SignalSource
from consent import services as consent_services
from consent.constants import DataCategory
from reminders.rules import Reminder
from reminders.sweep import People, _members, _recipients
from tests.factories import OrganisationFactory, TeamFactory, make_user
from workplans import meeting_services
from workplans import services as plan_services
from workplans.meeting_models import MeetingKind

pytestmark = pytest.mark.django_db

RELATIONS = ("team", "member", "glass", "stranger", "partner", "partner-no-basis", "beleid", "fg", "beheerder")
CASEWORK = (Role.WIJKCOACH, Role.KLANTMANAGER, Role.WERKCOACH, Role.REGISSEUR, Role.TEAMLEIDER)

# What each relation may do with the case's records: (read, write). A partner reads only within their purpose.
EXPECTED = {
    "team": (True, True),
    "member": (True, True),
    "glass": (True, False),
    "stranger": (False, False),
    "partner": (True, False),
    "partner-no-basis": (False, False),
    "beleid": (False, False),
    "fg": (False, False),
    "beheerder": (False, False),
}
PARTNER_CATEGORY = DataCategory.PSYCHISCHE_GEZONDHEID  # inside the GGZ purpose
OTHER_CATEGORY = DataCategory.WONEN  # outside it


@pytest.fixture
def world(wijkcoach, team, other_team, case_noord, client_noord, ggz, ggz_purpose, ggz_partner):
    """The Noord case with one record of every kind, two of them per category where partners matter."""
    case = case_noord
    signal = case_services.signal_record(
        actor=wijkcoach, team=team, source=SignalSource.BUREN, what_was_seen="Zorgen.", client=client_noord
    )
    signal.case = case
    signal.save(update_fields=["case"])
    contacts = {
        category: case_services.contact_record(
            actor=wijkcoach,
            case=case,
            occurred_at=timezone.now() - datetime.timedelta(hours=2),
            channel=Channel.TELEFOON,
            summary=f"Contact {category}",
            category=category,
        )
        for category in (PARTNER_CATEGORY, OTHER_CATEGORY)
    }
    agreements = {
        category: meeting_services.agreement_make(
            actor=wijkcoach,
            case=case,
            what=f"Afspraak {category}",
            due_on=timezone.localdate() + datetime.timedelta(days=5),
            owner=wijkcoach,
            category=category,
        )
        for category in (PARTNER_CATEGORY, OTHER_CATEGORY)
    }
    meeting = meeting_services.meeting_plan(
        actor=wijkcoach,
        team=team,
        chair=wijkcoach,
        title="Casusoverleg",
        starts_at=timezone.now() + datetime.timedelta(days=1),
        kind=MeetingKind.CASUSOVERLEG,
        location="Stadskantoor",
    )
    meeting_services.agenda_item_add(actor=wijkcoach, meeting=meeting, case=case, category=PARTNER_CATEGORY)
    plan_services.workplan_create(actor=wijkcoach, case=case)
    # A second GGZ provider, invited for the same purpose, without the client's consent for them.
    elsewhere = OrganisationFactory(name="GGZ Elders", type="zorgaanbieder")
    no_basis_partner = make_user(Role.PARTNER, TeamFactory(organisation=elsewhere, name="GGZ 2"), username="t_ggz2")
    case_services.case_member_add(
        actor=wijkcoach, case=case, user=no_basis_partner, role=CaseRole.PARTNER, purpose=ggz_purpose
    )
    return {
        "case": case,
        "client": client_noord,
        "signal": signal,
        "contacts": contacts,
        "agreements": agreements,
        "meeting": meeting,
        "partner": ggz_partner,
        "no_basis_partner": no_basis_partner,
    }


def _persona(relation: str, role: str, world, *, team, other_team, wijkcoach):
    if relation == "team":
        return make_user(role, team, username=f"m_{relation}_{role}")
    if relation in ("member", "glass", "stranger"):
        user = make_user(role, other_team, username=f"m_{relation}_{role}")
        if relation == "member":
            case_services.case_member_add(actor=wijkcoach, case=world["case"], user=user, role=CaseRole.WIJKCOACH)
        if relation == "glass":
            consent_services.break_glass_grant(
                user=user, case=world["case"], reason="Acute zorgen, de regievoerder is niet bereikbaar.", hours=2
            )
        return user
    if relation == "partner":
        return world["partner"]
    if relation == "partner-no-basis":
        return world["no_basis_partner"]
    return make_user(
        {"beleid": Role.BELEID, "fg": Role.FG, "beheerder": Role.BEHEERDER}[relation], team, username=f"m_{relation}"
    )


def _request(user, method="get"):
    request = getattr(RequestFactory(), method)("/")
    request.user = type(user).objects.get(pk=user.pk)  # a fresh user: nothing cached
    setattr(request.user, policy.REQUEST_CACHE_FLAG, True)
    return request


def _allowed(call) -> bool:
    try:
        call()
    except (Http404, PermissionDenied):
        return False
    return True


def _cells(user, world) -> dict[str, bool]:
    case, client_, signal = world["case"], world["client"], world["signal"]
    inside, outside = world["agreements"][PARTNER_CATEGORY], world["agreements"][OTHER_CATEGORY]
    r = lambda: _request(user)  # noqa: E731
    w = lambda: _request(user, "post")  # noqa: E731
    cells = {
        "case.read": _allowed(lambda: gate.case_for_user(r(), case.uuid, needs=())),
        "case.list": case in set(gate.cases_for_user(r())),
        "case.write": _allowed(lambda: gate.case_for_user(w(), case.uuid, write=True)),
        "workplan.read": _allowed(lambda: gate.case_for_user(r(), case.uuid)),
        "workplan.list": case.pk in {p.case_id for p in gate.workplans_for_user(r())},
        "client.read": _allowed(lambda: gate.client_for_user(r(), client_.uuid)),
        "client.list": client_ in set(gate.clients_for_user(r())),
        "client.write": _allowed(lambda: gate.client_for_user(w(), client_.uuid, write=True)),
        "signal.read": _allowed(lambda: gate.signal_for_user(r(), signal.uuid)),
        "signal.write": _allowed(lambda: gate.signal_for_user(w(), signal.uuid, write=True)),
        "agreement.read-inside": _allowed(lambda: gate.agreement_for_user(r(), inside.uuid)),
        "agreement.read-outside": _allowed(lambda: gate.agreement_for_user(r(), outside.uuid)),
        "agreement.list-inside": inside in set(gate.agreements_for_user(r())),
        "agreement.list-outside": outside in set(gate.agreements_for_user(r())),
        "agreement.write": _allowed(lambda: gate.agreement_for_user(w(), inside.uuid, write=True)),
        "meeting.agenda": bool(
            _allowed(lambda: gate.meeting_for_user(r(), world["meeting"].uuid))
            and gate.visible_agenda(r(), world["meeting"])
        ),
    }
    if cells["case.read"]:
        request = r()
        opened = gate.case_for_user(request, case.uuid, needs=())
        summaries = {c.summary for c in gate.contacts_of_case(request, opened)}
        cells["contact.inside"] = f"Contact {PARTNER_CATEGORY}" in summaries
        cells["contact.outside"] = f"Contact {OTHER_CATEGORY}" in summaries
    else:
        cells["contact.inside"] = cells["contact.outside"] = False
    return cells


def _expected(relation: str, role: str) -> dict[str, bool]:
    read, write = EXPECTED[relation]
    partner = relation.startswith("partner")
    signal_team = relation == "team"
    return {
        "case.read": read,
        "case.list": read,
        "case.write": write,
        # A workplan shows every category: a partner does not open it (nor see it listed).
        "workplan.read": read and not partner,
        "workplan.list": read and not partner,
        # A partner sees a client only within a case, never their file.
        "client.read": read and not partner,
        "client.list": read and not partner,
        "client.write": write,
        "signal.read": read and not partner,
        "signal.write": signal_team,
        "agreement.read-inside": read,
        "agreement.read-outside": read and not partner,
        "agreement.list-inside": read,
        "agreement.list-outside": read and not partner,
        "agreement.write": write,
        # The partner takes part in the meeting; the team organises it. Members of other teams are not invited
        # and a break-the-glass reader does not see the team's meetings.
        "meeting.agenda": relation in ("team", "partner"),
        "contact.inside": read,
        "contact.outside": read and not partner,
    }


@pytest.mark.parametrize(
    ("relation", "role"),
    [(relation, role) for relation in ("team", "member", "glass", "stranger") for role in CASEWORK]
    + [(relation, None) for relation in ("partner", "partner-no-basis", "beleid", "fg", "beheerder")],
)
def test_the_access_matrix(relation, role, world, team, other_team, wijkcoach):
    user = _persona(relation, role, world, team=team, other_team=other_team, wijkcoach=wijkcoach)
    if relation == "partner" and role is None:
        meeting_services.participant_add(actor=wijkcoach, meeting=world["meeting"], user=user, notify=False)
    assert _cells(user, world) == _expected(relation, role)


def test_a_client_known_to_two_teams_is_seen_by_each_through_its_own_case(
    wijkcoach, other_team_wijkcoach, other_team, case_noord, client_noord
):
    case_zuid = case_services.case_open(actor=other_team_wijkcoach, team=other_team, client=client_noord)
    for user, own, foreign in ((wijkcoach, case_noord, case_zuid), (other_team_wijkcoach, case_zuid, case_noord)):
        request = _request(user)
        assert gate.client_for_user(request, client_noord.uuid) == client_noord
        assert gate.client_cases(_request(user), client_noord) == [own]
        assert _allowed(lambda u=user, f=foreign: gate.case_for_user(_request(u), f.uuid)) is False


def test_the_reminder_sweep_tells_exactly_those_the_policy_lets_read_the_case(world, team, other_team, wijkcoach):
    people = {
        relation: _persona(
            relation,
            Role.KLANTMANAGER if relation != "partner" else None,
            world,
            team=team,
            other_team=other_team,
            wijkcoach=wijkcoach,
        )
        for relation in ("team", "member", "glass", "stranger", "partner")
    }
    case = world["case"]
    item = Reminder(
        rule="test",
        object_key=f"case:{case.pk}",
        due_on=timezone.localdate(),
        case_id=case.pk,
        case_number=case.number,
        team_id=case.team_id,
        title="t",
        body="",
        url="",
        recipients=tuple(u.pk for u in people.values()),
    )
    told = set(_recipients(item, People.load(timezone.localdate()), _members({case.pk})))
    expected = {
        user.pk
        for relation, user in people.items()
        if (decision := policy.case_decision(type(user).objects.get(pk=user.pk), case))
        and decision.basis in (policy.Basis.TEAM, policy.Basis.MEMBER)
    }
    assert told == expected == {people["team"].pk, people["member"].pk}


def test_a_handover_is_seen_by_who_may_read_its_case_and_by_its_receiver_while_it_waits(
    wijkcoach, team, other_team, case_noord
):
    receiver = make_user(Role.WIJKCOACH, team, username="m_receiver")
    handover = handovers.handover_create(actor=wijkcoach, case=case_noord, from_user=wijkcoach, to_user=receiver)
    stranger = make_user(Role.WIJKCOACH, other_team, username="m_stranger")
    for user, expected in ((wijkcoach, True), (receiver, True), (stranger, False)):
        assert _allowed(lambda u=user: gate.handover_for_user(_request(u), handover.uuid)) is expected
        assert (handover in set(gate.handovers_for_user(_request(user), type(handover).objects.all()))) is expected

"""Synthetic case files for the reminder benchmark (``make bench-reminders``) and the query-budget test.

Not for production or demo data: rows are written straight into the tables with PostgreSQL ``COPY`` (no
services, no audit log, no validation) because the benchmark seeds 100,000 cases with their plans, duties,
agreements and contacts in seconds. Names are fixed fictitious strings; there are no BSNs.

A fraction of the cases has something due on ``today`` for each rule (``DUE_EVERY``: one case in N); with
``dense=True`` every case has everything due, so each rule has as many rows as there are cases.
"""

from __future__ import annotations

import datetime
import io
import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import connection, models
from django.utils import timezone

from accounts.constants import OrganisationType, Role
from accounts.models import Membership, Organisation, Team, User
from cases.constants import CaseRole, CaseStatus, ReferralStatus, SignalSource, Task
from cases.models import (
    Case,
    CaseMember,
    Client,
    ContactMoment,
    Handover,
    Referral,
    Signal,
)
from consent.constants import ConsentMethod, LegalBasis, PurposeLaw
from consent.models import Consent, Purpose
from workplans.constants import DEFAULT_DUTY_INTERVAL_DAYS, Duty, GoalStatus, GoalTerm, InvolvementHow, WorkplanStatus
from workplans.models import Agreement, AgreementStatus, ClientInvolvement, CoordinationDuty, Goal, Workplan

# One case in N has an item due for the rule (a realistic spread; ``dense`` makes N = 1 for all).
DUE_EVERY = {
    "duty": 10,
    "review": 30,
    "review_event": 50,
    "agreement": 20,
    "contact": 15,
    "involvement": 20,
    "goal": 50,
    "signal": 100,
    "handover": 100,
    "orphan": 200,
    "consent": 50,
    "referral": 40,
}
COPY_BATCH = 50_000


# --- COPY ------------------------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _column_defaults(model) -> list[tuple[str, object]]:
    """(column, default) for every concrete column but the primary key; ``uuid.uuid4`` stays callable."""
    now = timezone.now()
    columns = []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        if f.has_default() and f.default is uuid.uuid4:
            default = uuid.uuid4
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            default = now
        else:
            default = f.get_default()
        columns.append((f.column, default))
    return columns


def copy_rows(model: type[models.Model], rows: Iterable[dict]) -> int:
    """COPY ``rows`` (dicts by column or field name, each with an explicit ``id``) into ``model``'s table.

    Columns not given get the field default (a fresh UUID per row). Streams in batches: memory stays flat.
    """
    columns = _column_defaults(model)
    names = ["id", *(c for c, _d in columns)]
    attnames = {f.column: f.name for f in model._meta.concrete_fields}
    quoted = ", ".join(f'"{name}"' for name in names)
    sql = f'COPY "{model._meta.db_table}" ({quoted}) FROM STDIN'
    count = 0
    buffer = io.StringIO()
    with connection.cursor() as cursor:
        for row in rows:
            values = [row["id"]]
            for column, default in columns:
                if column in row:
                    value = row[column]
                elif attnames[column] in row:
                    value = row[attnames[column]]
                else:
                    value = default() if default is uuid.uuid4 else default
                values.append(value)
            buffer.write("\t".join(_text(v) for v in values))
            buffer.write("\n")
            count += 1
            if count % COPY_BATCH == 0:
                buffer.seek(0)
                cursor.cursor.copy_expert(sql, buffer)
                buffer = io.StringIO()
        buffer.seek(0)
        cursor.cursor.copy_expert(sql, buffer)
        table = model._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), COALESCE((SELECT MAX(id) FROM \"{table}\"), 1))"  # noqa: S608
        )
    return count


def _next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')  # noqa: S608
        return cursor.fetchone()[0]


# --- Staff -------------------------------------------------------------------------------------------------------


@dataclass
class Staff:
    organisation_id: int
    team_ids: list[int]
    # Per team: the coordinators (wijkcoaches) who hold cases.
    coordinators: dict[int, list[int]]
    purpose_id: int


def make_staff(*, teams: int = 10, coordinators_per_team: int = 40, prefix: str = "bench") -> Staff:
    """A municipality with ``teams`` teams, each with one teamleider and ``coordinators_per_team`` coordinators."""
    organisation = Organisation.objects.create(name=f"Gemeente {prefix}", type=OrganisationType.GEMEENTE)
    password = make_password(None)
    team_ids, coordinators = [], {}
    for t in range(teams):
        team = Team.objects.create(organisation=organisation, name=f"Wijkteam {prefix} {t}")
        team_ids.append(team.pk)
        users = User.objects.bulk_create(
            User(username=f"{prefix}-{t}-{u}", password=password, organisation=organisation, first_name="Test")
            for u in range(coordinators_per_team + 1)
        )
        leader, *workers = users
        Membership.objects.bulk_create(
            [Membership(user=leader, team=team, role=Role.TEAMLEIDER, valid_from=datetime.date(2020, 1, 1))]
            + [
                Membership(user=u, team=team, role=Role.WIJKCOACH, valid_from=datetime.date(2020, 1, 1))
                for u in workers
            ]
        )
        coordinators[team.pk] = [u.pk for u in workers]
    purpose, _created = Purpose.objects.get_or_create(
        code=f"{prefix}-ggz",
        defaults={
            "name": f"Afstemming GGZ ({prefix})",
            "legal_basis": LegalBasis.CONSENT,
            "law": PurposeLaw.WAMS,
            "categories": ["administratief"],
            "recipient_types": [OrganisationType.ZORGAANBIEDER],
        },
    )
    return Staff(organisation.pk, team_ids, coordinators, purpose.pk)


# --- Cases ---------------------------------------------------------------------------------------------------------


def seed_cases(
    staff: Staff, count: int, *, today: datetime.date, dense: bool = False, first: int = 0, analyze: bool = True
) -> dict:
    """``count`` active coordinated cases (numbers ``first``..), each with a client, a coordinator membership, an
    adopted workplan with duties a–g and a long-term goal, an agreement, a contact moment and an involvement;
    and the due items of every rule for one case in ``DUE_EVERY[rule]``. Returns the rows written per table."""
    every = dict.fromkeys(DUE_EVERY, 1) if dense else DUE_EVERY
    tz = timezone.get_current_timezone()

    def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    ids = {m: _next_id(m) for m in (Client, Case, Workplan)}
    cases = []  # (i, client_id, case_id, workplan_id, team_id, coordinator_id, receiver_id)
    for n in range(count):
        i = first + n
        team_id = staff.team_ids[i % len(staff.team_ids)]
        workers = staff.coordinators[team_id]
        coordinator = workers[i % len(workers)]
        receiver = workers[(i + 1) % len(workers)]
        cases.append((i, ids[Client] + n, ids[Case] + n, ids[Workplan] + n, team_id, coordinator, receiver))

    def due(rule: str, i: int) -> bool:
        return i % every[rule] == 0

    opened = ago(200)
    written = {}
    written["client"] = copy_rows(
        Client,
        (
            {
                "id": client,
                "given_names": "Test",
                "family_name": f"Bench {i}",
                "date_of_birth": datetime.date(1980, 1, 1),
            }
            for i, client, *_rest in cases
        ),
    )
    written["case"] = copy_rows(
        Case,
        (
            {
                "id": case,
                "number": f"B-{i:09d}",
                "client_id": client,
                "team_id": team,
                "coordinator_id": None if due("orphan", i) else coordinator,
                "status": CaseStatus.ACTIEF,
                "law_wmo": True,
                "opened_on": opened,
            }
            for i, client, case, _wp, team, coordinator, _r in cases
        ),
    )
    written["casemember"] = copy_rows(
        CaseMember,
        (
            {
                "id": _next + n,
                "case_id": case,
                "user_id": coordinator,
                "organisation_id": staff.organisation_id,
                "role": CaseRole.COORDINATOR,
                "task": Task.COORDINATIE,
                "valid_from": opened,
                # An orphaned case: its coordinator left (membership ended).
                "valid_to": ago(2) if due("orphan", i) else None,
            }
            for _next in [_next_id(CaseMember)]
            for n, (i, _c, case, _wp, _t, coordinator, _r) in enumerate(cases)
        ),
    )
    adopted = at(ago(100))
    written["workplan"] = copy_rows(
        Workplan,
        (
            {
                "id": workplan,
                "case_id": case,
                "status": WorkplanStatus.VASTGESTELD,
                "review_interval_weeks": 13,
                "adopted_at": adopted,
                "review_due_on": ago(3) if due("review", i) else today + datetime.timedelta(days=40),
                "created_at": at(ago(150)),
            }
            for i, _c, case, workplan, *_rest in cases
        ),
    )

    def duties() -> Iterator[dict]:
        next_id = _next_id(CoordinationDuty)
        for i, _c, _case, workplan, *_rest in cases:
            for k, duty in enumerate(Duty.values):
                if due("duty", i) and k < 2:
                    next_due = ago(8) if k == 0 else today + datetime.timedelta(days=2)  # overdue, due soon
                else:
                    next_due = today + datetime.timedelta(days=20 + 7 * k)
                yield {
                    "id": next_id,
                    "workplan_id": workplan,
                    "duty": duty,
                    "interval_days": DEFAULT_DUTY_INTERVAL_DAYS[duty],
                    "next_due_on": next_due,
                    "last_done_on": ago(30),
                }
                next_id += 1

    written["coordinationduty"] = copy_rows(CoordinationDuty, duties())
    written["goal"] = copy_rows(
        Goal,
        (
            {
                "id": _next + n,
                "workplan_id": workplan,
                "term": GoalTerm.LONG,
                "horizon_years": 2,
                "life_domain": "financien",
                "description": "Schuldenvrij",
                "owner_id": None if due("goal", i) else coordinator,
                "owner_organisation_id": staff.organisation_id,
                "status": GoalStatus.LOOPT,
                "position": 1,
                "created_at": adopted,
                "status_changed_at": adopted,
            }
            for _next in [_next_id(Goal)]
            for n, (i, _c, _case, workplan, _t, coordinator, _r) in enumerate(cases)
        ),
    )
    written["agreement"] = copy_rows(
        Agreement,
        (
            {
                "id": _next + n,
                "case_id": case,
                "what": "Bellen met de woningcorporatie",
                "owner_id": coordinator,
                "owner_organisation_id": staff.organisation_id,
                "due_on": ago(9) if due("agreement", i) else today + datetime.timedelta(days=14),
                "status": AgreementStatus.OPEN,
                "created_by_id": coordinator,
            }
            for _next in [_next_id(Agreement)]
            for n, (i, _c, case, _wp, _t, coordinator, _r) in enumerate(cases)
        ),
    )
    written["contactmoment"] = copy_rows(
        ContactMoment,
        (
            {
                "id": _next + n,
                "case_id": case,
                "occurred_at": at(ago(45 if due("contact", i) else 5)),
                "channel": "telefoon",
                "professional_id": coordinator,
                "summary": "Gebeld.",
                "author_organisation_id": staff.organisation_id,
            }
            for _next in [_next_id(ContactMoment)]
            for n, (i, _c, case, _wp, _t, coordinator, _r) in enumerate(cases)
        ),
    )
    written["clientinvolvement"] = copy_rows(
        ClientInvolvement,
        (
            {
                "id": _next + n,
                "workplan_id": workplan,
                "occurred_on": ago(60 if due("involvement", i) else 10),
                "how": InvolvementHow.GESPREK,
                "recorded_by_id": coordinator,
            }
            for _next in [_next_id(ClientInvolvement)]
            for n, (i, _c, _case, workplan, _t, coordinator, _r) in enumerate(cases)
        ),
    )
    some = {rule: [c for c in cases if due(rule, c[0])] for rule in DUE_EVERY}
    written["referral"] = copy_rows(
        Referral,
        (
            {
                "id": _next + n,
                "case_id": case,
                "provision": "Schuldhulpverlening",
                "question": "Hulp bij schulden",
                "status": ReferralStatus.VERSTUURD,
                "sent_on": ago(30),
                "created_by_id": coordinator,
            }
            for _next in [_next_id(Referral)]
            for n, (_i, _c, case, _wp, _t, coordinator, _r) in enumerate(some["referral"])
        ),
    )
    # Untriaged signals past their deadline, and signals linked to a case after its plan was adopted.
    signals = [(c, False) for c in some["signal"]] + [(c, True) for c in some["review_event"]]
    written["signal"] = copy_rows(
        Signal,
        (
            {
                "id": _next + n,
                "team_id": team,
                "source": SignalSource.BUREN,
                "subject_description": "Bewoner",
                "what_was_seen": "Zorgen",
                "received_at": at(ago(20)),
                "triage_deadline": ago(13),
                "outcome": "bestaande_casus" if linked else "",
                "triaged_at": at(ago(19)) if linked else None,
                "case_id": case if linked else None,
                "created_by_id": coordinator,
            }
            for _next in [_next_id(Signal)]
            for n, ((_i, _c, case, _wp, team, coordinator, _r), linked) in enumerate(signals)
        ),
    )
    written["handover"] = copy_rows(
        Handover,
        (
            {
                "id": _next + n,
                "case_id": case,
                "from_user_id": coordinator,
                "to_user_id": receiver,
                "created_by_id": coordinator,
                "summary": {},
                "due_on": ago(3),
                "status": Handover.Status.PENDING,
            }
            for _next in [_next_id(Handover)]
            for n, (_i, _c, case, _wp, _t, coordinator, receiver) in enumerate(some["handover"])
        ),
    )
    written["consent"] = copy_rows(
        Consent,
        (
            {
                "id": _next + n,
                "client_id": client,
                "purpose_id": staff.purpose_id,
                "recipient_type": OrganisationType.ZORGAANBIEDER,
                "given_at": at(ago(300)),
                "expires_at": at(today + datetime.timedelta(days=10)),
                "method": ConsentMethod.WRITTEN,
                "recorded_by_id": coordinator,
            }
            for _next in [_next_id(Consent)]
            for n, (_i, client, _case, _wp, _t, coordinator, _r) in enumerate(some["consent"])
        ),
    )
    if analyze:  # fresh statistics, as autovacuum would have them in a real database
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return written

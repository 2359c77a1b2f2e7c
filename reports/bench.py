"""Synthetic case files for the progress report benchmark (``make bench-reports``).

Builds on ``reminders.bench``: its ``seed_cases`` writes the coordinated cases (a client, a coordinator, a
workplan with duties a–g and a long-term goal, an agreement, a contact moment and an involvement each). This
module gives those cases the spread a quarter's report sees — active, in aftercare, closed and archived; the
four laws in every combination; start and end dates over two years; plans adopted in time, late or not at
all, some revised — and adds the cases before coordination (aangemeld to enkelvoudig doorverwezen) and the rows
only the report reads: intakes, plan versions, duty records, short-term goals with actions, agreements with
their outcome, casusoverleggen, ZRM scores, handovers, signals and obstacles.

Like ``reminders.bench`` it writes straight into the tables (``COPY`` and set-based ``UPDATE``; no services, no
audit log, no validation) and is not for production or demo data: names and texts are fixed fictitious strings,
there are no BSNs. Draws come from a seeded random generator, so two runs write the same rows.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import connection, models
from django.utils import timezone
from psycopg2.extras import execute_values

from accounts.constants import OrganisationType
from accounts.models import Organisation, User
from cases.constants import (
    CaseRole,
    CaseStatus,
    ClosingReason,
    LifeDomain,
    SignalOutcome,
    SignalSource,
    Task,
    TriageDecision,
)
from cases.models import Case, CaseMember, Client, Handover, Intake, LifeDomainAssessment, Signal
from reminders import bench as base
from workplans.constants import ActionStatus, GoalStatus, GoalTerm, ObstacleCategory, WorkplanStatus
from workplans.models import (
    Action,
    Agreement,
    AgreementStatus,
    CoordinationDuty,
    DutyRecord,
    Goal,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Obstacle,
    Workplan,
    WorkplanVersion,
)

# Case number i is coordinated (a workplan, from ``reminders.bench``) when i % 50 < 41: 82 % of the cases.
COORDINATED = (41, 50)
# How long ago cases started: the last two years, so every quarter and every adoption window holds cases.
HISTORY_DAYS = 730
COORDINATED_STATUSES = {
    CaseStatus.ACTIEF: 62,
    CaseStatus.NAZORG: 7,
    CaseStatus.AFGESLOTEN: 26,
    CaseStatus.GEARCHIVEERD: 5,
}
EARLY_STATUSES = {
    CaseStatus.AANGEMELD: 17,
    CaseStatus.INTAKE: 22,
    CaseStatus.TRIAGE: 17,
    CaseStatus.ENKELVOUDIG_DOORVERWEZEN: 44,
}
CLOSED = (CaseStatus.NAZORG, CaseStatus.AFGESLOTEN, CaseStatus.GEARCHIVEERD)
# Share of cases under each law; drawn independently, so all sixteen combinations occur.
LAW_SHARES = {"law_wmo": 0.55, "law_jeugdwet": 0.3, "law_participatiewet": 0.35, "law_wgs": 0.2}
# One coordinator in N has left (account inactive) but still holds cases: the orphaned cases.
LEFT_EVERY = 40
SIGNALS_PER_CASE = 0.5
# Choice values, read once: an enum's ``values`` is rebuilt on every access.
DOMAINS = LifeDomain.values
SOURCES = SignalSource.values
PARTNERS = (
    ("Woonstichting", OrganisationType.WONINGCORPORATIE),
    ("GGZ", OrganisationType.ZORGAANBIEDER),
    ("Schuldhulp", OrganisationType.SCHULDHULPVERLENING),
    ("UWV", OrganisationType.UWV),
    ("Veilig Thuis", OrganisationType.VEILIG_THUIS),
)
# Parties named in obstacles that are no known organisation: the report groups them as "overige partij".
OTHER_PARTIES = ("Particuliere verhuurder", "Incassobureau", "Zorgverzekeraar")
OBSTACLE_TEXTS = {
    ObstacleCategory.REGELGEVING: "Regels voor bijzondere bijstand laten geen maatwerk toe",
    ObstacleCategory.CAPACITEIT: "Te weinig ambulante begeleiders beschikbaar",
    ObstacleCategory.SAMENWERKING: "Partijen stemmen hun planning niet af",
    ObstacleCategory.FINANCIERING: "Geen budget voor een maatwerkvoorziening",
    ObstacleCategory.INFORMATIE: "Gegevens uit een andere regeling komen niet op tijd",
    ObstacleCategory.WACHTLIJST: "Wachtlijst voor schuldhulpverlening langer dan drie maanden",
    ObstacleCategory.ANDERS: "Overige belemmering",
}
OBSTACLE_WEIGHTS = {
    ObstacleCategory.REGELGEVING: 12,
    ObstacleCategory.CAPACITEIT: 20,
    ObstacleCategory.SAMENWERKING: 10,
    ObstacleCategory.FINANCIERING: 14,
    ObstacleCategory.INFORMATIE: 8,
    ObstacleCategory.WACHTLIJST: 28,
    ObstacleCategory.ANDERS: 8,
}
# Days from receipt to triage: (weight, fewest days, most days).
TRIAGE_DELAYS = ((40, 0, 0), (30, 1, 3), (12, 4, 5), (10, 6, 10), (8, 11, 25))
OUTCOME_WEIGHTS = {
    SignalOutcome.GEEN_ACTIE: 30,
    SignalOutcome.ENKELVOUDIG: 30,
    SignalOutcome.NIEUWE_CASUS: 25,
    SignalOutcome.BESTAANDE_CASUS: 15,
}


def _coordinated(i: int) -> bool:
    return i % COORDINATED[1] < COORDINATED[0]


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    """A day from ``first`` to ``last`` inclusive (``first`` when the range is empty)."""
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_default_timezone())


def update_rows(model: type[models.Model], fields: list[str], rows: Iterable[tuple]) -> None:
    """Set ``fields`` of ``model`` from ``(id, *values)`` rows: one ``UPDATE ... FROM (VALUES ...)`` per 10,000."""
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    assignments = ", ".join(f'"{f.column}" = v."{f.column}"' for f in columns)
    aliases = ", ".join(['"id"', *(f'"{f.column}"' for f in columns)])
    sql = f'UPDATE "{meta.db_table}" AS t SET {assignments} FROM (VALUES %s) AS v ({aliases}) WHERE t.id = v.id'  # noqa: S608 - names from model metadata
    # Casts: a VALUES column whose first row holds NULL would otherwise be text.
    template = "(" + ", ".join(["%s::bigint", *(f"%s::{f.cast_db_type(connection)}" for f in columns)]) + ")"
    with connection.cursor() as cursor:
        execute_values(cursor.cursor, sql, rows, template=template, page_size=10_000)


# --- The municipality ---------------------------------------------------------------------------------------


@dataclass
class Municipality:
    staff: base.Staff
    # (id, name) of the partner organisations: owners of actions and, by name, parties in obstacles.
    partners: list[tuple[int, str]]


def make_municipality(
    *, today: datetime.date, teams: int = 20, coordinators_per_team: int = 149, prefix: str = "bench"
) -> Municipality:
    """The staff of ``reminders.bench.make_staff``, partner organisations, coordinators who left (inactive
    accounts), and each team's weekly teamoverleg over the history (these do not grow with the cases).

    ``reminders.bench`` gives case i to team ``i % teams`` and coordinator ``i % coordinators_per_team``: only
    when the two numbers are coprime does every coordinator get cases (20 and 100 would use 5 per team). The
    default of 20 teams of 149 gives about thirty open cases each at 100,000 cases, a real caseload."""
    staff = base.make_staff(teams=teams, coordinators_per_team=coordinators_per_team, prefix=prefix)
    partners = [
        Organisation.objects.get_or_create(name=f"{name} {prefix}", defaults={"type": kind})[0]
        for name, kind in PARTNERS
    ]
    left = [u for workers in staff.coordinators.values() for u in workers[::LEFT_EVERY]]
    User.objects.filter(pk__in=left).update(is_active=False)
    rng = random.Random(f"{prefix}-meetings")  # noqa: S311 - synthetic data, not security
    yesterday = today - _days(1)

    def meetings() -> Iterator[dict]:
        next_id = base._next_id(Meeting)
        for team_id in staff.team_ids:
            chair = staff.coordinators[team_id][1]
            day = today - _days(HISTORY_DAYS)
            while day <= today + _days(28):
                yield {
                    "id": next_id,
                    "kind": MeetingKind.TEAMOVERLEG,
                    "title": "Teamoverleg",
                    "team_id": team_id,
                    "starts_at": _at(day, 9),
                    "location": "Wijkcentrum",
                    "chair_id": chair,
                    "status": _meeting_status(rng, day, yesterday),
                    "created_by_id": chair,
                    "created_at": _at(day - _days(14)),
                }
                next_id += 1
                day += _days(7)

    base.copy_rows(Meeting, meetings())
    return Municipality(staff, [(p.pk, p.name) for p in partners])


def _meeting_status(rng: random.Random, day: datetime.date, yesterday: datetime.date) -> str:
    if day > yesterday:
        return MeetingStatus.GEPLAND
    return _pick(rng, {MeetingStatus.GEHOUDEN: 88, MeetingStatus.GEANNULEERD: 8, MeetingStatus.GEPLAND: 4})


# --- Cases ---------------------------------------------------------------------------------------------------


@dataclass
class _Case:
    id: int
    client_id: int
    team_id: int
    coordinator_id: int | None
    # Who does the work: the coordinator, or for a case without one a team member; and another team member.
    worker_id: int
    colleague_id: int
    status: str
    opened_on: datetime.date
    closed_on: datetime.date | None
    laws: tuple[bool, ...]
    workplan_id: int | None = None
    # Whether the colleague is on the case team too (coordinated cases), and the day they left it, if so.
    colleague_member: bool = False
    colleague_left_on: datetime.date | None = None
    # Moments the plan was adopted (first) and revised; empty for a concept plan.
    versions: list[datetime.datetime] = field(default_factory=list)

    def last_day(self, yesterday: datetime.date) -> datetime.date:
        """The last day anything happens in the case."""
        return min(self.closed_on, yesterday) if self.closed_on else yesterday


def seed_cases(
    municipality: Municipality, count: int, *, today: datetime.date, first: int = 0, analyze: bool = True
) -> dict[str, int]:
    """``count`` cases (numbers ``first``..) with everything the progress report reads. Returns rows per table.

    Cost: a few hundred statements (``COPY`` in batches of 50,000 rows, ``UPDATE`` in pages of 10,000), in time
    linear in ``count``; about 28 rows per case.
    """
    staff = municipality.staff
    rng = random.Random(f"reports-{first}")  # noqa: S311 - synthetic data, not security
    yesterday = today - _days(1)
    numbers = range(first, first + count)
    coordinated = sum(1 for i in numbers if _coordinated(i))
    before = sum(1 for i in range(first) if _coordinated(i))

    first_case = base._next_id(Case)
    written = base.seed_cases(staff, coordinated, today=today, first=before, analyze=False)
    cases = [
        _coordinated_case(rng, staff, *row, today=today)
        for row in Case.objects.filter(id__gte=first_case)
        .order_by("id")
        .values_list("id", "client_id", "team_id", "coordinator_id", "workplan__id")
    ]
    _reshape(cases, today=today, first_workplan=min((c.workplan_id for c in cases), default=0))
    early = _early_cases(rng, staff, [i for i in numbers if not _coordinated(i)], today=today)
    written["client"] += base.copy_rows(
        Client,
        (
            {
                "id": c.client_id,
                "given_names": "Test",
                "family_name": "Bench",
                "date_of_birth": datetime.date(1980, 1, 1),
            }
            for c in early
        ),
    )
    written["case"] += base.copy_rows(
        Case,
        (
            {
                "id": c.id,
                "number": f"R-{c.id:09d}",
                "client_id": c.client_id,
                "team_id": c.team_id,
                "coordinator_id": c.coordinator_id,
                "status": c.status,
                "opened_on": c.opened_on,
                **dict(zip(LAW_SHARES, c.laws, strict=True)),
            }
            for c in early
        ),
    )
    cases += early
    written["casemember"] += base.copy_rows(CaseMember, _members(rng, cases, staff.organisation_id))
    written["workplanversion"] = base.copy_rows(WorkplanVersion, _versions(cases))
    written["intake"] = base.copy_rows(Intake, _intakes(rng, cases, yesterday=yesterday))
    written["dutyrecord"] = base.copy_rows(DutyRecord, _duty_records(rng, cases, yesterday=yesterday))
    goals = list(_short_goals(rng, cases, staff.organisation_id))
    written["goal"] += base.copy_rows(Goal, goals)
    written["action"] = base.copy_rows(Action, _actions(rng, goals, municipality, today=today))
    written["agreement"] += base.copy_rows(Agreement, _agreements(rng, cases, staff, today=today))
    written["meeting"] = base.copy_rows(Meeting, _case_meetings(rng, cases, today=today))
    written["lifedomainassessment"] = base.copy_rows(
        LifeDomainAssessment, _assessments(rng, cases, yesterday=yesterday)
    )
    written["handover"] += base.copy_rows(Handover, _handovers(rng, cases, staff, today=today, first_case=first_case))
    written["signal"] += base.copy_rows(Signal, _signals(rng, staff, int(count * SIGNALS_PER_CASE), today=today))
    written["obstacle"] = base.copy_rows(Obstacle, _obstacles(rng, cases, municipality, yesterday=yesterday))
    if analyze:
        # As autovacuum would have left a real database: statistics, and hint bits and the visibility map set,
        # without which the first report after seeding pays for writing two million rows' hint bits.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return written


def _laws(rng: random.Random) -> tuple[bool, ...]:
    return tuple(rng.random() < share for share in LAW_SHARES.values())


def _colleague(rng: random.Random, workers: list[int], of: int) -> int:
    while True:
        colleague = rng.choice(workers)
        if colleague != of:
            return colleague


def _coordinated_case(rng, staff, case_id, client_id, team_id, coordinator_id, workplan_id, *, today) -> _Case:
    """A coordinated case of ``reminders.bench`` with a status, dates, laws and plan history drawn for it."""
    yesterday = today - _days(1)
    workers = staff.coordinators[team_id]
    worker = coordinator_id or rng.choice(workers)
    status = _pick(rng, COORDINATED_STATUSES)
    if status == CaseStatus.ACTIEF:
        opened, closed = today - _days(rng.randint(1, HISTORY_DAYS)), None
    elif status == CaseStatus.GEARCHIVEERD:
        opened = today - _days(rng.randint(400, HISTORY_DAYS))
        closed = opened + _days(rng.randint(45, 300))
    else:
        opened = today - _days(rng.randint(60, HISTORY_DAYS))
        closed = min(opened + _days(rng.randint(45, 400)), yesterday)
    case = _Case(
        id=case_id,
        client_id=client_id,
        team_id=team_id,
        coordinator_id=coordinator_id,
        worker_id=worker,
        colleague_id=_colleague(rng, workers, worker),
        status=status,
        opened_on=opened,
        closed_on=closed,
        laws=_laws(rng),
        workplan_id=workplan_id,
    )
    if rng.random() < 0.45:
        case.colleague_member = True
        if rng.random() < 0.1:
            case.colleague_left_on = _between(rng, opened, case.last_day(yesterday))
    # Seven in ten plans adopted within the six weeks, the rest later; some never (stalled, or closed first).
    lag = rng.randint(7, 42) if rng.random() < 0.7 else rng.randint(43, 120)
    adopted = opened + _days(lag)
    if adopted <= case.last_day(yesterday) and rng.random() < 0.95:
        case.versions.append(_at(adopted, 14))
        # Revised every quarter or so; one plan in five stalls at some point and is overdue for review.
        stalls = rng.random() < 0.2
        while True:
            adopted += _days(rng.randint(80, 100))
            if adopted > case.last_day(yesterday) or (stalls and rng.random() < 0.5):
                break
            case.versions.append(_at(adopted, 14))
    return case


def _reshape(cases: list[_Case], *, today: datetime.date, first_workplan: int) -> None:
    """Give the cases and plans of ``reminders.bench`` their drawn status, dates and laws (set-based UPDATEs)."""
    update_rows(
        Case,
        ["status", "closing_reason", "opened_on", "closed_on", *LAW_SHARES],
        (
            (
                c.id,
                c.status,
                ClosingReason.DOELEN_BEHAALD if c.status in CLOSED else "",
                c.opened_on,
                c.closed_on,
                *c.laws,
            )
            for c in cases
        ),
    )

    def plan_status(c: _Case) -> str:
        if not c.versions:
            return WorkplanStatus.CONCEPT
        if c.status in (CaseStatus.AFGESLOTEN, CaseStatus.GEARCHIVEERD):
            return WorkplanStatus.BEEINDIGD
        return WorkplanStatus.VASTGESTELD if len(c.versions) == 1 else WorkplanStatus.HERZIEN

    update_rows(
        Workplan,
        ["status", "adopted_at", "review_due_on"],
        (
            (
                c.workplan_id,
                plan_status(c),
                c.versions[-1] if c.versions else None,
                c.versions[-1].date() + _days(13 * 7) if c.versions else None,
            )
            for c in cases
        ),
    )
    # Duties a–g: about one in five overdue, the rest due within eight weeks. Set-based: 7 rows per plan.
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{CoordinationDuty._meta.db_table}" SET next_due_on = %s::date + (id * 7919 %% 70 - 14)::int '  # noqa: S608
            "WHERE workplan_id >= %s",
            [today, first_workplan],
        )


def _early_cases(rng, staff, numbers: list[int], *, today: datetime.date) -> list[_Case]:
    """Cases before coordination: registered, in intake or triage, or referred to a single provision."""
    ids = {model: base._next_id(model) for model in (Client, Case)}
    cases = []
    for n, i in enumerate(numbers):
        team_id = staff.team_ids[i % len(staff.team_ids)]
        workers = staff.coordinators[team_id]
        worker = workers[i % len(workers)]
        status = _pick(rng, EARLY_STATUSES)
        days = {
            CaseStatus.AANGEMELD: (1, 20),
            CaseStatus.INTAKE: (5, 40),
            CaseStatus.TRIAGE: (10, 50),
            CaseStatus.ENKELVOUDIG_DOORVERWEZEN: (15, HISTORY_DAYS),
        }[status]
        cases.append(
            _Case(
                id=ids[Case] + n,
                client_id=ids[Client] + n,
                team_id=team_id,
                coordinator_id=None if status == CaseStatus.AANGEMELD else worker,
                worker_id=worker,
                colleague_id=_colleague(rng, workers, worker),
                status=status,
                opened_on=today - _days(rng.randint(*days)),
                closed_on=None,
                laws=_laws(rng),
            )
        )
    return cases


# --- What happens in a case ----------------------------------------------------------------------------------


def _members(rng, cases: list[_Case], organisation_id: int) -> Iterator[dict]:
    """The wijkcoach of a case before coordination; a second professional in nearly half of the coordinated
    cases, one in ten of whom has left the case again (and may still own a goal)."""
    next_id = base._next_id(CaseMember)
    for c in cases:
        if c.workplan_id is None:
            if c.coordinator_id is None:
                continue
            user, role, task, valid_to = c.coordinator_id, CaseRole.WIJKCOACH, Task.TOELEIDING, None
        elif c.colleague_member:
            user, role, task = (
                c.colleague_id,
                rng.choice([CaseRole.KLANTMANAGER, CaseRole.WERKCOACH]),
                Task.HULPVERLENING,
            )
            valid_to = c.colleague_left_on
        else:
            continue
        yield {
            "id": next_id,
            "case_id": c.id,
            "user_id": user,
            "organisation_id": organisation_id,
            "role": role,
            "task": task,
            "valid_from": c.opened_on,
            "valid_to": valid_to,
        }
        next_id += 1


def _versions(cases: list[_Case]) -> Iterator[dict]:
    next_id = base._next_id(WorkplanVersion)
    for c in cases:
        for number, adopted in enumerate(c.versions, start=1):
            yield {
                "id": next_id,
                "workplan_id": c.workplan_id,
                "number": number,
                "snapshot": {"synthetic": True},
                "reason": "" if number == 1 else "Herziening",
                "adopted_by_id": c.worker_id,
                "adopted_at": adopted,
            }
            next_id += 1


def _intakes(rng, cases: list[_Case], *, yesterday: datetime.date) -> Iterator[dict]:
    """One intake per case past registration; decided for coordinated and single-referral cases."""
    next_id = base._next_id(Intake)
    for c in cases:
        if c.status == CaseStatus.AANGEMELD:
            continue
        conducted = min(c.opened_on + _days(rng.randint(2, 10)), yesterday)
        if c.workplan_id is not None:
            decision = TriageDecision.MEERVOUDIG
        elif c.status == CaseStatus.ENKELVOUDIG_DOORVERWEZEN:
            decision = TriageDecision.ENKELVOUDIG
        else:
            decision = ""
        decided = min(conducted + _days(rng.randint(0, 7)), yesterday) if decision else None
        yield {
            "id": next_id,
            "case_id": c.id,
            "conducted_on": conducted,
            "conducted_by_id": c.worker_id,
            "triage_decision": decision,
            "decided_on": decided,
            "decided_by_id": c.worker_id if decision else None,
            "created_at": _at(conducted),
        }
        next_id += 1


def _duty_records(rng, cases: list[_Case], *, yesterday: datetime.date) -> Iterator[dict]:
    """One to five records per adopted plan, on duties a–g, between adoption and the case's last day."""
    adopted = {c.workplan_id: c for c in cases if c.versions}
    duties = defaultdict(list)
    for workplan_id, duty_id in (
        CoordinationDuty.objects.filter(workplan_id__gte=min(adopted, default=0))
        .order_by()
        .values_list("workplan_id", "id")
    ):
        if workplan_id in adopted:
            duties[workplan_id].append(duty_id)
    next_id = base._next_id(DutyRecord)
    for workplan_id, c in adopted.items():
        for _n in range(rng.randint(1, 5)):
            done = _between(rng, c.versions[0].date(), c.last_day(yesterday))
            yield {
                "id": next_id,
                "duty_id": rng.choice(duties[workplan_id]),
                "done_on": done,
                "done_by_id": c.worker_id,
                "what": "Voortgang besproken",
                "created_at": _at(done, 16),
            }
            next_id += 1


def _short_goals(rng, cases: list[_Case], organisation_id: int) -> Iterator[dict]:
    """A short-term goal per adopted plan (the long-term one comes from ``reminders.bench``). Owned by the
    second professional where there is one (who may have left the case), else the worker; a few by nobody."""
    next_id = base._next_id(Goal)
    for c in cases:
        if not c.versions:
            continue
        owner = None if rng.random() < 0.03 else (c.colleague_id if c.colleague_member else c.worker_id)
        yield {
            "id": next_id,
            "workplan_id": c.workplan_id,
            "term": GoalTerm.SHORT,
            "life_domain": rng.choice(DOMAINS),
            "description": "Vaste dagbesteding",
            "owner_id": owner,
            "owner_organisation_id": organisation_id,
            "status": _pick(
                rng,
                {
                    GoalStatus.OPEN: 20,
                    GoalStatus.LOOPT: 50,
                    GoalStatus.BEHAALD: 20,
                    GoalStatus.NIET_BEHAALD: 5,
                    GoalStatus.VERVALLEN: 5,
                },
            ),
            "position": 2,
            "created_at": c.versions[0],
            "status_changed_at": c.versions[0],
        }
        next_id += 1


def _actions(rng, goals: list[dict], municipality: Municipality, *, today: datetime.date) -> Iterator[dict]:
    """One or two actions per short-term goal; those past their end date mostly finished, not all."""
    parties = [municipality.staff.organisation_id, *(pk for pk, _name in municipality.partners)]
    next_id = base._next_id(Action)
    for goal in goals:
        for _n in range(rng.randint(1, 2)):
            start = goal["created_at"].date() + _days(rng.randint(0, 30))
            end = start + _days(rng.randint(14, 200))
            if end < today:
                status = _pick(
                    rng,
                    {
                        ActionStatus.AFGEROND: 75,
                        ActionStatus.GESTOPT: 10,
                        ActionStatus.LOOPT: 10,
                        ActionStatus.GEPLAND: 5,
                    },
                )
            else:
                status = _pick(rng, {ActionStatus.GEPLAND: 40, ActionStatus.LOOPT: 60})
            yield {
                "id": next_id,
                "goal_id": goal["id"],
                "description": "Aanmelden bij dagbesteding",
                "party_id": rng.choice(parties),
                "professional_id": goal["owner_id"],
                "start_on": start,
                "end_on": end,
                "status": status,
            }
            next_id += 1


def _agreements(rng, cases: list[_Case], staff: base.Staff, *, today: datetime.date) -> Iterator[dict]:
    """More agreements per coordinated case, one per four months of its life (one to six), with their outcome:
    most done, some late, and the recently overdue ones often still open."""
    yesterday = today - _days(1)
    next_id = base._next_id(Agreement)
    for c in cases:
        if c.workplan_id is None:
            continue
        last = c.last_day(yesterday)
        for _n in range(min(6, max(1, (last - c.opened_on).days // 120))):
            made = _between(rng, c.opened_on, last)
            due = made + _days(rng.randint(7, 60))
            if due >= today:
                status = AgreementStatus.GEDAAN if rng.random() < 0.15 else AgreementStatus.OPEN
            else:
                weights = {AgreementStatus.GEDAAN: 70, AgreementStatus.NIET_GEDAAN: 8, AgreementStatus.VERVALLEN: 7}
                status = _pick(rng, weights | {AgreementStatus.OPEN: 30 if due >= today - _days(30) else 3})
            closed = None
            if status != AgreementStatus.OPEN:
                closed = _at(min(max(due + _days(rng.randint(-20, 15)), made), yesterday), 15)
            yield {
                "id": next_id,
                "case_id": c.id,
                "what": "Aanvraag bijzondere bijstand indienen",
                "owner_id": c.worker_id,
                "owner_organisation_id": staff.organisation_id,
                "due_on": due,
                "status": status,
                "created_by_id": c.worker_id,
                "created_at": _at(made, 11),
                "closed_at": closed,
            }
            next_id += 1


def _case_meetings(rng, cases: list[_Case], *, today: datetime.date) -> Iterator[dict]:
    """A casusoverleg for about a third of the coordinated cases, from the start to four weeks ahead."""
    yesterday = today - _days(1)
    next_id = base._next_id(Meeting)
    for c in cases:
        if c.workplan_id is None or rng.random() >= 0.35:
            continue
        day = _between(rng, c.opened_on, (c.closed_on or today + _days(28)))
        yield {
            "id": next_id,
            "kind": MeetingKind.CASUSOVERLEG,
            "title": "Casusoverleg",
            "team_id": c.team_id,
            "starts_at": _at(day, 13),
            "location": "Wijkcentrum",
            "chair_id": c.worker_id,
            "status": _meeting_status(rng, day, yesterday),
            "created_by_id": c.worker_id,
            "created_at": _at(day - _days(7)),
        }
        next_id += 1


def _assessments(rng, cases: list[_Case], *, yesterday: datetime.date) -> Iterator[dict]:
    """ZRM scores for three in four coordinated cases: two to five domains, a first score at the intake and
    up to three follow-ups a few months apart, moving mostly up."""
    next_id = base._next_id(LifeDomainAssessment)
    for c in cases:
        if c.workplan_id is None or rng.random() >= 0.75:
            continue
        last = c.last_day(yesterday)
        for domain in rng.sample(DOMAINS, rng.randint(2, 5)):
            day = min(c.opened_on + _days(rng.randint(2, 10)), last)
            score = rng.randint(1, 4)
            for _n in range(4):
                yield {
                    "id": next_id,
                    "case_id": c.id,
                    "client_id": c.client_id,
                    "domain": domain,
                    "score": score,
                    "assessor_id": c.worker_id,
                    "assessed_on": day,
                    "created_at": _at(day),
                }
                next_id += 1
                day += _days(rng.randint(60, 150))
                if day > last or rng.random() < 0.3:
                    break
                score = min(5, max(1, score + rng.choice((-1, 0, 0, 1, 1, 2))))


def _handovers(rng, cases: list[_Case], staff: base.Staff, *, today: datetime.date, first_case: int) -> Iterator[dict]:
    """Handovers in about one in fifteen coordinated cases, most accepted; at most one open per case (the
    cases ``reminders.bench`` gave an open handover keep theirs)."""
    yesterday = today - _days(1)
    taken = set(
        Handover.objects.filter(status=Handover.Status.PENDING, case_id__gte=first_case).values_list(
            "case_id", flat=True
        )
    )
    status = Handover.Status
    next_id = base._next_id(Handover)
    for c in cases:
        if c.workplan_id is None or rng.random() >= 0.07:
            continue
        started = _between(rng, c.opened_on, c.last_day(yesterday))
        due = started + _days(7)  # five working days
        if started >= today - _days(7):
            state = _pick(rng, {status.PENDING: 60, status.ACCEPTED: 40})
        else:
            state = _pick(rng, {status.ACCEPTED: 80, status.RETURNED: 8, status.CANCELLED: 6, status.PENDING: 6})
        if state == status.PENDING and c.id in taken:
            state = status.ACCEPTED
        if state == status.PENDING:
            taken.add(c.id)
        decided = None
        if state != status.PENDING:
            decided = _at(min(started + _days(rng.randint(0, 12)), yesterday), 16)
        yield {
            "id": next_id,
            "case_id": c.id,
            "from_user_id": c.worker_id,
            "to_user_id": c.colleague_id,
            "created_by_id": c.worker_id,
            "summary": {},
            "due_on": due,
            "status": state,
            "decided_at": decided,
            "created_at": _at(started, 9),
        }
        next_id += 1


def _signals(rng, staff: base.Staff, count: int, *, today: datetime.date) -> Iterator[dict]:
    """Signals received over the history, most triaged within days, the recent ones partly still open."""
    yesterday = today - _days(1)
    delays = [(lo, hi) for _w, lo, hi in TRIAGE_DELAYS]
    delay_weights = [w for w, _lo, _hi in TRIAGE_DELAYS]
    next_id = base._next_id(Signal)
    for _n in range(count):
        team_id = rng.choice(staff.team_ids)
        worker = rng.choice(staff.coordinators[team_id])
        received = _between(rng, today - _days(HISTORY_DAYS), yesterday)
        hour = rng.randint(8, 16)
        lo, hi = rng.choices(delays, weights=delay_weights)[0]
        triaged_on = received + _days(rng.randint(lo, hi))
        untriaged = rng.random() < (0.5 if received >= today - _days(5) else 0.04) or triaged_on > yesterday
        yield {
            "id": next_id,
            "team_id": team_id,
            "source": rng.choice(SOURCES),
            "subject_description": "Bewoner",
            "what_was_seen": "Zorgen over de situatie thuis",
            "received_at": _at(received, hour),
            "triage_deadline": received + _days(7),
            "outcome": "" if untriaged else _pick(rng, OUTCOME_WEIGHTS),
            "triaged_at": None if untriaged else _at(triaged_on, hour + 1),
            "triaged_by_id": None if untriaged else worker,
            "created_by_id": worker,
            "created_at": _at(received, hour),
        }
        next_id += 1


def _obstacles(rng, cases: list[_Case], municipality: Municipality, *, yesterday: datetime.date) -> Iterator[dict]:
    """Obstacles in a third of the adopted plans; the party a partner organisation (by name, sometimes in
    other capitals), another party, or none; half resolved; a quarter approved for publication."""
    names = [name for _pk, name in municipality.partners]
    next_id = base._next_id(Obstacle)
    for c in cases:
        if not c.versions or rng.random() >= 0.35:
            continue
        for _n in range(rng.randint(1, 2)):
            category = _pick(rng, OBSTACLE_WEIGHTS)
            draw = rng.random()
            if draw < 0.35:
                party = rng.choice(names)
                party = party.lower() if rng.random() < 0.2 else party
            elif draw < 0.6:
                party = rng.choice(OTHER_PARTIES)
            else:
                party = ""
            raised = _between(rng, c.versions[0].date(), c.last_day(yesterday))
            resolved = raised + _days(rng.randint(3, 180)) if rng.random() < 0.5 else None
            approved = rng.random() < 0.25
            yield {
                "id": next_id,
                "workplan_id": c.workplan_id,
                "category": category,
                "description": OBSTACLE_TEXTS[category],
                "party": party,
                "raised_on": raised,
                "resolved_on": resolved if resolved and resolved <= yesterday else None,
                "raised_by_id": c.worker_id,
                "approved_for_publication": approved,
                # The fixed texts name nobody, so the masked text beleid approved is the text itself.
                "published_description": OBSTACLE_TEXTS[category] if approved else "",
            }
            next_id += 1

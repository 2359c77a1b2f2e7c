"""Demo data for the progress report: a quarter of history, and the report of the last full quarter.

The 40 demo households live mostly in the present, so the last full quarter would show little but "<5".
This seeds 48 more single-client cases whose history (signal, intake, workplan, duties, periodic team
meetings with minutes and agreements, ZRM, handovers, obstacles) lies in that quarter, so that several
figures pass the suppression threshold, and then draws up the report as the quarterly job would. The
history cases have since been closed, so what a newcomer works with today stays the 40 households. Cases
and memberships go through the services (numbers, permissions); the back-dated history rows are inserted
directly, as they would have been written at the time.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from accounts.demo import MUNICIPALITY, TEAM_NOORD, TEAM_WI, TEAM_ZUID
from accounts.models import Organisation, Team, User
from cases import services as case_services
from cases.constants import (
    CaseRole,
    CaseStatus,
    ClosingReason,
    Law,
    LifeDomain,
    SignalOutcome,
    SignalSource,
    TriageDecision,
)
from cases.demo import demo_bsns
from cases.models import Case, CaseStatusChange, Client, Handover, Intake, LifeDomainAssessment, Signal
from cases.workdays import add_working_days
from workplans.constants import Duty, ObstacleCategory, WorkplanStatus
from workplans.models import (
    AgendaItem,
    Agreement,
    AgreementStatus,
    CoordinationDuty,
    DutyRecord,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Obstacle,
    Workplan,
    WorkplanVersion,
)

from .masking import mask
from .models import ProgressReport
from .periods import last_full_quarter
from .services import report_generate

HISTORY_CASES = 48
ONE_DAY = datetime.timedelta(days=1)
# Far from the BSNs of the 40 demo households, so the two never meet.
HISTORY_BSN_START = 700_000_000
GIVEN = ["Noah", "Emma", "Liam", "Julia", "Mohamed", "Sara", "Daan", "Fenna", "Yusuf", "Lotte", "Milan", "Nora"]
FAMILY = ["Hendriks", "Kramer", "Peeters", "Vos", "Koster", "Aydın", "Mertens", "Dijkman", "Brouwer", "Postma"]
# Neutral descriptions a beleidsmedewerker would approve: no person, no household detail.
OBSTACLES = [
    (
        ObstacleCategory.WACHTLIJST,
        "Schuldhulpverlening Voorbeeldstad",
        "Wachttijd voor een schuldregeling is langer dan drie maanden.",
        True,
    ),
    (
        ObstacleCategory.WACHTLIJST,
        "GGZ Voorbeeldstad",
        "Wachtlijst voor ambulante ggz-behandeling loopt op tot tien weken.",
        True,
    ),
    (ObstacleCategory.WACHTLIJST, "GGZ Voorbeeldstad", "Geen plek voor intake bij de ggz binnen de treeknorm.", False),
    (
        ObstacleCategory.WACHTLIJST,
        "Woonstichting Thuis",
        "Urgentieaanvraag voor een woning duurt langer dan verwacht.",
        True,
    ),
    (
        ObstacleCategory.WACHTLIJST,
        "Schuldhulpverlening Voorbeeldstad",
        "Budgetbeheer kan pas over acht weken starten.",
        False,
    ),
    (ObstacleCategory.WACHTLIJST, "GGZ Voorbeeldstad", "Wachttijd voor een diagnose loopt op.", False),
    (
        ObstacleCategory.REGELGEVING,
        "UWV Voorbeeldstad",
        "Regels voor bijverdienen en uitkering sluiten niet op elkaar aan.",
        True,
    ),
    (ObstacleCategory.REGELGEVING, "", "Kostendelersnorm ontmoedigt het opnemen van een volwassen kind.", True),
    (
        ObstacleCategory.REGELGEVING,
        "UWV Voorbeeldstad",
        "Aanvraag loopt vast op verschillende inkomensbegrippen.",
        False,
    ),
    (ObstacleCategory.REGELGEVING, "", "Beslagvrije voet wordt niet goed berekend.", False),
    (ObstacleCategory.REGELGEVING, "UWV Voorbeeldstad", "Terugvordering doorkruist de schuldregeling.", False),
    (
        ObstacleCategory.CAPACITEIT,
        "Veilig Thuis Regio Voorbeeldstad",
        "Onvoldoende capaciteit voor een snelle huisbezoekafspraak.",
        True,
    ),
    (ObstacleCategory.CAPACITEIT, "", "Te weinig jobcoaches voor de vraag.", False),
    (
        ObstacleCategory.CAPACITEIT,
        "Veilig Thuis Regio Voorbeeldstad",
        "Casusregie komt laat op gang door personeelstekort.",
        False,
    ),
    (ObstacleCategory.SAMENWERKING, "Basisschool De Regenboog", "School wordt laat betrokken bij het plan.", True),
    (ObstacleCategory.INFORMATIE, "", "Gegevens uit het vorige traject zijn niet beschikbaar.", False),
]
LAW_MIX = [
    [Law.PARTICIPATIEWET, Law.WGS],
    [Law.WMO, Law.JEUGDWET],
    [Law.JEUGDWET],
    [Law.WMO, Law.JEUGDWET, Law.PARTICIPATIEWET],
    [Law.PARTICIPATIEWET],
    [Law.WMO],
    [Law.PARTICIPATIEWET, Law.WGS, Law.JEUGDWET],
    [Law.WGS],
]


def seed_report(users: dict[str, User], *, today: datetime.date | None = None) -> ProgressReport | None:
    """Seed the quarter's history and draw up its report, once (a second run finds the report)."""
    today = today or timezone.localdate()
    start, end = last_full_quarter(today)
    if ProgressReport.objects.filter(period_start=start, period_end=end).exists():
        return None
    with transaction.atomic():
        QuarterHistory(users, start, end, today).run()
        return report_generate(start=start, end=end, trigger=ProgressReport.Trigger.SCHEDULE, today=today)


class QuarterHistory:
    def __init__(self, users: dict[str, User], start: datetime.date, end: datetime.date, today: datetime.date):
        self.users, self.start, self.end, self.today = users, start, end, today
        self.rng = random.Random(f"report-history-{start.isoformat()}")  # noqa: S311 - repeatable demo data
        self.teams = {t.name: t for t in Team.objects.filter(name__in=[TEAM_NOORD, TEAM_ZUID, TEAM_WI])}
        self.municipality = Organisation.objects.get(name=MUNICIPALITY)
        self.tz = timezone.get_current_timezone()

    def at(self, day: datetime.date, hour: int = 10) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=self.tz)

    def day_in_quarter(self, *, margin: int = 0) -> datetime.date:
        span = (self.end - self.start).days - margin
        return self.start + datetime.timedelta(days=self.rng.randint(0, max(span, 0)))

    def run(self) -> None:
        staff = {
            TEAM_NOORD: [self.users["wijkcoach"], self.users["regisseur"]],
            TEAM_ZUID: [self.users["wijkcoach2"]],
            TEAM_WI: [self.users["klantmanager"], self.users["werkcoach"]],
        }
        bsns = (bsn for bsn in demo_bsns(HISTORY_BSN_START) if not Client.objects.filter(bsn=bsn).exists())
        cases: list[tuple[Case, Client, User, bool]] = []
        team_names = [TEAM_NOORD, TEAM_NOORD, TEAM_ZUID, TEAM_WI]
        for index in range(HISTORY_CASES):
            team_name = team_names[index % len(team_names)]
            professional = staff[team_name][index % len(staff[team_name])]
            client = case_services.client_create(
                actor=professional,
                team=self.teams[team_name],
                bsn=next(bsns),
                given_names=GIVEN[index % len(GIVEN)],
                family_name=FAMILY[(index * 7) % len(FAMILY)],
                date_of_birth=datetime.date(1960 + index % 40, 1 + index % 12, 1 + index % 28),
            )
            opened = self.day_in_quarter(margin=20)
            case = case_services.case_open(
                actor=professional,
                team=self.teams[team_name],
                client=client,
                laws=LAW_MIX[index % len(LAW_MIX)],
                opened_on=opened,
                add_actor_as=CaseRole.WIJKCOACH,
            )
            coordinated = index % 5 != 0  # one in five is referred to a single service after the intake
            if coordinated:
                case_services.case_set_coordinator(actor=professional, case=case, user=professional)
            cases.append((case, client, professional, coordinated))
        self.flows(cases)

    def flows(self, cases) -> None:
        rng = self.rng
        signals, intakes, changes, assessments, duty_rows = [], [], [], [], []
        domains = [LifeDomain.FINANCIEN, LifeDomain.WERK_OPLEIDING, LifeDomain.HUISVESTING, LifeDomain.SOCIAAL_NETWERK]
        closed: dict[datetime.date, list[int]] = {}
        for case, client, professional, coordinated in cases:
            received = max(
                self.at(case.opened_on - datetime.timedelta(days=rng.randint(0, 3)), 9), self.at(self.start, 9)
            )
            triaged = received + datetime.timedelta(days=rng.choice([0, 1, 1, 2, 3, 3, 4, 6, 8, 12]), hours=2)
            signals.append(
                Signal(
                    team=case.team,
                    source=rng.choice(SignalSource.values),
                    client=client,
                    received_at=received,
                    triage_deadline=add_working_days(received.date(), 5),
                    outcome=SignalOutcome.NIEUWE_CASUS if coordinated else SignalOutcome.ENKELVOUDIG,
                    triaged_at=triaged,
                    triaged_by=professional,
                    case=case,
                    created_by=professional,
                )
            )
            decided = min(case.opened_on + datetime.timedelta(days=rng.randint(3, 14)), self.end)
            intakes.append(
                Intake(
                    case=case,
                    conducted_on=decided,
                    conducted_by=professional,
                    triage_decision=TriageDecision.MEERVOUDIG if coordinated else TriageDecision.ENKELVOUDIG,
                    decided_on=decided,
                    decided_by=professional,
                )
            )
            # Coordinated cases ran into the next quarter and were closed since; single referrals closed soon.
            middle = CaseStatus.ACTIEF if coordinated else CaseStatus.ENKELVOUDIG_DOORVERWEZEN
            if coordinated:
                closed_on = min(self.end + datetime.timedelta(days=rng.randint(3, 50)), self.today - ONE_DAY)
            else:
                closed_on = min(decided + datetime.timedelta(days=rng.randint(5, 20)), self.today - ONE_DAY)
            closed.setdefault(closed_on, []).append(case.pk)
            changes += [
                CaseStatusChange(
                    case=case,
                    from_status=CaseStatus.AANGEMELD,
                    to_status=middle,
                    actor=professional,
                    at=self.at(decided),
                ),
                CaseStatusChange(
                    case=case,
                    from_status=middle,
                    to_status=CaseStatus.AFGESLOTEN,
                    actor=professional,
                    at=self.at(closed_on, 16),
                ),
            ]
            for domain in domains:
                first = rng.randint(1, 3)
                second = max(1, min(5, first + rng.choice([-1, 0, 1, 1, 2])))
                for day, score in (
                    (case.opened_on, first),
                    (min(decided + datetime.timedelta(days=40), self.end), second),
                ):
                    assessments.append(
                        LifeDomainAssessment(
                            case=case, client=client, domain=domain, score=score, assessor=professional, assessed_on=day
                        )
                    )
            if coordinated:
                self.workplan(case, professional, decided, duty_rows)
        for closed_on, ids in closed.items():
            Case.objects.filter(pk__in=ids).update(
                status=CaseStatus.AFGESLOTEN, closed_on=closed_on, closing_reason=ClosingReason.DOELEN_BEHAALD
            )
        Workplan.objects.filter(case_id__in=[pk for ids in closed.values() for pk in ids]).update(
            status=WorkplanStatus.BEEINDIGD
        )
        Signal.objects.bulk_create(signals)
        Intake.objects.bulk_create(intakes)
        CaseStatusChange.objects.bulk_create(changes)
        LifeDomainAssessment.objects.bulk_create(assessments)
        DutyRecord.objects.bulk_create(duty_rows)
        coordinated_cases = [(case, professional) for case, _c, professional, coordinated in cases if coordinated]
        self.meetings(coordinated_cases)
        self.handovers(coordinated_cases)
        self.obstacles(coordinated_cases)

    def meetings(self, coordinated_cases) -> None:
        """Periodic team meetings (teamoverleg) with minutes: each coordinated case on one agenda, with the
        agreements made there; two meetings were cancelled."""
        rng = self.rng
        chairs = {
            TEAM_NOORD: self.users["regisseur"],
            TEAM_ZUID: self.users["wijkcoach2"],
            TEAM_WI: self.users["klantmanager"],
        }
        per_team = {TEAM_NOORD: 6, TEAM_ZUID: 4, TEAM_WI: 4}
        held: dict[int, list[Meeting]] = {}
        rows = []
        for team_name, count in per_team.items():
            team = self.teams[team_name]
            step = (self.end - self.start).days // (count + 1)
            for k in range(count + (1 if team_name != TEAM_NOORD else 0)):
                cancelled = k == count  # one extra, cancelled meeting in two teams
                day = self.start + datetime.timedelta(days=step * (k + 1) - (3 if cancelled else 0))
                meeting = Meeting(
                    kind=MeetingKind.TEAMOVERLEG,
                    title="Periodiek teamoverleg",
                    team=team,
                    starts_at=self.at(day, 14),
                    chair=chairs[team_name],
                    created_by=chairs[team_name],
                    location="Wijkcentrum",
                    status=MeetingStatus.GEANNULEERD if cancelled else MeetingStatus.GEHOUDEN,
                )
                rows.append(meeting)
                if not cancelled:
                    held.setdefault(team.pk, []).append(meeting)
        Meeting.objects.bulk_create(rows)
        # Each case on the least busy held meeting of its team after its start; a meeting left empty takes
        # the team's earliest case as well, so every held meeting has minutes.
        assignments: list[tuple[Meeting, Case, User]] = []
        load: dict[int, int] = {}
        for case, professional in coordinated_cases:
            options = held[case.team_id]
            eligible = [m for m in options if m.starts_at.date() >= case.opened_on] or options[-1:]
            meeting = min(eligible, key=lambda m: (load.get(id(m), 0), m.starts_at))
            load[id(meeting)] = load.get(id(meeting), 0) + 1
            assignments.append((meeting, case, professional))
        for meetings in held.values():
            for meeting in meetings:
                if not load.get(id(meeting)):
                    case, professional = min(
                        ((c, p) for c, p in coordinated_cases if c.team_id == meeting.team_id),
                        key=lambda cp: cp[0].opened_on,
                    )
                    assignments.append((meeting, case, professional))
        items, agreements, positions = [], [], {}
        for meeting, case, professional in assignments:
            positions[meeting.pk] = positions.get(meeting.pk, 0) + 1
            items.append(
                AgendaItem(
                    meeting=meeting,
                    case=case,
                    position=positions[meeting.pk],
                    question="Welke afspraken maken we over de volgende stappen?",
                    decisions="Werkplan besproken; afspraken gemaakt over de volgende stappen.",
                    reasoning="Voortgang op de doelen en de belemmeringen die het team ziet.",
                )
            )
            made = meeting.starts_at.date()
            for k in range(3):
                due = made + datetime.timedelta(days=rng.randint(10, 45))
                status = rng.choice(
                    [AgreementStatus.GEDAAN] * 6 + [AgreementStatus.NIET_GEDAAN, AgreementStatus.VERVALLEN]
                )
                agreements.append(
                    Agreement(
                        case=case,
                        meeting=meeting,
                        what=f"Afspraak {k + 1} uit het teamoverleg",
                        owner=professional,
                        created_by=professional,
                        owner_organisation=self.municipality,
                        due_on=due,
                        status=status,
                        created_at=meeting.starts_at,
                        closed_at=self.at(due + datetime.timedelta(days=rng.choice([-5, -2, -1, 0, 0, 3, 9])), 15),
                    )
                )
        AgendaItem.objects.bulk_create(items)
        Agreement.objects.bulk_create(agreements)

    def handovers(self, coordinated_cases) -> None:
        rows = []
        for index, (case, professional) in enumerate(coordinated_cases[:10]):
            receiver = self.users["regisseur"] if professional != self.users["regisseur"] else self.users["wijkcoach"]
            created = self.at(self.day_in_quarter(margin=14))
            status = Handover.Status.RETURNED if index == 9 else Handover.Status.ACCEPTED
            rows.append(
                Handover(
                    case=case,
                    from_user=professional,
                    to_user=receiver,
                    created_by=professional,
                    summary={},
                    due_on=add_working_days(created.date(), 5),
                    status=status,
                    decided_at=created + datetime.timedelta(days=1 + index % 4 if index < 7 else 9),
                    created_at=created,
                    returned_reason="Geen ruimte in de caseload." if status == Handover.Status.RETURNED else "",
                )
            )
        Handover.objects.bulk_create(rows)

    def obstacles(self, coordinated_cases) -> None:
        rows = []
        for index, (category, party, description, approved) in enumerate(OBSTACLES):
            case, professional = coordinated_cases[index % len(coordinated_cases)]
            raised = self.day_in_quarter(margin=30)
            rows.append(
                Obstacle(
                    workplan=case.workplan,
                    category=category,
                    description=description,
                    party=party,
                    raised_on=raised,
                    resolved_on=raised + datetime.timedelta(days=25) if index % 3 == 0 else None,
                    raised_by=professional,
                    approved_for_publication=approved,
                    # The demo's texts name nobody; masking them anyway keeps the demo on the product's path.
                    published_description=mask(description) if approved else "",
                )
            )
        Obstacle.objects.bulk_create(rows)

    def workplan(self, case: Case, professional: User, decided: datetime.date, duty_rows: list) -> None:
        rng = self.rng
        adopted_on = case.opened_on + datetime.timedelta(days=rng.choice([14, 21, 30, 35, 40, 50, 65]))
        adopted = adopted_on <= self.end
        plan = Workplan.objects.create(
            case=case,
            status=WorkplanStatus.VASTGESTELD if adopted else WorkplanStatus.CONCEPT,
            adopted_at=self.at(adopted_on) if adopted else None,
            review_due_on=adopted_on + datetime.timedelta(weeks=rng.choice([8, 13, 26])) if adopted else None,
            created_at=self.at(decided),
        )
        if not adopted:
            return
        WorkplanVersion.objects.create(
            workplan=plan, number=1, snapshot={"goals": []}, adopted_by=professional, adopted_at=self.at(adopted_on)
        )
        for duty in Duty:
            record = CoordinationDuty.objects.create(
                workplan=plan,
                duty=duty,
                interval_days=42,
                next_due_on=adopted_on + datetime.timedelta(days=42),
                last_done_on=adopted_on,
            )
            if rng.random() < 0.6:
                duty_rows.append(
                    DutyRecord(
                        duty=record,
                        done_on=min(adopted_on, self.end),
                        done_by=professional,
                        what="Uitgevoerd volgens plan",
                    )
                )

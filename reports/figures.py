"""The figures of the progress report, computed in SQL (issue #8).

``compute(start, end)`` returns the *raw* figures of one period: exact counts in tables, before any
suppression. It never leaves this package: ``reports.services`` publishes it (``publish.publish``: small
counts hidden, complements closed) and stores only the published form.

Two kinds of figures:

- flow figures count what happened in the period (signals received, intakes decided, agreements due,
  casusoverleggen held, handovers started, obstacles raised and resolved, duties carried out);
- stock figures describe the situation when the report is drawn up (``today``: cases by status, the laws
  of active cases, workplans and duties on schedule, open gaps, caseloads, orphaned cases). The quarterly
  job runs in the first days after the quarter, so that is the state at the end of the period.

Every figure is one aggregate query (``GROUP BY`` or conditional ``COUNT``), so the number of queries does
not depend on the number of cases. No query selects a name, a BSN, an address, a case number or free text;
the only text read is an obstacle description that ``beleid`` approved for publication.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db import connection
from django.db.models import Count, DateField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, Team
from cases.constants import OPEN_STATUSES, CaseStatus, Law, LifeDomain, SignalOutcome, TriageDecision
from cases.models import Case, CaseMember, Handover, Intake, LifeDomainAssessment, Signal
from cases.selectors import orphaned_q
from workplans.constants import CLOSED_ACTION_STATUSES, CLOSED_GOAL_STATUSES, Duty, ObstacleCategory, WorkplanStatus
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
    WorkplanVersion,
)

from . import constants as c

ADOPTED = (WorkplanStatus.VASTGESTELD, WorkplanStatus.HERZIEN)
OPEN = sorted(OPEN_STATUSES)
LAWS = (
    ("law_wmo", Law.WMO),
    ("law_jeugdwet", Law.JEUGDWET),
    ("law_participatiewet", Law.PARTICIPATIEWET),
    ("law_wgs", Law.WGS),
)
ONE_DAY = datetime.timedelta(days=1)


class Period:
    """A reporting period: dates inclusive, plus the aware datetimes that bound it (end exclusive)."""

    def __init__(self, start: datetime.date, end: datetime.date, today: datetime.date):
        self.start, self.end, self.today = start, end, today
        tz = timezone.get_current_timezone()
        self.start_at = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
        self.end_at = datetime.datetime.combine(end + ONE_DAY, datetime.time.min, tzinfo=tz)

    def dates(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lte": self.end})

    def moments(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start_at, f"{field}__lt": self.end_at})


def table(key, title, row_header, columns, rows, *, totals="none", note="", relations=()) -> dict:
    """A raw table: ``rows`` as (label, [int, ...]) pairs; a third item ``True`` marks a subtotal row, the
    sum of the rows named in ``relations`` (subtotal row index, [part row indices])."""
    out_rows = []
    for label, values, *subtotal in rows:
        row = {"label": str(label), "values": [int(v or 0) for v in values]}
        if subtotal and subtotal[0]:
            row["subtotal"] = True
        out_rows.append(row)
    return {
        "key": key,
        "title": str(title),
        "row_header": str(row_header),
        "columns": [str(col) for col in columns],
        "rows": out_rows,
        "totals": totals,
        "note": str(note),
        "relations": [[total, list(parts)] for total, parts in relations],
    }


def share_kpi(key, label, part: int, whole: int, *, requires=()) -> dict:
    """A percentage; ``requires`` lists the cells (table key, row, column) it may only be shown beside."""
    return {"key": key, "label": str(label), "kind": "share", "part": part, "whole": whole, "requires": list(requires)}


def duration_buckets(prefix: str, base: Q, start: str, end: str, buckets) -> dict[str, Count]:
    """Conditional counts of rows by the days from ``start`` to ``end`` (upper bounds inclusive)."""
    counts, lower = {}, None
    for key, days in buckets:
        q = base
        if lower is not None:
            q &= Q(**{f"{end}__gt": F(start) + datetime.timedelta(days=lower)})
        if days is not None:
            q &= Q(**{f"{end}__lte": F(start) + datetime.timedelta(days=days)})
        counts[f"{prefix}{key}"] = Count("id", filter=q)
        lower = days
    return counts


def compute(start: datetime.date, end: datetime.date, *, today: datetime.date | None = None) -> dict:
    """The raw figures of the period ``start``–``end`` (inclusive); stock figures as of ``today``."""
    period = Period(start, end, today or timezone.localdate())
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "as_of": period.today.isoformat(),
        # The same number published in two tables: hidden in one means hidden in both.
        "links": [
            [["cases_by_status_team", "open", "T"], ["laws_overlap", "open", 0]],
            [["signals_by_outcome", "triaged", 0], ["signals_triage_time", "T", 0]],
            [["handovers", "accepted", 0], ["handovers_time", "T", 0]],
        ],
        "sections": [
            cases_section(period),
            signals_section(period),
            laws_section(period),
            workplans_section(period),
            agreements_section(period),
            zrm_section(period),
            handovers_section(period),
            obstacles_section(period),
            caseload_section(period),
        ],
    }


# --- Cases, signals and intakes --------------------------------------------------------------------


def cases_section(period: Period) -> dict:
    rows = Case.objects.values("team_id", "status").annotate(n=Count("id")).order_by()
    flows = Case.objects.aggregate(
        opened=Count("id", filter=period.dates("opened_on")),
        closed=Count("id", filter=period.dates("closed_on")),
    )
    counts = {(r["team_id"], r["status"]): r["n"] for r in rows}
    teams = list(Team.objects.filter(id__in={team_id for team_id, _s in counts}).order_by("name", "id"))
    statuses = [s for s in CaseStatus if s != CaseStatus.GEARCHIVEERD or any(k[1] == s for k in counts)]
    status_team = table(
        "cases_by_status_team",
        _("Casussen naar status en team"),
        _("Status"),
        [t.name for t in teams],
        [
            *[(s.label, [counts.get((t.id, s.value), 0) for t in teams]) for s in statuses],
            (_("lopend (alle open statussen)"), [sum(counts.get((t.id, s), 0) for s in OPEN) for t in teams], True),
        ],
        totals="both",
        note=_("Stand bij het opstellen van de rapportage."),
        relations=[(len(statuses), [i for i, s in enumerate(statuses) if s in OPEN_STATUSES])],
    )
    status_team["row_keys"] = {"open": len(statuses)}
    flow = table(
        "cases_flow",
        _("Nieuwe en afgesloten casussen in de periode"),
        _("Casussen"),
        [_("aantal")],
        [(_("gestart"), [flows["opened"]]), (_("afgesloten"), [flows["closed"]])],
    )
    return {
        "key": "cases",
        "title": _("Casussen"),
        "tables": [status_team, flow],
        "kpis": [],
        "chart": {"kind": "bar", "table": "cases_by_status_team", "column": -1, "skip_total_row": True},
    }


def signals_section(period: Period) -> dict:
    received = Signal.objects.filter(period.moments("received_at"))
    triaged_by_end = Q(triaged_at__isnull=False, triaged_at__lt=period.end_at) & ~Q(outcome="")
    outcome_counts = {f"o_{o.value}": Count("id", filter=triaged_by_end & Q(outcome=o.value)) for o in SignalOutcome}
    bucket_counts = duration_buckets("b_", triaged_by_end, "received_at", "triaged_at", c.TRIAGE_BUCKETS)
    figures = received.annotate(triaged_day=TruncDate("triaged_at")).aggregate(
        total=Count("id"),
        untriaged=Count("id", filter=~triaged_by_end),
        in_time=Count("id", filter=triaged_by_end & Q(triaged_day__lte=F("triage_deadline"))),
        **outcome_counts,
        **bucket_counts,
    )
    intakes = Intake.objects.filter(period.dates("decided_on")).aggregate(
        single=Count("id", filter=Q(triage_decision=TriageDecision.ENKELVOUDIG)),
        coordinated=Count("id", filter=Q(triage_decision=TriageDecision.MEERVOUDIG)),
    )
    triaged = figures["total"] - figures["untriaged"]
    outcomes = list(SignalOutcome)
    outcome_rows = [(o.label, [figures[f"o_{o.value}"]]) for o in outcomes]
    outcome_rows.append((_("getrieerd (samen)"), [triaged], True))
    outcome_rows.append((_("nog niet getrieerd"), [figures["untriaged"]]))
    return {
        "key": "signals",
        "title": _("Meldingen, triage en intakes"),
        "tables": [
            table(
                "signals_by_outcome",
                _("Nieuwe meldingen naar uitkomst van de triage"),
                _("Uitkomst"),
                [_("aantal")],
                outcome_rows,
                totals="columns",
                relations=[(len(outcomes), list(range(len(outcomes))))],
            )
            | {"row_keys": {"triaged": len(outcomes)}},
            table(
                "signals_triage_time",
                _("Tijd van ontvangst tot triage"),
                _("Doorlooptijd"),
                [_("meldingen")],
                [(c.TRIAGE_BUCKET_LABELS[key], [figures[f"b_{key}"]]) for key, _days in c.TRIAGE_BUCKETS],
                totals="columns",
            ),
            table(
                "intakes_by_decision",
                _("Intakes naar triagebesluit"),
                _("Besluit"),
                [_("aantal")],
                [
                    (_("enkelvoudig doorverwezen"), [intakes["single"]]),
                    (_("gecoördineerde aanpak"), [intakes["coordinated"]]),
                ],
                totals="columns",
            ),
        ],
        "kpis": [
            share_kpi(
                "triage_in_time",
                _("Meldingen op tijd getrieerd"),
                figures["in_time"],
                triaged,
                requires=[("signals_by_outcome", "triaged", 0)],
            ),
            share_kpi(
                "intakes_coordinated",
                _("Intakes naar een gecoördineerde aanpak"),
                intakes["coordinated"],
                intakes["single"] + intakes["coordinated"],
                requires=[("intakes_by_decision", 1, 0), ("intakes_by_decision", "T", 0)],
            ),
        ],
        "chart": {"kind": "bar", "table": "signals_by_outcome", "column": 0, "skip_total_row": True},
    }


# --- The laws ----------------------------------------------------------------------------------------


def laws_section(period: Period) -> dict:
    """Which combinations of Wmo, Jeugdwet, Participatiewet and Wgs active cases draw on (an UpSet)."""
    fields = [field for field, _law in LAWS]
    rows = Case.objects.filter(status__in=OPEN).values(*fields).annotate(n=Count("id")).order_by()
    counts = {tuple(bool(r[f]) for f in fields): r["n"] for r in rows}
    combinations = sorted(
        (combo for combo in _all_combinations(len(fields)) if any(combo)),
        key=lambda combo: (sum(combo), [not m for m in combo]),
    )
    names = [law.label for _field, law in LAWS]
    intersection_rows = [
        (" + ".join(str(n) for n, member in zip(names, combo, strict=True) if member), [counts.get(combo, 0)])
        for combo in combinations
    ]
    none_count = counts.get((False,) * len(fields), 0)
    n = len(intersection_rows)
    # The set sizes and the number of open cases follow from the combinations: they are subtotal rows with
    # their relation, so that the suppression also protects a combination that a subtraction would reveal.
    set_rows = [
        (
            _("%(law)s (alle casussen met deze wet)") % {"law": name},
            [sum(counts.get(combo, 0) for combo in combinations if combo[i])],
            True,
        )
        for i, name in enumerate(names)
    ]
    relations = [(n + 1, list(range(n + 1)))]
    relations += [(n + 2 + i, [r for r, combo in enumerate(combinations) if combo[i]]) for i in range(len(names))]
    overlap = table(
        "laws_overlap",
        _("Lopende casussen naar combinatie van wetten"),
        _("Wetten"),
        [_("casussen")],
        [
            *intersection_rows,
            (_("geen van deze wetten"), [none_count]),
            (_("alle lopende casussen"), [sum(counts.values())], True),
            *set_rows,
        ],
        note=_("Stand bij het opstellen. Een casus telt mee in één combinatie; de laatste regels tellen per wet."),
        relations=relations,
    )
    overlap["row_keys"] = {"open": n + 1}
    overlap["combinations"] = [list(combo) for combo in combinations]
    overlap["set_names"] = [str(name) for name in names]
    return {
        "key": "laws",
        "title": _("Samenloop van wetten"),
        "tables": [overlap],
        "kpis": [],
        "chart": {"kind": "upset", "table": "laws_overlap"},
    }


def _all_combinations(n: int) -> list[tuple[bool, ...]]:
    return [tuple(bool(i >> (n - 1 - bit) & 1) for bit in range(n)) for i in range(2**n)]


# --- Workplans and coordination duties -----------------------------------------------------------------


def workplans_section(period: Period) -> dict:
    days = c.WORKPLAN_ADOPTION_DAYS
    # The cohort whose adoption window closed in the period: cases with a workplan started N days earlier.
    first_adopted = Subquery(
        WorkplanVersion.objects.filter(workplan__case=OuterRef("pk")).order_by("adopted_at").values("adopted_at")[:1]
    )
    deadline = ExpressionWrapper(F("opened_on") + datetime.timedelta(days=days), output_field=DateField())
    cohort = (
        Case.objects.filter(
            workplan__isnull=False,
            opened_on__gte=period.start - datetime.timedelta(days=days),
            opened_on__lte=period.end - datetime.timedelta(days=days),
        )
        .annotate(first_day=TruncDate(first_adopted), deadline=deadline)
        .aggregate(
            total=Count("id"),
            in_time=Count("id", filter=Q(first_day__isnull=False, first_day__lte=F("deadline"))),
            late=Count("id", filter=Q(first_day__gt=F("deadline"))),
        )
    )
    not_adopted = cohort["total"] - cohort["in_time"] - cohort["late"]
    active_plans = Q(workplan__status__in=ADOPTED, workplan__case__status__in=OPEN)
    reviews = Case.objects.filter(status__in=OPEN, workplan__status__in=ADOPTED).aggregate(
        on_time=Count("id", filter=Q(workplan__review_due_on__gte=period.today)),
        overdue=Count("id", filter=Q(workplan__review_due_on__lt=period.today)),
    )
    duty_rows = (
        CoordinationDuty.objects.filter(active_plans)
        .values("duty")
        .annotate(
            on_time=Count("id", filter=Q(next_due_on__gte=period.today)),
            overdue=Count("id", filter=Q(next_due_on__lt=period.today)),
        )
        .order_by()
    )
    duty_state = {r["duty"]: r for r in duty_rows}
    done_rows = (
        DutyRecord.objects.filter(period.dates("done_on")).values("duty__duty").annotate(n=Count("id")).order_by()
    )
    done = {r["duty__duty"]: r["n"] for r in done_rows}
    gaps = _gap_counts(period)
    return {
        "key": "workplans",
        "title": _("Werkplannen en coördinatietaken"),
        "tables": [
            table(
                "workplans_adopted",
                _("Werkplan vastgesteld binnen %(days)s dagen na de start van de casus") % {"days": days},
                _("Werkplan"),
                [_("casussen")],
                [
                    (_("binnen %(days)s dagen vastgesteld") % {"days": days}, [cohort["in_time"]]),
                    (_("later vastgesteld"), [cohort["late"]]),
                    (_("(nog) niet vastgesteld"), [not_adopted]),
                ],
                totals="columns",
                note=_("Casussen met een werkplan waarvan de termijn in deze periode afliep."),
            ),
            table(
                "workplans_reviews",
                _("Herziening van vastgestelde werkplannen"),
                _("Herziening"),
                [_("werkplannen")],
                [(_("op tijd"), [reviews["on_time"]]), (_("termijn verstreken"), [reviews["overdue"]])],
                totals="columns",
                note=_("Stand bij het opstellen."),
            ),
            table(
                "duties_schedule",
                _("Coördinatietaken a–g op schema"),
                _("Taak"),
                [_("op schema"), _("achter")],
                [
                    (
                        duty.label,
                        [
                            duty_state.get(duty.value, {}).get("on_time", 0),
                            duty_state.get(duty.value, {}).get("overdue", 0),
                        ],
                    )
                    for duty in Duty
                ],
                totals="rows",
                note=_("Stand bij het opstellen, voor actieve casussen met een vastgesteld werkplan."),
            ),
            table(
                "duties_done",
                _("Coördinatietaken uitgevoerd in de periode"),
                _("Taak"),
                [_("keer uitgevoerd")],
                [(duty.label, [done.get(duty.value, 0)]) for duty in Duty],
                totals="columns",
            ),
            table(
                "workplans_gaps",
                _("Open hiaten in werkplannen"),
                _("Hiaat"),
                [_("aantal"), _("casussen")],
                gaps,
                note=_("Stand bij het opstellen."),
            ),
        ],
        "kpis": [
            share_kpi(
                "adopted_in_time",
                _("Werkplannen op tijd vastgesteld"),
                cohort["in_time"],
                cohort["total"],
                requires=[("workplans_adopted", 0, 0), ("workplans_adopted", "T", 0)],
            ),
        ],
        "chart": {"kind": "grouped", "table": "duties_schedule", "columns": [0, 1]},
    }


def _gap_counts(period: Period) -> list[tuple[str, list[int]]]:
    """The gaps that can be counted set-based (``workplans.selectors.gaps`` finds them per plan)."""
    active_goal = Q(workplan__case__status__in=OPEN) & ~Q(status__in=CLOSED_GOAL_STATUSES)
    current_member = CaseMember.objects.filter(
        case=OuterRef("workplan__case"), user=OuterRef("owner"), valid_to__isnull=True
    )
    goals = Goal.objects.filter(active_goal)
    no_owner = goals.filter(owner__isnull=True).aggregate(n=Count("id"), cases=Count("workplan__case", distinct=True))
    # A separate query with NOT EXISTS: PostgreSQL plans it as one anti-join, where the EXISTS inside two
    # filtered aggregates ran the subquery twice per goal (bench-reports at 100,000 cases).
    left = (
        goals.filter(owner__isnull=False)
        .exclude(Exists(current_member))
        .aggregate(n=Count("id"), cases=Count("workplan__case", distinct=True))
    )
    actions = (
        Action.objects.filter(goal__workplan__case__status__in=OPEN, end_on__lt=period.today)
        .exclude(status__in=CLOSED_ACTION_STATUSES)
        .aggregate(n=Count("id"), cases=Count("goal__workplan__case", distinct=True))
    )
    return [
        (_("doel zonder eigenaar"), [no_owner["n"], no_owner["cases"]]),
        (_("eigenaar van een doel is geen lid meer van het casusteam"), [left["n"], left["cases"]]),
        (_("actie over de einddatum"), [actions["n"], actions["cases"]]),
    ]


# --- Agreements and casusoverleggen -----------------------------------------------------------------------


def agreements_section(period: Period) -> dict:
    closed_day = TruncDate("closed_at")
    due = (
        Agreement.objects.filter(period.dates("due_on"))
        .annotate(closed_day=closed_day)
        .aggregate(
            on_time=Count("id", filter=Q(status=AgreementStatus.GEDAAN, closed_day__lte=F("due_on"))),
            late=Count("id", filter=Q(status=AgreementStatus.GEDAAN, closed_day__gt=F("due_on"))),
            not_done=Count("id", filter=Q(status=AgreementStatus.NIET_GEDAAN)),
            lapsed=Count("id", filter=Q(status=AgreementStatus.VERVALLEN)),
            open=Count("id", filter=Q(status=AgreementStatus.OPEN)),
        )
    )
    made = Agreement.objects.filter(period.moments("created_at")).count()
    overdue_now = Agreement.objects.filter(status=AgreementStatus.OPEN, due_on__lt=period.today).count()
    meetings = (
        Meeting.objects.filter(period.moments("starts_at"))
        .values("kind")
        .annotate(
            held=Count("id", filter=Q(status=MeetingStatus.GEHOUDEN)),
            cancelled=Count("id", filter=Q(status=MeetingStatus.GEANNULEERD)),
        )
        .order_by()
    )
    by_kind = {m["kind"]: m for m in meetings}
    return {
        "key": "agreements",
        "title": _("Afspraken en casusoverleggen"),
        "tables": [
            table(
                "agreements_made",
                _("Afspraken"),
                _("Afspraken"),
                [_("aantal")],
                [(_("gemaakt in de periode"), [made]), (_("nu over de datum en nog open"), [overdue_now])],
                note=_("De tweede regel is de stand bij het opstellen."),
            ),
            table(
                "agreements_due",
                _("Afspraken met een uiterste datum in de periode"),
                _("Afloop"),
                [_("afspraken")],
                [
                    (_("op tijd gedaan"), [due["on_time"]]),
                    (_("te laat gedaan"), [due["late"]]),
                    (_("niet gedaan"), [due["not_done"]]),
                    (_("vervallen"), [due["lapsed"]]),
                    (_("nog open"), [due["open"]]),
                ],
                totals="columns",
            ),
            table(
                "meetings_held",
                _("Overleggen in de periode"),
                _("Soort"),
                [_("gehouden"), _("geannuleerd")],
                [
                    (k.label, [by_kind.get(k.value, {}).get("held", 0), by_kind.get(k.value, {}).get("cancelled", 0)])
                    for k in MeetingKind
                ],
                totals="none",  # held and cancelled are separate facts; a total would only hide more
            ),
        ],
        "kpis": [
            share_kpi(
                "agreements_on_time",
                _("Afspraken op tijd gedaan"),
                due["on_time"],
                sum(due.values()),
                requires=[("agreements_due", 0, 0), ("agreements_due", "T", 0)],
            ),
        ],
        "chart": {"kind": "bar", "table": "agreements_due", "column": 0, "skip_total_row": True},
    }


# --- ZRM movement ----------------------------------------------------------------------------------------


def zrm_section(period: Period) -> dict:
    """Per life domain: first versus latest score of each client of a case active in the period."""
    assessments = LifeDomainAssessment._meta.db_table
    cases = Case._meta.db_table
    sql = f"""
        WITH ranked AS (
            SELECT a.case_id, a.client_id, a.domain, a.score,
                   ROW_NUMBER() OVER (PARTITION BY a.case_id, a.client_id, a.domain
                                      ORDER BY a.assessed_on, a.id) AS first_rank,
                   ROW_NUMBER() OVER (PARTITION BY a.case_id, a.client_id, a.domain
                                      ORDER BY a.assessed_on DESC, a.id DESC) AS last_rank
            FROM {assessments} a
            JOIN {cases} c ON c.id = a.case_id
            WHERE a.assessed_on <= %s
              AND c.opened_on <= %s AND (c.closed_on IS NULL OR c.closed_on >= %s)
        ), pairs AS (
            SELECT domain,
                   MAX(CASE WHEN first_rank = 1 THEN score END) AS first_score,
                   MAX(CASE WHEN last_rank = 1 THEN score END) AS last_score
            FROM ranked
            GROUP BY case_id, client_id, domain
            HAVING COUNT(*) > 1
        )
        SELECT domain,
               SUM(CASE WHEN last_score > first_score THEN 1 ELSE 0 END),
               SUM(CASE WHEN last_score = first_score THEN 1 ELSE 0 END),
               SUM(CASE WHEN last_score < first_score THEN 1 ELSE 0 END)
        FROM pairs
        GROUP BY domain
    """  # noqa: S608 - table names come from model metadata; the values are parameters.
    with connection.cursor() as cursor:
        cursor.execute(sql, [period.end, period.end, period.start])
        movement = {domain: [int(x or 0) for x in counts] for domain, *counts in cursor.fetchall()}
    return {
        "key": "zrm",
        "title": _("Zelfredzaamheid (ZRM) per leefgebied"),
        "tables": [
            table(
                "zrm_movement",
                _("Beweging tussen de eerste en de laatste ZRM-meting"),
                _("Leefgebied"),
                [c.ZRM_MOVEMENT_LABELS[m] for m in c.ZRM_MOVEMENTS],
                [(domain.label, movement.get(domain.value, [0, 0, 0])) for domain in LifeDomain],
                totals="both",
                note=_("Per cliënt en leefgebied met minstens twee metingen, in casussen die in de periode liepen."),
            )
        ],
        "kpis": [],
        "chart": {"kind": "grouped", "table": "zrm_movement", "columns": [0, 1, 2], "skip_total_row": True},
    }


# --- Handovers ------------------------------------------------------------------------------------------------


def handovers_section(period: Period) -> dict:
    status = Handover.Status
    figures = (
        Handover.objects.filter(period.moments("created_at"))
        .annotate(decided_day=TruncDate("decided_at"))
        .aggregate(
            in_time=Count("id", filter=Q(status=status.ACCEPTED, decided_day__lte=F("due_on"))),
            late=Count("id", filter=Q(status=status.ACCEPTED, decided_day__gt=F("due_on"))),
            returned=Count("id", filter=Q(status=status.RETURNED)),
            cancelled=Count("id", filter=Q(status=status.CANCELLED)),
            pending=Count("id", filter=Q(status=status.PENDING)),
            **duration_buckets(
                "t_",
                Q(status=status.ACCEPTED, decided_at__isnull=False),
                "created_at",
                "decided_at",
                c.HANDOVER_BUCKETS,
            ),
        )
    )
    orphaned = Case.objects.filter(orphaned_q()).count()
    return {
        "key": "handovers",
        "title": _("Overdrachten"),
        "tables": [
            table(
                "handovers",
                _("Overdrachten gestart in de periode"),
                _("Afloop"),
                [_("overdrachten")],
                [
                    (_("geaccepteerd binnen de termijn (5 werkdagen)"), [figures["in_time"]]),
                    (_("later geaccepteerd"), [figures["late"]]),
                    (_("geaccepteerd (samen)"), [figures["in_time"] + figures["late"]], True),
                    (_("teruggegeven"), [figures["returned"]]),
                    (_("ingetrokken"), [figures["cancelled"]]),
                    (_("wacht nog op acceptatie"), [figures["pending"]]),
                ],
                totals="columns",
                relations=[(2, [0, 1])],
            )
            | {"row_keys": {"accepted": 2}},
            table(
                "handovers_time",
                _("Tijd van overdragen tot acceptatie"),
                _("Doorlooptijd"),
                [_("overdrachten")],
                [(c.HANDOVER_BUCKET_LABELS[key], [figures[f"t_{key}"]]) for key, _days in c.HANDOVER_BUCKETS],
                totals="columns",
                note=_("Geaccepteerde overdrachten die in de periode zijn gestart, in kalenderdagen."),
            ),
            table(
                "orphaned_cases",
                _("Casussen zonder actieve regievoerder"),
                _("Casussen"),
                [_("aantal")],
                [(_("lopend, zonder actieve regievoerder of zonder actieve professional"), [orphaned])],
                note=_("Stand bij het opstellen."),
            ),
        ],
        "kpis": [
            share_kpi(
                "handovers_in_time",
                _("Geaccepteerde overdrachten binnen de termijn"),
                figures["in_time"],
                figures["in_time"] + figures["late"],
                requires=[("handovers", 0, 0), ("handovers", 1, 0)],
            ),
        ],
        "chart": {"kind": "bar", "table": "handovers", "column": 0, "skip_total_row": True},
    }


# --- Obstacles -----------------------------------------------------------------------------------------------


def obstacles_section(period: Period) -> dict:
    """Obstacles by category and party. A party is named only when it is a known organisation."""
    known = Subquery(Organisation.objects.filter(name__iexact=OuterRef("party")).values("name")[:1])
    rows = (
        Obstacle.objects.filter(period.dates("raised_on") | period.dates("resolved_on"))
        .annotate(organisation=known)
        .values("category", "organisation", "party")
        .annotate(
            new=Count("id", filter=period.dates("raised_on")),
            resolved=Count("id", filter=period.dates("resolved_on")),
        )
        .order_by()
    )
    by_category: dict[str, list[int]] = {}
    by_party: dict[str, list[int]] = {}
    for row in rows:  # one row per (category, party): bounded by the parties, not by the cases
        cat = by_category.setdefault(row["category"], [0, 0])
        cat[0] += row["new"]
        cat[1] += row["resolved"]
        party = row["organisation"] or (str(c.OTHER_PARTY) if row["party"].strip() else str(c.NO_PARTY))
        entry = by_party.setdefault(party, [0, 0])
        entry[0] += row["new"]
        entry[1] += row["resolved"]
    open_now = dict(
        Obstacle.objects.filter(Q(resolved_on__isnull=True) | Q(resolved_on__gt=period.end), raised_on__lte=period.end)
        .values_list("category")
        .annotate(n=Count("id"))
        .order_by()
    )
    ranking = Counter({cat: counts[0] for cat, counts in by_category.items() if counts[0]})
    top = [cat for cat, _n in ranking.most_common(3)]
    approved = (
        Obstacle.objects.filter(period.dates("raised_on"), approved_for_publication=True, category__in=top)
        .order_by("category", "-raised_on", "id")
        .values_list("category", "description")[: c.OBSTACLE_DESCRIPTIONS_PER_CATEGORY * 3 * 4]
    )
    descriptions: dict[str, list[str]] = {}
    for category, description in approved:
        chosen = descriptions.setdefault(category, [])
        if len(chosen) < c.OBSTACLE_DESCRIPTIONS_PER_CATEGORY:
            chosen.append(description)
    parties = sorted(by_party, key=lambda p: (p in (str(c.OTHER_PARTY), str(c.NO_PARTY)), p.lower()))
    return {
        "key": "obstacles",
        "title": _("Belemmeringen"),
        "tables": [
            table(
                "obstacles_by_category",
                _("Belemmeringen naar categorie"),
                _("Categorie"),
                [_("nieuw"), _("opgelost"), _("open op einddatum")],
                [
                    (cat.label, [*by_category.get(cat.value, [0, 0]), open_now.get(cat.value, 0)])
                    for cat in ObstacleCategory
                ],
                totals="columns",
            ),
            table(
                "obstacles_by_party",
                _("Belemmeringen naar partij"),
                _("Partij"),
                [_("nieuw"), _("opgelost")],
                [(party, by_party[party]) for party in parties],
                totals="columns",
                note=_("Een partij wordt alleen genoemd als het een bekende organisatie is."),
            ),
        ],
        "kpis": [],
        "top_categories": [
            {
                "category": ObstacleCategory(cat).label,
                "count": ranking[cat],
                "descriptions": descriptions.get(cat, []),
            }
            for cat in top
        ],
        "chart": {"kind": "bar", "table": "obstacles_by_category", "column": 0, "skip_total_row": True},
    }


# --- Caseload ----------------------------------------------------------------------------------------------------


def caseload_section(period: Period) -> dict:
    """How many open cases each professional is a current member of, as a distribution without names."""
    members = CaseMember._meta.db_table
    cases = Case._meta.db_table
    buckets = c.CASELOAD_BUCKETS
    bucket_sql = ", ".join(
        f"SUM(CASE WHEN n >= {low}{f' AND n <= {high}' if high is not None else ''} THEN 1 ELSE 0 END)"
        for low, high in buckets
    )
    placeholders = ", ".join(["%s"] * len(OPEN))
    sql = f"""
        SELECT COUNT(*), COALESCE(SUM(n), 0), {bucket_sql}
        FROM (
            SELECT m.user_id, COUNT(DISTINCT m.case_id) AS n
            FROM {members} m
            JOIN {cases} c ON c.id = m.case_id
            WHERE m.user_id IS NOT NULL AND m.valid_to IS NULL AND c.status IN ({placeholders})
            GROUP BY m.user_id
        ) loads
    """  # noqa: S608 - table names from model metadata, bucket bounds are integer constants.
    with connection.cursor() as cursor:
        cursor.execute(sql, OPEN)
        professionals, total, *counts = (int(x or 0) for x in cursor.fetchone())
    labels = [f"{low}–{high}" if high is not None else f"{low}+" for low, high in buckets]
    return {
        "key": "caseload",
        "title": _("Caseload per professional"),
        "tables": [
            table(
                "caseload",
                _("Professionals naar aantal open casussen waarbij zij betrokken zijn"),
                _("Open casussen"),
                [_("professionals")],
                list(zip(labels, [[n] for n in counts], strict=True)),
                totals="columns",
                note=_("Stand bij het opstellen; zonder namen."),
            )
        ],
        "kpis": [
            {
                "key": "caseload_average",
                "label": str(_("Gemiddeld aantal open casussen per professional")),
                "kind": "average",
                "total": total,
                "count": professionals,
            },
        ],
        "chart": {"kind": "distribution", "table": "caseload", "column": 0, "skip_total_row": True},
    }

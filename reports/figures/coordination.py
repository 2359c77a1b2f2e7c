"""Workplans and the coordination duties a–g, agreements and casusoverleggen."""

from __future__ import annotations

import datetime

from django.db.models import Count, DateField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from cases.models import Case, CaseMember
from workplans.constants import CLOSED_ACTION_STATUSES, CLOSED_GOAL_STATUSES, Duty
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
    WorkplanVersion,
)

from .. import constants as c
from .base import ADOPTED, OPEN, Period, share_kpi, table

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
                measure=c.MEASURE_STATE,
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
                measure=c.MEASURE_STATE,
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
                measure=c.MEASURE_STATE,
            ),
        ],
        "kpis": [
            share_kpi(
                "adopted_in_time",
                _("Werkplannen op tijd vastgesteld"),
                cohort["in_time"],
                cohort["total"],
                requires=[("workplans_adopted", 0, 0), ("workplans_adopted", "T", 0)],
                whole_cells=[("workplans_adopted", "T", 0)],
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
                row_measures={1: c.MEASURE_STATE},
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
                whole_cells=[("agreements_due", "T", 0)],
            ),
        ],
        "chart": {"kind": "bar", "table": "agreements_due", "column": 0, "skip_total_row": True},
    }

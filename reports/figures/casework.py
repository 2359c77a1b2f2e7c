"""Cases by status and team, signals and intakes, and the overlap of the laws."""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from accounts.models import Team
from cases.constants import OPEN_STATUSES, CaseStatus, SignalOutcome, TriageDecision
from cases.models import Case, Intake, Signal

from .. import constants as c
from .base import LAWS, OPEN, Period, duration_buckets, share_kpi, table

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
        measure=c.MEASURE_STATE,
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
                # Triaged by the period's last day: a signal of July triaged in August counts in the quarter
                # but not in July. The total, the signals received, is a plain sum.
                measure=c.MEASURE_SPAN,
                row_measures={"T": c.MEASURE_SUM},
            )
            | {"row_keys": {"triaged": len(outcomes)}},
            table(
                "signals_triage_time",
                _("Tijd van ontvangst tot triage"),
                _("Doorlooptijd"),
                [_("meldingen")],
                [(c.TRIAGE_BUCKET_LABELS[key], [figures[f"b_{key}"]]) for key, _days in c.TRIAGE_BUCKETS],
                totals="columns",
                measure=c.MEASURE_SPAN,
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
                whole_cells=[("signals_by_outcome", "triaged", 0)],
                measure=c.MEASURE_SPAN,
            ),
            share_kpi(
                "intakes_coordinated",
                _("Intakes naar een gecoördineerde aanpak"),
                intakes["coordinated"],
                intakes["single"] + intakes["coordinated"],
                requires=[("intakes_by_decision", 1, 0), ("intakes_by_decision", "T", 0)],
                whole_cells=[("intakes_by_decision", "T", 0)],
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
        measure=c.MEASURE_STATE,
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

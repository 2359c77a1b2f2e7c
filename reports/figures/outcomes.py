"""ZRM movement, handovers, obstacles and caseloads."""

from __future__ import annotations

from collections import Counter

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from accounts.models import Organisation
from cases.constants import LifeDomain
from cases.models import Case, CaseMember, Handover, LifeDomainAssessment
from cases.selectors import orphaned_q
from workplans.constants import ObstacleCategory
from workplans.models import (
    Obstacle,
)

from .. import constants as c
from .base import OPEN, Period, duration_buckets, share_kpi, table

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
                measure=c.MEASURE_SPAN,
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
                measure=c.MEASURE_STATE,
            ),
        ],
        "kpis": [
            share_kpi(
                "handovers_in_time",
                _("Geaccepteerde overdrachten binnen de termijn"),
                figures["in_time"],
                figures["in_time"] + figures["late"],
                requires=[("handovers", 0, 0), ("handovers", 1, 0)],
                whole_cells=[("handovers", "accepted", 0)],
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
        # The masked text beleid approved (``reports.masking``), never the description typed in the workplan.
        .values_list("category", "published_description")[: c.OBSTACLE_DESCRIPTIONS_PER_CATEGORY * 3 * 4]
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
                # Open on the period's last day is a state on that day, not a count over the period.
                column_measures=[c.MEASURE_SUM, c.MEASURE_SUM, c.MEASURE_STATE],
            ),
            table(
                "obstacles_by_party",
                _("Belemmeringen naar partij"),
                _("Partij"),
                [_("nieuw"), _("opgelost")],
                [(party, by_party[party]) for party in parties],
                totals="columns",
                note=_("Een partij wordt alleen genoemd als het een bekende organisatie is."),
            )
            # A party without obstacles in the period has no row: a missing row reads as zero.
            | {"rows_by_presence": True},
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
                measure=c.MEASURE_STATE,
            )
        ],
        "kpis": [
            {
                "key": "caseload_average",
                "label": str(_("Gemiddeld aantal open casussen per professional")),
                "kind": "average",
                "total": total,
                "count": professionals,
                "measure": c.MEASURE_STATE,
            },
        ],
        "chart": {"kind": "distribution", "table": "caseload", "column": 0, "skip_total_row": True},
    }

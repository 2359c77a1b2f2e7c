"""What every section of the figures uses: the period, raw tables, shares and duration buckets."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, Q
from django.utils import timezone

from cases.constants import OPEN_STATUSES, Law
from workplans.constants import WorkplanStatus

from ..constants import MEASURE_SUM

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


def table(
    key,
    title,
    row_header,
    columns,
    rows,
    *,
    totals="none",
    note="",
    relations=(),
    measure=MEASURE_SUM,
    column_measures=None,
    row_measures=None,
) -> dict:
    """A raw table: ``rows`` as (label, [int, ...]) pairs; a third item ``True`` marks a subtotal row, the
    sum of the rows named in ``relations`` (subtotal row index, [part row indices]).

    ``measure`` says how the cells relate to the period (``reports.constants``: sum, span or state);
    ``column_measures`` (one per column) and ``row_measures`` (row index or ``"T"`` for the total row: measure)
    override it where a table mixes them; a row's measure wins over a column's."""
    out_rows = []
    for label, values, *subtotal in rows:
        row = {"label": str(label), "values": [int(v or 0) for v in values]}
        if subtotal and subtotal[0]:
            row["subtotal"] = True
        out_rows.append(row)
    out = {
        "key": key,
        "title": str(title),
        "row_header": str(row_header),
        "columns": [str(col) for col in columns],
        "rows": out_rows,
        "totals": totals,
        "note": str(note),
        "relations": [[total, list(parts)] for total, parts in relations],
        "measure": measure,
    }
    if column_measures is not None:
        out["column_measures"] = list(column_measures)
    if row_measures is not None:
        out["row_measures"] = dict(row_measures)
    return out


def share_kpi(key, label, part: int, whole: int, *, requires=(), whole_cells=(), measure=MEASURE_SUM) -> dict:
    """A percentage; ``requires`` lists the cells (table key, row, column) it may only be shown beside, and
    ``whole_cells`` the published cells that add up to ``whole``, from which a reader can turn the share back
    into a count (``reports.differencing`` compares that count between reports)."""
    return {
        "key": key,
        "label": str(label),
        "kind": "share",
        "part": part,
        "whole": whole,
        "requires": list(requires),
        "whole_cells": list(whole_cells),
        "measure": measure,
    }


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

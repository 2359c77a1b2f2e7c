"""Reporting periods: whole calendar months, quarters and years, with their Dutch labels.

A report covers one of these and nothing else (ADR 0003). Two of them either do not overlap or one lies
inside the other, and each is made of whole months of one calendar year. So subtracting one report from
another never isolates a day or a week, only whole months, and the difference suppression
(``reports.differencing``) needs to look only at the reports of the same calendar year.

A period is a pair of dates (first day, last day), both inclusive.
"""

from __future__ import annotations

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .constants import PeriodKind

PeriodDates = tuple[datetime.date, datetime.date]

ONE_DAY = datetime.timedelta(days=1)


def month_of(day: datetime.date) -> PeriodDates:
    """The calendar month holding ``day`` as (first day, last day)."""
    start = day.replace(day=1)
    next_start = datetime.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return start, next_start - ONE_DAY


def quarter_of(day: datetime.date) -> PeriodDates:
    """The calendar quarter holding ``day`` as (first day, last day)."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = datetime.date(day.year, first_month, 1)
    next_start = datetime.date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return start, next_start - ONE_DAY


def year_of(day: datetime.date) -> PeriodDates:
    return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)


def last_full_quarter(today: datetime.date) -> PeriodDates:
    """The last quarter that has ended before ``today``."""
    start, _end = quarter_of(today)
    return quarter_of(start - ONE_DAY)


def calendar_period(kind: str, year: int, number: int | None = None) -> PeriodDates:
    """Month ``number`` (1–12), quarter ``number`` (1–4) or the whole ``year``; ``ValueError`` otherwise."""
    if kind == PeriodKind.YEAR:
        return year_of(datetime.date(year, 1, 1))
    if kind == PeriodKind.QUARTER and number is not None and 1 <= number <= 4:
        return quarter_of(datetime.date(year, 3 * number - 2, 1))
    if kind == PeriodKind.MONTH and number is not None and 1 <= number <= 12:
        return month_of(datetime.date(year, number, 1))
    raise ValueError(f"no {kind} {number} in {year}")


def period_kind(start: datetime.date, end: datetime.date) -> PeriodKind | None:
    """Which calendar period ``start``–``end`` is, or ``None`` when it is none of them."""
    for kind, of in ((PeriodKind.MONTH, month_of), (PeriodKind.QUARTER, quarter_of), (PeriodKind.YEAR, year_of)):
        if of(start) == (start, end):
            return kind
    return None


def contains(outer: PeriodDates, inner: PeriodDates) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def nested(a: PeriodDates, b: PeriodDates) -> bool:
    """One period lies inside the other (a period is nested in itself)."""
    return contains(a, b) or contains(b, a)


def month_mask(start: datetime.date, end: datetime.date) -> int:
    """The months of a calendar period as bits (January is bit 0), for comparing periods of one year."""
    return sum(1 << (month - 1) for month in range(start.month, end.month + 1))


def period_label(start: datetime.date, end: datetime.date) -> str:
    """ "maart 2026", "1e kwartaal 2026", "2026"; any other period (reports drawn up before ADR 0003 allowed
    only calendar periods) as "1 juli 2026 tot en met 30 september 2026"."""
    kind = period_kind(start, end)
    if kind == PeriodKind.MONTH:
        return date_format(start, "F Y")
    if kind == PeriodKind.QUARTER:
        return _("%(quarter)se kwartaal %(year)s") % {"quarter": (start.month - 1) // 3 + 1, "year": start.year}
    if kind == PeriodKind.YEAR:
        return str(start.year)
    return _("%(start)s tot en met %(end)s") % {
        "start": date_format(start, "j F Y"),
        "end": date_format(end, "j F Y"),
    }

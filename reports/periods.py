"""Reporting periods: calendar quarters and free periods, with their Dutch labels."""

from __future__ import annotations

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _


def quarter_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The calendar quarter holding ``day`` as (first day, last day)."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = datetime.date(day.year, first_month, 1)
    next_start = datetime.date(day.year + (first_month == 10), (first_month + 2) % 12 + 1, 1)
    return start, next_start - datetime.timedelta(days=1)


def last_full_quarter(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last quarter that has ended before ``today``."""
    start, _end = quarter_of(today)
    return quarter_of(start - datetime.timedelta(days=1))


def is_quarter(start: datetime.date, end: datetime.date) -> bool:
    return quarter_of(start) == (start, end)


def period_label(start: datetime.date, end: datetime.date) -> str:
    if is_quarter(start, end):
        return _("%(quarter)se kwartaal %(year)s") % {"quarter": (start.month - 1) // 3 + 1, "year": start.year}
    return _("%(start)s tot en met %(end)s") % {
        "start": date_format(start, "j F Y"),
        "end": date_format(end, "j F Y"),
    }

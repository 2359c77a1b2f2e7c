"""Working-day arithmetic: weekends and Dutch public holidays are skipped.

Holidays come from the maintained ``holidays`` package, not a hand-made list.
"""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _dutch_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("NL", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _dutch_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    count = 0
    current = start
    while current < end:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count

"""Reporting periods (ADR 0003): a report covers a whole calendar month, quarter or year that has ended, with a
Dutch label; any other period is refused by the service with a Dutch message."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from reports import services
from reports.constants import PeriodKind
from reports.models import ProgressReport
from reports.periods import calendar_period, last_full_quarter, nested, period_kind, period_label

D = datetime.date
NOT_CALENDAR = "Een rapportage gaat over een hele kalendermaand, een heel kwartaal of een heel kalenderjaar."
TODAY = D(2027, 1, 10)


def every_period(years=(2026, 2027, 2028)) -> list[tuple[datetime.date, datetime.date]]:
    out = []
    for year in years:
        out += [calendar_period(PeriodKind.MONTH, year, m) for m in range(1, 13)]
        out += [calendar_period(PeriodKind.QUARTER, year, q) for q in range(1, 5)]
        out.append(calendar_period(PeriodKind.YEAR, year))
    return out


def test_calendar_periods():
    assert calendar_period(PeriodKind.MONTH, 2028, 2) == (D(2028, 2, 1), D(2028, 2, 29))  # leap year
    assert calendar_period(PeriodKind.MONTH, 2026, 12) == (D(2026, 12, 1), D(2026, 12, 31))
    assert calendar_period(PeriodKind.QUARTER, 2026, 4) == (D(2026, 10, 1), D(2026, 12, 31))
    assert calendar_period(PeriodKind.YEAR, 2026) == (D(2026, 1, 1), D(2026, 12, 31))
    for kind, number in [(PeriodKind.MONTH, 13), (PeriodKind.QUARTER, 0), (PeriodKind.MONTH, None), ("week", 1)]:
        with pytest.raises(ValueError, match="no "):
            calendar_period(kind, 2026, number)
    assert last_full_quarter(D(2027, 1, 10)) == (D(2026, 10, 1), D(2026, 12, 31))


def test_every_calendar_period_is_recognised_and_two_of_them_never_overlap_in_part():
    periods = every_period()
    assert [period_kind(*p) for p in periods[:17]] == [PeriodKind.MONTH] * 12 + [PeriodKind.QUARTER] * 4 + [
        PeriodKind.YEAR
    ]
    for a, b in itertools.combinations(periods, 2):
        assert nested(a, b) or a[1] < b[0] or b[1] < a[0], (a, b)
    for start, end in [
        (D(2026, 7, 2), D(2026, 9, 30)),  # the finding: one day short of a quarter
        (D(2026, 7, 1), D(2026, 8, 31)),  # two months
        (D(2026, 7, 1), D(2026, 7, 30)),
        (D(2026, 2, 1), D(2026, 3, 1)),
        (D(2026, 4, 1), D(2027, 3, 31)),  # a year, but not a calendar year
    ]:
        assert period_kind(start, end) is None, (start, end)


def test_dutch_labels():
    with translation.override("nl"):
        assert period_label(D(2026, 3, 1), D(2026, 3, 31)) == "maart 2026"
        assert period_label(D(2026, 7, 1), D(2026, 9, 30)) == "3e kwartaal 2026"
        assert period_label(D(2026, 1, 1), D(2026, 12, 31)) == "2026"
        # A free period drawn up before ADR 0003 keeps its label in the archive.
        assert period_label(D(2026, 7, 2), D(2026, 9, 30)) == "2 juli 2026 tot en met 30 september 2026"


def test_the_service_refuses_2_july_to_30_september_with_a_dutch_message():
    with pytest.raises(ValidationError) as refused:
        services.validate_period(D(2026, 7, 2), D(2026, 9, 30), today=TODAY)
    assert refused.value.messages == [NOT_CALENDAR]
    for start, end in [
        (D(2026, 7, 1), D(2026, 8, 31)),
        (D(2026, 4, 1), D(2027, 3, 31)),
        (D(2026, 7, 1), D(2026, 7, 1)),
    ]:
        with pytest.raises(ValidationError, match=NOT_CALENDAR):
            services.validate_period(start, end, today=TODAY)


@pytest.mark.django_db
def test_the_service_accepts_july_the_third_quarter_and_the_year(monkeypatch):
    monkeypatch.setattr(services, "report_pdf", lambda figures, *, generated_at: b"%PDF-1.7 stub")
    with pytest.raises(ValidationError, match=NOT_CALENDAR):
        services.report_generate(start=D(2026, 7, 2), end=D(2026, 9, 30), today=TODAY)
    for start, end in [
        (D(2026, 7, 1), D(2026, 7, 31)),
        (D(2026, 7, 1), D(2026, 9, 30)),
        (D(2026, 1, 1), D(2026, 12, 31)),
    ]:
        services.report_generate(start=start, end=end, today=TODAY)
    reports = ProgressReport.objects.order_by("period_start", "-period_end")
    assert [r.title for r in reports] == ["2026", "3e kwartaal 2026", "juli 2026"]
    assert [r.figures["period"]["label"] for r in reports] == ["2026", "3e kwartaal 2026", "juli 2026"]

"""The quarterly progress report job (``reports.services.quarterly_report`` and its Celery task): exactly
one frozen report per period, refused periods, the beat schedule, the PDF for the college, and no count
the stored figures hide in one place shown in another."""

from __future__ import annotations

import datetime
import json
import subprocess

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.constants import Role
from reports import services, tasks
from reports.constants import SUPPRESSED
from reports.export import report_csv
from reports.figures import compute
from reports.models import ProgressReport
from reports.periods import last_full_quarter
from reports.publish import publish, table_of
from tests.cases.test_handovers import open_active_case
from tests.factories import TeamFactory, make_user
from workplans import services as plan_services
from workplans.constants import ObstacleCategory

pytestmark = pytest.mark.django_db

Q3 = (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
Q4 = (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))


@pytest.fixture
def quick_pdf(monkeypatch):
    """WeasyPrint takes seconds per report; tests about the job's bookkeeping do not need a real PDF
    (``test_the_pdf_is_a_document_for_the_college`` renders one)."""
    monkeypatch.setattr(services, "report_pdf", lambda figures, *, generated_at: b"%PDF-1.7 stub")


def periods() -> list[tuple[datetime.date, datetime.date]]:
    return list(ProgressReport.objects.order_by("period_start").values_list("period_start", "period_end"))


def test_the_quarterly_job_draws_up_exactly_one_report_per_quarter(quick_pdf):
    first = services.quarterly_report(today=datetime.date(2026, 10, 3))
    assert (first.period_start, first.period_end) == Q3
    assert first.trigger == ProgressReport.Trigger.SCHEDULE and first.generated_by is None
    assert first.title == "3e kwartaal 2026"
    # The job runs daily: the rest of the quarter it finds the report and makes nothing.
    assert services.quarterly_report(today=datetime.date(2026, 10, 4)) is None
    assert services.quarterly_report(today=datetime.date(2026, 12, 31)) is None
    assert periods() == [Q3]
    second = services.quarterly_report(today=datetime.date(2027, 1, 2))
    assert (second.period_start, second.period_end) == Q4
    assert periods() == [Q3, Q4]


def test_a_report_is_frozen(quick_pdf, wijkcoach, team):
    open_active_case(wijkcoach, team)
    report = services.quarterly_report(today=datetime.date(2026, 10, 3))
    stored = ProgressReport.objects.get(pk=report.pk).figures
    assert stored == report.figures and "Wijkteam Noord" in json.dumps(stored)
    report.figures = {"format": 1, "sections": []}
    with pytest.raises(ValueError, match="frozen"):
        report.save()

    # New work afterwards would show in a fresh computation, but the stored report stays what it was.
    east = TeamFactory(organisation=team.organisation, name="Wijkteam Oost")
    open_active_case(make_user(Role.WIJKCOACH, east), east)
    fresh = publish(compute(*Q3, today=datetime.date(2026, 10, 3)))
    assert "Wijkteam Oost" in json.dumps(fresh)
    report = ProgressReport.objects.get(pk=report.pk)
    assert report.figures == stored
    assert "Wijkteam Oost" not in report_csv(report)


def test_report_generate_refuses_a_period_with_a_report_and_a_period_not_over(quick_pdf):
    today = datetime.date(2026, 10, 3)
    services.report_generate(start=Q3[0], end=Q3[1], today=today)
    with pytest.raises(ValidationError, match="Voor deze periode is al een rapportage opgesteld"):
        services.report_generate(start=Q3[0], end=Q3[1], today=today)
    for start, end in [
        (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)),  # October: not over yet
        Q4,  # ends in the future
        (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),  # the year is not over
        (datetime.date(2026, 9, 1), datetime.date(2026, 8, 31)),  # ends before it starts
    ]:
        with pytest.raises(ValidationError) as refused:
            services.report_generate(start=start, end=end, today=today)
        assert "period_end" in refused.value.message_dict, (start, end)
    # Not a calendar month, quarter or year (tests/reports/test_periods.py has more).
    with pytest.raises(ValidationError, match="hele kalendermaand, een heel kwartaal of een heel kalenderjaar"):
        services.report_generate(start=datetime.date(2025, 1, 1), end=datetime.date(2026, 1, 2), today=today)
    assert periods() == [Q3]


def test_a_count_hidden_in_the_obstacle_table_is_not_published_among_the_most_frequent(quick_pdf, wijkcoach, team):
    # 7 waiting lists and 2 capacity problems: the table hides the 7 ("x") so that total 9 minus it does
    # not tell the 2. Printing "Wachtlijst (7)" beside it gives the 2 back.
    case = open_active_case(wijkcoach, team, coordinator=wijkcoach)
    workplan = plan_services.workplan_create(actor=wijkcoach, case=case)
    for category, count in ((ObstacleCategory.WACHTLIJST, 7), (ObstacleCategory.CAPACITEIT, 2)):
        for n in range(count):
            plan_services.obstacle_raise(
                actor=wijkcoach, workplan=workplan, category=category, description=f"{n}", raised_on=Q3[0]
            )
    figures = services.quarterly_report(today=datetime.date(2026, 10, 2)).figures
    table = table_of(figures, "obstacles_by_category")
    new = {row["label"]: row["values"][0] for row in table["rows"]}
    assert new["Totaal"] == 9 and new["Capaciteit"] == SUPPRESSED  # the table protects the 2
    top = next(s for s in figures["sections"] if s["key"] == "obstacles")["top_categories"]
    assert [t["category"] for t in top] == ["Wachtlijst", "Capaciteit"]
    for entry in top:
        assert entry["count"] == new[entry["category"]], entry


def test_the_beat_schedule_runs_the_quarterly_job_every_day():
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "reports.tasks.quarterly_report"]
    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    assert isinstance(schedule, crontab)
    assert len(schedule.day_of_week) == 7 and len(schedule.day_of_month) == 31 and len(schedule.hour) == 1
    assert tasks.quarterly_report.name == "reports.tasks.quarterly_report"


def test_the_task_returns_the_new_report_once(quick_pdf):
    result = tasks.quarterly_report.apply()
    assert result.successful()
    report = ProgressReport.objects.get()
    assert result.get() == str(report.uuid)
    assert (report.period_start, report.period_end) == last_full_quarter(timezone.localdate())
    again = tasks.quarterly_report.apply()
    assert again.successful() and again.get() is None
    assert ProgressReport.objects.count() == 1


def test_the_pdf_is_a_document_for_the_college(wijkcoach, team):
    case = open_active_case(wijkcoach, team, family_name="Verhoeven")
    services.report_generate(start=Q3[0], end=Q3[1], today=datetime.date(2026, 10, 2))
    pdf = bytes(ProgressReport.objects.get().pdf)
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "3e kwartaal 2026" in text and "Samenvatting" in text
    assert "Wijkteam Noord" in text  # the figures are in it, not only the title page
    assert case.number not in text and "Verhoeven" not in text

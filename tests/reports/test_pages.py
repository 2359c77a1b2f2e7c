"""Report pages: who may see the reports, draw one up, approve obstacle descriptions and open the team
dashboard; the PDF and CSV downloads (CSV safe against formula injection); query budgets of the lists.

``beleid`` sees aggregates but never a case; the teamleider reads reports and steers their own team."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.constants import Role
from cases import handovers
from consent.constants import AccessAction
from consent.models import AccessLogEntry
from reports import services
from reports.export import report_csv
from reports.models import ProgressReport
from reports.periods import last_full_quarter
from tests.cases.test_handovers import open_active_case
from tests.factories import OrganisationFactory, TeamFactory, make_user
from workplans import services as plan_services
from workplans.constants import ObstacleCategory
from workplans.models import Obstacle

pytestmark = pytest.mark.django_db

LIST = "/rapportages/"
DASHBOARD = "/teamdashboard/"
OBSTACLES = "/rapportages/belemmeringen/"
DUPLICATE = "Voor deze periode is al een rapportage opgesteld."
NOT_PAST = "Een rapportage gaat over een afgelopen periode"


@pytest.fixture
def teamleider(team):
    return make_user(Role.TEAMLEIDER, team, username="t_teamleider", first_name="Tessa", last_name="Leidsman")


@pytest.fixture
def partner_user(partner_org):
    return make_user(Role.PARTNER, TeamFactory(organisation=partner_org, name="Ambulant team"), username="t_partner")


def published_figures(label: str = "aangemeld", *, description: str = "Wachtlijst schuldhulp") -> dict:
    """Figures in the stored (published) shape of ``reports.publish.publish``, small enough to read."""
    return {
        "format": 1,
        "period": {"start": "2026-01-01", "end": "2026-03-31", "label": "1e kwartaal 2026"},
        "as_of": "2026-04-02",
        "summary": ["Op 2 april 2026 liepen er 12 casussen."],
        "sections": [
            {
                "key": "cases",
                "title": "Casussen",
                "kpis": [{"key": "k", "label": "-Op tijd", "value": None, "unit": "%"}],
                "tables": [
                    {
                        "key": "cases_by_status_team",
                        "title": "@Casussen naar status",
                        "row_header": "Status",
                        "columns": ["+Noord", "Totaal"],
                        "rows": [
                            {"label": label, "values": [12, 12]},
                            {"label": "afgesloten", "values": ["<5", "<5"]},
                        ],
                        "note": "",
                        "has_total_column": True,
                    }
                ],
                "chart": None,
                "top_categories": [{"category": "Wachtlijst", "count": 7, "descriptions": [description]}],
            }
        ],
    }


def make_report(start: datetime.date, *, by=None, **figure_kwargs) -> ProgressReport:
    return ProgressReport.objects.create(
        period_start=start,
        period_end=start + datetime.timedelta(days=30),
        trigger=ProgressReport.Trigger.ON_DEMAND,
        generated_by=by,
        figures=published_figures(**figure_kwargs),
        pdf=b"%PDF-1.7 test",
    )


def urls(report: ProgressReport) -> list[str]:
    return [reverse(name, args=[report.uuid]) for name in ("reports:detail", "reports:pdf", "reports:csv")]


# --- Access ---------------------------------------------------------------------------------------------


def test_beleid_draws_up_a_report_and_downloads_it_but_sees_no_case(client, beleid, wijkcoach, team, monkeypatch):
    # WeasyPrint takes seconds; tests/reports/test_jobs.py reads a real PDF. Here the stored bytes are served.
    monkeypatch.setattr(services, "report_pdf", lambda figures, *, generated_at: b"%PDF-1.7 rendered")
    case = open_active_case(wijkcoach, team, coordinator=wijkcoach)
    start, end = last_full_quarter(timezone.localdate())
    client.force_login(beleid)
    assert client.get(LIST).status_code == 200

    response = client.post(LIST, {"kind": "quarter", "year": start.year, "quarter": (start.month + 2) // 3})
    report = ProgressReport.objects.get()
    assert response.status_code == 302 and response.url == reverse("reports:detail", args=[report.uuid])
    assert (report.period_start, report.period_end, report.generated_by) == (start, end, beleid)
    assert report.trigger == ProgressReport.Trigger.ON_DEMAND

    detail, pdf, csv_url = urls(report)
    page = client.get(detail).content.decode()
    assert "Samenvatting" in page and report.title in page and case.number not in page
    stem = f"voortgangsrapportage-{start:%Y%m%d}-{end:%Y%m%d}"
    response = client.get(pdf)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{stem}.pdf"'
    assert response.content == b"%PDF-1.7 rendered"
    response = client.get(csv_url)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{stem}.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffVoortgangsrapportage;")
    assert case.number not in text

    # Aggregates only: no case page, no case in the werkvoorraad.
    assert client.get(reverse("cases:case-detail", args=[case.uuid])).status_code in (403, 404)
    werkvoorraad = client.get(reverse("werkvoorraad"))
    assert werkvoorraad.status_code == 200 and case.number not in werkvoorraad.content.decode()
    assert f'href="{LIST}"' in werkvoorraad.content.decode()  # the home page points beleid to the reports


def test_a_second_report_for_the_same_period_is_refused_with_a_dutch_message(client, beleid):
    existing = make_report(datetime.date(2026, 1, 1))  # January 2026
    client.force_login(beleid)
    response = client.post(LIST, {"kind": "month", "year": 2026, "month": 1})
    assert (existing.period_start, existing.period_end) == (datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))
    assert response.status_code == 400 and DUPLICATE in response.content.decode()
    assert ProgressReport.objects.count() == 1


def test_a_period_that_has_not_ended_is_refused_with_a_dutch_message(client, beleid):
    client.force_login(beleid)
    today = timezone.localdate()
    for data in (
        {"kind": "month", "year": today.year, "month": today.month},
        {"kind": "quarter", "year": today.year, "quarter": (today.month + 2) // 3},
        {"kind": "year", "year": today.year},
    ):
        response = client.post(LIST, data)
        assert response.status_code == 400 and NOT_PAST in response.content.decode(), data
    assert not ProgressReport.objects.exists()


def test_the_form_offers_a_month_a_quarter_or_a_year_and_no_free_dates(client, beleid, monkeypatch):
    monkeypatch.setattr(services, "report_pdf", lambda figures, *, generated_at: b"%PDF-1.7 rendered")
    client.force_login(beleid)
    page = client.get(LIST).content.decode()
    for name in ("kind", "year", "month", "quarter"):
        assert f'name="{name}"' in page
    assert 'name="period_start"' not in page and 'type="date"' not in page
    start, _end = last_full_quarter(timezone.localdate())
    assert f'<option value="{(start.month + 2) // 3}" selected>' in page  # the last full quarter is proposed

    # Free dates, the way the form used to send them (2 July to 30 September): refused, nothing drawn up.
    response = client.post(LIST, {"period_start": "2025-07-02", "period_end": "2025-09-30"})
    assert response.status_code == 400 and not ProgressReport.objects.exists()
    # A month without the month.
    response = client.post(LIST, {"kind": "month", "year": 2025})
    assert response.status_code == 400 and "Kies een maand." in response.content.decode()
    assert not ProgressReport.objects.exists()

    response = client.post(LIST, {"kind": "month", "year": 2025, "month": 7, "quarter": 4})
    report = ProgressReport.objects.get()
    assert response.status_code == 302 and response.url == reverse("reports:detail", args=[report.uuid])
    assert (report.period_start, report.period_end) == (datetime.date(2025, 7, 1), datetime.date(2025, 7, 31))
    assert report.title == "juli 2025" and "juli 2025" in client.get(response.url).content.decode()
    response = client.post(LIST, {"kind": "year", "year": 2025, "month": 3})
    report = ProgressReport.objects.get(period_start=datetime.date(2025, 1, 1))
    assert (report.period_end, report.title) == (datetime.date(2025, 12, 31), "2025")


def test_the_teamleider_reads_reports_but_does_not_draw_one_up(client, teamleider):
    report = make_report(datetime.date(2026, 1, 1))
    client.force_login(teamleider)
    page = client.get(LIST).content.decode()
    assert report.title in page and "Rapportage opstellen" not in page and OBSTACLES not in page
    for url in urls(report):
        assert client.get(url).status_code == 200
    response = client.post(LIST, {"kind": "quarter", "year": 2026, "quarter": 2})
    assert response.status_code == 403
    assert ProgressReport.objects.count() == 1
    assert client.get(OBSTACLES).status_code == 403


@pytest.mark.parametrize("persona", ["wijkcoach", "partner_user"])
def test_casework_and_partners_get_no_report_and_no_dashboard(client, request, persona):
    report = make_report(datetime.date(2026, 1, 1))
    client.force_login(request.getfixturevalue(persona))
    for url in [LIST, *urls(report), OBSTACLES]:
        assert client.get(url).status_code == 403, url
    response = client.get(DASHBOARD)
    assert response.status_code == 403 and "teamleider" in response.content.decode()
    assert client.post(LIST, {"kind": "quarter", "year": 2026, "quarter": 2}).status_code == 403


# --- CSV ------------------------------------------------------------------------------------------------


def test_csv_cells_that_could_be_a_formula_are_escaped(client, beleid):
    report = make_report(
        datetime.date(2026, 1, 1), label='=HYPERLINK("http://x.example","klik")', description="-2+3 wachtenden"
    )
    text = report_csv(report)
    cells = [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";") for cell in row]
    for dangerous in ('=HYPERLINK("http://x.example","klik")', "+Noord", "-Op tijd", "@Casussen naar status"):
        assert "'" + dangerous in cells
    assert "'-2+3 wachtenden" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert "<5" in cells and "12" in cells  # ordinary cells are left alone
    client.force_login(beleid)
    downloaded = client.get(reverse("reports:csv", args=[report.uuid])).content.decode("utf-8")
    assert downloaded == text


# --- Query budgets of the report list -------------------------------------------------------------------


def test_the_report_list_costs_the_same_queries_for_one_and_for_five_reports(
    client, beleid, team, django_assert_num_queries
):
    make_report(datetime.date(2025, 1, 1), by=beleid)
    client.force_login(beleid)
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200
    for month in range(2, 6):
        make_report(datetime.date(2025, month, 2), by=make_user(Role.BELEID, team))
    # Session, user, memberships (roles and menu), the inbox count of the header, the page count, the
    # page of reports with their authors (one join), the latest report, and saving the session.
    with django_assert_num_queries(len(one)):
        response = client.get(LIST)
    assert response.content.decode().count('href="/rapportages/') >= 5 * 3
    assert len(one) <= 12


# --- Obstacle descriptions ------------------------------------------------------------------------------


@pytest.fixture
def obstacle(wijkcoach, team):
    case = open_active_case(wijkcoach, team, coordinator=wijkcoach)
    workplan = plan_services.workplan_create(actor=wijkcoach, case=case)
    return plan_services.obstacle_raise(
        actor=wijkcoach,
        workplan=workplan,
        category=ObstacleCategory.WACHTLIJST,
        description="Wachtlijst beschermd wonen",
    )


def test_beleid_reviews_and_approves_obstacle_descriptions_and_it_is_logged(client, beleid, teamleider, obstacle):
    case_id = obstacle.workplan.case_id
    client.force_login(teamleider)
    response = client.get(OBSTACLES)
    assert response.status_code == 403 and "Wachtlijst beschermd wonen" not in response.content.decode()
    assert (
        client.post(reverse("reports:obstacle-publication", args=[obstacle.uuid]), {"approved": "1"}).status_code == 403
    )

    client.force_login(beleid)
    page = client.get(OBSTACLES).content.decode()
    assert "Wachtlijst beschermd wonen" in page and obstacle.workplan.case.number not in page
    assert AccessLogEntry.objects.filter(user=beleid, case_id=case_id, action=AccessAction.LIST).exists()

    response = client.post(
        reverse("reports:obstacle-publication", args=[obstacle.uuid]),
        {"approved": "1", "status": "open", "read": read_fingerprint(page)},
    )
    assert response.status_code == 302 and response.url == f"{OBSTACLES}?status=open"
    obstacle.refresh_from_db()
    assert obstacle.approved_for_publication is True
    assert AccessLogEntry.objects.filter(user=beleid, case_id=case_id, action=AccessAction.CHANGE).count() == 1
    assert "Wachtlijst beschermd wonen" in client.get(f"{OBSTACLES}?status=approved").content.decode()
    assert not Obstacle.objects.filter(approved_for_publication=False).exists()


def read_fingerprint(page: str) -> str:
    """The fingerprint of the masked text the review page showed, which the approval sends back."""
    match = re.search(r'name="read" value="([0-9a-f]+)"', page)
    assert match, "the review page sends the fingerprint of the text beleid read"
    return match.group(1)


# --- Team dashboard -------------------------------------------------------------------------------------


def dashboard_row(page: str, name: str) -> list[str]:
    """The numbers in a professional's row: caseload, coordinated, duties late, agreements late, out, in."""
    match = re.search(rf'<th scope="row">{re.escape(name)}</th>(.*?)</tr>', page, re.S)
    assert match, f"{name} is not on the dashboard"
    return re.findall(r">(\d+)<", match.group(1))


@pytest.fixture
def people(team, other_team):
    return {
        "wim": make_user(Role.WIJKCOACH, team, username="t_wim", first_name="Wim", last_name="Wijkmans"),
        "karin": make_user(Role.KLANTMANAGER, team, username="t_karin", first_name="Karin", last_name="Klaassen"),
        "otto": make_user(Role.WIJKCOACH, other_team, username="t_otto", first_name="Otto", last_name="Overkant"),
    }


def test_the_dashboard_shows_the_own_team_by_name_and_its_cases_without_coordinator(
    client, teamleider, team, other_team, people
):
    wim, karin, otto = people["wim"], people["karin"], people["otto"]
    coordinated = open_active_case(wim, team, family_name="Aalders", coordinator=wim)  # Wim: member twice
    orphan = open_active_case(wim, team, family_name="Bakker")  # active, nobody coordinates
    elsewhere = open_active_case(otto, other_team, family_name="Claes")  # other team, no coordinator either
    handovers.handover_create(actor=wim, case=coordinated, from_user=wim, to_user=karin)

    client.force_login(teamleider)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    page = response.content.decode()
    # Open cases (each once, though Wim is wijkcoach and coordinator of one), coordinated, duties late,
    # agreements late, handovers out, handovers in.
    assert dashboard_row(page, "Wim Wijkmans") == ["2", "1", "0", "0", "1", "0"]
    assert dashboard_row(page, "Karin Klaassen") == ["0", "0", "0", "0", "0", "1"]
    assert "Otto Overkant" not in page and elsewhere.number not in page
    assert orphan.number in page and reverse("cases:case-detail", args=[orphan.uuid]) in page
    assert AccessLogEntry.objects.filter(user=teamleider, case_id=orphan.pk, action=AccessAction.LIST).exists()


def test_the_dashboard_costs_the_same_queries_for_one_and_for_many_cases(
    client, teamleider, team, people, django_assert_num_queries
):
    wim, karin = people["wim"], people["karin"]
    case = open_active_case(wim, team, family_name="Aalders", coordinator=wim)
    handovers.handover_create(actor=wim, case=case, from_user=wim, to_user=karin)
    open_active_case(wim, team, family_name="Bakker")
    client.force_login(teamleider)
    with CaptureQueriesContext(connection) as one:
        assert client.get(DASHBOARD).status_code == 200
    extra = [make_user(Role.WERKCOACH, team, username=f"t_extra{n}") for n in range(3)]
    for n in range(8):
        case = open_active_case(extra[n % 3], team, family_name=f"Familie{n}", coordinator=None if n % 2 else wim)
        if n < 3:
            handovers.handover_create(actor=extra[n], case=case, from_user=extra[n], to_user=karin)
    # Session, user, memberships, the teams, the professionals with six counts (correlated subqueries),
    # the cases without coordinator, the policy filter over them, the pending handovers, the inbox
    # count of the header, the access-log insert, saving the session. None per case or person.
    with django_assert_num_queries(len(one)):
        response = client.get(DASHBOARD)
    assert all(escape(user.get_full_name()) in response.content.decode() for user in extra)
    assert len(one) <= 16


def test_a_teamleider_of_another_organisation_gets_no_dashboard_of_this_team(client, team):
    stranger = make_user(Role.TEAMLEIDER, TeamFactory(organisation=OrganisationFactory(), name="Elders"))
    client.force_login(stranger)
    assert client.get(f"{DASHBOARD}?team={team.uuid}").status_code == 404

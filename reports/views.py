"""Report pages: the archive, one report with charts, CSV and PDF; drawing up a report; approving obstacle
descriptions; and the teamleider's team dashboard. Every page asks ``access.policy`` first."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from access import gate, policy
from access.declarations import Scope, declare
from accounts.models import Team
from api_conventions.numbers import query_int
from workplans.models import Obstacle
from workplans.services import obstacle_set_publication

from . import services
from .dashboard import team_dashboard
from .export import report_csv
from .forms import GenerateReportForm, ObstaclePublicationForm
from .models import ProgressReport
from .periods import last_full_quarter
from .rendering import report_sections

REPORTS_ONLY = gettext_lazy("Rapportages zijn voor beleid en teamleiders.")
BELEID_ONLY = gettext_lazy("Alleen beleid keurt omschrijvingen goed.")
DASHBOARD_ONLY = gettext_lazy("Het teamdashboard is voor de teamleider.")
OBSTACLE_REVIEW_DAYS = 183
PAGE_SIZE = 25


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _reports_only(request: HttpRequest) -> None:
    _require(policy.may_view_reports(request.user), _("Rapportages zijn voor beleid en teamleiders."))
    gate.office.report_read(request)


def _filename(report: ProgressReport, extension: str) -> str:
    return f"voortgangsrapportage-{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}.{extension}"


@declare(Scope.REPORT, allowed=policy.may_view_reports, message=REPORTS_ONLY)
@require_http_methods(["GET", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    _reports_only(request)
    may_generate = policy.may_generate_reports(request.user)
    today = timezone.localdate()
    start, end = last_full_quarter(today)
    form = GenerateReportForm(initial={"period_start": start, "period_end": end})
    if request.method == "POST":
        _require(may_generate, _("Alleen beleid stelt een rapportage op."))
        form = GenerateReportForm(request.POST)
        if form.is_valid():
            try:
                report = services.report_generate(
                    start=form.cleaned_data["period_start"],
                    end=form.cleaned_data["period_end"],
                    actor=request.user,
                    today=today,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("De rapportage is opgesteld."))
                return redirect("reports:detail", uuid=report.uuid)
    reports = ProgressReport.objects.defer("figures", "pdf").select_related("generated_by")
    page = Paginator(reports, PAGE_SIZE).get_page(query_int(request.GET, "pagina", default=1))
    return render(
        request,
        "reports/report_list.html",
        {
            "page": page,
            "form": form,
            "may_generate": may_generate,
            # The newest report whatever page of the archive is shown.
            "latest": ProgressReport.objects.only("uuid", "period_start", "period_end")[:1],
        },
        status=400 if form.errors else 200,
    )


@declare(Scope.REPORT, allowed=policy.may_view_reports, message=REPORTS_ONLY)
def report_detail(request: HttpRequest, uuid) -> HttpResponse:
    _reports_only(request)
    report = get_object_or_404(ProgressReport.objects.defer("pdf"), uuid=uuid)
    return render(
        request,
        "reports/report_detail.html",
        {"report": report, "figures": report.figures, "sections": report_sections(report.figures)},
    )


@declare(Scope.REPORT, allowed=policy.may_view_reports, message=REPORTS_ONLY)
def report_pdf(request: HttpRequest, uuid) -> HttpResponse:
    _reports_only(request)
    report = get_object_or_404(ProgressReport, uuid=uuid)
    response = HttpResponse(bytes(report.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "pdf")}"'
    return response


@declare(Scope.REPORT, allowed=policy.may_view_reports, message=REPORTS_ONLY)
def report_csv_download(request: HttpRequest, uuid) -> HttpResponse:
    _reports_only(request)
    report = get_object_or_404(ProgressReport.objects.defer("pdf"), uuid=uuid)
    response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "csv")}"'
    return response


# --- Obstacle descriptions for publication --------------------------------------------------------------


@declare(Scope.REPORT, allowed=policy.may_review_obstacles, message=BELEID_ONLY)
def obstacle_review(request: HttpRequest) -> HttpResponse:
    """Recent obstacle descriptions, without their case, for beleid to approve for the report.

    A description is free text typed in a workplan and may name a person; beleid approves only what names
    nobody. Reading them is logged against the case each came from.
    """
    _require(policy.may_review_obstacles(request.user), _("Alleen beleid keurt omschrijvingen goed."))
    since = timezone.localdate() - datetime.timedelta(days=OBSTACLE_REVIEW_DAYS)
    status = request.GET.get("status", "open")
    obstacles = gate.office.obstacles_for_review(
        request, Obstacle.objects.filter(raised_on__gte=since).select_related("workplan").order_by("-raised_on", "-id")
    )
    if status == "open":
        obstacles = obstacles.filter(approved_for_publication=False)
    elif status == "approved":
        obstacles = obstacles.filter(approved_for_publication=True)
    page = Paginator(
        obstacles.only(
            "uuid",
            "category",
            "description",
            "party",
            "raised_on",
            "resolved_on",
            "approved_for_publication",
            "workplan__case_id",
        ),
        PAGE_SIZE,
    ).get_page(query_int(request.GET, "pagina", default=1))
    return render(request, "reports/obstacle_review.html", {"page": page, "status": status})


@declare(Scope.REPORT, allowed=policy.may_review_obstacles, message=BELEID_ONLY)
@require_POST
def obstacle_publication(request: HttpRequest, uuid) -> HttpResponse:
    _require(policy.may_review_obstacles(request.user), _("Alleen beleid keurt omschrijvingen goed."))
    obstacle = gate.office.obstacle_for_review(request, Obstacle.objects.all(), uuid)
    form = ObstaclePublicationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies goedkeuren of intrekken."))
        return redirect("reports:obstacles")
    approved = form.cleaned_data["approved"]
    obstacle_set_publication(actor=request.user, obstacle=obstacle, approved=approved)
    messages.success(
        request,
        _("De omschrijving mag in de rapportage.")
        if approved
        else _("De omschrijving komt niet meer in de rapportage."),
    )
    status = request.POST.get("status") if request.POST.get("status") in ("open", "approved", "all") else "open"
    return redirect(f"{reverse('reports:obstacles')}?status={status}")


# --- Team dashboard ---------------------------------------------------------------------------------------------


@declare(Scope.CASE, allowed=policy.may_view_dashboard, message=DASHBOARD_ONLY)
def dashboard(request: HttpRequest) -> HttpResponse:
    team_ids = policy.dashboard_team_ids(request.user)
    _require(bool(team_ids), _("Het teamdashboard is voor de teamleider."))
    teams = list(Team.objects.filter(pk__in=team_ids).order_by("name"))
    chosen = request.GET.get("team")
    team = next((t for t in teams if str(t.uuid) == chosen), None) if chosen else teams[0]
    if team is None:
        raise Http404
    data = team_dashboard(request, team, today=timezone.localdate())
    return render(request, "reports/dashboard.html", {"data": data, "teams": teams, "team": team})

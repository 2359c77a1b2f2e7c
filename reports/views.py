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

from . import services
from .constants import PeriodKind
from .dashboard import team_dashboard
from .export import report_csv
from .forms import GenerateReportForm, ObstaclePublicationForm
from .masking import fingerprint
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
    start, _end = last_full_quarter(today)
    form = GenerateReportForm(
        initial={"kind": PeriodKind.QUARTER, "year": start.year, "quarter": (start.month + 2) // 3}
    )
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
                # The service names its own fields (period_start, period_end), which this form does not have.
                form.add_error(None, ValidationError(error.messages))
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

    A description is free text typed in a workplan and may name a person, so beleid reads it only masked
    (``reports.masking``: the names, BSN, address, postcode, phone, e-mail and date of birth of the case's
    people replaced), or the masked text it approved; never the description itself. Beleid approves only what
    names nobody. Reading them is logged against the case each came from.
    """
    _require(policy.may_review_obstacles(request.user), _("Alleen beleid keurt omschrijvingen goed."))
    since = timezone.localdate() - datetime.timedelta(days=OBSTACLE_REVIEW_DAYS)
    status = request.GET.get("status", "open")
    obstacles = gate.office.obstacles_for_review(request, since=since)
    if status == "open":
        obstacles = obstacles.filter(approved_for_publication=False)
    elif status == "approved":
        obstacles = obstacles.filter(approved_for_publication=True)
    page = Paginator(
        obstacles.only(
            "uuid",
            "category",
            "description",
            "published_description",
            "raised_on",
            "resolved_on",
            "approved_for_publication",
            "raised_by",
            "workplan__case_id",
        ),
        PAGE_SIZE,
    ).get_page(query_int(request.GET, "pagina", default=1))
    texts = services.obstacle_texts_for_review(page)
    rows = [{"obstacle": o, "text": texts[o.pk], "read": fingerprint(texts[o.pk])} for o in page]
    return render(request, "reports/obstacle_review.html", {"page": page, "rows": rows, "status": status})


@declare(Scope.REPORT, allowed=policy.may_review_obstacles, message=BELEID_ONLY)
@require_POST
def obstacle_publication(request: HttpRequest, uuid) -> HttpResponse:
    _require(policy.may_review_obstacles(request.user), _("Alleen beleid keurt omschrijvingen goed."))
    obstacle = gate.office.obstacle_for_review(request, uuid)
    form = ObstaclePublicationForm(request.POST)
    status = request.POST.get("status") if request.POST.get("status") in ("open", "approved", "all") else "open"
    back = f"{reverse('reports:obstacles')}?status={status}"
    if not form.is_valid():
        messages.error(request, _("Kies goedkeuren of intrekken."))
        return redirect(back)
    approved = form.cleaned_data["approved"]
    try:
        services.obstacle_publication(
            actor=request.user, obstacle=obstacle, approved=approved, read=form.cleaned_data["read"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    messages.success(
        request,
        _("De omschrijving zonder namen en gegevens mag in de rapportage.")
        if approved
        else _("De omschrijving komt niet meer in de rapportage."),
    )
    return redirect(back)


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

"""The privacy pages of the functionaris gegevensbescherming (FG), mounted at ``/privacy/``.

Access log search, break-the-glass reviews, the consent and disclosure
registers, the denied-access report, subject access (inzage) with correction
requests, and legal holds. Every page is for role ``fg`` only (403 otherwise).

Searches by BSN are posted, never put in a URL, and are themselves written to
the access log. Lists are paginated and fetch their relations in the page
query, so their query count does not grow with the rows shown.

What the FG reads of a person comes from ``access.gate.office``, which logs it.
"""

from __future__ import annotations

import datetime
import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Max, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from access import gate, policy
from access.declarations import Scope, declare
from access.gate import office
from accounts.selectors import role_changes as role_changes_in
from api_conventions.numbers import query_int

from . import services, subject_access
from .forms import (
    AccessLogSearchForm,
    BreakGlassReviewForm,
    ConsentRegisterFilterForm,
    CorrectionHandleForm,
    CorrectionRequestForm,
    DisclosureFilterForm,
    LegalHoldForm,
    PeriodForm,
    SubjectAccessSearchForm,
    add_validation_error,
)

PAGE_SIZE = 50
DENIED_REPORT_DAYS = 30


fg_required = declare(
    Scope.PRIVACY,
    allowed=policy.is_privacy_officer,
    message=gettext_lazy("Deze pagina is alleen voor de functionaris gegevensbescherming."),
)


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("pagina", None)
    return params.urlencode()


# --- Overview -----------------------------------------------------------------------


@fg_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "consent/index.html", office.privacy_counts(request))


# --- Access log ---------------------------------------------------------------------


def _filter_access_log(request: HttpRequest, entries: QuerySet, form: AccessLogSearchForm) -> QuerySet:
    data = form.cleaned_data
    if data["client"]:
        value = data["client"]
        # Looking someone up in the log is itself a search for personal data (the gate logs it).
        client_ids = office.clients_searched_in_log(
            request, bsn=value if form.client_is_bsn() else "", name="" if form.client_is_bsn() else value
        )
        cases = office.cases_of_clients(client_ids)
        entries = entries.filter(Q(client_id__in=client_ids) | Q(case_id__in=cases.values("pk")))
    if data["user"]:
        for word in data["user"].split():
            entries = entries.filter(
                Q(user__username__icontains=word)
                | Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
            )
    start, end = form.period()
    if start:
        entries = entries.filter(at__gte=start)
    if end:
        entries = entries.filter(at__lt=end)
    if data["action"]:
        entries = entries.filter(action=data["action"])
    return entries


@fg_required
@require_http_methods(["GET", "POST"])
def access_log_search(request: HttpRequest) -> HttpResponse:
    """Who read, searched, exported or changed what. Posted searches (a BSN never goes in a URL).

    Cost: a count and one page query (user, organisation, case and client joined), plus one
    query to resolve a client criterion; the same for 1 or 50 rows.
    """
    entries = office.access_log_entries(request)
    status = 200
    page_number = 1
    if request.method == "POST":
        form = AccessLogSearchForm(request.POST)
        if form.is_valid():
            entries = _filter_access_log(request, entries, form)
            page_number = form.cleaned_data["page"] or 1
        else:
            entries = entries.none()
            status = 400
    else:
        form = AccessLogSearchForm()
    page = Paginator(entries, PAGE_SIZE).get_page(page_number)
    return render(request, "consent/access_log.html", {"form": form, "page": page}, status=status)


# --- Break-the-glass ------------------------------------------------------------------


@fg_required
def break_glass_list(request: HttpRequest) -> HttpResponse:
    grants = office.break_glass_grants(request)
    context = {
        "pending": list(grants.filter(reviewed_at__isnull=True).order_by("granted_at")),
        "reviewed": list(grants.filter(reviewed_at__isnull=False).order_by("-reviewed_at")[:PAGE_SIZE]),
        "now": timezone.now(),
    }
    return render(request, "consent/break_glass_list.html", context)


@fg_required
@require_http_methods(["GET", "POST"])
def break_glass_review(request: HttpRequest, uuid) -> HttpResponse:
    grant = office.break_glass_grant(request, uuid)
    form = BreakGlassReviewForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.break_glass_review(
                    reviewer=request.user,
                    grant=grant,
                    verdict=form.cleaned_data["verdict"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                messages.success(request, _("Uw oordeel over de doorbraak is vastgelegd."))
                return redirect("consent:break-glass-list")
        status = 400
    # What the user did with the grant: their log entries on this case during it.
    used = office.grant_use(request, grant)
    context = {
        "grant": grant,
        "form": form,
        "used": list(used),
        "may_review": grant.reviewed_at is None and grant.user_id != request.user.pk,
        "active": grant.is_active(),
    }
    return render(request, "consent/break_glass_review.html", context, status=status)


def _may_end_break_glass(user) -> bool:
    return policy.is_privacy_officer(user) or policy.may_break_glass(user)


@declare(Scope.PRIVACY, allowed=_may_end_break_glass)
@require_POST
def break_glass_end(request: HttpRequest, uuid) -> HttpResponse:
    """End a break-the-glass grant at once: the FG (for example after finding it unjustified) or its holder."""
    is_fg = policy.is_privacy_officer(request.user)
    grant = office.break_glass_grant(request, uuid) if is_fg else office.own_grant(request, uuid)
    try:
        services.break_glass_end(actor=request.user, grant=grant)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De doorbraak is beëindigd: de tijdelijke toegang geldt niet meer."))
    if is_fg:
        return redirect("consent:break-glass-review", uuid=grant.uuid)
    return redirect("werkvoorraad")


# --- Registers --------------------------------------------------------------------------


def _filter_consents(consents: QuerySet, status: str) -> QuerySet:
    now = timezone.now()
    if status == "geldig":
        return consents.valid(now)
    if status == "ingetrokken":
        return consents.filter(withdrawn_at__lte=now)
    if status == "verlopen":
        return consents.filter(Q(expires_at__lte=now), Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=now))
    return consents


@fg_required
def consent_register(request: HttpRequest) -> HttpResponse:
    """All consents, filtered by purpose and status. Cost: a count and one page query."""
    form = ConsentRegisterFilterForm(request.GET or None)
    consents = office.consent_register(request)
    status = 200
    if form.is_bound:
        if form.is_valid():
            if form.cleaned_data["purpose"]:
                consents = consents.filter(purpose=form.cleaned_data["purpose"])
            consents = _filter_consents(consents, form.cleaned_data["status"])
        else:
            consents = consents.none()
            status = 400
    page = Paginator(consents, PAGE_SIZE).get_page(query_int(request.GET, "pagina", default=1))
    now = timezone.now()
    rows = [(consent, consent.status(now)) for consent in page]
    context = {"form": form, "page": page, "rows": rows, "query": _query_without_page(request)}
    return render(request, "consent/consent_register.html", context, status=status)


@fg_required
def disclosure_register(request: HttpRequest) -> HttpResponse:
    """Data that left the team: filter by organisation, channel and period. Cost: a count and one page query."""
    form = DisclosureFilterForm(request.GET or None)
    disclosures = office.disclosure_register(request)
    status = 200
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            if data["organisation"]:
                disclosures = disclosures.filter(recipient_organisation=data["organisation"])
            if data["channel"]:
                disclosures = disclosures.filter(channel=data["channel"])
            start, end = form.period()
            if start:
                disclosures = disclosures.filter(at__gte=start)
            if end:
                disclosures = disclosures.filter(at__lt=end)
        else:
            disclosures = disclosures.none()
            status = 400
    page = Paginator(disclosures, PAGE_SIZE).get_page(query_int(request.GET, "pagina", default=1))
    context = {"form": form, "page": page, "query": _query_without_page(request)}
    return render(request, "consent/disclosure_register.html", context, status=status)


# --- Denied access ------------------------------------------------------------------------


@fg_required
def denied_report(request: HttpRequest) -> HttpResponse:
    """Refused access per user (counts, last refusal) and the latest refusals. Three queries."""
    today = timezone.localdate()
    form = PeriodForm(
        request.GET or {"date_from": today - datetime.timedelta(days=DENIED_REPORT_DAYS), "date_to": today}
    )
    status = 200
    denied = office.denied_entries(request)
    if form.is_valid():
        start, end = form.period()
        if start:
            denied = denied.filter(at__gte=start)
        if end:
            denied = denied.filter(at__lt=end)
    else:
        denied = denied.none()
        status = 400
    per_user = list(
        denied.order_by()
        .values("user_id")
        .annotate(count=Count("id"), latest=Max("at"))
        .order_by("-count", "-latest")[:100]
    )
    users = office.users_by_id(row["user_id"] for row in per_user)
    rows = [{"user": users.get(row["user_id"]), "count": row["count"], "latest": row["latest"]} for row in per_user]
    latest = list(denied.select_related("user__organisation", "case", "client").order_by("-at", "-id")[:PAGE_SIZE])
    context = {"form": form, "rows": rows, "latest": latest}
    return render(request, "consent/denied_report.html", context, status=status)


# --- Subject access (inzage) and corrections ------------------------------------------------


@fg_required
@require_http_methods(["GET", "POST"])
def subject_access_search(request: HttpRequest) -> HttpResponse:
    """Find the client by BSN (posted, so the BSN stays out of URLs); the search is logged."""
    form = SubjectAccessSearchForm(request.POST if request.method == "POST" else None)
    gate.consulted(request, gate.PRIVACY)  # the empty search form names nobody
    status = 200
    not_found = False
    if request.method == "POST":
        if form.is_valid():
            client = office.subject_by_bsn(request, form.cleaned_data["bsn"])
            if client is not None:
                return redirect("consent:subject-access-client", uuid=client.uuid)
            not_found = True
        else:
            status = 400
    return render(request, "consent/subject_access.html", {"form": form, "not_found": not_found}, status=status)


def _counts(data: dict) -> list[tuple[str, int]]:
    """(what, how many records) per part of the export, for the overview before downloading."""
    labels = data.get("labels", {})
    counts = [(labels.get(label, {}).get("name", label), len(rows)) for label, rows in data.get("records", {}).items()]
    counts += [
        (_("Doelen"), len(data.get("purposes", []))),
        (_("Toestemmingen"), len(data.get("consents", []))),
        (_("Verstrekkingen"), len(data.get("disclosures", []))),
        (_("Regels in het toegangslog"), len(data.get("accessLog", []))),
        (_("Correctieverzoeken"), len(data.get("correctionRequests", []))),
    ]
    return counts


def _render_subject_access(request, client, *, record_form=None, handle_forms=None, status=200) -> HttpResponse:
    data = subject_access.build(client, for_organisation=request.user.organisation)
    corrections = office.corrections_of(request, client)
    handle_forms = handle_forms or {}
    rows = [
        (
            correction,
            handle_forms.get(correction.pk)
            or (CorrectionHandleForm(prefix=f"c-{correction.uuid.hex}") if correction.status == "open" else None),
        )
        for correction in corrections
    ]
    context = {
        "client": client,
        "counts": _counts(data),
        "corrections": rows,
        "record_form": record_form or CorrectionRequestForm(),
    }
    return render(request, "consent/subject_access_client.html", context, status=status)


@fg_required
def subject_access_client(request: HttpRequest, uuid) -> HttpResponse:
    return _render_subject_access(request, office.subject(request, uuid, detail="inzage: overzicht"))


def _export(request: HttpRequest, client, *, kind: str, content: bytes, content_type: str) -> HttpResponse:
    office.subject_export(request, client, kind=kind)
    response = HttpResponse(content, content_type=content_type)
    # No name or BSN in the file name: downloads end up in shared folders and browser histories.
    response["Content-Disposition"] = f'attachment; filename="inzage-{timezone.localdate():%Y-%m-%d}.{kind}"'
    response["Cache-Control"] = "no-store"
    return response


@fg_required
@require_POST
def subject_access_json(request: HttpRequest, uuid) -> HttpResponse:
    client = office.subject(request, uuid)
    data = subject_access.build(client, for_organisation=request.user.organisation)
    content = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()
    return _export(request, client, kind="json", content=content, content_type="application/json")


@fg_required
@require_POST
def subject_access_pdf(request: HttpRequest, uuid) -> HttpResponse:
    client = office.subject(request, uuid)
    content = subject_access.render_pdf(
        client, data=subject_access.build(client, for_organisation=request.user.organisation)
    )
    return _export(request, client, kind="pdf", content=content, content_type="application/pdf")


@fg_required
@require_POST
def correction_record(request: HttpRequest, uuid) -> HttpResponse:
    client = office.subject(request, uuid)
    form = CorrectionRequestForm(request.POST)
    if form.is_valid():
        try:
            services.correction_request_record(
                actor=request.user,
                client=client,
                request_text=form.cleaned_data["request_text"],
                received_on=form.cleaned_data["received_on"],
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Het correctieverzoek is vastgelegd."))
            return redirect("consent:subject-access-client", uuid=client.uuid)
    return _render_subject_access(request, client, record_form=form, status=400)


@fg_required
@require_POST
def correction_handle(request: HttpRequest, uuid) -> HttpResponse:
    correction = office.correction(request, uuid)
    form = CorrectionHandleForm(request.POST, prefix=f"c-{correction.uuid.hex}")
    if form.is_valid():
        try:
            services.correction_request_handle(
                actor=request.user,
                correction=correction,
                status=form.cleaned_data["status"],
                resolution=form.cleaned_data["resolution"],
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("Het correctieverzoek is afgehandeld."))
            return redirect("consent:subject-access-client", uuid=correction.client.uuid)
    return _render_subject_access(request, correction.client, handle_forms={correction.pk: form}, status=400)


# --- Legal holds ------------------------------------------------------------------------------


def _render_legal_holds(request, form, status=200) -> HttpResponse:
    return render(
        request, "consent/legal_holds.html", {"form": form, "holds": office.legal_holds(request)}, status=status
    )


@fg_required
@require_http_methods(["GET", "POST"])
def legal_holds(request: HttpRequest) -> HttpResponse:
    """Place a legal hold by case number; the list shows active holds first."""
    if request.method == "GET":
        return _render_legal_holds(request, LegalHoldForm())
    form = LegalHoldForm(request.POST)
    if form.is_valid():
        case = office.case_by_number(request, form.cleaned_data["case_number"])
        if case is None:
            form.add_error("case_number", _("Er is geen casus met dit nummer."))
        else:
            try:
                services.legal_hold_place(actor=request.user, case=case, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                messages.success(
                    request, _("Casus %(number)s valt nu onder een juridische bewaarplicht.") % {"number": case.number}
                )
                return redirect("consent:legal-holds")
    return _render_legal_holds(request, form, status=400)


@fg_required
@require_POST
def legal_hold_lift(request: HttpRequest, uuid) -> HttpResponse:
    hold = office.legal_hold(request, uuid)
    try:
        services.legal_hold_lift(actor=request.user, hold=hold)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De bewaarplicht is opgeheven."))
    return redirect("consent:legal-holds")


# --- Role changes (separation of duties) --------------------------------------------------------

ROLE_CHANGES_DAYS = 90


@declare(
    Scope.ROLE,
    allowed=policy.is_privacy_officer,
    message=gettext_lazy("Deze pagina is alleen voor de functionaris gegevensbescherming."),
)
def role_changes(request: HttpRequest) -> HttpResponse:
    """Rolwijzigingen: every role request and its decision, roles granted without a request, and roles
    ended, in a period (default the last 90 days). Cost: three queries (``accounts.selectors.role_changes``)."""
    today = timezone.localdate()
    form = PeriodForm(
        request.GET or {"date_from": today - datetime.timedelta(days=ROLE_CHANGES_DAYS), "date_to": today}
    )
    status = 200
    changes = None
    if form.is_valid():
        start, end = form.period()
        changes = role_changes_in(start=start, end=end)
    else:
        status = 400
    return render(request, "consent/role_changes.html", {"form": form, "changes": changes}, status=status)

"""The privacy pages of the functionaris gegevensbescherming (FG), mounted at ``/privacy/``.

Access log search, break-the-glass reviews, the consent and disclosure
registers, the denied-access report, subject access (inzage) with correction
requests, and legal holds. Every page is for role ``fg`` only (403 otherwise).

Searches by BSN are posted, never put in a URL, and are themselves written to
the access log. Lists are paginated and fetch their relations in the page
query, so their query count does not grow with the rows shown.

This module does not import ``cases`` (layers): cases and clients are reached
through ``apps.get_model`` and the log's foreign keys.
"""

from __future__ import annotations

import datetime
import functools
import json

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.constants import Role
from accounts.models import User
from accounts.selectors import user_has_role
from api_conventions.numbers import query_int

from . import access_log, services, subject_access
from .constants import AccessAction
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
from .models import AccessLogEntry, BreakGlassGrant, Consent, CorrectionRequest, Disclosure, LegalHold

PAGE_SIZE = 50
DENIED_REPORT_DAYS = 30


def _client_model():
    return apps.get_model("cases", "Client")


def _case_model():
    return apps.get_model("cases", "Case")


def fg_required(view):
    """Only the functionaris gegevensbescherming: 403 with a clear message for everyone else."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not user_has_role(request.user, Role.FG):
            raise PermissionDenied(_("Deze pagina is alleen voor de functionaris gegevensbescherming."))
        return view(request, *args, **kwargs)

    return wrapper


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("pagina", None)
    return params.urlencode()


# --- Overview -----------------------------------------------------------------------


@fg_required
def index(request: HttpRequest) -> HttpResponse:
    context = {
        "pending_reviews": BreakGlassGrant.objects.filter(reviewed_at__isnull=True).count(),
        "open_corrections": CorrectionRequest.objects.filter(status=CorrectionRequest.Status.OPEN).count(),
        "active_holds": LegalHold.objects.filter(lifted_at__isnull=True).count(),
    }
    return render(request, "consent/index.html", context)


# --- Access log ---------------------------------------------------------------------


def _matching_client_ids(form: AccessLogSearchForm) -> list[int]:
    value = form.cleaned_data["client"]
    clients = _client_model().objects.all()
    if form.client_is_bsn():
        clients = clients.filter(bsn=value)
    else:
        for word in value.split():
            clients = clients.filter(Q(family_name__icontains=word) | Q(given_names__icontains=word))
    return list(clients.values_list("pk", flat=True)[:200])


def _filter_access_log(request: HttpRequest, entries: QuerySet, form: AccessLogSearchForm) -> QuerySet:
    data = form.cleaned_data
    if data["client"]:
        client_ids = _matching_client_ids(form)
        # Looking someone up in the log is itself a search for personal data.
        access_log.record(
            request,
            AccessAction.SEARCH,
            clients=client_ids,
            detail="toegangslog: bsn" if form.client_is_bsn() else "toegangslog: naam",
        )
        # Most case pages log the case only: "who looked at X" includes the cases of X and of X's household.
        cases = _case_model().objects.filter(
            Q(client_id__in=client_ids) | Q(household__memberships__client_id__in=client_ids)
        )
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
    entries = AccessLogEntry.objects.select_related("user__organisation", "case", "client").order_by("-at", "-id")
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
    grants = BreakGlassGrant.objects.select_related("user__organisation", "case", "reviewed_by")
    context = {
        "pending": list(grants.filter(reviewed_at__isnull=True).order_by("granted_at")),
        "reviewed": list(grants.filter(reviewed_at__isnull=False).order_by("-reviewed_at")[:PAGE_SIZE]),
        "now": timezone.now(),
    }
    return render(request, "consent/break_glass_list.html", context)


@fg_required
@require_http_methods(["GET", "POST"])
def break_glass_review(request: HttpRequest, uuid) -> HttpResponse:
    grant = get_object_or_404(
        BreakGlassGrant.objects.select_related("user__organisation", "case", "reviewed_by"), uuid=uuid
    )
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
    used = (
        AccessLogEntry.objects.filter(
            user_id=grant.user_id, case_id=grant.case_id, at__gte=grant.granted_at, at__lte=grant.expires_at
        )
        .select_related("client")
        .order_by("at", "id")[:200]
    )
    context = {
        "grant": grant,
        "form": form,
        "used": list(used),
        "may_review": grant.reviewed_at is None and grant.user_id != request.user.pk,
    }
    return render(request, "consent/break_glass_review.html", context, status=status)


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
    consents = Consent.objects.select_related(
        "client", "purpose", "recipient_organisation", "recorded_by", "withdrawn_recorded_by"
    ).order_by("-given_at", "-id")
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
    access_log.record(request, AccessAction.LIST, clients=[c.client_id for c in page], detail="toestemmingenregister")
    context = {"form": form, "page": page, "rows": rows, "query": _query_without_page(request)}
    return render(request, "consent/consent_register.html", context, status=status)


@fg_required
def disclosure_register(request: HttpRequest) -> HttpResponse:
    """Data that left the team: filter by organisation, channel and period. Cost: a count and one page query."""
    form = DisclosureFilterForm(request.GET or None)
    disclosures = Disclosure.objects.select_related(
        "case", "client", "recipient_organisation", "recipient_user", "purpose", "disclosed_by"
    ).order_by("-at", "-id")
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
    access_log.record(
        request, AccessAction.LIST, clients=[d.client_id for d in page if d.client_id], detail="verstrekkingenregister"
    )
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
    denied = AccessLogEntry.objects.filter(action=AccessAction.DENIED)
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
    users = User.objects.select_related("organisation").in_bulk([row["user_id"] for row in per_user if row["user_id"]])
    rows = [{"user": users.get(row["user_id"]), "count": row["count"], "latest": row["latest"]} for row in per_user]
    latest = list(denied.select_related("user__organisation", "case", "client").order_by("-at", "-id")[:PAGE_SIZE])
    context = {"form": form, "rows": rows, "latest": latest}
    return render(request, "consent/denied_report.html", context, status=status)


# --- Subject access (inzage) and corrections ------------------------------------------------


def _client_or_404(uuid):
    client = _client_model().objects.filter(uuid=uuid).first()
    if client is None:
        raise Http404(_("Niet gevonden."))
    return client


@fg_required
@require_http_methods(["GET", "POST"])
def subject_access_search(request: HttpRequest) -> HttpResponse:
    """Find the client by BSN (posted, so the BSN stays out of URLs); the search is logged."""
    form = SubjectAccessSearchForm(request.POST if request.method == "POST" else None)
    status = 200
    not_found = False
    if request.method == "POST":
        if form.is_valid():
            client = _client_model().objects.filter(bsn=form.cleaned_data["bsn"]).first()
            access_log.record(request, AccessAction.SEARCH, client=client, detail="inzage: bsn")
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
    corrections = list(
        CorrectionRequest.objects.filter(client=client)
        .select_related("recorded_by", "handled_by")
        .order_by("-received_on", "-id")
    )
    handle_forms = handle_forms or {}
    rows = [
        (
            correction,
            handle_forms.get(correction.pk)
            or (CorrectionHandleForm(prefix=f"c-{correction.uuid.hex}") if correction.status == "open" else None),
        )
        for correction in corrections
    ]
    access_log.record(request, AccessAction.VIEW, client=client, detail="inzage: overzicht")
    context = {
        "client": client,
        "counts": _counts(data),
        "corrections": rows,
        "record_form": record_form or CorrectionRequestForm(),
    }
    return render(request, "consent/subject_access_client.html", context, status=status)


@fg_required
def subject_access_client(request: HttpRequest, uuid) -> HttpResponse:
    return _render_subject_access(request, _client_or_404(uuid))


def _export(request: HttpRequest, client, *, kind: str, content: bytes, content_type: str) -> HttpResponse:
    access_log.record(request, AccessAction.EXPORT, client=client, detail=f"inzage: {kind}")
    route = f"{request.method} {request.resolver_match.view_name if request.resolver_match else request.path}"
    services.subject_access_disclosure_record(actor=request.user, client=client, route=route)
    response = HttpResponse(content, content_type=content_type)
    # No name or BSN in the file name: downloads end up in shared folders and browser histories.
    response["Content-Disposition"] = f'attachment; filename="inzage-{timezone.localdate():%Y-%m-%d}.{kind}"'
    response["Cache-Control"] = "no-store"
    return response


@fg_required
@require_POST
def subject_access_json(request: HttpRequest, uuid) -> HttpResponse:
    client = _client_or_404(uuid)
    data = subject_access.build(client, for_organisation=request.user.organisation)
    content = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()
    return _export(request, client, kind="json", content=content, content_type="application/json")


@fg_required
@require_POST
def subject_access_pdf(request: HttpRequest, uuid) -> HttpResponse:
    client = _client_or_404(uuid)
    content = subject_access.render_pdf(
        client, data=subject_access.build(client, for_organisation=request.user.organisation)
    )
    return _export(request, client, kind="pdf", content=content, content_type="application/pdf")


@fg_required
@require_POST
def correction_record(request: HttpRequest, uuid) -> HttpResponse:
    client = _client_or_404(uuid)
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
    correction = get_object_or_404(CorrectionRequest.objects.select_related("client"), uuid=uuid)
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
    holds = LegalHold.objects.select_related("case", "placed_by", "lifted_by").order_by("lifted_at", "-placed_at")[:200]
    return render(request, "consent/legal_holds.html", {"form": form, "holds": list(holds)}, status=status)


@fg_required
@require_http_methods(["GET", "POST"])
def legal_holds(request: HttpRequest) -> HttpResponse:
    """Place a legal hold by case number; the list shows active holds first."""
    if request.method == "GET":
        return _render_legal_holds(request, LegalHoldForm())
    form = LegalHoldForm(request.POST)
    if form.is_valid():
        case = _case_model().objects.filter(number=form.cleaned_data["case_number"].strip()).first()
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
    hold = get_object_or_404(LegalHold, uuid=uuid)
    try:
        services.legal_hold_lift(actor=request.user, hold=hold)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De bewaarplicht is opgeheven."))
    return redirect("consent:legal-holds")

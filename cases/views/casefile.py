"""The case page and its tabs: overview, life domains (ZRM), contacts, case team, log.

Every view starts with the access layer (``access.gate.case_for_user``), which asks
``access.policy`` and writes the access log; then form -> service -> redirect.
HTMX requests get the partial that the full page also includes.
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from access import gate, policy
from access.declarations import Scope, declare
from accounts.constants import CASEWORK_ROLES
from accounts.models import User
from consent.constants import DataCategory
from consent.models import Purpose

from .. import services, workflow
from ..constants import CaseRole, CaseStatus
from ..forms.casefile import AssessmentForm, CaseDetailsForm, ContactForm, CoordinatorForm, MemberForm, TransitionForm
from ..forms.clients import add_validation_error as _add_errors
from ..models import ApprovalRequest, Case
from ..selectors import case_clients, household_composition, zrm_overview
from ..zrm_chart import history_chart

TABS = [
    ("cases:case-detail", "overview"),
    ("workplans:plan", "workplan"),
    ("cases:case-zrm", "zrm"),
    ("cases:case-contacts", "contacts"),
    ("cases:case-team", "team"),
    ("cases:case-consents", "consents"),
    ("cases:case-handover", "handover"),
    ("cases:case-log", "log"),
]
TAB_LABELS = {
    "overview": gettext_lazy("Overzicht"),
    "workplan": gettext_lazy("Werkplan"),
    "zrm": gettext_lazy("Leefgebieden (ZRM)"),
    "contacts": gettext_lazy("Contactmomenten"),
    "team": gettext_lazy("Casusteam"),
    "consents": gettext_lazy("Toestemming en delen"),
    "handover": gettext_lazy("Overdracht"),
    "log": gettext_lazy("Logboek"),
}


# The tabs a partner may open, with the data categories each needs (the views say the same).
PARTNER_TABS = {"overview": (), "zrm": (), "contacts": (DataCategory.NOTITIES,), "team": ()}


def case_tabs(case: Case, current: str) -> list[dict]:
    access = getattr(case, "access", None)
    return [
        {"url": reverse(name, args=[case.uuid]), "label": TAB_LABELS[key], "current": key == current}
        for name, key in TABS
        if access is None
        or not access.restricted
        or (key in PARTNER_TABS and policy.sees_all(access, PARTNER_TABS[key]))
    ]


def case_context(request: HttpRequest, case: Case, current: str, **extra) -> dict:
    """What the case layout (header, banners, tabs) needs; other apps' case tabs use it too.

    ``see`` says per data category whether the user may see it: templates leave out what a
    partner's purpose does not cover (server-side; nothing is sent to be hidden in the browser).
    """
    access = case.access
    purpose = None
    if access.restricted and access.purpose_id:
        purpose = Purpose.objects.filter(pk=access.purpose_id).first()
    return {
        "case": case,
        "tabs": case_tabs(case, current),
        "may_change": gate.may_change_case(request, case),
        "break_glass": access.basis == policy.Basis.BREAK_GLASS,
        "see": {category: access.sees(category) for category in DataCategory.values},
        "partner_view": access.restricted,
        "partner_purpose": purpose,
        "partner_categories": [DataCategory(c).label for c in DataCategory.values if access.sees(c)]
        if access.restricted
        else [],
        **extra,
    }


# --- Overview -----------------------------------------------------------------


@declare(Scope.CASE)
def case_detail(request: HttpRequest, uuid) -> HttpResponse:
    case = gate.case_for_user(request, uuid, needs=())
    details_form = CaseDetailsForm(
        initial={
            "laws": case.laws,
            "safety_concern": case.safety_concern,
            "summary": case.summary,
            "lock_version": case.lock_version,
        }
    )
    return _render_overview(request, case, details_form=details_form)


def _render_overview(request, case, *, details_form=None, transition_form=None, status=200):
    allowed = sorted(workflow.allowed_transitions(case.status))
    overview = zrm_overview(case, domains=gate.visible_domains(case.access))
    sees_notes = case.access.sees(DataCategory.NOTITIES)
    context = case_context(
        request,
        case,
        "overview",
        members=[m for m in gate.case_members(case) if m.valid_to is None],
        household=household_composition(case.household),
        contacts=gate.contacts_of_case(request, case, limit=3),
        referrals=gate.referrals_of_case(request, case),
        signals=gate.signals_of_case(request, case) if sees_notes else [],
        zrm_rows=overview.rows,
        intake=gate.intake_of_case(request, case),
        details_form=details_form
        or CaseDetailsForm(
            initial={
                "laws": case.laws,
                "safety_concern": case.safety_concern,
                "summary": case.summary,
                "lock_version": case.lock_version,
            }
        ),
        transition_form=transition_form or TransitionForm(allowed=allowed, initial={"lock_version": case.lock_version}),
        allowed_transitions=allowed,
    )
    return render(request, "cases/case/overview.html", context, status=status)


@declare(Scope.CASE)
@require_POST
def case_update_details(request: HttpRequest, uuid) -> HttpResponse:
    case = gate.case_for_user(request, uuid, write=True)
    form = CaseDetailsForm(request.POST)
    if form.is_valid():
        try:
            services.case_update(
                actor=request.user,
                case=case,
                expected_version=form.cleaned_data["lock_version"],
                laws=form.cleaned_data["laws"],
                safety_concern=form.cleaned_data["safety_concern"],
                summary=form.cleaned_data["summary"],
            )
        except services.StaleWrite as exc:
            case.refresh_from_db()
            form.add_error(None, exc)
            # Keep what the user typed, but let the next save go against the new version.
            data = request.POST.copy()
            data["lock_version"] = case.lock_version
            form = CaseDetailsForm(data)
            form.is_valid()
            form.add_error(None, exc)
            return _render_overview(request, case, details_form=form, status=409)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("De casusgegevens zijn opgeslagen."))
            return redirect("cases:case-detail", uuid=case.uuid)
    return _render_overview(request, case, details_form=form, status=400)


@declare(Scope.CASE)
@require_POST
def case_transition(request: HttpRequest, uuid) -> HttpResponse:
    case = gate.case_for_user(request, uuid, write=True)
    allowed = sorted(workflow.allowed_transitions(case.status))
    form = TransitionForm(request.POST, allowed=allowed)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["to_status"] == CaseStatus.AFGESLOTEN:
                # With four eyes on, this asks the teamleider instead of closing at once.
                result = services.case_request_closure(
                    actor=request.user, case=case, closing_reason=data["closing_reason"], reason=data["reason"]
                )
            else:
                result = services.case_transition(
                    actor=request.user,
                    case=case,
                    to_status=data["to_status"],
                    reason=data["reason"],
                    closing_reason=data["closing_reason"],
                    expected_version=data["lock_version"],
                )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if isinstance(result, ApprovalRequest):
                messages.info(request, _("Het afsluiten is ter goedkeuring voorgelegd aan de teamleider."))
            else:
                messages.success(request, _("De status is gewijzigd."))
            return redirect("cases:case-detail", uuid=case.uuid)
    return _render_overview(request, case, transition_form=form, status=400)


# --- Life domains (ZRM) -----------------------------------------------------------


def _zrm_context(request, case, form=None):
    overview = zrm_overview(case, domains=gate.visible_domains(case.access))
    for row in overview.rows:
        row.chart = history_chart(row.history, label=row.label)
    clients = case_clients(case)
    return case_context(request, case, "zrm", overview=overview, form=form or AssessmentForm(clients=clients))


@declare(Scope.CASE)
@require_http_methods(["GET", "POST"])
def case_zrm(request: HttpRequest, uuid) -> HttpResponse:
    case = gate.case_for_user(request, uuid, write=request.method == "POST", needs=())
    form = None
    status = 200
    if request.method == "POST":
        form = AssessmentForm(request.POST, clients=case_clients(case))
        if form.is_valid():
            try:
                services.assessments_record(
                    actor=request.user,
                    case=case,
                    scores=[
                        services.ScoreInput(domain=d, score=s, rationale=form.cleaned_data["rationale"])
                        for d, s in form.scores()
                    ],
                    assessed_on=form.cleaned_data["assessed_on"],
                    client=form.chosen_client(),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("De ZRM-scores zijn opgeslagen."))
                if not request.htmx:
                    return redirect("cases:case-zrm", uuid=case.uuid)
                form = None
        else:
            status = 400
    context = _zrm_context(request, case, form)
    template = "cases/case/_zrm_panel.html" if request.htmx else "cases/case/zrm.html"
    return render(request, template, context, status=status)


# --- Contacts -----------------------------------------------------------------


@declare(Scope.CASE)
@require_http_methods(["GET", "POST"])
def case_contacts_view(request: HttpRequest, uuid) -> HttpResponse:
    case = gate.case_for_user(request, uuid, write=request.method == "POST", needs=PARTNER_TABS["contacts"])
    clients = case_clients(case)
    may_restrict = policy.may_record_restricted_note(request.user)
    form = ContactForm(clients=clients, may_restrict=may_restrict)
    status = 200
    if request.method == "POST":
        form = ContactForm(request.POST, clients=clients, may_restrict=may_restrict)
        if form.is_valid():
            try:
                services.contact_record(
                    actor=request.user,
                    case=case,
                    occurred_at=form.cleaned_data["occurred_at"],
                    channel=form.cleaned_data["channel"],
                    summary=form.cleaned_data["summary"],
                    participants=form.chosen_clients(),
                    restricted=form.cleaned_data.get("restricted", False),
                    category=form.cleaned_data["category"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Het contactmoment is opgeslagen."))
                if not request.htmx:
                    return redirect("cases:case-contacts", uuid=case.uuid)
                form = ContactForm(clients=clients, may_restrict=may_restrict)
        else:
            status = 400
    context = case_context(request, case, "contacts", contacts=gate.contacts_of_case(request, case), form=form)
    template = "cases/case/_contacts_panel.html" if request.htmx else "cases/case/contacts.html"
    return render(request, template, context, status=status)


# --- Case team ----------------------------------------------------------------


def _team_candidates(case: Case):
    """Active professionals who may join: casework roles anywhere in the municipality, and partners."""
    return (
        User.objects.filter(is_active=True, memberships__valid_to__isnull=True)
        .filter(Q(memberships__role__in=CASEWORK_ROLES) | Q(memberships__role="partner"))
        .select_related("organisation")
        .distinct()
        .order_by("last_name", "first_name")
    )


def _coordinator_candidates(case: Case):
    return (
        User.objects.filter(
            is_active=True,
            memberships__team=case.team,
            memberships__role__in=CASEWORK_ROLES,
            memberships__valid_to__isnull=True,
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def _render_team(request, case, *, member_form=None, coordinator_form=None, status=200):
    context = case_context(
        request,
        case,
        "team",
        members=gate.case_members(case),
        member_form=member_form or MemberForm(users=_team_candidates(case)),
        coordinator_form=coordinator_form
        or CoordinatorForm(users=_coordinator_candidates(case), initial={"coordinator": case.coordinator}),
    )
    return render(request, "cases/case/team.html", context, status=status)


@declare(Scope.CASE)
def case_team(request: HttpRequest, uuid) -> HttpResponse:
    case = gate.case_for_user(request, uuid, needs=())
    return _render_team(request, case)


@declare(Scope.CASE)
@require_POST
def case_member_add(request: HttpRequest, uuid) -> HttpResponse:
    case = gate.case_for_user(request, uuid, write=True)
    form = MemberForm(request.POST, users=_team_candidates(case))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.case_member_add(
                actor=request.user,
                case=case,
                user=data["user"],
                organisation=data["organisation"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                contact_phone=data["contact_phone"],
                role=data["role"],
                task=data["task"],
                purpose=data.get("purpose"),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Het casusteam is bijgewerkt."))
            return redirect("cases:case-team", uuid=case.uuid)
    return _render_team(request, case, member_form=form, status=400)


@declare(Scope.CASE)
@require_POST
def case_member_end(request: HttpRequest, uuid, member_uuid) -> HttpResponse:
    case = gate.case_for_user(request, uuid, write=True)
    member = gate.case_member(request, case, member_uuid)
    if member is None:
        messages.error(request, _("Dit lid van het casusteam bestaat niet."))
    elif member.role == CaseRole.COORDINATOR:
        messages.error(request, _("Wissel de regievoerder in plaats van deze te beëindigen."))
    else:
        try:
            services.case_member_end(actor=request.user, member=member)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Het lidmaatschap is beëindigd."))
    return redirect("cases:case-team", uuid=case.uuid)


@declare(Scope.CASE)
@require_POST
def case_set_coordinator(request: HttpRequest, uuid) -> HttpResponse:
    case = gate.case_for_user(request, uuid, write=True)
    form = CoordinatorForm(request.POST, users=_coordinator_candidates(case))
    if form.is_valid():
        try:
            services.case_set_coordinator(actor=request.user, case=case, user=form.cleaned_data["coordinator"])
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("De regievoerder is gewijzigd."))
            return redirect("cases:case-team", uuid=case.uuid)
    return _render_team(request, case, coordinator_form=form, status=400)


# --- Log ----------------------------------------------------------------------


@declare(Scope.CASE)
def case_log(request: HttpRequest, uuid) -> HttpResponse:
    case = gate.case_for_user(request, uuid)
    changes = (
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Case), object_id=case.pk)
        .select_related("actor")
        .order_by("-timestamp")[:100]
    )
    context = case_context(request, case, "log", status_history=gate.status_history(request, case), changes=changes)
    return render(request, "cases/case/log.html", context)

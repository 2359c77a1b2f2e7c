"""Handover pages: the overview, one case from the case page, the caseload wizard, the receiver's
page with the summary (accept or return), and a colleague leaving ("Medewerker uit dienst").

Access: the case pages go through ``access.gate.case_for_user``; a handover itself through
``access.gate.handover_for_user`` (whoever may read its case, and the receiver while it waits). Writes go through
``cases.handovers`` and ``accounts.deactivation``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from access import gate, policy
from access.declarations import Scope, declare
from accounts import deactivation
from accounts.models import User

from .. import handover_summary, handovers
from ..constants import OPEN_STATUSES
from ..forms.clients import add_validation_error
from ..forms.handovers import (
    MANUAL,
    CaseloadAssignForm,
    CaseloadPlanForm,
    ChooseProfessionalForm,
    DeactivateForm,
    HandoverForm,
    ReturnForm,
)
from ..handover_selectors import (
    GIVEN_LIMIT,
    case_handovers,
    cases_to_hand_over,
    casework_professionals,
    current_case_users,
    handovers_for_me,
    handovers_given_by,
    handovers_pending_in_teams,
    is_team_leader,
    leader_team_ids,
    may_hand_over,
)
from ..models import Handover
from .casefile import case_context

CASEWORK_ONLY = gettext_lazy("Overdrachten zijn er voor professionals die aan casussen werken.")
TEAM_LEADER_ONLY = gettext_lazy("Alleen een teamleider kan de werkvoorraad van een medewerker overdragen.")


def _may_lead(user) -> bool:
    return bool(leader_team_ids(user))


def _shown(request, queryset, limit: int | None = None) -> list[Handover]:
    """The handovers of ``queryset`` the user may see (through the access layer, logged); each links to its page."""
    rows = gate.handovers_for_user(request, queryset)
    rows = list(rows[:limit] if limit else rows)
    for handover in rows:
        handover.viewable = True
    return rows


# --- Overview -----------------------------------------------------------------------------------


@declare(Scope.HANDOVER, allowed=policy.is_casework_professional, message=CASEWORK_ONLY)
def handover_list(request: HttpRequest) -> HttpResponse:
    """Waiting for me, given by me and, for a teamleider, pending in my teams. One query per list."""
    user = request.user
    context = {
        "for_me": _shown(request, handovers_for_me(user)),
        "given": _shown(request, handovers_given_by(user), GIVEN_LIMIT),
        "team_pending": _shown(request, handovers_pending_in_teams(user)),
        "is_team_leader": bool(leader_team_ids(user)),
        "today": timezone.localdate(),
    }
    return render(request, "cases/handovers/list.html", context)


# --- One case, from the case page -----------------------------------------------------------------


def _handover_form(request, case, data=None) -> HandoverForm | None:
    if case.status not in OPEN_STATUSES or not may_hand_over(request.user, case):
        return None
    receivers = casework_professionals([case.team_id])
    if is_team_leader(request.user, case.team_id):
        givers = current_case_users(case)
        initial = {"from_user": case.coordinator} if case.coordinator_id else {}
        return HandoverForm(data, givers=givers, receivers=receivers, initial=initial)
    return HandoverForm(data, receivers=receivers.exclude(pk=request.user.pk))


def _render_case_tab(request, case, *, form=None, status=200) -> HttpResponse:
    history = _shown(request, case_handovers(case), 20)
    pending = next((h for h in history if h.status == Handover.Status.PENDING), None)
    may_change = gate.may_change_case(request, case)
    if form is None and pending is None and may_change:
        form = _handover_form(request, case)
    context = case_context(
        request, case, "handover", history=history, pending=pending, form=form, today=timezone.localdate()
    )
    return render(request, "cases/handovers/case_tab.html", context, status=status)


@declare(Scope.CASE)
@require_http_methods(["GET", "POST"])
def case_handover(request: HttpRequest, uuid) -> HttpResponse:
    case = gate.case_for_user(request, uuid, write=request.method == "POST")
    if request.method == "GET":
        return _render_case_tab(request, case)
    form = _handover_form(request, case, request.POST)
    if form is None:
        if case.status not in OPEN_STATUSES:
            raise PermissionDenied(_("Een afgesloten casus wordt niet overgedragen."))
        raise PermissionDenied(_("Alleen een lid van het casusteam of de teamleider kan deze casus overdragen."))
    if form.is_valid():
        data = form.cleaned_data
        try:
            handover = handovers.handover_create(
                actor=request.user,
                case=case,
                from_user=data.get("from_user") or request.user,
                to_user=data["to_user"],
                note=data["note"],
                intro_meeting_on=data["intro_meeting_on"],
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("De overdracht is klaargezet. %(user)s krijgt een bericht om haar te accepteren.")
                % {"user": handover.to_user},
            )
            return redirect("cases:handover-detail", uuid=handover.uuid)
    return _render_case_tab(request, case, form=form, status=400)


# --- The handover and its summary ----------------------------------------------------------------


def _render_detail(request, handover: Handover, *, return_form=None, errors=(), status=200) -> HttpResponse:
    user = request.user
    pending = handover.status == Handover.Status.PENDING
    is_receiver = user.pk == handover.to_user_id
    context = {
        "handover": handover,
        "summary": handover_summary.summary_for_display(handover.summary, viewer=user),
        "is_receiver": is_receiver,
        "may_decide": pending and is_receiver,
        "may_cancel": pending
        and (user.pk in (handover.from_user_id, handover.created_by_id) or is_team_leader(user, handover.case.team_id)),
        "return_form": return_form or (ReturnForm() if pending and is_receiver else None),
        "errors": list(errors),
    }
    return render(request, "cases/handovers/detail.html", context, status=status)


@declare(Scope.HANDOVER)
def handover_detail(request: HttpRequest, uuid) -> HttpResponse:
    return _render_detail(request, gate.handover_for_user(request, uuid))


@declare(Scope.HANDOVER)
@require_POST
def handover_accept(request: HttpRequest, uuid) -> HttpResponse:
    handover = gate.handover_for_user(request, uuid)
    try:
        handovers.handover_accept(actor=request.user, handover=handover)
    except ValidationError as exc:
        return _render_detail(request, handover, errors=exc.messages, status=400)
    messages.success(
        request,
        _("U heeft casus %(number)s overgenomen. Alles wat open stond staat nu op uw naam.")
        % {"number": handover.case.number},
    )
    return redirect("cases:case-detail", uuid=handover.case.uuid)


@declare(Scope.HANDOVER)
@require_POST
def handover_return(request: HttpRequest, uuid) -> HttpResponse:
    handover = gate.handover_for_user(request, uuid)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            handovers.handover_return(actor=request.user, handover=handover, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("U heeft de overdracht teruggegeven. De vorige professional en de teamleider zijn ingelicht."),
            )
            return redirect("cases:handovers")
    return _render_detail(request, handover, return_form=form, status=400)


@declare(Scope.HANDOVER)
@require_POST
def handover_cancel(request: HttpRequest, uuid) -> HttpResponse:
    handover = gate.handover_for_user(request, uuid)
    try:
        handovers.handover_cancel(actor=request.user, handover=handover)
    except ValidationError as exc:
        return _render_detail(request, handover, errors=exc.messages, status=400)
    messages.success(request, _("De overdracht is ingetrokken."))
    return redirect("cases:handover-detail", uuid=handover.uuid)


# --- Caseload wizard (teamleider) ---------------------------------------------------------------


def _plan_form(request, data, *, professional: User, team_ids: set[int]) -> CaseloadPlanForm:
    return CaseloadPlanForm(
        data,
        cases=gate.cases_for_user(request, cases_to_hand_over(professional, team_ids=team_ids), detail="caseload"),
        receivers=casework_professionals(team_ids).exclude(pk=professional.pk),
    )


@declare(Scope.CASE, allowed=_may_lead, message=TEAM_LEADER_ONLY)
@require_http_methods(["GET", "POST"])
def caseload_handover(request: HttpRequest) -> HttpResponse:
    """Step 1 (GET): whose caseload. Step 2 (GET with ``medewerker``): cases, receivers, spread, note
    and date. Step 3 (POST ``stap=verdelen``): the receiver per case, by hand or as spread, to
    confirm. POST ``stap=bevestigen`` hands the cases over as one batch.
    """
    team_ids = leader_team_ids(request.user)
    gate.consulted(request, gate.CASE)  # the first step names professionals, not cases
    professionals = casework_professionals(team_ids)
    source = request.POST if request.method == "POST" else request.GET
    choose_form = ChooseProfessionalForm(source if "medewerker" in source else None, professionals=professionals)
    if not choose_form.is_bound or not choose_form.is_valid():
        status = 400 if choose_form.is_bound else 200
        return render(request, "cases/handovers/caseload.html", {"choose_form": choose_form}, status=status)
    professional = choose_form.cleaned_data["medewerker"]
    if request.method == "GET":
        plan_form = _plan_form(request, None, professional=professional, team_ids=team_ids)
        return _render_plan(request, choose_form, plan_form, professional)
    plan_form = _plan_form(request, request.POST, professional=professional, team_ids=team_ids)
    if not plan_form.is_valid():
        return _render_plan(request, choose_form, plan_form, professional, status=400)
    plan = plan_form.cleaned_data
    cases = list(plan["cases"])
    receivers = list(plan["receivers"])
    manual = plan["assignment"] == MANUAL
    proposal = handovers.spread_evenly([c.pk for c in cases], receivers)
    confirming = request.POST.get("stap") == "bevestigen"
    assign_form = CaseloadAssignForm(
        request.POST if confirming else None, cases=cases, receivers=receivers, proposal=proposal, manual=manual
    )
    if confirming and assign_form.is_valid():
        try:
            created = handovers.caseload_handover(
                actor=request.user,
                from_user=professional,
                case_ids=[c.pk for c in cases],
                receivers=receivers,
                assignment=assign_form.mapping(),
                note=plan["note"],
                intro_meeting_on=plan["intro_meeting_on"],
            )
        except ValidationError as exc:
            add_validation_error(assign_form, exc)
        else:
            messages.success(
                request,
                _("%(count)s casussen van %(user)s zijn klaargezet voor overdracht. De ontvangers krijgen een bericht.")
                % {"count": len(created), "user": professional},
            )
            return redirect("cases:handovers")
    context = {
        "choose_form": choose_form,
        "plan_form": plan_form,
        "assign_form": assign_form,
        "professional": professional,
        "manual": manual,
        "receivers": receivers,
    }
    return render(request, "cases/handovers/caseload_confirm.html", context, status=400 if confirming else 200)


def _render_plan(request, choose_form, plan_form, professional, *, status=200) -> HttpResponse:
    context = {
        "choose_form": choose_form,
        "plan_form": plan_form,
        "professional": professional,
        "has_cases": plan_form.fields["cases"].queryset.exists(),
    }
    return render(request, "cases/handovers/caseload.html", context, status=status)


# --- A colleague leaves (teamleider) ------------------------------------------------------------


@declare(Scope.ROLE, allowed=_may_lead, message=TEAM_LEADER_ONLY)
@require_http_methods(["GET", "POST"])
def staff_deactivate(request: HttpRequest) -> HttpResponse:
    """Medewerker uit dienst: refused while they have open cases, unless forced (the cases are orphaned)."""
    team_ids = leader_team_ids(request.user)
    users = casework_professionals(team_ids).exclude(pk=request.user.pk)
    form = DeactivateForm(request.POST or None, users=users)
    status = 200
    blocking: list[str] = []
    chosen = None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            user = chosen = form.cleaned_data["user"]
            try:
                passed_over = deactivation.user_deactivate(
                    actor=request.user, user=user, force=form.cleaned_data["force"]
                )
            except ValidationError as exc:
                add_validation_error(form, exc)
                blocking = deactivation.blocking_items(user)
            else:
                if passed_over:
                    messages.warning(
                        request,
                        _("%(user)s is uit dienst gemeld. Deze casussen hebben nu geen regievoerder: %(items)s.")
                        % {"user": user, "items": ", ".join(passed_over)},
                    )
                else:
                    messages.success(request, _("%(user)s is uit dienst gemeld.") % {"user": user})
                return redirect("cases:handovers")
    context = {
        "form": form,
        "blocking": blocking,
        "wizard_url": reverse("cases:caseload-handover"),
        "chosen": chosen,
    }
    return render(request, "cases/handovers/deactivate.html", context, status=status)

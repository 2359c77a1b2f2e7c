"""The workplan editor: plan, analysis, goals, actions, reviews, duties a–g, obstacles,
client involvement, adoption with versions and their difference, the client version PDF,
and the teamleider's four-eyes decisions.

Every view asks the case access helper first (``workplan_get_for_user``), then
form -> service -> redirect. HTMX requests for goals get the goals partial back.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from access import gate, policy
from access.declarations import Scope, declare
from accounts.models import Organisation, User
from api_conventions.numbers import query_int
from cases.forms.clients import add_validation_error as _add_errors
from cases.models import ApprovalRequest
from cases.selectors import case_clients
from cases.services import approval_decide_case_closure
from cases.views.casefile import case_context

from . import services
from .forms import (
    ActionForm,
    ActionStatusForm,
    AdoptForm,
    AnalysisForm,
    DecisionForm,
    DutyRecordForm,
    GoalEditForm,
    GoalForm,
    InvolvementForm,
    ObstacleForm,
    PlanTextForm,
    ReviewForm,
)
from .models import Action, CoordinationDuty, Goal, Obstacle
from .pdf import client_version_pdf
from .selectors import plan_page, version_pair, workplan_get_for_user
from .snapshot import diff_snapshots


def _members(case) -> list[User]:
    """Current case-team members with an account: the possible owners of goals and actions."""
    return list(
        User.objects.filter(case_memberships__case=case, case_memberships__valid_to__isnull=True)
        .distinct()
        .select_related("organisation")
        .order_by("last_name", "first_name")
    )


def _organisations() -> list[Organisation]:
    return list(Organisation.objects.order_by("name"))


def _plan(request, uuid, *, write=False, export=""):
    case, workplan = workplan_get_for_user(request, uuid, write=write, export=export)
    if workplan is None:
        raise Http404(_("Deze casus heeft nog geen werkplan."))
    workplan.case = case
    return case, workplan


def _render_plan(request, case, workplan, *, status=200, **forms):
    forms["pending_approval"] = gate.pending_approval(request, case, ApprovalRequest.Kind.WORKPLAN_ADOPT)
    page = plan_page(workplan)
    clients = case_clients(case)
    members = _members(case)
    context = case_context(
        request,
        case,
        "workplan",
        workplan=workplan,
        page=page,
        today=timezone.localdate(),
        **_plan_forms(workplan, page, clients, members, forms),
    )
    organisations = _organisations()
    today = timezone.localdate()
    for goal in page.goals:
        # Prefixed per goal and duty, so ids on the page stay unique.
        goal.review_form = ReviewForm(prefix=f"review-{goal.uuid}", initial={"reviewed_on": today})
        goal.action_form = ActionForm(prefix=f"action-{goal.uuid}", members=members, organisations=organisations)
        for action in goal.actions.all():
            action.status_form = ActionStatusForm(prefix=f"status-{action.uuid}", initial={"status": action.status})
    for duty in page.duties:
        duty.form = DutyRecordForm(prefix=f"duty-{duty.duty}", initial={"done_on": today})
    template = "workplans/_goals.html" if request.htmx and forms.get("partial") else "workplans/plan.html"
    return render(request, template, context, status=status)


def _plan_forms(workplan, page, clients, members, forms) -> dict:
    return {
        "text_form": forms.get("text_form")
        or PlanTextForm(
            initial={
                "problem_analysis": workplan.problem_analysis,
                "coordination_agreements": workplan.coordination_agreements,
                "client_support_agreements": workplan.client_support_agreements,
                "review_interval_weeks": workplan.review_interval_weeks,
                "lock_version": workplan.lock_version,
            }
        ),
        "analysis_form": forms.get("analysis_form") or AnalysisForm(clients=clients),
        "goal_form": forms.get("goal_form") or GoalForm(members=members),
        "obstacle_form": forms.get("obstacle_form") or ObstacleForm(),
        "involvement_form": forms.get("involvement_form")
        or InvolvementForm(clients=clients, goals=list(page.goals), initial={"occurred_on": timezone.localdate()}),
        "adopt_form": forms.get("adopt_form") or AdoptForm(initial={"lock_version": workplan.lock_version}),
        "errors_for": forms.get("errors_for", ""),
        "pending_approval": forms["pending_approval"],
    }


@declare(Scope.CASE)
def plan_detail(request: HttpRequest, uuid) -> HttpResponse:
    case, workplan = workplan_get_for_user(request, uuid)
    if workplan is None:
        return render(request, "workplans/no_plan.html", case_context(request, case, "workplan"))
    workplan.case = case
    return _render_plan(request, case, workplan)


@declare(Scope.CASE)
@require_POST
def plan_create(request: HttpRequest, uuid) -> HttpResponse:
    case, workplan = workplan_get_for_user(request, uuid, write=True)
    try:
        services.workplan_create(actor=request.user, case=case)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Het werkplan is gestart. Begin met de analyse en de doelen."))
    return redirect("workplans:plan", uuid=case.uuid)


@declare(Scope.CASE)
@require_POST
def plan_update(request: HttpRequest, uuid) -> HttpResponse:
    case, workplan = _plan(request, uuid, write=True)
    form = PlanTextForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.workplan_update(
                actor=request.user,
                workplan=workplan,
                expected_version=data["lock_version"],
                problem_analysis=data["problem_analysis"],
                coordination_agreements=data["coordination_agreements"],
                client_support_agreements=data["client_support_agreements"],
                review_interval_weeks=data["review_interval_weeks"],
            )
        except services.StaleWrite as exc:
            workplan.refresh_from_db()
            data = request.POST.copy()
            data["lock_version"] = workplan.lock_version
            form = PlanTextForm(data)
            form.is_valid()
            form.add_error(None, exc)
            form.current = workplan  # shown beside the user's own input
            return _render_plan(request, case, workplan, text_form=form, status=409, errors_for="text")
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Het werkplan is opgeslagen."))
            return redirect("workplans:plan", uuid=case.uuid)
    return _render_plan(request, case, workplan, text_form=form, status=400, errors_for="text")


@declare(Scope.CASE)
@require_POST
def analysis_add(request: HttpRequest, uuid) -> HttpResponse:
    case, workplan = _plan(request, uuid, write=True)
    form = AnalysisForm(request.POST, clients=case_clients(case))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.analysis_add(
                actor=request.user,
                workplan=workplan,
                client=form.clients[data["client"]],
                provision=data["provision"],
                party=data["party"],
                period_from=data["period_from"],
                period_to=data["period_to"],
                outcome=data["outcome"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("De hulp is toegevoegd aan de analyse."))
            return redirect("workplans:plan", uuid=case.uuid)
    return _render_plan(request, case, workplan, analysis_form=form, status=400, errors_for="analysis")


@declare(Scope.CASE)
@require_POST
def goal_add(request: HttpRequest, uuid) -> HttpResponse:
    case, workplan = _plan(request, uuid, write=True)
    form = GoalForm(request.POST, members=_members(case))
    if form.is_valid():
        try:
            services.goal_add(actor=request.user, workplan=workplan, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Het doel is toegevoegd."))
            if request.htmx:
                return _render_plan(request, case, workplan, partial=True)
            return redirect("workplans:plan", uuid=case.uuid)
    return _render_plan(request, case, workplan, goal_form=form, status=400, errors_for="goal", partial=True)


def _goal(request, case, goal_uuid) -> Goal:
    goal = gate.record_of_case(request, case, Goal, goal_uuid, path="workplan__case", related=("owner", "workplan"))
    if goal is None:
        raise Http404(_("Dit doel bestaat niet."))
    return goal


@declare(Scope.CASE)
def goal_edit(request: HttpRequest, uuid, goal_uuid) -> HttpResponse:
    case, workplan = _plan(request, uuid, write=request.method == "POST")
    goal = _goal(request, case, goal_uuid)
    members = _members(case)
    status = 200
    if request.method == "POST":
        form = GoalEditForm(request.POST, members=members)
        if form.is_valid():
            data = dict(form.cleaned_data)
            expected = data.pop("lock_version")
            try:
                services.goal_update(actor=request.user, goal=goal, expected_version=expected, **data)
            except services.StaleWrite as exc:
                goal.refresh_from_db()
                data = request.POST.copy()
                data["lock_version"] = goal.lock_version
                form = GoalEditForm(data, members=members)
                form.is_valid()
                form.add_error(None, exc)
                status = 409
            except ValidationError as exc:
                _add_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Het doel is opgeslagen."))
                return redirect("workplans:plan", uuid=case.uuid)
        else:
            status = 400
    else:
        form = GoalEditForm(
            members=members,
            initial={
                "term": goal.term,
                "horizon_years": goal.horizon_years,
                "life_domain": goal.life_domain,
                "description": goal.description,
                "client_words": goal.client_words,
                "owner": str(goal.owner.uuid) if goal.owner else "",
                "target_date": goal.target_date,
                "status": goal.status,
                "lock_version": goal.lock_version,
            },
        )
    context = case_context(request, case, "workplan", workplan=workplan, goal=goal, form=form, stale=status == 409)
    return render(request, "workplans/goal_edit.html", context, status=status)


@declare(Scope.CASE)
@require_POST
def review_add(request: HttpRequest, uuid, goal_uuid) -> HttpResponse:
    case, workplan = _plan(request, uuid, write=True)
    goal = _goal(request, case, goal_uuid)
    form = ReviewForm(request.POST, prefix=f"review-{goal.uuid}")
    if form.is_valid():
        try:
            services.progress_review_add(actor=request.user, goal=goal, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("De voortgang is vastgelegd."))
    else:
        messages.error(request, _("De voortgang is niet opgeslagen: vul status en datum in."))
    if request.htmx:
        return _render_plan(request, case, workplan, partial=True)
    return redirect("workplans:plan", uuid=case.uuid)


@declare(Scope.CASE)
@require_POST
def action_add(request: HttpRequest, uuid, goal_uuid) -> HttpResponse:
    case, workplan = _plan(request, uuid, write=True)
    goal = _goal(request, case, goal_uuid)
    form = ActionForm(
        request.POST, prefix=f"action-{goal.uuid}", members=_members(case), organisations=_organisations()
    )
    if form.is_valid():
        try:
            services.action_add(actor=request.user, goal=goal, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("De actie is toegevoegd."))
    else:
        messages.error(
            request,
            _("De actie is niet opgeslagen: %(errors)s")
            % {"errors": " ".join(e for errs in form.errors.values() for e in errs)},
        )
    if request.htmx:
        return _render_plan(request, case, workplan, partial=True)
    return redirect("workplans:plan", uuid=case.uuid)


@declare(Scope.CASE)
@require_POST
def action_status(request: HttpRequest, uuid, action_uuid) -> HttpResponse:
    case, workplan = _plan(request, uuid, write=True)
    action = gate.record_of_case(
        request, case, Action, action_uuid, path="goal__workplan__case", related=("goal__workplan",)
    )
    form = ActionStatusForm(request.POST, prefix=f"status-{action.uuid}")
    if form.is_valid():
        try:
            services.action_set_status(actor=request.user, action=action, status=form.cleaned_data["status"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("De status van de actie is gewijzigd."))
    if request.htmx:
        return _render_plan(request, case, workplan, partial=True)
    return redirect("workplans:plan", uuid=case.uuid)


@declare(Scope.CASE)
@require_POST
def duty_record(request: HttpRequest, uuid, duty: str) -> HttpResponse:
    case, workplan = _plan(request, uuid, write=True)
    duty_obj = gate.record_of_case(request, case, CoordinationDuty, duty, path="workplan__case", lookup="duty")
    form = DutyRecordForm(request.POST, prefix=f"duty-{duty}")
    if form.is_valid():
        try:
            services.duty_record(actor=request.user, duty=duty_obj, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Taak %(duty)s is vastgelegd.") % {"duty": duty_obj.get_duty_display()})
    else:
        messages.error(request, _("Vul in wat er is gedaan en wanneer."))
    return redirect(reverse("workplans:plan", args=[case.uuid]) + "#duties")


@declare(Scope.CASE)
@require_POST
def obstacle_add(request: HttpRequest, uuid) -> HttpResponse:
    case, workplan = _plan(request, uuid, write=True)
    form = ObstacleForm(request.POST)
    if form.is_valid():
        try:
            services.obstacle_raise(actor=request.user, workplan=workplan, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("De belemmering is vastgelegd."))
            return redirect("workplans:plan", uuid=case.uuid)
    return _render_plan(request, case, workplan, obstacle_form=form, status=400, errors_for="obstacle")


@declare(Scope.CASE)
@require_POST
def obstacle_resolve(request: HttpRequest, uuid, obstacle_uuid) -> HttpResponse:
    case, workplan = _plan(request, uuid, write=True)
    obstacle = gate.record_of_case(request, case, Obstacle, obstacle_uuid, path="workplan__case")
    try:
        services.obstacle_resolve(actor=request.user, obstacle=obstacle)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De belemmering is opgelost."))
    return redirect("workplans:plan", uuid=case.uuid)


@declare(Scope.CASE)
@require_POST
def involvement_add(request: HttpRequest, uuid) -> HttpResponse:
    case, workplan = _plan(request, uuid, write=True)
    goals = list(workplan.goals.all())
    form = InvolvementForm(request.POST, clients=case_clients(case), goals=goals)
    if form.is_valid():
        try:
            services.involvement_record(
                actor=request.user,
                workplan=workplan,
                how=form.cleaned_data["how"],
                participants=form.chosen_clients(),
                general_view=form.cleaned_data["general_view"],
                goal_views=form.goal_views(),
                occurred_on=form.cleaned_data["occurred_on"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("De betrokkenheid van de cliënt is vastgelegd (taak f)."))
            return redirect("workplans:plan", uuid=case.uuid)
    return _render_plan(request, case, workplan, involvement_form=form, status=400, errors_for="involvement")


@declare(Scope.CASE)
@require_POST
def plan_adopt(request: HttpRequest, uuid) -> HttpResponse:
    case, workplan = _plan(request, uuid, write=True)
    form = AdoptForm(request.POST)
    if form.is_valid():
        page = plan_page(workplan)
        if page.gaps and not form.cleaned_data["confirm_gaps"]:
            form.add_error(
                "confirm_gaps",
                _("Er zijn %(count)s open punten in het werkplan. Bekijk ze en bevestig dat u het plan toch vaststelt.")
                % {"count": len(page.gaps)},
            )
        else:
            try:
                result = services.workplan_adopt(
                    actor=request.user,
                    workplan=workplan,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["lock_version"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                if isinstance(result, ApprovalRequest):
                    messages.info(request, _("Het werkplan is ter goedkeuring voorgelegd aan de teamleider."))
                else:
                    messages.success(
                        request, _("Versie %(number)s van het werkplan is vastgesteld.") % {"number": result.number}
                    )
                return redirect("workplans:plan", uuid=case.uuid)
    return _render_plan(request, case, workplan, adopt_form=form, status=400, errors_for="adopt")


@declare(Scope.CASE)
def version_diff(request: HttpRequest, uuid) -> HttpResponse:
    case, workplan = _plan(request, uuid)
    numbers = list(workplan.versions.values_list("number", flat=True))
    if not numbers:
        raise Http404(_("Er is nog geen vastgestelde versie."))
    old_number = query_int(request.GET, "van", default=numbers[-2] if len(numbers) > 1 else numbers[-1])
    new_number = query_int(request.GET, "naar", default=numbers[-1])
    old, new = version_pair(workplan, old_number, new_number)
    context = case_context(
        request,
        case,
        "workplan",
        workplan=workplan,
        old=old,
        new=new,
        numbers=numbers,
        diff=diff_snapshots(old.snapshot, new.snapshot),
    )
    return render(request, "workplans/diff.html", context)


@declare(Scope.CASE)
def client_version(request: HttpRequest, uuid) -> HttpResponse:
    case, workplan = _plan(request, uuid, export="werkplan cliëntversie (pdf)")
    pdf = client_version_pdf(workplan, case)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="werkplan-{case.number}.pdf"'
    return response


# --- Four eyes: the teamleider's decisions ------------------------------------------


APPROVERS_ONLY = gettext_lazy("Alleen een teamleider beslist over verzoeken om goedkeuring.")


@declare(Scope.APPROVAL, allowed=policy.is_approver, message=APPROVERS_ONLY)
def approvals(request: HttpRequest) -> HttpResponse:
    pending = (
        gate.approval_requests_for_user(request).filter(status=ApprovalRequest.Status.PENDING).order_by("created_at")
    )
    return render(request, "workplans/approvals.html", {"pending": pending, "form": DecisionForm()})


@declare(Scope.APPROVAL, allowed=policy.is_approver, message=APPROVERS_ONLY)
@require_POST
def approval_decide(request: HttpRequest, request_uuid) -> HttpResponse:
    approval = gate.approval_request_for_user(request, request_uuid)
    form = DecisionForm(request.POST)
    if form.is_valid():
        approve, note = form.cleaned_data["approve"], form.cleaned_data["note"]
        try:
            if approval.kind == ApprovalRequest.Kind.WORKPLAN_ADOPT:
                services.workplan_decide_approval(actor=request.user, request=approval, approve=approve, note=note)
            else:
                approval_decide_case_closure(actor=request.user, request=approval, approve=approve, note=note)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Uw besluit is vastgelegd en de aanvrager is op de hoogte gebracht."))
    else:
        messages.error(request, _("Kies goedkeuren of afwijzen."))
    return redirect("workplans:approvals")

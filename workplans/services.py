"""Writes of workplans, duties a–g, obstacles and client involvement. Services are the only writers."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation, User
from cases import services as case_services
from cases.constants import CaseStatus
from cases.models import ApprovalRequest, Case, CaseMember, Client

from .constants import (
    ActionStatus,
    Duty,
    GoalStatus,
    GoalTerm,
    WorkplanStatus,
)
from .models import (
    Action,
    AnalysisEntry,
    ClientInvolvement,
    CoordinationDuty,
    DutyRecord,
    Goal,
    GoalView,
    Obstacle,
    ProgressReview,
    TeamWorkplanSettings,
    Workplan,
    WorkplanVersion,
)
from .snapshot import take_snapshot


class StaleWrite(ValidationError):
    """Somebody else saved the plan or goal since it was loaded (optimistic locking)."""


STALE_MESSAGE = gettext_lazy(
    "Iemand anders heeft dit intussen gewijzigd. Bekijk de nieuwe gegevens en probeer het opnieuw."
)


def _check_and_bump(model, obj, expected_version: int | None) -> None:
    """Compare-and-set on ``lock_version``: refuses a stale write, in one UPDATE."""
    if expected_version is None:
        model.objects.filter(pk=obj.pk).update(lock_version=F("lock_version") + 1)
    else:
        updated = model.objects.filter(pk=obj.pk, lock_version=expected_version).update(
            lock_version=F("lock_version") + 1
        )
        if not updated:
            raise StaleWrite(STALE_MESSAGE, code="stale")
    obj.lock_version = model.objects.values_list("lock_version", flat=True).get(pk=obj.pk)


def _settings_for(team) -> TeamWorkplanSettings:
    return TeamWorkplanSettings.objects.filter(team=team).first() or TeamWorkplanSettings(team=team)


# --- The plan -------------------------------------------------------------------


@transaction.atomic
def workplan_create(*, actor: User, case: Case) -> Workplan:
    """Start the plan of a coordinated case, with the duties a–g scheduled from the team's defaults."""
    if case.status != CaseStatus.ACTIEF:
        raise ValidationError(_("Een werkplan hoort bij een casus met een gecoördineerde aanpak (status actief)."))
    if Workplan.objects.filter(case=case).exists():
        raise ValidationError(_("Deze casus heeft al een werkplan."))
    team_settings = _settings_for(case.team)
    workplan = Workplan(case=case, review_interval_weeks=team_settings.review_interval_weeks)
    workplan.full_clean()
    workplan.save()
    today = timezone.localdate()
    CoordinationDuty.objects.bulk_create(
        CoordinationDuty(
            workplan=workplan,
            duty=duty,
            interval_days=team_settings.interval_for(duty),
            next_due_on=today + datetime.timedelta(days=team_settings.interval_for(duty)),
        )
        for duty in Duty.values
    )
    return workplan


@transaction.atomic
def workplan_update(
    *,
    actor: User,
    workplan: Workplan,
    expected_version: int | None,
    problem_analysis: str | None = None,
    coordination_agreements: str | None = None,
    client_support_agreements: str | None = None,
    review_interval_weeks: int | None = None,
) -> Workplan:
    _ensure_editable(workplan)
    for name, value in (
        ("problem_analysis", problem_analysis),
        ("coordination_agreements", coordination_agreements),
        ("client_support_agreements", client_support_agreements),
        ("review_interval_weeks", review_interval_weeks),
    ):
        if value is not None:
            setattr(workplan, name, value)
    workplan.full_clean()
    _check_and_bump(Workplan, workplan, expected_version)
    workplan.save(
        update_fields=[
            "problem_analysis",
            "coordination_agreements",
            "client_support_agreements",
            "review_interval_weeks",
            "updated_at",
        ]
    )
    return workplan


def _ensure_editable(workplan: Workplan) -> None:
    if workplan.status == WorkplanStatus.BEEINDIGD:
        raise ValidationError(_("Dit werkplan is beëindigd en kan niet meer worden gewijzigd."))


# --- Analysis -------------------------------------------------------------------


@transaction.atomic
def analysis_add(
    *,
    actor: User,
    workplan: Workplan,
    client: Client,
    provision: str,
    party: str,
    period_from: datetime.date | None = None,
    period_to: datetime.date | None = None,
    outcome: str = "",
) -> AnalysisEntry:
    _ensure_editable(workplan)
    if period_from and period_to and period_to < period_from:
        raise ValidationError({"period_to": _("De einddatum ligt voor de begindatum.")})
    entry = AnalysisEntry(
        workplan=workplan,
        client=client,
        provision=provision,
        party=party,
        period_from=period_from,
        period_to=period_to,
        outcome=outcome,
    )
    entry.full_clean()
    entry.save()
    return entry


# --- Goals, reviews, actions ----------------------------------------------------


def _current_member_user_ids(case: Case) -> set[int]:
    return set(
        CaseMember.objects.filter(case=case, valid_to__isnull=True, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )


def _check_owner(workplan: Workplan, owner: User | None, field: str = "owner") -> None:
    if owner is not None and owner.pk not in _current_member_user_ids(workplan.case):
        raise ValidationError({field: _("De eigenaar moet lid zijn van het casusteam.")})


def _check_goal_fields(
    term: str, horizon_years: int | None, target_date: datetime.date | None, description: str
) -> None:
    errors = {}
    if not (description or "").strip():
        errors["description"] = _("Beschrijf het doel in gewone taal.")
    if term == GoalTerm.LONG and not horizon_years:
        errors["horizon_years"] = _("Een langetermijndoel heeft een horizon in jaren.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def goal_add(
    *,
    actor: User,
    workplan: Workplan,
    term: str,
    life_domain: str,
    description: str,
    owner: User | None = None,
    owner_organisation: Organisation | None = None,
    horizon_years: int | None = None,
    target_date: datetime.date | None = None,
    client_words: str = "",
) -> Goal:
    _ensure_editable(workplan)
    _check_goal_fields(term, horizon_years, target_date, description)
    _check_owner(workplan, owner)
    goal = Goal(
        workplan=workplan,
        term=term,
        life_domain=life_domain,
        description=description,
        client_words=client_words,
        owner=owner,
        owner_organisation=owner_organisation or (owner.organisation if owner else None),
        horizon_years=horizon_years if term == GoalTerm.LONG else None,
        target_date=target_date,
        position=workplan.goals.count() + 1,
    )
    goal.full_clean()
    goal.save()
    return goal


@transaction.atomic
def goal_update(
    *,
    actor: User,
    goal: Goal,
    expected_version: int | None,
    **fields,
) -> Goal:
    """Change a goal; refuses a stale write. Fields: term, life_domain, description, client_words,
    owner, owner_organisation, horizon_years, target_date, status."""
    _ensure_editable(goal.workplan)
    allowed = {
        "term",
        "life_domain",
        "description",
        "client_words",
        "owner",
        "owner_organisation",
        "horizon_years",
        "target_date",
        "status",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Unknown goal fields: {unknown}")
    old_status = goal.status
    old_owner_id = goal.owner_id
    for key, value in fields.items():
        setattr(goal, key, value)
    if goal.term == GoalTerm.SHORT:
        goal.horizon_years = None
    _check_goal_fields(goal.term, goal.horizon_years, goal.target_date, goal.description)
    if goal.owner_id != old_owner_id:
        _check_owner(goal.workplan, goal.owner)
        if goal.owner and "owner_organisation" not in fields:
            goal.owner_organisation = goal.owner.organisation
    if goal.status != old_status:
        goal.status_changed_at = timezone.now()
    goal.full_clean()
    _check_and_bump(Goal, goal, expected_version)
    goal.save()
    return goal


@transaction.atomic
def progress_review_add(
    *, actor: User, goal: Goal, status: str, note: str = "", reviewed_on: datetime.date | None = None
) -> ProgressReview:
    """Duty a: a periodic progress review of a goal; the goal takes the reviewed status."""
    _ensure_editable(goal.workplan)
    review = ProgressReview(
        goal=goal, reviewer=actor, status=status, note=note, reviewed_on=reviewed_on or timezone.localdate()
    )
    if review.reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": _("Deze datum ligt in de toekomst.")})
    review.full_clean()
    review.save()
    if goal.status != status:
        Goal.objects.filter(pk=goal.pk).update(
            status=status, status_changed_at=timezone.now(), lock_version=F("lock_version") + 1
        )
        goal.refresh_from_db()
    return review


@transaction.atomic
def action_add(
    *,
    actor: User,
    goal: Goal,
    description: str,
    party: Organisation,
    professional: User | None = None,
    start_on: datetime.date | None = None,
    end_on: datetime.date | None = None,
) -> Action:
    _ensure_editable(goal.workplan)
    if start_on and end_on and end_on < start_on:
        raise ValidationError({"end_on": _("De einddatum ligt voor de startdatum.")})
    _check_owner(goal.workplan, professional, field="professional")
    action = Action(
        goal=goal, description=description, party=party, professional=professional, start_on=start_on, end_on=end_on
    )
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def action_set_status(*, actor: User, action: Action, status: str) -> Action:
    _ensure_editable(action.goal.workplan)
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Onbekende status.")})
    action.status = status
    action.full_clean()
    action.save(update_fields=["status"])
    return action


# --- Duties a–g -----------------------------------------------------------------


@transaction.atomic
def duty_record(
    *, actor: User, duty: CoordinationDuty, what: str, outcome: str = "", done_on: datetime.date | None = None
) -> DutyRecord:
    """Record that a duty was done; schedules the next due date from the interval."""
    _ensure_editable(duty.workplan)
    done = done_on or timezone.localdate()
    if done > timezone.localdate():
        raise ValidationError({"done_on": _("Deze datum ligt in de toekomst.")})
    record = DutyRecord(duty=duty, done_on=done, done_by=actor, what=what, outcome=outcome)
    record.full_clean()
    record.save()
    duty = CoordinationDuty.objects.select_for_update().get(pk=duty.pk)
    if duty.last_done_on is None or done >= duty.last_done_on:
        duty.last_done_on = done
        duty.next_due_on = done + datetime.timedelta(days=duty.interval_days)
        duty.save(update_fields=["last_done_on", "next_due_on"])
    return record


def _duty(workplan: Workplan, duty: str) -> CoordinationDuty:
    return CoordinationDuty.objects.get(workplan=workplan, duty=duty)


@transaction.atomic
def duty_set_interval(*, actor: User, duty: CoordinationDuty, interval_days: int) -> CoordinationDuty:
    _ensure_editable(duty.workplan)
    if interval_days < 1:
        raise ValidationError({"interval_days": _("Het interval is ten minste één dag.")})
    duty.interval_days = interval_days
    base = duty.last_done_on or timezone.localdate()
    duty.next_due_on = base + datetime.timedelta(days=interval_days)
    duty.full_clean()
    duty.save(update_fields=["interval_days", "next_due_on"])
    return duty


# --- Obstacles and client involvement --------------------------------------------


@transaction.atomic
def obstacle_raise(
    *, actor: User, workplan: Workplan, category: str, description: str, party: str = "", raised_on=None
) -> Obstacle:
    _ensure_editable(workplan)
    obstacle = Obstacle(
        workplan=workplan,
        category=category,
        description=description,
        party=party,
        raised_on=raised_on or timezone.localdate(),
        raised_by=actor,
    )
    obstacle.full_clean()
    obstacle.save()
    return obstacle


@transaction.atomic
def obstacle_resolve(*, actor: User, obstacle: Obstacle, resolved_on: datetime.date | None = None) -> Obstacle:
    _ensure_editable(obstacle.workplan)
    if obstacle.resolved_on is not None:
        raise ValidationError(_("Deze belemmering is al opgelost."))
    resolved = resolved_on or timezone.localdate()
    if resolved < obstacle.raised_on:
        raise ValidationError({"resolved_on": _("Een belemmering kan niet voor de signalering zijn opgelost.")})
    obstacle.resolved_on = resolved
    obstacle.full_clean()
    obstacle.save(update_fields=["resolved_on"])
    return obstacle


@transaction.atomic
def involvement_record(
    *,
    actor: User,
    workplan: Workplan,
    how: str,
    participants: Iterable[Client],
    general_view: str = "",
    goal_views: Mapping[Goal, str] | None = None,
    occurred_on: datetime.date | None = None,
) -> ClientInvolvement:
    """Duty f: record how the client and family took part, and their own view per goal.

    Also records duty f as done on that date.
    """
    _ensure_editable(workplan)
    participants = list(participants)
    if not participants:
        raise ValidationError({"participants": _("Kies wie van het huishouden meedeed.")})
    day = occurred_on or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"occurred_on": _("Deze datum ligt in de toekomst.")})
    involvement = ClientInvolvement(
        workplan=workplan, occurred_on=day, how=how, recorded_by=actor, general_view=general_view
    )
    involvement.full_clean()
    involvement.save()
    involvement.participants.set(participants)
    views = []
    for goal, text in (goal_views or {}).items():
        if goal.workplan_id != workplan.pk:
            raise ValidationError(_("Dit doel hoort niet bij dit werkplan."))
        if text.strip():
            view = GoalView(involvement=involvement, goal=goal, view=text)
            view.full_clean(exclude=["involvement"])
            views.append(view)
    GoalView.objects.bulk_create(views)
    duty_record(
        actor=actor,
        duty=_duty(workplan, Duty.F),
        done_on=day,
        what=_("Cliënt betrokken: %(how)s") % {"how": involvement.get_how_display()},
    )
    return involvement


# --- Adoption, revision, four eyes ----------------------------------------------


@transaction.atomic
def workplan_adopt(
    *,
    actor: User,
    workplan: Workplan,
    reason: str = "",
    expected_version: int | None = None,
    approval: ApprovalRequest | None = None,
) -> WorkplanVersion | ApprovalRequest:
    """Adopt (first time) or revise the plan: freeze an immutable version with the reason.

    With the team's four-eyes setting on and no approved request, a request to
    the teamleider is made instead and returned. A revision needs a reason.
    Open gaps do not block adoption; the page asks for confirmation first.
    """
    workplan = Workplan.objects.select_for_update().get(pk=workplan.pk)
    _ensure_editable(workplan)
    last = workplan.versions.order_by("-number").first()
    if last is not None and not reason.strip():
        raise ValidationError({"reason": _("Geef de reden van de wijziging op.")})
    if not workplan.goals.exclude(status=GoalStatus.VERVALLEN).exists():
        raise ValidationError(_("Een werkplan zonder doelen kan niet worden vastgesteld."))
    if expected_version is not None and workplan.lock_version != expected_version:
        raise StaleWrite(STALE_MESSAGE, code="stale")
    if case_services.four_eyes_required(workplan.case.team) and (
        approval is None or approval.status != ApprovalRequest.Status.APPROVED
    ):
        return case_services.approval_request(
            actor=actor,
            case=workplan.case,
            kind=ApprovalRequest.Kind.WORKPLAN_ADOPT,
            reason=reason,
            # The plan as put forward: the teamleider approves this, never later changes.
            payload={"workplan": str(workplan.uuid), "snapshot": take_snapshot(workplan)},
        )
    now = timezone.now()
    version = WorkplanVersion(
        workplan=workplan,
        number=(last.number + 1) if last else 1,
        snapshot=approval.payload["snapshot"]
        if approval and "snapshot" in approval.payload
        else take_snapshot(workplan),
        reason=reason,
        adopted_by=approval.requested_by if approval else actor,
        adopted_at=now,
        approved_by=actor if approval else None,
    )
    version.full_clean()
    version.save()
    workplan.status = WorkplanStatus.VASTGESTELD if last is None else WorkplanStatus.HERZIEN
    workplan.adopted_at = now
    workplan.review_due_on = timezone.localdate(now) + datetime.timedelta(weeks=workplan.review_interval_weeks)
    workplan.save(update_fields=["status", "adopted_at", "review_due_on", "updated_at"])
    _check_and_bump(Workplan, workplan, None)
    # Adopting or revising the plan is duty e (keep the plan current) being done.
    duty_record(
        actor=actor,
        duty=_duty(workplan, Duty.E),
        what=_("Werkplan versie %(number)s vastgesteld") % {"number": version.number},
        outcome=reason,
    )
    return version


@transaction.atomic
def workplan_decide_approval(
    *, actor: User, request: ApprovalRequest, approve: bool, note: str = ""
) -> ApprovalRequest:
    """The teamleider approves or rejects a plan adoption; an approval adopts the plan."""
    request = case_services.approval_record_decision(actor=actor, request=request, approve=approve, note=note)
    if approve:
        workplan = Workplan.objects.get(uuid=request.payload["workplan"])
        # The version holds the snapshot stored with the request: what was asked, not later changes.
        workplan_adopt(actor=actor, workplan=workplan, reason=request.reason, approval=request)
    return request


@transaction.atomic
def workplan_end(*, actor: User, workplan: Workplan) -> Workplan:
    workplan.status = WorkplanStatus.BEEINDIGD
    workplan.save(update_fields=["status", "updated_at"])
    return workplan


@transaction.atomic
def obstacle_set_publication(
    *, actor: User, obstacle: Obstacle, approved: bool, published_description: str = ""
) -> Obstacle:
    """Beleid approves (or withdraws) an obstacle's description for the progress report (duty d).

    The description is free text from a workplan; what beleid approves, and the only text a report quotes, is
    ``published_description``: the description with the people of the case masked, which the caller makes
    (``reports.services.obstacle_publication``, with ``reports.masking``). Approving stores it, withdrawing
    clears it. The policy decides who may approve (``access.policy.may_review_obstacles``); the view asks it.
    """
    if approved and not published_description.strip():
        raise ValueError("Approving an obstacle needs the masked description that is published.")
    obstacle = Obstacle.objects.select_for_update().get(pk=obstacle.pk)
    obstacle.approved_for_publication = approved
    obstacle.published_description = published_description if approved else ""
    obstacle.save(update_fields=["approved_for_publication", "published_description"])
    return obstacle

"""Reads of workplans: the plan page, the gap analysis and the events that ask for a review.

Gaps and review events are derived from the data every time, never stored,
so they are always current and never disagree with the plan.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from access import gate
from cases.constants import LifeDomain
from cases.models import Case, CaseMember, HouseholdMember, LifeDomainAssessment, Signal
from cases.selectors import case_clients, latest_scores

from .constants import (
    CLOSED_ACTION_STATUSES,
    CLOSED_GOAL_STATUSES,
    PARTICIPATION_DOMAINS,
    WORKING_AGE_FROM,
    WORKING_AGE_TO,
    Duty,
    GoalStatus,
    GoalTerm,
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
    Workplan,
    WorkplanVersion,
)

ZRM_DROP = 2


def workplan_get_for_user(request, case_uuid, *, write: bool = False, export: str = "") -> tuple[Case, Workplan | None]:
    """The case (through the access layer, which decides and logs) and its plan, if any. A workplan shows every
    category of the case, so a partner does not open it."""
    case = gate.case_for_user(request, case_uuid, write=write, export=export)
    return case, Workplan.objects.filter(case=case).first()


def workplan_by_uuid_for_user(request, workplan_uuid, *, write: bool = False) -> Workplan:
    """A workplan by its own uuid (the API), through its case."""
    workplan = Workplan.objects.filter(uuid=workplan_uuid).select_related("case").first()
    if workplan is None:
        raise gate.not_found(request, gate.CASE)
    workplan.case = gate.case_for_user(request, workplan.case.uuid, write=write)
    return workplan


# --- The records of a plan the user was handed (through its case) ------------------------------


def goals_of_plan(workplan: Workplan) -> QuerySet:
    """Goals with their actions and reviews, in a fixed number of queries."""
    return (
        Goal.objects.filter(workplan=workplan)
        .select_related("owner", "owner_organisation")
        .prefetch_related(
            Prefetch(
                "actions", queryset=Action.objects.select_related("party", "professional").order_by("start_on", "id")
            ),
            Prefetch(
                "reviews", queryset=ProgressReview.objects.select_related("reviewer").order_by("reviewed_on", "id")
            ),
        )
    )


def goals_of_case(case: Case) -> QuerySet:
    """The goals of a case's plan (for a reference to one in a request body)."""
    return Goal.objects.filter(workplan__case=case)


def goal_of_plan(workplan: Workplan, goal_uuid) -> Goal | None:
    goal = goals_of_plan(workplan).filter(uuid=goal_uuid).first()
    if goal is not None:
        goal.workplan = workplan
    return goal


def goals_by_uuid(workplan: Workplan, uuids) -> dict:
    return {goal.uuid: goal for goal in Goal.objects.filter(workplan=workplan, uuid__in=list(uuids))}


def involvements_of_plan(workplan: Workplan) -> QuerySet:
    return (
        ClientInvolvement.objects.filter(workplan=workplan)
        .select_related("recorded_by")
        .prefetch_related(
            "participants", Prefetch("goal_views", queryset=GoalView.objects.select_related("goal").order_by("id"))
        )
    )


def involvement_of_plan(workplan: Workplan, pk: int) -> ClientInvolvement:
    return involvements_of_plan(workplan).get(pk=pk)


def versions_of_plan(workplan: Workplan) -> QuerySet:
    """Adopted versions, oldest first, without their content."""
    return (
        WorkplanVersion.objects.filter(workplan=workplan)
        .select_related("adopted_by", "approved_by")
        .defer("snapshot")
        .order_by("number")
    )


def version_of_plan(workplan: Workplan, number: int) -> WorkplanVersion | None:
    return (
        WorkplanVersion.objects.select_related("adopted_by", "approved_by")
        .filter(workplan=workplan, number=number)
        .first()
    )


def duties_of_plan(workplan: Workplan) -> QuerySet:
    return CoordinationDuty.objects.filter(workplan=workplan).order_by("duty")


def duty_of_plan(workplan: Workplan, duty: str) -> CoordinationDuty | None:
    return CoordinationDuty.objects.filter(workplan=workplan, duty=duty).first() if duty in Duty.values else None


def duty_record_of_plan(workplan: Workplan, pk: int) -> DutyRecord:
    return DutyRecord.objects.select_related("duty", "done_by").get(pk=pk, duty__workplan=workplan)


def obstacles_of_plan(workplan: Workplan) -> QuerySet:
    return Obstacle.objects.filter(workplan=workplan).select_related("raised_by")


def obstacle_of_plan(workplan: Workplan, obstacle_uuid) -> Obstacle | None:
    return obstacles_of_plan(workplan).filter(uuid=obstacle_uuid).first()


@dataclass
class PlanPage:
    workplan: Workplan
    goals: list[Goal]
    analysis: list[AnalysisEntry]
    duties: list[CoordinationDuty]
    obstacles: list[Obstacle]
    involvements: list[ClientInvolvement]
    versions: list[WorkplanVersion]
    member_user_ids: set[int]
    gaps: list = field(default_factory=list)
    review_events: list = field(default_factory=list)


def plan_page(workplan: Workplan) -> PlanPage:
    """Everything the plan page shows, in a fixed number of queries whatever the plan's size."""
    goals = list(
        Goal.objects.filter(workplan=workplan)
        .select_related("owner", "owner_organisation")
        .prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("party", "professional")),
            Prefetch("reviews", queryset=ProgressReview.objects.select_related("reviewer")),
            Prefetch(
                "client_views",
                queryset=GoalView.objects.select_related("involvement").order_by("-involvement__occurred_on"),
            ),
        )
    )
    page = PlanPage(
        workplan=workplan,
        goals=goals,
        analysis=list(AnalysisEntry.objects.filter(workplan=workplan).select_related("client")),
        duties=list(
            CoordinationDuty.objects.filter(workplan=workplan).prefetch_related(
                Prefetch("records", queryset=DutyRecord.objects.select_related("done_by"))
            )
        ),
        obstacles=list(Obstacle.objects.filter(workplan=workplan).select_related("raised_by")),
        involvements=list(
            ClientInvolvement.objects.filter(workplan=workplan)
            .select_related("recorded_by")
            .prefetch_related("participants", Prefetch("goal_views", queryset=GoalView.objects.select_related("goal")))
        ),
        versions=list(
            WorkplanVersion.objects.filter(workplan=workplan)
            .select_related("adopted_by", "approved_by")
            .defer("snapshot")
        ),
        member_user_ids=set(
            CaseMember.objects.filter(case=workplan.case, valid_to__isnull=True, user__isnull=False).values_list(
                "user_id", flat=True
            )
        ),
    )
    page.gaps = gaps(workplan, goals=goals, member_user_ids=page.member_user_ids)
    page.review_events = review_events(workplan)
    return page


# --- Gap analysis -------------------------------------------------------------


@dataclass(frozen=True)
class Gap:
    rule: str
    message: str


def gaps(
    workplan: Workplan, *, goals: list[Goal] | None = None, member_user_ids: set[int] | None = None, today=None
) -> list[Gap]:
    """What the plan misses, always current. Pass prefetched goals to avoid queries."""
    today = today or timezone.localdate()
    case = workplan.case
    if goals is None:
        goals = list(
            Goal.objects.filter(workplan=workplan)
            .select_related("owner", "owner_organisation")
            .prefetch_related("actions", "reviews")
        )
    if member_user_ids is None:
        member_user_ids = set(
            CaseMember.objects.filter(case=case, valid_to__isnull=True, user__isnull=False).values_list(
                "user_id", flat=True
            )
        )
    active = [g for g in goals if g.status not in CLOSED_GOAL_STATUSES]
    found: list[Gap] = []

    # 1. Life domains scored 1–2 in the latest ZRM without any goal.
    goal_domains = {g.life_domain for g in goals if g.status != GoalStatus.VERVALLEN}
    for domain, score in latest_scores(case).items():
        if score is not None and score <= 2 and domain not in goal_domains:
            found.append(
                Gap(
                    "zrm_without_goal",
                    _("Leefgebied %(domain)s scoort %(score)s in de laatste ZRM, maar er is geen doel voor.")
                    % {"domain": LifeDomain(domain).label, "score": score},
                )
            )
    # 2. Goals without an owner, and 3. goals whose owner has left the case.
    for goal in active:
        if goal.owner_id is None:
            found.append(Gap("goal_without_owner", _("Doel '%(goal)s' heeft geen eigenaar.") % {"goal": goal}))
        elif goal.owner_id not in member_user_ids:
            found.append(
                Gap(
                    "owner_left_case",
                    _("De eigenaar van doel '%(goal)s' (%(owner)s) is geen lid meer van het casusteam.")
                    % {"goal": goal, "owner": goal.owner},
                )
            )
    # 4. Actions past their end date.
    for goal in goals:
        for action in goal.actions.all():
            if action.end_on and action.end_on < today and action.status not in CLOSED_ACTION_STATUSES:
                found.append(
                    Gap(
                        "action_overdue",
                        _("Actie '%(action)s' had op %(date)s klaar moeten zijn.")
                        % {"action": action, "date": action.end_on.strftime("%d-%m-%Y")},
                    )
                )
    # 5. Long-term goals without a progress review within the review interval.
    since = today - datetime.timedelta(weeks=workplan.review_interval_weeks)
    for goal in active:
        if goal.term != GoalTerm.LONG:
            continue
        reviews = [r.reviewed_on for r in goal.reviews.all()]
        last = max(reviews) if reviews else None
        if (last or timezone.localdate(goal.created_at)) < since:
            found.append(
                Gap(
                    "long_term_goal_not_reviewed",
                    _("Langetermijndoel '%(goal)s' is langer dan %(weeks)s weken niet besproken.")
                    % {"goal": goal, "weeks": workplan.review_interval_weeks},
                )
            )
    # 6. No participation or daytime-activity goal where a client is of working age.
    working_age = [c for c in case_clients(case) if WORKING_AGE_FROM <= c.age_on(today) < WORKING_AGE_TO]
    if working_age and not any(g.life_domain in PARTICIPATION_DOMAINS for g in active):
        found.append(
            Gap(
                "no_participation_goal",
                _(
                    "Er is geen doel voor werk, dagbesteding of participatie, terwijl %(names)s in de werkende leeftijd is."
                )
                % {"names": ", ".join(c.full_name for c in working_age)},
            )
        )
    # 7. Two parties owning goals on the same domain.
    parties = defaultdict(set)
    for goal in active:
        if goal.owner_organisation_id:
            parties[goal.life_domain].add(goal.owner_organisation.name)
    for domain, names in parties.items():
        if len(names) > 1:
            found.append(
                Gap(
                    "two_parties_same_domain",
                    _(
                        "Op leefgebied %(domain)s zijn meerdere partijen eigenaar van een doel: %(parties)s. Wie is verantwoordelijk?"
                    )
                    % {"domain": LifeDomain(domain).label, "parties": ", ".join(sorted(names))},
                )
            )
    return found


# --- Review events (duty e) ---------------------------------------------------


@dataclass(frozen=True)
class ReviewEvent:
    at: datetime.date
    reason: str


def review_reference_date(workplan: Workplan) -> datetime.datetime | None:
    """Since when events count: the last adoption, or the last time duty e was recorded."""
    last_e = DutyRecord.objects.filter(duty__workplan=workplan, duty__duty=Duty.E).aggregate(last=Max("created_at"))[
        "last"
    ]
    candidates = [d for d in (workplan.adopted_at, last_e) if d]
    return max(candidates) if candidates else None


def review_events(workplan: Workplan, *, today=None) -> list[ReviewEvent]:
    """Events since the last review that ask for the plan to be reviewed now (duty e).

    Household composition change, a new signal on the case, a ZRM score that
    dropped 2 or more, a goal missed, and the review date passing.
    """
    today = today or timezone.localdate()
    reference = review_reference_date(workplan)
    if reference is None:
        return []  # a concept plan is reviewed when it is adopted
    since_day = timezone.localdate(reference)
    case = workplan.case
    events: list[ReviewEvent] = []
    if workplan.review_due_on and workplan.review_due_on < today:
        events.append(
            ReviewEvent(
                workplan.review_due_on,
                _("De herzieningsdatum (%(date)s) is verstreken.")
                % {"date": workplan.review_due_on.strftime("%d-%m-%Y")},
            )
        )
    if case.household_id:
        changes = (
            HouseholdMember.objects.filter(household_id=case.household_id)
            .filter(Q(valid_from__gt=since_day, valid_from__lte=today) | Q(valid_to__gte=since_day, valid_to__lt=today))
            .select_related("client")
        )
        for member in changes:
            moved_in = member.valid_from > since_day
            events.append(
                ReviewEvent(
                    member.valid_from if moved_in else member.valid_to,
                    (
                        _("%(name)s is bij het huishouden gekomen.")
                        if moved_in
                        else _("%(name)s is uit het huishouden vertrokken.")
                    )
                    % {"name": member.client.full_name},
                )
            )
    # Triage often takes days: a signal received before but linked after the reference counts too.
    for signal in Signal.objects.filter(Q(received_at__gt=reference) | Q(triaged_at__gt=reference), case=case):
        events.append(
            ReviewEvent(
                timezone.localdate(signal.received_at),
                _("Nieuwe melding over dit huishouden (%(source)s).") % {"source": signal.get_source_display()},
            )
        )
    for drop in zrm_drops(case, since=reference):
        events.append(drop)
    for goal in Goal.objects.filter(workplan=workplan, status=GoalStatus.NIET_BEHAALD, status_changed_at__gt=reference):
        events.append(
            ReviewEvent(
                timezone.localdate(goal.status_changed_at), _("Doel '%(goal)s' is niet behaald.") % {"goal": goal}
            )
        )
    return sorted(events, key=lambda e: e.at)


def zrm_drops(case: Case, *, since) -> list[ReviewEvent]:
    """Assessments recorded after ``since`` whose score is 2 or more below the previous one for that domain."""
    assessments = list(LifeDomainAssessment.objects.filter(case=case).order_by("assessed_on", "id"))
    previous: dict[str, int] = {}
    drops = []
    for assessment in assessments:
        before = previous.get(assessment.domain)
        if before is not None and before - assessment.score >= ZRM_DROP and assessment.created_at > since:
            drops.append(
                ReviewEvent(
                    assessment.assessed_on,
                    _("ZRM %(domain)s is gedaald van %(old)s naar %(new)s.")
                    % {"domain": assessment.get_domain_display(), "old": before, "new": assessment.score},
                )
            )
        previous[assessment.domain] = assessment.score
    return drops


def version_pair(workplan: Workplan, old_number: int, new_number: int) -> tuple[WorkplanVersion, WorkplanVersion]:
    versions = {
        v.number: v for v in WorkplanVersion.objects.filter(workplan=workplan, number__in=[old_number, new_number])
    }
    if old_number not in versions or new_number not in versions:
        raise Http404(_("Deze versie bestaat niet."))
    return versions[old_number], versions[new_number]

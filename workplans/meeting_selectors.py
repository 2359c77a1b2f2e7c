"""Reads for the casusoverleg: the agenda builder's suggestions, the meeting page, carried-over
agreements and what each participant may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from access import gate
from cases.models import Case, LifeDomainAssessment, Signal

from .meeting_models import AgendaItem, Agreement, AgreementStatus, Meeting, MeetingParticipant
from .models import Goal

# Weights of the agenda builder: a safety flag always comes first.
WEIGHTS = {
    "safety": 100,
    "overdue_duties": 10,
    "overdue_agreements": 8,
    "new_signal": 6,
    "zrm_drop": 5,
    "open_obstacles": 3,
}


@dataclass
class Suggestion:
    case: Case
    score: int
    reasons: list[str] = field(default_factory=list)


def agenda_suggestions(cases: QuerySet, *, since: datetime.date | None = None, limit: int = 20) -> list[Suggestion]:
    """Of ``cases`` (the active cases of a team the user may see, from the access layer), those that most need a
    casusoverleg, best first.

    Set-based: one annotated query over the cases, one for ZRM scores of the
    candidates; no loop over all cases of the municipality.
    """
    today = timezone.localdate()
    since = since or today - datetime.timedelta(days=28)
    cases = cases.select_related("household", "client", "coordinator").annotate(
        overdue_duties=Count("workplan__duties", filter=Q(workplan__duties__next_due_on__lt=today), distinct=True),
        overdue_agreements=Count(
            "agreements",
            filter=Q(agreements__status=AgreementStatus.OPEN, agreements__due_on__lt=today),
            distinct=True,
        ),
        open_obstacles=Count(
            "workplan__obstacles", filter=Q(workplan__obstacles__resolved_on__isnull=True), distinct=True
        ),
        new_signal=Exists(Signal.objects.filter(case=OuterRef("pk"), received_at__date__gte=since)),
    )
    candidates = list(cases)
    since_dt = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    drops = _zrm_drops_by_case(candidates, since_dt)
    suggestions = []
    for case in candidates:
        reasons: list[str] = []
        score = 0
        if case.safety_concern:
            score += WEIGHTS["safety"]
            reasons.append(_("Veiligheidssignaal: %(kind)s") % {"kind": case.get_safety_concern_display()})
        if case.overdue_duties:
            score += WEIGHTS["overdue_duties"] * case.overdue_duties
            reasons.append(_("%(n)s coördinatietaak/-taken te laat") % {"n": case.overdue_duties})
        if case.overdue_agreements:
            score += WEIGHTS["overdue_agreements"] * case.overdue_agreements
            reasons.append(_("%(n)s afspraak/afspraken te laat") % {"n": case.overdue_agreements})
        if case.new_signal:
            score += WEIGHTS["new_signal"]
            reasons.append(_("Nieuwe melding"))
        if drops.get(case.pk):
            score += WEIGHTS["zrm_drop"]
            reasons.append(_("ZRM-score gedaald"))
        if case.open_obstacles:
            score += WEIGHTS["open_obstacles"] * case.open_obstacles
            reasons.append(_("%(n)s open belemmering(en)") % {"n": case.open_obstacles})
        if score:
            suggestions.append(Suggestion(case=case, score=score, reasons=reasons))
    suggestions.sort(key=lambda s: (-s.score, s.case.number))
    return suggestions[:limit]


def _zrm_drops_by_case(cases: list[Case], since) -> dict[int, bool]:
    if not cases:
        return {}
    by_case: dict[int, list] = {}
    for assessment in LifeDomainAssessment.objects.filter(case__in=cases).order_by("case_id", "assessed_on", "id"):
        by_case.setdefault(assessment.case_id, []).append(assessment)
    result = {}
    for case_id, rows in by_case.items():
        previous: dict[str, int] = {}
        for row in rows:
            before = previous.get(row.domain)
            if before is not None and before - row.score >= 2 and row.created_at >= since:
                result[case_id] = True
            previous[row.domain] = row.score
    return result


def carried_over_agreements(meeting: Meeting) -> dict[int, list[Agreement]]:
    """Open agreements of each case on the agenda, made before this meeting: they come back
    on every next agenda until they are closed. One query."""
    agreements = (
        Agreement.objects.filter(case__agenda_items__meeting=meeting, status=AgreementStatus.OPEN)
        # Made in an earlier meeting, or outside a meeting before this one started.
        .filter(Q(meeting__starts_at__lt=meeting.starts_at) | Q(meeting__isnull=True, created_at__lt=meeting.starts_at))
        .exclude(meeting=meeting)
        .select_related("owner", "owner_organisation", "meeting", "case", "goal")
        .order_by("due_on", "id")
    )
    grouped: dict[int, list[Agreement]] = {}
    for agreement in agreements:
        grouped.setdefault(agreement.case_id, []).append(agreement)
    return grouped


def goal_references(goal_ids) -> dict:
    """Goals by id, with only what a reference to them needs (their uuid). One query."""
    ids = list(goal_ids)
    return {goal.pk: goal for goal in Goal.objects.filter(pk__in=ids).only("id", "uuid")} if ids else {}


@dataclass
class MeetingPage:
    meeting: Meeting
    items: list[AgendaItem]
    participants: list[MeetingParticipant]
    carried_over: dict[int, list[Agreement]]
    made_here: dict[int, list[Agreement]]
    minutes_total: int


def meeting_page(request, meeting: Meeting) -> MeetingPage:
    """The meeting with the agenda items this user may see (``access.gate.visible_agenda``, which logs), and the
    agreements of those items whose category the user may see. A fixed number of queries."""
    items = gate.visible_agenda(request, meeting)
    decisions = {item.case_id: item.access for item in items}

    def shown(agreement: Agreement) -> bool:
        decision = decisions.get(agreement.case_id)
        return decision is not None and decision.sees(agreement.category)

    made_here: dict[int, list[Agreement]] = {}
    for agreement in (
        Agreement.objects.filter(meeting=meeting, case_id__in=list(decisions))
        .select_related("owner", "owner_organisation", "meeting", "case", "goal")
        .order_by("id")
    ):
        if shown(agreement):
            made_here.setdefault(agreement.case_id, []).append(agreement)
    carried = {
        case_id: [a for a in rows if shown(a)]
        for case_id, rows in carried_over_agreements(meeting).items()
        if case_id in decisions
    }
    participants = list(meeting.participants.select_related("user", "organisation"))
    return MeetingPage(
        meeting=meeting,
        items=items,
        participants=participants,
        carried_over=carried,
        made_here=made_here,
        minutes_total=sum(item.minutes_planned for item in items),
    )

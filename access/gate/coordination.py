"""Choke points of coordination: casusoverleg meetings and their agenda, agreements, handovers, and the
teamleider's four-eyes requests. Workplans are reached through their case (``case_for_user``) and
``record_of_case``.

A meeting is seen by the organising team and its participants, but each agenda item only by those the policy
lets see its case, and, for a partner, only items and agreements whose category their purpose covers.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from access import log as access_log
from access import policy
from cases.models import ApprovalRequest, Case, Handover
from consent.constants import AccessAction, DisclosureChannel
from consent.models import Disclosure
from workplans.meeting_models import AgendaItem, Agreement, Meeting, MeetingParticipant
from workplans.models import Workplan

from .casefile import ALL, CASE, case_for_user, cases_for_user
from .core import channel, consulted, forbidden, logged, not_found

MEETING = "meeting"
AGREEMENT = "agreement"
HANDOVER = "handover"
APPROVAL = "approval"


# --- Meetings ------------------------------------------------------------------------------------


def _meetings_q(user) -> Q:
    return Q(team_id__in=sorted(policy.casework_team_ids(user))) | Q(participants__user=user)


def meetings_for_user(request) -> QuerySet:
    """Meetings of the user's casework teams, or where the user takes part (without their agenda)."""
    consulted(request, MEETING)
    if not policy.may_work_with_meetings(request.user):
        return Meeting.objects.none()
    return Meeting.objects.filter(pk__in=Meeting.objects.filter(_meetings_q(request.user)).values("pk"))


def meeting_for_user(request, meeting_uuid, *, write: bool = False) -> Meeting:
    """A meeting the user may see; ``write`` only for the organising team (403 for a participant)."""
    meeting = meetings_for_user(request).filter(uuid=meeting_uuid).select_related("team", "chair").first()
    if meeting is None:
        raise not_found(request, MEETING)
    if write and not may_change_meeting(request.user, meeting):
        raise forbidden(request, MEETING, _("Alleen het team dat het overleg organiseert, kan het wijzigen."))
    return meeting


def may_change_meeting(user, meeting: Meeting) -> bool:
    return meeting.team_id in policy.casework_team_ids(user)


def visible_agenda(request, meeting: Meeting, *, detail: str = "casusoverleg") -> list[AgendaItem]:
    """The meeting's agenda items the user may see, each with its case decision (``item.access``); logged as a
    view of each case, and a disclosure for a partner. A fixed number of queries."""
    consulted(request, MEETING)
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("case__household", "case__client", "case__team", "case__coordinator")
        .order_by("position", "id")
    )
    decisions = _decisions(request.user, [item.case for item in items])
    shown = []
    for item in items:
        decision = decisions.get(item.case_id)
        if decision and decision.sees(item.category):
            item.access = item.case.access = decision
            shown.append(item)
    access_log.record(request, AccessAction.VIEW, cases=[item.case for item in shown], detail=detail)
    for item in shown:
        if item.access.restricted:
            access_log.disclose(request, item.access, channel=channel(request), case=item.case)
    return shown


def _decisions(user, cases: list[Case]) -> dict[int, policy.Decision]:
    """Per case: the user's decision, in a fixed number of queries for the whole list."""
    unique = list({case.pk: case for case in cases}.values())
    if policy.is_partner(user):
        return policy.partner_decisions(user, unique)
    readable = policy.readable_case_ids(user, [c.pk for c in unique])
    return {case.pk: policy.Decision(True, policy.Basis.TEAM) for case in unique if case.pk in readable}


def agenda_item(request, meeting: Meeting, item_uuid) -> AgendaItem:
    """An agenda item of a meeting the user was handed, when they may see its case (404 otherwise)."""
    consulted(request, MEETING)
    item = AgendaItem.objects.filter(meeting=meeting, uuid=item_uuid).select_related("case", "meeting").first()
    if item is None:
        raise not_found(request, MEETING)
    decision = policy.case_decision(request.user, item.case)
    if not decision.sees(item.category):
        raise not_found(request, MEETING, case=item.case, detail="agenda item")
    item.access = item.case.access = decision
    return item


def participant_of_meeting(request, meeting: Meeting, participant_uuid) -> MeetingParticipant:
    consulted(request, MEETING)
    participant = (
        MeetingParticipant.objects.filter(meeting=meeting, uuid=participant_uuid)
        .select_related("user", "organisation")
        .first()
    )
    if participant is None:
        raise not_found(request, MEETING)
    return participant


def items_for_participant(meeting: Meeting, participant: MeetingParticipant) -> list[AgendaItem]:
    """The agenda items this participant may receive: purpose-limited minutes. Each item with the participant's
    decision (``item.access``): a partner receives only items whose category their purpose covers."""
    items = AgendaItem.objects.filter(meeting=meeting).select_related("case").order_by("position", "id")
    shown = []
    for item in items:
        decision = policy.may_receive_case_minutes(
            case=item.case, user=participant.user, contact_email=participant.contact_email
        )
        if decision.sees(item.category):
            item.access = decision
            shown.append(item)
    return shown


def minutes_for_participant(request, meeting: Meeting, participant: MeetingParticipant) -> list[AgendaItem]:
    """What the minutes PDF for this participant holds, logged as an export (and a disclosure to a partner)."""
    consulted(request, MEETING)
    items = items_for_participant(meeting, participant)
    access_log.record(
        request,
        AccessAction.EXPORT,
        cases=[item.case for item in items],
        detail=f"notulen voor {participant.display_name}"[:200],
    )
    for item in items:
        if item.access.restricted:
            access_log.disclose(request, item.access, channel=DisclosureChannel.MINUTES, case=item.case)
    return items


def minutes_sent(*, actor, participant: MeetingParticipant, items: list[AgendaItem]) -> None:
    """Minutes were e-mailed to ``participant`` (outside a request): an export of each case item, and a disclosure
    per item when the recipient is outside the municipality, with the basis ``items_for_participant`` found."""
    route = "minutes_distribute"
    for item in items:
        access_log.record_now(
            user=actor,
            action=AccessAction.EXPORT,
            route=route,
            case=item.case,
            detail=f"notulen verstuurd aan {participant.display_name}"[:200],
        )
    organisation = participant.user.organisation if participant.user_id else participant.organisation
    if organisation is None or organisation.is_municipality:
        return
    Disclosure.objects.bulk_create(
        Disclosure(
            channel=DisclosureChannel.MINUTES,
            case_id=item.case_id,
            client_id=item.case.client_id,
            # What the minutes of an item hold: the case, who it is about, and the discussion of its topic.
            categories=sorted({"administratief", "identiteit", item.category}),
            recipient_organisation=organisation,
            recipient_user=participant.user,
            recipient_description=participant.display_name[:200],
            purpose_id=item.access.purpose_id,
            legal_basis=item.access.legal_basis,
            consent_id=item.access.consent_id,
            disclosed_by=actor,
            route=route,
        )
        for item in items
    )


def agenda_cases(request, meeting: Meeting, *, exclude: Iterable[int] = ()) -> QuerySet:
    """Active cases of the organising team the user may put on the agenda (a logged list)."""
    queryset = Case.objects.filter(team=meeting.team, status="actief").exclude(pk__in=list(exclude))
    return cases_for_user(request, queryset, detail="agenda").order_by("number")


def workplans_for_user(request, queryset: QuerySet | None = None) -> QuerySet:
    """Workplans of the cases the user may see in full (a workplan holds every category, so a partner sees one
    only when their purpose covers them all, as ``case_for_user`` decides), logged against their cases."""
    queryset = Workplan.objects.all() if queryset is None else queryset
    user = request.user
    if policy.is_partner(user):
        cases = list(policy.filter_cases(user).only("pk", "client", "household"))
        whole = [pk for pk, d in policy.partner_decisions(user, cases).items() if policy.sees_all(d, ALL)]
        visible = queryset.filter(case_id__in=whole)
    else:
        visible = queryset.filter(case__in=policy.filter_cases(user))
    return logged(
        request,
        visible.select_related("case", "case__coordinator"),
        kind=CASE,
        detail="werkplannen",
        case_of=lambda workplan: workplan.case,
    )


# --- Agreements ----------------------------------------------------------------------------------


def agreements_for_user(request, queryset: QuerySet | None = None, *, detail: str = "afspraken") -> QuerySet:
    """Agreements of the cases the user may see; for a partner only those whose category their purpose covers.
    The cases shown are logged, and a partner's rows are recorded as disclosures."""
    user = request.user
    queryset = Agreement.objects.all() if queryset is None else queryset
    queryset = queryset.filter(case__in=policy.filter_cases(user))
    partner = policy.is_partner(user)
    if partner:
        cases = list(policy.filter_cases(user).only("pk", "client", "household"))
        decisions = policy.partner_decisions(user, cases)
        allowed = Q(pk__in=[])
        for case_id, decision in decisions.items():
            if decision:
                allowed |= Q(case_id=case_id) & policy.category_filter(decision)
        queryset = queryset.filter(allowed)

    def on_fetch(rows: list) -> None:
        if not partner:
            return
        by_case = {row.case_id: row.case for row in rows}
        for case_id, case in by_case.items():
            decision = decisions[case_id]
            shown = sorted({row.category for row in rows if row.case_id == case_id} | {"administratief"})
            access_log.disclose(request, decision, channel=channel(request), case=case, categories=shown)

    return logged(
        request,
        queryset,
        kind=AGREEMENT,
        detail=detail,
        case_of=lambda agreement: agreement.case_id,
        on_fetch=on_fetch,
    )


def agreement_for_user(request, agreement_uuid, *, write: bool = False) -> Agreement:
    """An agreement, through its case (404 when the user may not see it or its category; 403 for a reader)."""
    agreement = (
        Agreement.objects.filter(uuid=agreement_uuid)
        .select_related("case", "owner", "owner_organisation", "meeting", "goal")
        .first()
    )
    if agreement is None:
        raise not_found(request, AGREEMENT)
    decision = policy.case_decision(request.user, agreement.case)
    if not decision.sees(agreement.category):
        raise not_found(request, AGREEMENT, case=agreement.case, detail="agreement")
    agreement.case = case_for_user(request, agreement.case.uuid, write=write, needs=())
    consulted(request, AGREEMENT)
    return agreement


# --- Handovers -----------------------------------------------------------------------------------


def handover_visible_q(user) -> Q:
    """Who sees a handover: whoever may read its case, and the receiver while it waits for them. A giver whose
    access ended with the handover no longer reads its summary."""
    return Q(case__in=policy.filter_cases(user)) | Q(status=Handover.Status.PENDING, to_user=user)


_HANDOVER_RELATED = ("case__team", "from_user", "to_user", "created_by")


def handover_for_user(request, handover_uuid) -> Handover:
    """The handover, if the user may see it (404 otherwise); logged against the case (the summary holds its data)."""
    handover = Handover.objects.select_related(*_HANDOVER_RELATED).filter(uuid=handover_uuid).first()
    if handover is None:
        raise not_found(request, HANDOVER)
    if not Handover.objects.filter(handover_visible_q(request.user), pk=handover.pk).exists():
        raise not_found(request, HANDOVER, case=handover.case, detail="handover")
    consulted(request, HANDOVER)
    access_log.record(request, AccessAction.VIEW, case=handover.case, detail="handover")
    return handover


def handovers_for_user(request, queryset: QuerySet) -> QuerySet:
    """Handovers of ``queryset`` the user may see, logged against their cases when shown."""
    return logged(
        request,
        queryset.filter(handover_visible_q(request.user)).select_related(*_HANDOVER_RELATED),
        kind=HANDOVER,
        detail="handovers",
        case_of=lambda handover: handover.case,
    )


# --- Four eyes -----------------------------------------------------------------------------------


def approval_requests_for_user(request, queryset: QuerySet | None = None) -> QuerySet:
    """Requests of the teams the user leads (the teamleider decides them); logged against their cases."""
    queryset = ApprovalRequest.objects.all() if queryset is None else queryset
    team_ids = sorted(policy.dashboard_team_ids(request.user))
    return logged(
        request,
        queryset.filter(case__team_id__in=team_ids, case__in=policy.filter_cases(request.user)).select_related(
            "case", "requested_by", "decided_by"
        ),
        kind=APPROVAL,
        detail="goedkeuringen",
        case_of=lambda approval: approval.case,
    )


def approval_request_for_user(request, request_uuid) -> ApprovalRequest:
    approval = approval_requests_for_user(request).filter(uuid=request_uuid).first()
    if approval is None:
        raise not_found(request, APPROVAL)
    return approval


def pending_approval(request, case: Case, kind: str) -> ApprovalRequest | None:
    """The open four-eyes request of ``kind`` on a case the user was handed."""
    consulted(request, CASE)
    return ApprovalRequest.objects.filter(case=case, kind=kind, status=ApprovalRequest.Status.PENDING).first()

"""The summary of a case that a handover freezes, and how a viewer sees it later.

Generated when the handover starts (``cases.handovers.handover_create``) and stored as JSON with
the handover, so the receiver reads what was true when the case was passed on.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.apps import apps
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy

from access import policy
from accounts.models import User

from .constants import CaseRole, Task
from .models import Case, CaseMember, ContactMoment, HouseholdMember
from .owned_items import OWNED_ITEMS
from .selectors import zrm_overview

SUMMARY_CONTACTS = 5
SUMMARY_CONSENTS = 20
SUMMARY_SCHEMA = 1


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _name(user) -> str:
    return str(user) if user is not None else ""


CONSENT_STATUS_LABELS = {
    "geldig": gettext_lazy("Geldig"),
    "verlopen": gettext_lazy("Verlopen"),
    "ingetrokken": gettext_lazy("Ingetrokken"),
    "toekomstig": gettext_lazy("Nog niet ingegaan"),
}


def _workplan_sections(case: Case) -> dict:
    """Open goals (with their open actions), open agreements, duties and the last plan version."""
    empty = {"goals": [], "agreements": [], "duties": [], "workplan": None}
    if not apps.is_installed("workplans"):
        return empty
    workplan_model = apps.get_model("workplans", "Workplan")
    goal_model = apps.get_model("workplans", "Goal")
    action_model = apps.get_model("workplans", "Action")
    agreement_model = apps.get_model("workplans", "Agreement")
    goal_item, action_item, agreement_item = OWNED_ITEMS
    today = timezone.localdate()
    workplan = workplan_model.objects.filter(case=case).first()
    sections = dict(empty)
    if workplan is not None:
        goals = (
            goal_model.objects.filter(goal_item.open_q, workplan=workplan)
            .select_related("owner", "owner_organisation")
            .prefetch_related(
                Prefetch(
                    "actions",
                    queryset=action_model.objects.filter(action_item.open_q).select_related("professional", "party"),
                    to_attr="open_actions",
                )
            )
            .order_by("position", "id")
        )
        sections["goals"] = [
            {
                "description": goal.description,
                "life_domain": goal.get_life_domain_display(),
                "term": goal.get_term_display(),
                "status": goal.get_status_display(),
                "owner": _name(goal.owner),
                "owner_organisation": goal.owner_organisation.name if goal.owner_organisation_id else "",
                "target_on": _iso(goal.target_date),
                "actions": [
                    {
                        "description": action.description,
                        "professional": _name(action.professional),
                        "party": action.party.name,
                        "status": action.get_status_display(),
                        "start_on": _iso(action.start_on),
                        "end_on": _iso(action.end_on),
                    }
                    for action in goal.open_actions
                ],
            }
            for goal in goals
        ]
        sections["duties"] = [
            {
                "duty": duty.duty,
                "label": duty.get_duty_display(),
                "next_due_on": _iso(duty.next_due_on),
                "last_done_on": _iso(duty.last_done_on),
                "overdue": duty.next_due_on < today,
            }
            for duty in workplan.duties.order_by("duty")
        ]
        version = workplan.versions.order_by("-number").first()
        sections["workplan"] = {
            "status": workplan.get_status_display(),
            "version": version.number if version else None,
            "adopted_at": _iso(version.adopted_at) if version else None,
            "reason": version.reason if version else "",
            "review_due_on": _iso(workplan.review_due_on),
        }
    sections["agreements"] = [
        {
            "what": agreement.what,
            "owner": _name(agreement.owner),
            "organisation": agreement.owner_organisation.name,
            "due_on": _iso(agreement.due_on),
            "overdue": agreement.due_on < today,
        }
        for agreement in agreement_model.objects.filter(agreement_item.open_q, case=case)
        .select_related("owner", "owner_organisation")
        .order_by("due_on", "id")
    ]
    return sections


def handover_summary(
    case: Case,
    *,
    from_user: User,
    to_user: User,
    memberships: Sequence[CaseMember],
    note: str = "",
    intro_meeting_on: datetime.date | None = None,
) -> dict:
    """The handover summary as JSON, frozen in the handover.

    Coordinator and team, the household, the case team, open goals with owners, open agreements and
    duties with dates, the last contacts the receiver's organisation may read (never another
    organisation's notes under professional secrecy), the latest ZRM per domain, the safety flag,
    consents with their expiry, the last workplan version and the giver's note. Names are fine
    here: only the parties to the handover and the teamleider read it.
    Cost: about a dozen queries, once per handover.
    """
    consent_model = apps.get_model("consent", "Consent")
    now = timezone.now()
    if case.household_id:
        members = (
            HouseholdMember.objects.current()
            .filter(household_id=case.household_id)
            .select_related("client")
            .order_by("valid_from", "id")
        )
        household = {
            "name": case.household.name,
            "members": [
                {
                    "name": m.client.full_name,
                    "relation": m.get_relation_display(),
                    "born_on": _iso(m.client.date_of_birth),
                }
                for m in members
            ],
        }
    else:
        household = {
            "name": "",
            "members": [{"name": case.client.full_name, "relation": "", "born_on": _iso(case.client.date_of_birth)}],
        }
    case_team = [
        {
            "name": member.display_name,
            "organisation": member.organisation.name,
            "role": member.get_role_display(),
            "task": member.get_task_display(),
        }
        for member in CaseMember.objects.filter(case=case, valid_to__isnull=True)
        .select_related("user", "organisation")
        .order_by("role", "id")
    ]
    contacts = (
        # The summary is the receiver's: notes under a secrecy they are not bound by stay out of it.
        policy.filter_contact_moments(to_user, ContactMoment.objects.filter(case=case), case_checked=True)
        .select_related("professional")
        .order_by("-occurred_at", "-id")[:SUMMARY_CONTACTS]
    )
    zrm = [
        {
            "domain": row.domain,
            "label": str(row.label),
            "score": row.history[-1].score,
            "target_score": row.history[-1].target_score,
            "assessed_on": _iso(row.history[-1].assessed_on),
            "assessor": _name(row.history[-1].assessor),
            "disagreement": row.disagreement,
        }
        for row in zrm_overview(case).rows
    ]
    consents = (
        consent_model.objects.filter(client_id__in=policy.case_client_ids(case))
        .select_related("client", "purpose", "recipient_organisation")
        .order_by("client__family_name", "-given_at", "-id")[:SUMMARY_CONSENTS]
    )
    return {
        "schema": SUMMARY_SCHEMA,
        "generated_at": _iso(now),
        "transfer": {
            "from": _name(from_user),
            "to": _name(to_user),
            "roles": [{"role": m.role, "task": m.task} for m in memberships]
            or ([{"role": CaseRole.COORDINATOR.value, "task": Task.COORDINATIE.value}] if case.coordinator_id else []),
        },
        "case": {
            "number": case.number,
            "status": case.get_status_display(),
            "opened_on": _iso(case.opened_on),
            "team": case.team.name,
            "coordinator": _name(case.coordinator),
            "laws": [str(label) for label in case.law_labels],
            "summary": case.summary,
        },
        "safety": {
            "flag": case.has_safety_flag,
            "label": case.get_safety_concern_display() if case.safety_concern else "",
        },
        "household": household,
        "case_team": case_team,
        **_workplan_sections(case),
        "contacts": [
            {
                "occurred_at": _iso(contact.occurred_at),
                "channel": contact.get_channel_display(),
                "professional": _name(contact.professional),
                "summary": contact.summary,
                "restricted": contact.restricted,
                "professional_id": contact.professional_id,
                "author_team_id": contact.author_team_id,
            }
            for contact in contacts
        ],
        "zrm": zrm,
        "consents": [
            {
                "client": consent.client.full_name,
                "purpose": consent.purpose.name,
                "recipient": consent.recipient_label,
                "given_at": _iso(consent.given_at),
                "expires_at": _iso(consent.expires_at),
                "status": consent.status(now),
                "status_label": str(CONSENT_STATUS_LABELS.get(consent.status(now), consent.status(now))),
            }
            for consent in consents
        ],
        "note": note,
        "intro_meeting_on": _iso(intro_meeting_on),
    }


def _parse(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _parse(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_parse(v, key) for v in value]
    if isinstance(value, str) and value:
        if key.endswith("_on"):
            return datetime.date.fromisoformat(value)
        if key.endswith("_at"):
            return datetime.datetime.fromisoformat(value)
    return value


def summary_for_display(summary: dict, *, viewer: User) -> dict:
    """The stored summary with dates as dates, without the notes under a secrecy the viewer is not bound by.

    The summary was made for the receiver; a giver or teamleider reading it sees a restricted note only as
    its author or as a wijkcoach or regisseur of the author's team (``access.policy.may_read_restricted``).
    """
    data = _parse(summary)
    data["contacts"] = [
        c
        for c in data.get("contacts", [])
        if not c.get("restricted")
        or policy.may_read_restricted(
            viewer, author_id=c.get("professional_id"), author_team_id=c.get("author_team_id")
        )
    ]
    return data

"""The entries of the data-category registry (``access.registry``): model label -> field -> category.

Every concrete field (primary key, foreign keys by field name, many-to-many) of
every model that holds personal data of clients has exactly one entry; models
that hold none are listed in ``NON_PERSONAL_MODELS``. ``tests/consent/test_registry.py``
fails when a model or field is added without a choice here, or when an entry goes
stale.

How to choose (conservative: when in doubt, the narrower category):

- ``administratief``: what makes the process work (ids, numbers, status, process
  dates, team, coordinator, who recorded what, which law applies). Shown with
  every purpose.
- ``notities``: free text that may hold anything (summaries, notes, reasoning,
  minutes, agreements), and short free text that names a provision or a person
  outside the household.
- ``BY_RECORD_CATEGORY``: free text of a record that carries its own ``category``
  (contact moments, referrals, agenda items, agreements): the author chose what it
  is about, or it follows a goal's life domain, so a partner whose purpose
  excludes finances never reads "aanmelding bij schuldhulpverlening" as a note.
- ``BY_LIFE_DOMAIN``: content of a record that belongs to one ZRM life domain,
  only on models whose domain field is called ``domain`` (the registry reads it).
  ``workplans.Goal`` calls it ``life_domain``, so its fields use fixed categories.
- References to the client a record is about are ``identiteit``; references to
  a household member within a case (who was assessed, who took part) are
  ``huishouden``.
- Names and work contact details of professionals (case members, meeting
  participants) are ``administratief``: they are not the client's contact data.
"""

from __future__ import annotations

from consent.constants import BY_LIFE_DOMAIN, BY_RECORD_CATEGORY, DataCategory

ADMIN = DataCategory.ADMINISTRATIEF.value
IDENTITY = DataCategory.IDENTITEIT.value
CONTACT = DataCategory.CONTACT.value
HOUSEHOLD = DataCategory.HUISHOUDEN.value
SAFETY = DataCategory.VEILIGHEID.value
NOTES = DataCategory.NOTITIES.value


def _admin(*names: str) -> dict[str, str]:
    return dict.fromkeys(names, ADMIN)


# Fields every ``cases.models.TimestampedModel`` has.
_TIMESTAMPED = _admin("id", "uuid", "created_at", "updated_at")

FIELD_CATEGORIES: dict[str, dict[str, str]] = {
    # --- cases -----------------------------------------------------------------------------
    "cases.Client": {
        **_TIMESTAMPED,
        "bsn": IDENTITY,
        "given_names": IDENTITY,
        "prefix": IDENTITY,
        "family_name": IDENTITY,
        "date_of_birth": IDENTITY,
        "gender": IDENTITY,
        "phone": CONTACT,
        "email": CONTACT,
        "street": CONTACT,
        "house_number": CONTACT,
        "house_number_addition": CONTACT,
        "postcode": CONTACT,
        "city": CONTACT,
        "registered_by_team": ADMIN,
    },
    "cases.Household": {
        **_TIMESTAMPED,
        # Usually the family name ("Huishouden Jansen").
        "name": HOUSEHOLD,
        "registered_by_team": ADMIN,
    },
    "cases.HouseholdMember": {
        "id": ADMIN,
        "household": HOUSEHOLD,
        "client": HOUSEHOLD,
        "relation": HOUSEHOLD,
        # The membership period is the composition's history (who lived where, when).
        "valid_from": HOUSEHOLD,
        "valid_to": HOUSEHOLD,
    },
    "cases.Case": {
        **_TIMESTAMPED,
        **_admin(
            "number",
            "status",
            "closing_reason",
            "team",
            "coordinator",
            "law_wmo",
            "law_jeugdwet",
            "law_participatiewet",
            "law_wgs",
            "opened_on",
            "closed_on",
            "lock_version",
        ),
        "household": HOUSEHOLD,
        "client": IDENTITY,
        "safety_concern": SAFETY,
        "summary": NOTES,
    },
    "cases.CaseStatusChange": {
        **_admin("id", "case", "from_status", "to_status", "actor", "at"),
        "reason": NOTES,
    },
    "cases.CaseMember": _admin(
        "id",
        "uuid",
        "case",
        "user",
        "organisation",
        "contact_name",
        "contact_email",
        "contact_phone",
        "role",
        "task",
        "purpose",
        "valid_from",
        "valid_to",
    ),
    "cases.LifeDomainAssessment": {
        **_admin("id", "uuid", "case", "assessor", "assessed_on", "created_at"),
        "client": HOUSEHOLD,
        "domain": BY_LIFE_DOMAIN,
        "score": BY_LIFE_DOMAIN,
        "target_score": BY_LIFE_DOMAIN,
        # Written about the one domain scored: a rationale for "middelengebruik" is about addiction.
        "rationale": BY_LIFE_DOMAIN,
    },
    "cases.ContactMoment": {
        **_admin(
            "id",
            "uuid",
            "case",
            "occurred_at",
            "channel",
            "professional",
            "category",
            "restricted",
            "author_team",
            "author_organisation",
            "created_at",
        ),
        "participants": HOUSEHOLD,
        "summary": BY_RECORD_CATEGORY,
    },
    "cases.Signal": {
        **_TIMESTAMPED,
        **_admin(
            "team",
            "source",
            "received_at",
            "triage_deadline",
            "outcome",
            "triaged_at",
            "triaged_by",
            "case",
            "reporter_informed_at",
            "reporter_informed_how",
            "subject_informed_at",
            "subject_informed_how",
            "created_by",
        ),
        # The melder is somebody else (a neighbour, a teacher): never with the registration data.
        "reporter_name": NOTES,
        "reporter_contact": NOTES,
        "client": IDENTITY,
        "subject_description": IDENTITY,
        "what_was_seen": NOTES,
        "outcome_note": NOTES,
    },
    "cases.Referral": {
        **_TIMESTAMPED,
        **_admin(
            "case",
            "organisation",
            "status",
            "sent_on",
            "expected_start_on",
            "accepted_on",
            "declined_on",
            "completed_on",
            "withdrawn_on",
            "created_by",
            "category",
        ),
        "provision": BY_RECORD_CATEGORY,
        "question": BY_RECORD_CATEGORY,
        "decline_reason": BY_RECORD_CATEGORY,
    },
    "cases.Intake": {
        **_TIMESTAMPED,
        **_admin("case", "conducted_on", "conducted_by", "triage_decision", "decided_on", "decided_by"),
        "notes": NOTES,
        "triage_note": NOTES,
    },
    "cases.IntakeDomain": {
        **_admin("id", "intake"),
        "domain": BY_LIFE_DOMAIN,
        "situation": BY_LIFE_DOMAIN,
        "question": BY_LIFE_DOMAIN,
        "help_needed": BY_LIFE_DOMAIN,
    },
    "cases.ApprovalRequest": {
        **_TIMESTAMPED,
        **_admin("case", "kind", "requested_by", "status", "decided_by", "decided_at"),
        "reason": NOTES,
        # Holds a whole workplan snapshot when a plan adoption waits for approval.
        "payload": NOTES,
        "decision_note": NOTES,
    },
    "cases.Handover": {
        **_TIMESTAMPED,
        **_admin(
            "case",
            "batch",
            "from_user",
            "to_user",
            "created_by",
            "intro_meeting_on",
            "due_on",
            "status",
            "decided_at",
        ),
        # The frozen handover summary holds goals, agreements, contacts and the latest ZRM: free text.
        "summary": NOTES,
        "note": NOTES,
        "returned_reason": NOTES,
    },
    # --- workplans -------------------------------------------------------------------------
    "workplans.Workplan": {
        **_admin(
            "id",
            "uuid",
            "case",
            "status",
            "review_interval_weeks",
            "adopted_at",
            "review_due_on",
            "lock_version",
            "created_at",
            "updated_at",
        ),
        "problem_analysis": NOTES,
        "coordination_agreements": NOTES,
        "client_support_agreements": NOTES,
    },
    "workplans.WorkplanVersion": {
        **_admin("id", "uuid", "workplan", "number", "adopted_by", "adopted_at", "approved_by"),
        # The whole plan as it was: goals of every life domain and free text.
        "snapshot": NOTES,
        "reason": NOTES,
    },
    "workplans.AnalysisEntry": {
        **_admin("id", "uuid", "workplan", "period_from", "period_to"),
        "client": HOUSEHOLD,
        "provision": NOTES,
        "party": NOTES,
        "outcome": NOTES,
    },
    "workplans.Goal": {
        **_admin(
            "id",
            "uuid",
            "workplan",
            "term",
            "horizon_years",
            "owner",
            "owner_organisation",
            "status",
            "target_date",
            "position",
            "lock_version",
            "created_at",
            "status_changed_at",
        ),
        # Not ``domain``: the registry cannot follow it, so the goal's content goes with the notes.
        "life_domain": NOTES,
        "description": NOTES,
        "client_words": NOTES,
    },
    "workplans.ProgressReview": {
        **_admin("id", "goal", "reviewed_on", "reviewer", "status"),
        "note": NOTES,
    },
    "workplans.Action": {
        **_admin("id", "uuid", "goal", "party", "professional", "start_on", "end_on", "status"),
        "description": NOTES,
    },
    "workplans.CoordinationDuty": _admin("id", "workplan", "duty", "interval_days", "next_due_on", "last_done_on"),
    "workplans.DutyRecord": {
        **_admin("id", "uuid", "duty", "done_on", "done_by", "created_at"),
        "what": NOTES,
        "outcome": NOTES,
    },
    "workplans.Obstacle": {
        **_admin(
            "id",
            "uuid",
            "workplan",
            "category",
            "party",
            "raised_on",
            "resolved_on",
            "raised_by",
            "approved_for_publication",
        ),
        "description": NOTES,
        "published_description": NOTES,
    },
    "workplans.ClientInvolvement": {
        **_admin("id", "uuid", "workplan", "occurred_on", "how", "recorded_by"),
        "participants": HOUSEHOLD,
        "general_view": NOTES,
    },
    "workplans.GoalView": {
        **_admin("id", "involvement", "goal"),
        "view": NOTES,
    },
    "workplans.Meeting": {
        **_admin(
            "id",
            "uuid",
            "kind",
            "team",
            "starts_at",
            "duration_minutes",
            "location",
            "video_link",
            "chair",
            "status",
            "ics_sequence",
            "created_by",
            "created_at",
        ),
        # A casusoverleg is often titled after the family.
        "title": NOTES,
        "general_notes": NOTES,
    },
    # The client or a relative may be invited to a casusoverleg, so participants are personal data.
    "workplans.MeetingParticipant": {
        **_admin("id", "uuid", "meeting", "user", "organisation", "contact_name", "contact_email", "attendance"),
        "absence_reason": NOTES,
    },
    "workplans.AgendaItem": {
        **_admin("id", "uuid", "meeting", "case", "position", "minutes_planned", "category", "lock_version"),
        "question": BY_RECORD_CATEGORY,
        "decisions": BY_RECORD_CATEGORY,
        "reasoning": BY_RECORD_CATEGORY,
    },
    "workplans.Agreement": {
        **_admin(
            "id",
            "uuid",
            "case",
            "meeting",
            "owner",
            "owner_organisation",
            "due_on",
            "status",
            "goal",
            "created_by",
            "created_at",
            "closed_at",
            "category",
        ),
        "what": BY_RECORD_CATEGORY,
        "status_note": BY_RECORD_CATEGORY,
    },
    # --- consent ---------------------------------------------------------------------------
    "consent.Consent": {
        **_admin(
            "id",
            "uuid",
            "purpose",
            "recipient_organisation",
            "recipient_type",
            "given_at",
            "expires_at",
            "method",
            "witness",
            "recorded_by",
            "withdrawn_at",
            "withdrawn_recorded_by",
        ),
        "client": IDENTITY,
        # A parent, guardian or curator: a relation of the client.
        "representative_name": HOUSEHOLD,
        "scope_note": NOTES,
        "withdrawn_reason": NOTES,
    },
    "consent.Disclosure": {
        **_admin(
            "id",
            "at",
            "channel",
            "case",
            "categories",
            "recipient_organisation",
            "recipient_user",
            "recipient_description",
            "purpose",
            "legal_basis",
            "consent",
            "disclosed_by",
            "route",
        ),
        "client": IDENTITY,
    },
    "consent.CorrectionRequest": {
        **_admin("id", "uuid", "received_on", "status", "recorded_by", "handled_by", "handled_at"),
        "client": IDENTITY,
        "request": NOTES,
        "resolution": NOTES,
    },
    "consent.LegalHold": {
        **_admin("id", "uuid", "case", "placed_by", "placed_at", "lifted_at", "lifted_by"),
        "reason": NOTES,
    },
    "consent.BreakGlassGrant": {
        **_admin(
            "id",
            "uuid",
            "user",
            "case",
            "granted_at",
            "expires_at",
            "reviewed_by",
            "reviewed_at",
            "verdict",
            "ended_at",
            "ended_by",
        ),
        # The stated reason usually describes the client's situation.
        "reason": NOTES,
        "review_note": NOTES,
    },
    "consent.AccessLogEntry": {
        **_admin("id", "at", "user", "case", "action", "route", "purpose", "task"),
        "client": IDENTITY,
        "reason": NOTES,
        "detail": NOTES,
    },
}

# Models that hold no personal data of clients: configuration, counters, object permissions,
# the purposes themselves, and the retention register (number, law and dates only).
NON_PERSONAL_MODELS: frozenset[str] = frozenset(
    {
        "cases.CaseCounter",
        "cases.TeamCaseSettings",
        "cases.CaseUserObjectPermission",
        "cases.CaseGroupObjectPermission",
        "workplans.TeamWorkplanSettings",
        "consent.Purpose",
        "consent.RetentionPolicy",
        "consent.RetentionRecord",
    }
)

"""Writes of the case file. Services are the only writers.

Each service is keyword-only, takes the ``actor``, runs in a transaction and
calls ``full_clean()`` before saving, so a refused write leaves nothing behind.
Access (may this actor touch this case?) is checked before, by the callers'
access helpers in ``cases.selectors`` that ask ``access.policy``.

Where a service checks a rule itself with a clear message (one coordinator,
household xor client, a closing reason...), it calls
``full_clean(validate_constraints=False)``: the named database constraint
stays the last line of defence without a second query per constraint.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from access import policy
from accounts.constants import CASEWORK_ROLES, Role
from accounts.models import Membership, Organisation, Team, User
from accounts.services import notify
from consent.constants import DataCategory

from . import workflow
from .constants import (
    REFERRAL_CATEGORY_BY_ORGANISATION_TYPE,
    CaseRole,
    CaseStatus,
    Law,
    ReferralStatus,
    SignalOutcome,
    Task,
    TriageDecision,
)
from .models import (
    ApprovalRequest,
    Case,
    CaseCounter,
    CaseMember,
    CaseStatusChange,
    CaseUserObjectPermission,
    Client,
    ContactMoment,
    Household,
    HouseholdMember,
    Intake,
    IntakeDomain,
    LifeDomainAssessment,
    Referral,
    Signal,
    TeamCaseSettings,
)
from .validators import normalise_postcode
from .workdays import add_working_days

CASE_PERMISSIONS = ("view_case", "change_case")
READ_ONLY_ROLES = frozenset({CaseRole.PARTNER})


class StaleWrite(ValidationError):
    """Somebody else saved the record since it was loaded (optimistic locking)."""


# --- Clients and households -------------------------------------------------------

CLIENT_FIELDS = (
    "bsn",
    "given_names",
    "prefix",
    "family_name",
    "date_of_birth",
    "gender",
    "phone",
    "email",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "city",
)


def _clean_client(client: Client) -> None:
    bsn = (client.bsn or "").strip()
    # An 8-digit BSN is the same number left-padded: store one form, so uniqueness holds.
    client.bsn = bsn.zfill(9) if bsn.isascii() and bsn.isdigit() and len(bsn) == 8 else (bsn or None)
    client.postcode = normalise_postcode(client.postcode or "")
    client.full_clean(validate_constraints=False)
    if client.bsn and Client.objects.filter(bsn=client.bsn).exclude(pk=client.pk).exists():
        raise ValidationError({"bsn": _("Er is al een cliënt met dit BSN.")})
    client.validate_constraints()


@transaction.atomic
def client_create(*, actor: User, team: Team | None = None, **fields) -> Client:
    """Record a client. ``team`` is the registering team, which may then see the client before any case exists."""
    client = Client(**{k: v for k, v in fields.items() if k in CLIENT_FIELDS}, registered_by_team=team)
    _clean_client(client)
    try:
        with transaction.atomic():
            client.save()
    except IntegrityError as exc:  # a concurrent insert of the same BSN
        raise ValidationError({"bsn": _("Er is al een cliënt met dit BSN.")}) from exc
    return client


@transaction.atomic
def client_update(*, actor: User, client: Client, **fields) -> Client:
    for key, value in fields.items():
        if key in CLIENT_FIELDS:
            setattr(client, key, value)
    _clean_client(client)
    client.save()
    return client


@transaction.atomic
def household_create(
    *, actor: User, name: str, members: Sequence[tuple[Client, str]] = (), team: Team | None = None
) -> Household:
    household = Household(name=name, registered_by_team=team)
    household.full_clean()
    household.save()
    for client, relation in members:
        household_add_member(actor=actor, household=household, client=client, relation=relation)
    return household


@transaction.atomic
def household_add_member(
    *, actor: User, household: Household, client: Client, relation: str, valid_from: datetime.date | None = None
) -> HouseholdMember:
    """Add ``client`` to ``household``; a current membership elsewhere ends the day before."""
    start = valid_from or timezone.localdate()
    current = HouseholdMember.objects.select_for_update().filter(client=client, valid_to__isnull=True).first()
    if current is not None:
        if current.household_id == household.pk:
            raise ValidationError(_("%(client)s hoort al bij dit huishouden.") % {"client": client})
        if start <= current.valid_from:
            raise ValidationError(
                {"valid_from": _("De verhuisdatum moet na het begin van het huidige lidmaatschap liggen.")}
            )
        current.valid_to = start - datetime.timedelta(days=1)
        current.full_clean(validate_constraints=False)
        current.save(update_fields=["valid_to"])
    if HouseholdMember.objects.filter(client=client, valid_to__gte=start).exists():
        raise ValidationError({"valid_from": _("De cliënt woonde op deze datum nog in een ander huishouden.")})
    member = HouseholdMember(household=household, client=client, relation=relation, valid_from=start)
    member.full_clean(validate_constraints=False)
    member.save()
    return member


@transaction.atomic
def household_end_member(
    *, actor: User, member: HouseholdMember, valid_to: datetime.date | None = None
) -> HouseholdMember:
    end = valid_to or timezone.localdate()
    if end < member.valid_from:
        raise ValidationError({"valid_to": _("De einddatum ligt voor de begindatum.")})
    member.valid_to = end
    member.full_clean()
    member.save(update_fields=["valid_to"])
    return member


# --- Cases ------------------------------------------------------------------------


def _next_case_number(year: int) -> str:
    CaseCounter.objects.get_or_create(year=year)
    counter = CaseCounter.objects.select_for_update().get(year=year)
    counter.last_number = F("last_number") + 1
    counter.save(update_fields=["last_number"])
    counter.refresh_from_db(fields=["last_number"])
    return f"{year}-{counter.last_number:06d}"


def _set_laws(case: Case, laws: Iterable[str]) -> None:
    chosen = set(laws)
    unknown = chosen - set(Law.values)
    if unknown:
        raise ValidationError({"laws": _("Onbekende wet: %(laws)s") % {"laws": ", ".join(sorted(unknown))}})
    for law, field in Case.LAW_FIELDS.items():
        setattr(case, field, law in chosen)


@transaction.atomic
def case_open(
    *,
    actor: User,
    team: Team,
    household: Household | None = None,
    client: Client | None = None,
    laws: Iterable[str] = (),
    safety_concern: str = "",
    summary: str = "",
    opened_on: datetime.date | None = None,
    add_actor_as: str | None = CaseRole.WIJKCOACH,
) -> Case:
    """Open a case (status aangemeld) for a household or a single client."""
    if (household is None) == (client is None):
        raise ValidationError(_("Een casus hoort bij een huishouden óf bij één cliënt."))
    opened = opened_on or timezone.localdate()
    case = Case(
        household=household,
        client=client,
        team=team,
        safety_concern=safety_concern,
        summary=summary,
        opened_on=opened,
        status=CaseStatus.AANGEMELD,
    )
    _set_laws(case, laws)
    case.number = _next_case_number(opened.year)
    case.full_clean(validate_constraints=False)
    case.save()
    CaseStatusChange.objects.create(case=case, from_status="", to_status=CaseStatus.AANGEMELD, actor=actor)
    if add_actor_as and actor is not None:
        case_member_add(actor=actor, case=case, user=actor, role=add_actor_as, task=Task.TOELEIDING)
    return case


def _check_version(case: Case, expected_version: int | None) -> None:
    if expected_version is None:
        return
    current = Case.objects.filter(pk=case.pk).values_list("lock_version", flat=True).first()
    if current != expected_version:
        raise StaleWrite(
            _("Iemand anders heeft deze casus intussen gewijzigd. Bekijk de nieuwe gegevens en probeer het opnieuw."),
            code="stale",
        )


def _bump_version(case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(lock_version=F("lock_version") + 1)
    case.lock_version += 1


@transaction.atomic
def case_update(
    *,
    actor: User,
    case: Case,
    expected_version: int | None = None,
    laws: Iterable[str] | None = None,
    safety_concern: str | None = None,
    summary: str | None = None,
) -> Case:
    """Change the case's laws, safety flag or summary, refusing a stale write."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_version(case, expected_version)
    if laws is not None:
        _set_laws(case, laws)
    if safety_concern is not None:
        case.safety_concern = safety_concern
    if summary is not None:
        case.summary = summary
    case.full_clean(validate_constraints=False)
    case.save()
    _bump_version(case)
    return case


@transaction.atomic
def case_transition(
    *,
    actor: User,
    case: Case,
    to_status: str,
    reason: str = "",
    closing_reason: str = "",
    expected_version: int | None = None,
    approval: ApprovalRequest | None = None,
) -> Case:
    """Move the case to ``to_status`` when the transitions table allows it; append the history row.

    With the team's four-eyes setting on, closing needs an approved request
    (use ``case_request_closure``).
    """
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check_version(case, expected_version)
    if (
        to_status == CaseStatus.AFGESLOTEN
        and four_eyes_required(case.team)
        and (approval is None or approval.status != ApprovalRequest.Status.APPROVED)
    ):
        raise ValidationError(
            {"status": _("Dit team werkt met het vier-ogenprincipe: vraag de teamleider om de casus af te sluiten.")}
        )
    if to_status not in CaseStatus.values:
        raise ValidationError({"status": _("Onbekende status: %(status)s.") % {"status": to_status}})
    if not workflow.is_allowed(case.status, to_status):
        raise ValidationError(
            {
                "status": _("Een casus met status '%(from)s' kan niet naar '%(to)s'.")
                % {"from": CaseStatus(case.status).label, "to": CaseStatus(to_status).label}
            }
        )
    if to_status in workflow.NEEDS_CLOSING_REASON:
        if not closing_reason:
            raise ValidationError({"closing_reason": _("Kies een reden om de casus af te sluiten.")})
        case.closing_reason = closing_reason
        case.closed_on = timezone.localdate()
    from_status = case.status
    case.status = to_status
    case.full_clean(validate_constraints=False)
    case.save()
    _bump_version(case)
    CaseStatusChange.objects.create(case=case, from_status=from_status, to_status=to_status, reason=reason, actor=actor)
    return case


# --- Case team ----------------------------------------------------------------


@transaction.atomic
def case_member_add(
    *,
    actor: User,
    case: Case,
    role: str,
    user: User | None = None,
    organisation: Organisation | None = None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    task: str = Task.HULPVERLENING,
    purpose=None,
) -> CaseMember:
    """Add a professional or partner contact; grants the object permissions in the same transaction.

    Someone from outside the municipality joins for a purpose (``consent.Purpose``) that may be shared
    with their kind of organisation: the purpose decides which data they see (``access.policy``).
    """
    if user is None and not contact_name:
        raise ValidationError(_("Kies een professional of vul de naam van de contactpersoon in."))
    if user is not None:
        organisation = user.organisation or organisation
        if not user.is_active:
            raise ValidationError({"user": _("Deze gebruiker is niet actief.")})
        roles = set(Membership.objects.current().filter(user=user).values_list("role", flat=True))
        if not roles & {*CASEWORK_ROLES, Role.PARTNER}:
            raise ValidationError(
                {"user": _("Alleen professionals die aan casussen werken kunnen lid worden van een casusteam.")}
            )
        if CaseMember.objects.filter(case=case, user=user, role=role, valid_to__isnull=True).exists():
            raise ValidationError({"user": _("%(user)s heeft deze rol al in de casus.") % {"user": user}})
    if organisation is None:
        raise ValidationError({"organisation": _("Kies de organisatie.")})
    if role == CaseRole.COORDINATOR and CaseMember.objects.filter(case=case, role=role, valid_to__isnull=True).exists():
        raise ValidationError({"role": _("De casus heeft al een regievoerder. Wissel de regievoerder.")})
    if not organisation.is_municipality:
        if purpose is None:
            raise ValidationError(
                {"purpose": _("Kies het doel waarvoor deze partner meedoet: dat bepaalt welke gegevens zij zien.")}
            )
        if not purpose.active or not purpose.shares_with(organisation.type):
            raise ValidationError(
                {"purpose": _("Voor dit doel mogen geen gegevens worden gedeeld met %(org)s.") % {"org": organisation}}
            )
    member = CaseMember(
        case=case,
        user=user,
        organisation=organisation,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        role=role,
        task=task,
        purpose=purpose,
    )
    member.full_clean(validate_constraints=False)
    member.save()
    if user is not None:
        _sync_object_permissions(case=case, user=user)
    if role == CaseRole.COORDINATOR:
        Case.objects.filter(pk=case.pk).update(coordinator=user)
        case.coordinator = user
    return member


@transaction.atomic
def case_member_end(*, actor: User, member: CaseMember, valid_to: datetime.date | None = None) -> CaseMember:
    """End a case membership; revokes the object permissions in the same transaction."""
    if member.valid_to is not None:
        raise ValidationError(_("Dit lidmaatschap is al beëindigd."))
    end = valid_to or timezone.localdate()
    if end < member.valid_from:
        end = member.valid_from
    member.valid_to = end
    member.full_clean(validate_constraints=False)
    member.save(update_fields=["valid_to"])
    if member.user_id:
        _sync_object_permissions(case=member.case, user=member.user)
    if member.role == CaseRole.COORDINATOR:
        Case.objects.filter(pk=member.case_id, coordinator_id=member.user_id).update(coordinator=None)
    return member


def _sync_object_permissions(*, case: Case, user: User) -> None:
    """Object permissions (django-guardian, direct foreign-key table) follow the user's current
    memberships of the case. Four queries, in the caller's transaction."""
    roles = set(CaseMember.objects.filter(case=case, user=user, valid_to__isnull=True).values_list("role", flat=True))
    wanted = set()
    if roles:
        wanted.add("view_case")
        if roles - READ_ONLY_ROLES:
            wanted.add("change_case")
    permissions = {
        p.codename: p for p in Permission.objects.filter(content_type__app_label="cases", codename__in=CASE_PERMISSIONS)
    }
    existing = set(
        CaseUserObjectPermission.objects.filter(user=user, content_object=case).values_list(
            "permission__codename", flat=True
        )
    )
    CaseUserObjectPermission.objects.bulk_create(
        CaseUserObjectPermission(user=user, content_object=case, permission=permissions[codename])
        for codename in wanted - existing
    )
    stale = existing - wanted
    if stale:
        CaseUserObjectPermission.objects.filter(user=user, content_object=case, permission__codename__in=stale).delete()


@transaction.atomic
def case_set_coordinator(*, actor: User, case: Case, user: User, task: str = Task.COORDINATIE) -> CaseMember:
    """Make ``user`` the coordinator (regievoerder), ending the previous one's coordinator role."""
    for current in CaseMember.objects.select_for_update().filter(
        case=case, role=CaseRole.COORDINATOR, valid_to__isnull=True
    ):
        if current.user_id == user.pk:
            return current
        case_member_end(actor=actor, member=current)
    return case_member_add(actor=actor, case=case, user=user, role=CaseRole.COORDINATOR, task=task)


# --- Assessments and contacts -------------------------------------------------


@dataclass(frozen=True)
class ScoreInput:
    domain: str
    score: int
    target_score: int | None = None
    rationale: str = ""


@transaction.atomic
def assessments_record(
    *,
    actor: User,
    case: Case,
    scores: Sequence[ScoreInput],
    assessed_on: datetime.date | None = None,
    client: Client | None = None,
) -> list[LifeDomainAssessment]:
    """Record ZRM scores for the domains that matter (not all 13 by force)."""
    if not scores:
        raise ValidationError(_("Scoor ten minste één leefgebied."))
    domains = [s.domain for s in scores]
    if len(domains) != len(set(domains)):
        raise ValidationError(_("Elk leefgebied mag maar één keer gescoord worden per beoordeling."))
    created = []
    for item in scores:
        assessment = LifeDomainAssessment(
            case=case,
            client=client,
            domain=item.domain,
            score=item.score,
            target_score=item.target_score,
            rationale=item.rationale,
            assessor=actor,
            assessed_on=assessed_on or timezone.localdate(),
        )
        assessment.full_clean(validate_constraints=False)
        created.append(assessment)
    return LifeDomainAssessment.objects.bulk_create(created)


@transaction.atomic
def contact_record(
    *,
    actor: User,
    case: Case,
    occurred_at: datetime.datetime,
    channel: str,
    summary: str,
    participants: Iterable[Client] = (),
    restricted: bool = False,
    category: str = DataCategory.NOTITIES,
) -> ContactMoment:
    """Record a contact moment about ``category`` (what it is about: a partner sees it only within their
    purpose). ``restricted`` puts it under professional secrecy (beroepsgeheim): only the author and the
    wijkcoaches and regisseurs of the author's team read it (ADR 0005), so only they may write one."""
    if occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"occurred_at": _("Een contactmoment kan niet in de toekomst liggen.")})
    secrecy_teams = policy.secrecy_team_ids(actor)
    if restricted and not secrecy_teams:
        raise ValidationError(
            {"restricted": _("Alleen een wijkcoach of casusregisseur legt een notitie onder beroepsgeheim vast.")}
        )
    # The author's team: the case's team when the author works in it under the secrecy (or at all), else the
    # team whose secrecy binds them.
    if case.team_id in secrecy_teams or (not restricted and case.team_id in policy.casework_team_ids(actor)):
        author_team_id = case.team_id
    else:
        author_team_id = min(secrecy_teams or policy.casework_team_ids(actor), default=None)
    contact = ContactMoment(
        case=case,
        occurred_at=occurred_at,
        channel=channel,
        summary=summary,
        professional=actor,
        restricted=restricted,
        category=category,
        author_team_id=author_team_id,
        author_organisation=actor.organisation,
    )
    contact.full_clean(validate_constraints=False)
    contact.save()
    participants = list(participants)
    if participants:
        contact.participants.set(participants)
    return contact


# --- Signals ------------------------------------------------------------------


def triage_working_days(team: Team) -> int:
    settings_row = TeamCaseSettings.objects.filter(team=team).first()
    return (
        settings_row.triage_working_days
        if settings_row
        else TeamCaseSettings._meta.get_field("triage_working_days").default
    )


@transaction.atomic
def signal_record(
    *,
    actor: User,
    team: Team,
    source: str,
    what_was_seen: str,
    client: Client | None = None,
    subject_description: str = "",
    reporter_name: str = "",
    reporter_contact: str = "",
    received_at: datetime.datetime | None = None,
) -> Signal:
    """Register a melding in the team's inbox with its triage deadline in working days."""
    received = received_at or timezone.now()
    signal = Signal(
        team=team,
        source=source,
        what_was_seen=what_was_seen,
        client=client,
        subject_description=subject_description,
        reporter_name=reporter_name,
        reporter_contact=reporter_contact,
        received_at=received,
        triage_deadline=add_working_days(timezone.localdate(received), triage_working_days(team)),
        created_by=actor,
    )
    if client is None and not subject_description.strip():
        raise ValidationError({"subject_description": _("Vul in over wie de melding gaat.")})
    signal.full_clean()
    signal.save()
    return signal


@transaction.atomic
def signal_triage(
    *,
    actor: User,
    signal: Signal,
    outcome: str,
    note: str = "",
    case: Case | None = None,
    new_case_household: Household | None = None,
    new_case_client: Client | None = None,
    laws: Iterable[str] = (),
) -> Signal:
    """Decide what happens with a signal. ``nieuwe_casus`` opens a case; ``bestaande_casus`` links one."""
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if signal.outcome:
        raise ValidationError(_("Deze melding is al getrieerd."))
    if outcome not in SignalOutcome.values:
        raise ValidationError({"outcome": _("Kies een uitkomst.")})
    if outcome == SignalOutcome.BESTAANDE_CASUS:
        if case is None:
            raise ValidationError({"case": _("Kies de bestaande casus.")})
        signal.case = case
    elif outcome == SignalOutcome.NIEUWE_CASUS:
        if new_case_household is None and new_case_client is None:
            new_case_client = signal.client
        if signal.client_id is None and new_case_client is not None:
            signal.client = new_case_client
        if new_case_household is None and new_case_client is None:
            raise ValidationError(
                {"client": _("Leg eerst vast over welke cliënt de melding gaat voordat u een casus opent.")}
            )
        signal.case = case_open(
            actor=actor,
            team=signal.team,
            household=new_case_household,
            client=None if new_case_household else new_case_client,
            laws=laws,
            summary=signal.what_was_seen[:300],
        )
    signal.outcome = outcome
    signal.outcome_note = note
    signal.triaged_at = timezone.now()
    signal.triaged_by = actor
    signal.full_clean()
    signal.save()
    return signal


@transaction.atomic
def signal_record_informed(
    *, actor: User, signal: Signal, who: str, how: str, at: datetime.datetime | None = None
) -> Signal:
    """Record that the reporter or the person reported was informed (the meldpunt must inform both)."""
    when = at or timezone.now()
    if who == "reporter":
        signal.reporter_informed_at, signal.reporter_informed_how = when, how
    elif who == "subject":
        signal.subject_informed_at, signal.subject_informed_how = when, how
    else:
        raise ValidationError(_("Kies wie er is geïnformeerd."))
    signal.full_clean()
    signal.save()
    return signal


# --- Referrals ----------------------------------------------------------------

REFERRAL_TRANSITIONS = {
    ReferralStatus.VERSTUURD: {ReferralStatus.GEACCEPTEERD, ReferralStatus.AFGEWEZEN, ReferralStatus.INGETROKKEN},
    ReferralStatus.GEACCEPTEERD: {ReferralStatus.AFGEROND, ReferralStatus.INGETROKKEN},
    ReferralStatus.AFGEWEZEN: set(),
    ReferralStatus.AFGEROND: set(),
    ReferralStatus.INGETROKKEN: set(),
}
_REFERRAL_DATE_FIELD = {
    ReferralStatus.GEACCEPTEERD: "accepted_on",
    ReferralStatus.AFGEWEZEN: "declined_on",
    ReferralStatus.AFGEROND: "completed_on",
    ReferralStatus.INGETROKKEN: "withdrawn_on",
}


@transaction.atomic
def referral_send(
    *,
    actor: User,
    case: Case,
    question: str,
    organisation: Organisation | None = None,
    provision: str = "",
    expected_start_on: datetime.date | None = None,
    category: str | None = None,
) -> Referral:
    """A referral about ``category`` (the life domain of the question; when not chosen, the one the kind of
    organisation stands for, else "notities")."""
    if organisation is None and not provision.strip():
        raise ValidationError({"organisation": _("Kies een partnerorganisatie of vul een voorziening in.")})
    if not category:
        category = REFERRAL_CATEGORY_BY_ORGANISATION_TYPE.get(organisation.type if organisation else "", "notities")
    referral = Referral(
        case=case,
        organisation=organisation,
        provision=provision,
        question=question,
        category=category,
        expected_start_on=expected_start_on,
        created_by=actor,
    )
    referral.full_clean()
    referral.save()
    return referral


@transaction.atomic
def referral_transition(
    *, actor: User, referral: Referral, to_status: str, reason: str = "", on: datetime.date | None = None
) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if to_status not in REFERRAL_TRANSITIONS.get(referral.status, set()):
        raise ValidationError(
            {
                "status": _("Een verwijzing met status '%(from)s' kan niet naar '%(to)s'.")
                % {"from": ReferralStatus(referral.status).label, "to": ReferralStatus(to_status).label}
            }
        )
    if to_status == ReferralStatus.AFGEWEZEN and not reason.strip():
        raise ValidationError({"decline_reason": _("Vul de reden van afwijzing in.")})
    referral.status = to_status
    referral.decline_reason = reason if to_status == ReferralStatus.AFGEWEZEN else referral.decline_reason
    setattr(referral, _REFERRAL_DATE_FIELD[to_status], on or timezone.localdate())
    referral.full_clean()
    referral.save()
    return referral


# --- Intake and triage ---------------------------------------------------------


@dataclass(frozen=True)
class IntakeDomainInput:
    domain: str
    situation: str = ""
    question: str = ""
    help_needed: bool = False


@transaction.atomic
def intake_record(
    *,
    actor: User,
    case: Case,
    domains: Sequence[IntakeDomainInput],
    notes: str = "",
    conducted_on: datetime.date | None = None,
) -> Intake:
    """Record the kitchen-table conversation; moves an aangemeld case into intake."""
    if not any(d.situation.strip() or d.question.strip() or d.help_needed for d in domains):
        raise ValidationError(_("Beschrijf ten minste één leefgebied."))
    if hasattr(case, "intake"):
        raise ValidationError(_("Voor deze casus is al een intake vastgelegd."))
    if case.status == CaseStatus.AANGEMELD:
        case = case_transition(actor=actor, case=case, to_status=CaseStatus.INTAKE)
    elif case.status != CaseStatus.INTAKE:
        raise ValidationError(_("Een intake kan alleen bij een aangemelde casus."))
    intake = Intake(case=case, conducted_by=actor, notes=notes, conducted_on=conducted_on or timezone.localdate())
    intake.full_clean()
    intake.save()
    rows = []
    for item in domains:
        if not (item.situation.strip() or item.question.strip() or item.help_needed):
            continue
        row = IntakeDomain(
            intake=intake,
            domain=item.domain,
            situation=item.situation,
            question=item.question,
            help_needed=item.help_needed,
        )
        row.full_clean(exclude=["intake"])
        rows.append(row)
    IntakeDomain.objects.bulk_create(rows)
    return intake


@transaction.atomic
def intake_triage(
    *,
    actor: User,
    case: Case,
    decision: str,
    note: str = "",
    coordinator: User | None = None,
    referral_organisation: Organisation | None = None,
    referral_provision: str = "",
    referral_question: str = "",
) -> Case:
    """The triage decision: single problem -> refer and route; multi-problem -> coordinated case."""
    intake = Intake.objects.select_for_update().filter(case=case).first()
    if intake is None:
        raise ValidationError(_("Leg eerst de intake vast."))
    if intake.triage_decision:
        raise ValidationError(_("Voor deze intake is al een triagebesluit genomen."))
    if decision not in TriageDecision.values:
        raise ValidationError({"triage_decision": _("Kies enkelvoudig of meervoudig.")})
    case = Case.objects.select_for_update().get(pk=case.pk)  # the caller's copy may be stale
    if case.status == CaseStatus.INTAKE:
        case = case_transition(actor=actor, case=case, to_status=CaseStatus.TRIAGE, reason=note)
    elif case.status != CaseStatus.TRIAGE:
        raise ValidationError(_("Een triagebesluit kan alleen na de intake."))
    if decision == TriageDecision.ENKELVOUDIG:
        referral_send(
            actor=actor,
            case=case,
            organisation=referral_organisation,
            provision=referral_provision,
            question=referral_question or note,
        )
        case = case_transition(actor=actor, case=case, to_status=CaseStatus.ENKELVOUDIG_DOORVERWEZEN, reason=note)
    else:
        if coordinator is None:
            raise ValidationError({"coordinator": _("Kies de regievoerder van de gecoördineerde aanpak.")})
        case_set_coordinator(actor=actor, case=case, user=coordinator)
        case = case_transition(actor=actor, case=case, to_status=CaseStatus.ACTIEF, reason=note)
    intake.triage_decision = decision
    intake.triage_note = note
    intake.decided_on = timezone.localdate()
    intake.decided_by = actor
    intake.full_clean()
    intake.save()
    return case


# --- Four eyes ----------------------------------------------------------------


def four_eyes_required(team: Team) -> bool:
    return TeamCaseSettings.objects.filter(team=team, four_eyes=True).exists()


def _teamleaders(team: Team):
    return User.objects.filter(
        is_active=True, memberships__in=Membership.objects.current().filter(team=team, role=Role.TEAMLEIDER)
    ).distinct()


@transaction.atomic
def approval_request(
    *, actor: User, case: Case, kind: str, reason: str = "", payload: dict | None = None
) -> ApprovalRequest:
    """Ask the team's teamleider(s) to approve; they are notified."""
    if ApprovalRequest.objects.filter(case=case, kind=kind, status=ApprovalRequest.Status.PENDING).exists():
        raise ValidationError(_("Er staat al een verzoek om goedkeuring open."))
    request = ApprovalRequest(case=case, kind=kind, requested_by=actor, reason=reason, payload=payload or {})
    request.full_clean()
    request.save()
    for leader in _teamleaders(case.team):
        notify(
            user=leader,
            title=_("Verzoek om goedkeuring: %(kind)s (casus %(number)s)")
            % {"kind": request.get_kind_display(), "number": case.number},
            url="/goedkeuringen/",
        )
    return request


@transaction.atomic
def approval_record_decision(
    *, actor: User, request: ApprovalRequest, approve: bool, note: str = ""
) -> ApprovalRequest:
    """Record the teamleider's decision and notify the requester. The caller carries out an approval."""
    request = ApprovalRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ApprovalRequest.Status.PENDING:
        raise ValidationError(_("Over dit verzoek is al besloten."))
    if request.requested_by_id == actor.pk:
        raise ValidationError(_("U kunt uw eigen verzoek niet goedkeuren: daarvoor is het vier-ogenprincipe."))
    if not approve and not note.strip():
        raise ValidationError({"decision_note": _("Geef aan waarom u het verzoek afwijst.")})
    request.status = ApprovalRequest.Status.APPROVED if approve else ApprovalRequest.Status.REJECTED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    request.full_clean()
    request.save()
    notify(
        user=request.requested_by,
        title=_("%(kind)s (casus %(number)s): %(status)s")
        % {"kind": request.get_kind_display(), "number": request.case.number, "status": request.get_status_display()},
        body=note,
        url=f"/casussen/{request.case.uuid}/",
    )
    return request


@transaction.atomic
def case_request_closure(*, actor: User, case: Case, closing_reason: str, reason: str = "") -> Case | ApprovalRequest:
    """Close the case, or with four eyes on, ask the teamleider first."""
    if not closing_reason:
        raise ValidationError({"closing_reason": _("Kies een reden om de casus af te sluiten.")})
    if not workflow.is_allowed(case.status, CaseStatus.AFGESLOTEN):
        raise ValidationError({"status": _("Deze casus kan nu niet worden afgesloten.")})
    if four_eyes_required(case.team):
        return approval_request(
            actor=actor,
            case=case,
            kind=ApprovalRequest.Kind.CASE_CLOSE,
            reason=reason,
            payload={"closing_reason": closing_reason},
        )
    return case_transition(
        actor=actor, case=case, to_status=CaseStatus.AFGESLOTEN, closing_reason=closing_reason, reason=reason
    )


@transaction.atomic
def approval_decide_case_closure(
    *, actor: User, request: ApprovalRequest, approve: bool, note: str = ""
) -> ApprovalRequest:
    request = approval_record_decision(actor=actor, request=request, approve=approve, note=note)
    if approve:
        case_transition(
            actor=actor,
            case=request.case,
            to_status=CaseStatus.AFGESLOTEN,
            closing_reason=request.payload.get("closing_reason", ""),
            reason=request.reason,
            approval=request,
        )
    return request

"""Writes of the privacy domain: consents, break-the-glass, correction requests, legal holds, subject access.

Services are the only writers (STYLE.md): keyword-only, ``actor`` passed in,
one transaction each, ``full_clean()`` before save. Domain rules raise
``ValidationError`` with a Dutch message, keyed by field where one fits so
forms can show it next to the field.

This module refers to cases by object only (``case.number``, ``case.team``),
never imports ``cases`` (DESIGN.md layers).
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from access import policy
from accounts.constants import OrganisationType, Role
from accounts.models import Membership, Organisation, User
from accounts.selectors import user_has_role
from accounts.services import notify

from .constants import (
    BREAK_GLASS_MAX_HOURS,
    BREAK_GLASS_MIN_REASON,
    ConsentMethod,
    DataCategory,
    DisclosureChannel,
    LegalBasis,
)
from .models import BreakGlassGrant, Consent, CorrectionRequest, Disclosure, LegalHold, Purpose

# A client younger than this gives no consent themselves (UAVG art. 5): a legal representative does.
CONSENT_MIN_AGE = 16
# Clocks of browsers and servers differ a little; "now" typed in a form may be slightly ahead.
_CLOCK_SKEW = datetime.timedelta(minutes=5)


def _required(value: str) -> str:
    return (value or "").strip()


# --- Consent --------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    actor: User,
    client,
    purpose: Purpose,
    recipient_organisation: Organisation | None = None,
    recipient_type: str = "",
    given_at: datetime.datetime,
    expires_at: datetime.datetime | None = None,
    method: str,
    witness: str = "",
    representative_name: str = "",
    scope_note: str = "",
) -> Consent:
    """Record a client's consent for a consent-based purpose and one recipient (organisation or kind).

    Refuses a purpose that rests on a legal task (no consent needed, and consent
    cannot replace a missing basis), a recipient the purpose does not share
    with, an oral consent without a witness, and a consent of a child under 16
    without a legal representative.
    """
    errors: dict[str, str] = {}
    witness = _required(witness)
    representative_name = _required(representative_name)
    now = timezone.now()

    if not purpose.active:
        errors["purpose"] = _("Het doel “%(purpose)s” is niet meer in gebruik.") % {"purpose": purpose.name}
    elif not purpose.needs_consent:
        errors["purpose"] = _(
            "Voor het doel “%(purpose)s” is geen toestemming nodig: het rust op een wettelijke taak "
            "(%(basis)s). Toestemming kan een ontbrekende grondslag ook niet vervangen; leg daarom geen "
            "toestemming vast."
        ) % {"purpose": purpose.name, "basis": LegalBasis(purpose.legal_basis).label}

    if recipient_organisation is not None:
        if recipient_type and recipient_type != recipient_organisation.type:
            errors["recipient_type"] = _("De soort ontvanger past niet bij de gekozen organisatie.")
        recipient_type = recipient_organisation.type
    if not recipient_type:
        errors["recipient_organisation"] = _("Kies de ontvangende organisatie of de soort ontvanger.")
    elif recipient_type not in OrganisationType.values:
        errors["recipient_type"] = _("Onbekende soort ontvanger.")
    elif "purpose" not in errors and not purpose.shares_with(recipient_type):
        errors["recipient_type"] = _("Het doel “%(purpose)s” deelt geen gegevens met %(type)s.") % {
            "purpose": purpose.name,
            "type": OrganisationType(recipient_type).label.lower(),
        }

    if method not in ConsentMethod.values:
        errors["method"] = _("Kies hoe de toestemming is gegeven.")
    elif method == ConsentMethod.ORAL and not witness:
        errors["witness"] = _("Bij mondelinge toestemming is een getuige verplicht. Vul de naam van de getuige in.")

    if given_at is None:
        errors["given_at"] = _("Vul in wanneer de toestemming is gegeven.")
    else:
        if given_at > now + _CLOCK_SKEW:
            errors["given_at"] = _("De toestemming kan niet in de toekomst gegeven zijn.")
        if expires_at is not None and expires_at <= given_at:
            errors["expires_at"] = _("De einddatum moet na het moment van toestemming liggen.")
        age_on = getattr(client, "age_on", None)
        if (
            age_on is not None
            and age_on(timezone.localtime(given_at).date()) < CONSENT_MIN_AGE
            and not representative_name
        ):
            errors["representative_name"] = _(
                "De cliënt is jonger dan %(age)s jaar: de wettelijk vertegenwoordiger geeft toestemming "
                "(UAVG art. 5). Vul de naam van de vertegenwoordiger in."
            ) % {"age": CONSENT_MIN_AGE}
    if errors:
        raise ValidationError(errors)

    consent = Consent(
        client=client,
        purpose=purpose,
        recipient_organisation=recipient_organisation,
        recipient_type=recipient_type,
        given_at=given_at,
        expires_at=expires_at,
        method=method,
        witness=witness,
        representative_name=representative_name,
        scope_note=_required(scope_note),
        recorded_by=actor,
    )
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent, reason: str, at: datetime.datetime | None = None) -> Consent:
    """Withdraw a consent. It takes effect at once: ``valid()`` and the policy stop using it immediately.

    ``at`` records a withdrawal the client expressed a moment earlier; never in the future.
    """
    reason = _required(reason)
    if not reason:
        raise ValidationError({"reason": _("Geef de reden van de intrekking op.")})
    now = timezone.now()
    at = at or now
    if at > now + _CLOCK_SKEW:
        raise ValidationError({"at": _("Een intrekking gaat direct in; een moment in de toekomst kan niet.")})
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise ValidationError(
            _("Deze toestemming is al ingetrokken op %(date)s.")
            % {"date": timezone.localtime(consent.withdrawn_at).strftime("%d-%m-%Y %H:%M")}
        )
    consent.withdrawn_at = max(at, consent.given_at)
    consent.withdrawn_reason = reason
    consent.withdrawn_recorded_by = actor
    consent.full_clean()
    consent.save(update_fields=["withdrawn_at", "withdrawn_reason", "withdrawn_recorded_by"])
    return consent


# --- Break-the-glass ----------------------------------------------------------------


def _privacy_officers():
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__in=Membership.objects.current().filter(role=Role.FG))
        .distinct()
    )


def _check_break_glass_reason(reason: str) -> str | None:
    if len(reason) < BREAK_GLASS_MIN_REASON:
        return _("Beschrijf de reden in ten minste %(min)s tekens.") % {"min": BREAK_GLASS_MIN_REASON}
    if " " not in reason or reason[-1] not in ".!?":
        return _("Beschrijf de reden in een volledige zin, die eindigt met een punt, uitroepteken of vraagteken.")
    return None


@transaction.atomic
def break_glass_grant(*, user: User, case, reason: str, hours: int) -> BreakGlassGrant:
    """Give ``user`` temporary read access to a case outside their team, and ask the FG to review it.

    Only for municipal casework professionals (``policy.may_break_glass``) who
    cannot already see the case as team or case member. Every FG gets an inbox
    message (case number only, never a client's name).
    """
    if not policy.may_break_glass(user):
        raise ValidationError(_("Alleen professionals van de gemeente met een casusrol mogen de toegang doorbreken."))
    decision = policy.case_decision(user, case)
    if decision.basis in (policy.Basis.TEAM, policy.Basis.MEMBER):
        raise ValidationError(_("U heeft al toegang tot deze casus; doorbreken is niet nodig."))
    if decision.basis == policy.Basis.BREAK_GLASS:
        raise ValidationError(_("U heeft al een geldige doorbraak voor deze casus."))
    reason = _required(reason)
    errors: dict[str, str] = {}
    reason_error = _check_break_glass_reason(reason)
    if reason_error:
        errors["reason"] = reason_error
    try:
        hours = int(hours)
    except (TypeError, ValueError):
        hours = 0
    if not 1 <= hours <= BREAK_GLASS_MAX_HOURS:
        errors["hours"] = _("Kies een duur van 1 tot en met %(max)s uur.") % {"max": BREAK_GLASS_MAX_HOURS}
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    grant = BreakGlassGrant(
        user=user, case=case, reason=reason, granted_at=now, expires_at=now + datetime.timedelta(hours=hours)
    )
    grant.full_clean()
    grant.save()
    policy.forget(user)
    _tell_case_team_about_break_glass(grant)
    url = reverse("consent:break-glass-review", args=[grant.uuid])
    for officer in _privacy_officers().exclude(pk=user.pk):
        notify(
            user=officer,
            title=_("Doorbraak te beoordelen: casus %(number)s") % {"number": case.number},
            body=_("%(user)s heeft de toegang tot een casus doorbroken voor %(hours)s uur.")
            % {"user": user, "hours": hours},
            url=url,
        )
    return grant


@transaction.atomic
def break_glass_review(*, reviewer: User, grant: BreakGlassGrant, verdict: str, note: str = "") -> BreakGlassGrant:
    """The FG's verdict on a break-the-glass grant: once, never on their own, with a note when unjustified."""
    if not user_has_role(reviewer, Role.FG):
        raise ValidationError(_("Alleen de functionaris gegevensbescherming beoordeelt doorbraken."))
    grant = BreakGlassGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.user_id == reviewer.pk:
        raise ValidationError(_("U kunt uw eigen doorbraak niet beoordelen."))
    if grant.reviewed_at is not None:
        raise ValidationError(_("Deze doorbraak is al beoordeeld."))
    note = _required(note)
    if verdict not in BreakGlassGrant.Verdict.values:
        raise ValidationError({"verdict": _("Kies een oordeel.")})
    if verdict == BreakGlassGrant.Verdict.UNJUSTIFIED and not note:
        raise ValidationError({"note": _("Licht toe waarom de doorbraak niet gerechtvaardigd was.")})
    now = timezone.now()
    grant.reviewed_by = reviewer
    grant.reviewed_at = now
    grant.verdict = verdict
    grant.review_note = note
    fields = ["reviewed_by", "reviewed_at", "verdict", "review_note"]
    if verdict == BreakGlassGrant.Verdict.UNJUSTIFIED and grant.ended_at is None and grant.expires_at > now:
        # Not justified: the access ends now, not when the grant would have expired.
        grant.ended_at = now
        grant.ended_by = reviewer
        fields += ["ended_at", "ended_by"]
    grant.full_clean()
    grant.save(update_fields=fields)
    if "ended_at" in fields:
        _tell_grantee_grant_ended(grant, by=reviewer)
    return grant


@transaction.atomic
def break_glass_end(*, actor: User, grant: BreakGlassGrant) -> BreakGlassGrant:
    """End a break-the-glass grant at once ("intrekken"): by its holder, who no longer needs it, or by the FG."""
    grant = BreakGlassGrant.objects.select_for_update().select_related("case").get(pk=grant.pk)
    if actor.pk != grant.user_id and not user_has_role(actor, Role.FG):
        raise ValidationError(
            _("Alleen wie de toegang doorbrak of de functionaris gegevensbescherming beëindigt haar.")
        )
    now = timezone.now()
    if grant.ended_at is not None or grant.expires_at <= now:
        raise ValidationError(_("Deze doorbraak geeft al geen toegang meer."))
    grant.ended_at = now
    grant.ended_by = actor
    grant.full_clean()
    grant.save(update_fields=["ended_at", "ended_by"])
    policy.forget(actor)
    if actor.pk != grant.user_id:
        _tell_grantee_grant_ended(grant, by=actor)
    return grant


def _tell_case_team_about_break_glass(grant: BreakGlassGrant) -> None:
    """The coordinator of the case learns that someone outside the team broke the glass on it (case number
    only); without a coordinator, the teamleiders of the case's team."""
    case = grant.case
    if case.coordinator_id and case.coordinator.is_active:
        recipients = [case.coordinator]
    else:
        recipients = list(
            get_user_model()
            .objects.filter(
                is_active=True,
                memberships__in=Membership.objects.current().filter(team_id=case.team_id, role=Role.TEAMLEIDER),
            )
            .distinct()
        )
    for recipient in recipients:
        notify(
            user=recipient,
            title=_("Doorbraak op casus %(number)s") % {"number": case.number},
            body=_(
                "%(user)s heeft met een doorbraak (break-the-glass) tijdelijk toegang tot deze casus gekregen, tot "
                "%(until)s. De functionaris gegevensbescherming beoordeelt de reden."
            )
            % {"user": grant.user, "until": timezone.localtime(grant.expires_at).strftime("%d-%m-%Y %H:%M")},
            url=reverse("cases:case-detail", args=[case.uuid]),
        )


def _tell_grantee_grant_ended(grant: BreakGlassGrant, *, by: User) -> None:
    notify(
        user=grant.user,
        title=_("Uw doorbraak op casus %(number)s is beëindigd") % {"number": grant.case.number},
        body=_("%(user)s heeft uw tijdelijke toegang beëindigd.") % {"user": by},
        url="",
    )


# --- Correction requests (GDPR art. 16) ---------------------------------------------


@transaction.atomic
def correction_request_record(
    *, actor: User, client, request_text: str, received_on: datetime.date | None = None
) -> CorrectionRequest:
    request_text = _required(request_text)
    if not request_text:
        raise ValidationError({"request_text": _("Beschrijf wat de cliënt gecorrigeerd wil hebben.")})
    today = timezone.localdate()
    received_on = received_on or today
    if received_on > today:
        raise ValidationError({"received_on": _("De ontvangstdatum kan niet in de toekomst liggen.")})
    correction = CorrectionRequest(client=client, request=request_text, received_on=received_on, recorded_by=actor)
    correction.full_clean()
    correction.save()
    return correction


@transaction.atomic
def correction_request_handle(
    *, actor: User, correction: CorrectionRequest, status: str, resolution: str
) -> CorrectionRequest:
    """Close an open request as honoured or refused; the resolution (what changed, or why not) is required."""
    if status not in (CorrectionRequest.Status.HONOURED, CorrectionRequest.Status.REFUSED):
        raise ValidationError({"status": _("Kies of het verzoek is toegewezen of afgewezen.")})
    resolution = _required(resolution)
    if not resolution:
        raise ValidationError(
            {"resolution": _("Beschrijf de afhandeling: wat is aangepast, of waarom het verzoek is afgewezen.")}
        )
    correction = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
    if correction.status != CorrectionRequest.Status.OPEN:
        raise ValidationError(_("Dit correctieverzoek is al afgehandeld."))
    correction.status = status
    correction.resolution = resolution
    correction.handled_by = actor
    correction.handled_at = timezone.now()
    correction.full_clean()
    correction.save(update_fields=["status", "resolution", "handled_by", "handled_at"])
    return correction


# --- Legal holds ----------------------------------------------------------------------


@transaction.atomic
def legal_hold_place(*, actor: User, case, reason: str) -> LegalHold:
    """Keep a case beyond its retention period; the retention job skips cases with an active hold."""
    reason = _required(reason)
    if not reason:
        raise ValidationError(
            {"reason": _("Geef de reden van de bewaarplicht op, bijvoorbeeld een lopende procedure.")}
        )
    hold = LegalHold(case=case, reason=reason, placed_by=actor)
    hold.full_clean()
    hold.save()
    return hold


@transaction.atomic
def legal_hold_lift(*, actor: User, hold: LegalHold) -> LegalHold:
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.lifted_at is not None:
        raise ValidationError(_("Deze bewaarplicht is al opgeheven."))
    hold.lifted_at = timezone.now()
    hold.lifted_by = actor
    hold.full_clean()
    hold.save(update_fields=["lifted_at", "lifted_by"])
    return hold


# --- Subject access (GDPR art. 15) ------------------------------------------------------


@transaction.atomic
def subject_access_disclosure_record(*, actor: User, client, route: str = "") -> Disclosure:
    """Register that the client's data was handed to the client (inzage): channel "inzage", recipient "betrokkene"."""
    disclosure = Disclosure(
        channel=DisclosureChannel.SUBJECT_ACCESS,
        client=client,
        categories=list(DataCategory.values),
        recipient_description="betrokkene",
        legal_basis=LegalBasis.LEGAL_OBLIGATION,
        disclosed_by=actor,
        route=route[:200],
    )
    # The model's optional relations are null without blank=True (the register is not edited in forms).
    disclosure.full_clean(exclude=["case", "recipient_organisation", "recipient_user", "purpose", "consent"])
    disclosure.save()
    return disclosure

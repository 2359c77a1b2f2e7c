"""The privacy services: each rule has a test that fails when the rule is broken."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from access import policy
from accounts.constants import OrganisationType, Role
from accounts.models import Notification
from cases import services as case_services
from consent import services
from consent.constants import BREAK_GLASS_MAX_HOURS, ConsentMethod, LegalBasis, PurposeLaw
from consent.models import BreakGlassGrant, Consent, CorrectionRequest, LegalHold, Purpose
from tests.factories import MembershipFactory, TeamFactory, make_user

pytestmark = pytest.mark.django_db

REASON = "Acute crisis buiten kantoortijd, de regievoerder is niet bereikbaar."


def make_purpose(code="wams-ggz", *, legal_basis=LegalBasis.CONSENT, recipient_types=("zorgaanbieder",), **extra):
    return Purpose.objects.create(
        code=code,
        name=extra.pop("name", f"Doel {code}"),
        legal_basis=legal_basis,
        law=PurposeLaw.WAMS,
        categories=["administratief"],
        recipient_types=list(recipient_types),
        **extra,
    )


@pytest.fixture
def resident(wijkcoach):
    return case_services.client_create(
        actor=wijkcoach, given_names="Jan", family_name="Jansen", date_of_birth=datetime.date(1980, 5, 17)
    )


@pytest.fixture
def resident_case(wijkcoach, team, resident):
    return case_services.case_open(actor=wijkcoach, team=team, client=resident)


@pytest.fixture
def purpose():
    return make_purpose()


@pytest.fixture
def fg(team):
    return make_user(Role.FG, team, username="t_fg")


def record(actor, client, purpose, **overrides):
    fields = {
        "recipient_type": OrganisationType.ZORGAANBIEDER,
        "given_at": timezone.now() - datetime.timedelta(hours=1),
        "method": ConsentMethod.WRITTEN,
    }
    return services.consent_record(actor=actor, client=client, purpose=purpose, **{**fields, **overrides})


def error_keys(exc_info) -> set[str]:
    return set(exc_info.value.message_dict)


# --- consent_record ---------------------------------------------------------------------


def test_consent_is_recorded_and_valid(wijkcoach, resident, purpose):
    consent = record(wijkcoach, resident, purpose, scope_note="  Alleen het plan.  ")
    assert consent.recorded_by == wijkcoach
    assert consent.scope_note == "Alleen het plan."
    assert Consent.objects.valid().filter(pk=consent.pk).exists()


def test_oral_consent_needs_a_witness(wijkcoach, resident, purpose):
    with pytest.raises(ValidationError) as exc_info:
        record(wijkcoach, resident, purpose, method=ConsentMethod.ORAL, witness="  ")
    assert error_keys(exc_info) == {"witness"}
    assert "getuige" in exc_info.value.message_dict["witness"][0]
    consent = record(wijkcoach, resident, purpose, method=ConsentMethod.ORAL, witness="Collega Bakker")
    assert consent.witness == "Collega Bakker"


def test_purpose_on_a_legal_task_takes_no_consent(wijkcoach, resident):
    public = make_purpose("wmo-taak", legal_basis=LegalBasis.PUBLIC_TASK)
    with pytest.raises(ValidationError) as exc_info:
        record(wijkcoach, resident, public)
    assert "wettelijke taak" in exc_info.value.message_dict["purpose"][0]
    assert not Consent.objects.exists()


def test_inactive_purpose_is_refused(wijkcoach, resident):
    old = make_purpose("oud", active=False)
    with pytest.raises(ValidationError) as exc_info:
        record(wijkcoach, resident, old)
    assert error_keys(exc_info) == {"purpose"}


def test_recipient_type_must_be_shared_by_the_purpose(wijkcoach, resident, purpose):
    with pytest.raises(ValidationError) as exc_info:
        record(wijkcoach, resident, purpose, recipient_type=OrganisationType.POLITIE)
    assert error_keys(exc_info) == {"recipient_type"}


def test_recipient_organisation_must_be_of_a_shared_type(wijkcoach, resident, purpose, partner_org):
    police = TeamFactory(
        organisation__name="Politie Testdorp", organisation__type=OrganisationType.POLITIE
    ).organisation
    with pytest.raises(ValidationError) as exc_info:
        record(wijkcoach, resident, purpose, recipient_type="", recipient_organisation=police)
    assert error_keys(exc_info) == {"recipient_type"}
    consent = record(wijkcoach, resident, purpose, recipient_type="", recipient_organisation=partner_org)
    assert (consent.recipient_organisation, consent.recipient_type) == (partner_org, OrganisationType.ZORGAANBIEDER)


def test_a_recipient_is_required(wijkcoach, resident, purpose):
    with pytest.raises(ValidationError) as exc_info:
        record(wijkcoach, resident, purpose, recipient_type="")
    assert error_keys(exc_info) == {"recipient_organisation"}


def test_expiry_must_follow_the_given_moment(wijkcoach, resident, purpose):
    given = timezone.now() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc_info:
        record(wijkcoach, resident, purpose, given_at=given, expires_at=given)
    assert error_keys(exc_info) == {"expires_at"}


def test_consent_cannot_be_given_in_the_future(wijkcoach, resident, purpose):
    with pytest.raises(ValidationError) as exc_info:
        record(wijkcoach, resident, purpose, given_at=timezone.now() + datetime.timedelta(days=2))
    assert error_keys(exc_info) == {"given_at"}


def test_child_under_16_needs_a_legal_representative(wijkcoach, purpose):
    child = case_services.client_create(
        actor=wijkcoach,
        given_names="Kim",
        family_name="Jansen",
        date_of_birth=timezone.localdate() - datetime.timedelta(days=365 * 12),
    )
    with pytest.raises(ValidationError) as exc_info:
        record(wijkcoach, child, purpose)
    assert error_keys(exc_info) == {"representative_name"}
    assert record(wijkcoach, child, purpose, representative_name="Moeder Jansen").representative_name


# --- consent_withdraw ---------------------------------------------------------------------


def test_withdrawal_takes_effect_at_once(wijkcoach, resident, purpose):
    consent = record(wijkcoach, resident, purpose)
    before = timezone.now()
    withdrawn = services.consent_withdraw(actor=wijkcoach, consent=consent, reason="Cliënt wil het niet meer.")
    assert before <= withdrawn.withdrawn_at <= timezone.now()
    assert withdrawn.withdrawn_recorded_by == wijkcoach
    assert withdrawn.status() == "ingetrokken"
    assert not Consent.objects.valid().filter(pk=consent.pk).exists()


def test_withdrawal_needs_a_reason(wijkcoach, resident, purpose):
    consent = record(wijkcoach, resident, purpose)
    with pytest.raises(ValidationError) as exc_info:
        services.consent_withdraw(actor=wijkcoach, consent=consent, reason="   ")
    assert error_keys(exc_info) == {"reason"}
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_withdrawal_cannot_be_dated_in_the_future(wijkcoach, resident, purpose):
    consent = record(wijkcoach, resident, purpose)
    with pytest.raises(ValidationError):
        services.consent_withdraw(
            actor=wijkcoach, consent=consent, reason="Later.", at=timezone.now() + datetime.timedelta(days=1)
        )


def test_a_consent_is_withdrawn_only_once(wijkcoach, resident, purpose):
    consent = record(wijkcoach, resident, purpose)
    services.consent_withdraw(actor=wijkcoach, consent=consent, reason="Eerste keer.")
    first = Consent.objects.get(pk=consent.pk).withdrawn_at
    with pytest.raises(ValidationError, match="al ingetrokken"):
        services.consent_withdraw(actor=wijkcoach, consent=consent, reason="Tweede keer.")
    assert Consent.objects.get(pk=consent.pk).withdrawn_at == first


# --- break_glass_grant ---------------------------------------------------------------------


def test_break_glass_gives_temporary_read_access_and_notifies_the_fg(outsider, resident_case, fg):
    assert not policy.case_decision(outsider, resident_case)
    grant = services.break_glass_grant(user=outsider, case=resident_case, reason=REASON, hours=4)
    assert grant.expires_at - grant.granted_at == datetime.timedelta(hours=4)
    decision = policy.case_decision(outsider, resident_case)
    assert decision.basis == policy.Basis.BREAK_GLASS
    assert not policy.case_decision(outsider, resident_case, write=True)
    notification = Notification.objects.get(user=fg)
    assert resident_case.number in notification.title
    assert str(grant.uuid) in notification.url
    assert not Notification.objects.filter(user=outsider).exists()


def test_team_member_does_not_break_the_glass(wijkcoach, colleague, resident_case):
    for user in (wijkcoach, colleague):
        with pytest.raises(ValidationError, match="al toegang"):
            services.break_glass_grant(user=user, case=resident_case, reason=REASON, hours=1)
    assert not BreakGlassGrant.objects.exists()


def test_only_municipal_casework_professionals_break_the_glass(beleid, partner_org, resident_case):
    partner = make_user(Role.PARTNER, TeamFactory(organisation=partner_org))
    for user in (beleid, partner):
        with pytest.raises(ValidationError, match="Alleen professionals"):
            services.break_glass_grant(user=user, case=resident_case, reason=REASON, hours=1)
    assert not BreakGlassGrant.objects.exists()


@pytest.mark.parametrize(
    "reason",
    [
        pytest.param("Even kijken graag.", id="too-short"),
        pytest.param("Acute crisis buiten kantoortijd en niemand bereikbaar", id="no-full-stop"),
        pytest.param("Acutecrisisbuitenkantoortijdniemandbereikbaar.", id="no-space"),
    ],
)
def test_break_glass_reason_is_a_full_sentence(outsider, resident_case, reason):
    with pytest.raises(ValidationError) as exc_info:
        services.break_glass_grant(user=outsider, case=resident_case, reason=reason, hours=1)
    assert error_keys(exc_info) == {"reason"}


@pytest.mark.parametrize("hours", [0, BREAK_GLASS_MAX_HOURS + 1, -1])
def test_break_glass_duration_is_limited(outsider, resident_case, hours):
    with pytest.raises(ValidationError) as exc_info:
        services.break_glass_grant(user=outsider, case=resident_case, reason=REASON, hours=hours)
    assert error_keys(exc_info) == {"hours"}


def test_break_glass_for_the_maximum_duration(outsider, resident_case):
    grant = services.break_glass_grant(user=outsider, case=resident_case, reason=REASON, hours=BREAK_GLASS_MAX_HOURS)
    assert grant.expires_at - grant.granted_at == datetime.timedelta(hours=BREAK_GLASS_MAX_HOURS)


def test_no_second_grant_while_one_runs(outsider, resident_case):
    services.break_glass_grant(user=outsider, case=resident_case, reason=REASON, hours=1)
    with pytest.raises(ValidationError, match="al een geldige doorbraak"):
        services.break_glass_grant(user=outsider, case=resident_case, reason=REASON, hours=1)
    assert BreakGlassGrant.objects.count() == 1


# --- break_glass_review ----------------------------------------------------------------------


@pytest.fixture
def grant(outsider, resident_case):
    return services.break_glass_grant(user=outsider, case=resident_case, reason=REASON, hours=2)


def test_fg_reviews_a_grant(fg, grant):
    reviewed = services.break_glass_review(reviewer=fg, grant=grant, verdict="gerechtvaardigd", note="")
    assert (reviewed.reviewed_by, reviewed.verdict) == (fg, "gerechtvaardigd")
    assert reviewed.reviewed_at is not None


def test_only_the_fg_reviews(wijkcoach, grant):
    with pytest.raises(ValidationError, match="functionaris"):
        services.break_glass_review(reviewer=wijkcoach, grant=grant, verdict="gerechtvaardigd", note="")
    grant.refresh_from_db()
    assert grant.reviewed_at is None


def test_fg_does_not_review_their_own_grant(other_team, team, resident_case):
    both = make_user(Role.WIJKCOACH, other_team, username="t_fg_en_coach")
    MembershipFactory(user=both, team=team, role=Role.FG)
    # The fg membership in the owning team is no team role: the case is not visible without breaking the glass.
    own = services.break_glass_grant(user=both, case=resident_case, reason=REASON, hours=1)
    with pytest.raises(ValidationError, match="eigen doorbraak"):
        services.break_glass_review(reviewer=both, grant=own, verdict="gerechtvaardigd", note="")


def test_a_grant_is_reviewed_once(fg, grant):
    services.break_glass_review(reviewer=fg, grant=grant, verdict="gerechtvaardigd", note="")
    with pytest.raises(ValidationError, match="al beoordeeld"):
        services.break_glass_review(reviewer=fg, grant=grant, verdict="niet_gerechtvaardigd", note="Toch niet.")
    grant.refresh_from_db()
    assert grant.verdict == "gerechtvaardigd"


def test_unjustified_needs_a_note(fg, grant):
    with pytest.raises(ValidationError) as exc_info:
        services.break_glass_review(reviewer=fg, grant=grant, verdict="niet_gerechtvaardigd", note=" ")
    assert error_keys(exc_info) == {"note"}
    reviewed = services.break_glass_review(
        reviewer=fg, grant=grant, verdict="niet_gerechtvaardigd", note="Geen spoed; had de regievoerder kunnen bellen."
    )
    assert reviewed.review_note.startswith("Geen spoed")


# --- Correction requests ------------------------------------------------------------------------


def test_correction_request_needs_text_and_no_future_date(fg, resident):
    with pytest.raises(ValidationError) as exc_info:
        services.correction_request_record(actor=fg, client=resident, request_text=" ")
    assert error_keys(exc_info) == {"request_text"}
    with pytest.raises(ValidationError) as exc_info:
        services.correction_request_record(
            actor=fg,
            client=resident,
            request_text="Adres klopt niet.",
            received_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert error_keys(exc_info) == {"received_on"}
    correction = services.correction_request_record(actor=fg, client=resident, request_text="Adres klopt niet.")
    assert (correction.status, correction.received_on) == ("open", timezone.localdate())


def test_correction_request_is_handled_once_with_a_resolution(fg, resident):
    correction = services.correction_request_record(actor=fg, client=resident, request_text="Adres klopt niet.")
    with pytest.raises(ValidationError) as exc_info:
        services.correction_request_handle(actor=fg, correction=correction, status="toegewezen", resolution="")
    assert error_keys(exc_info) == {"resolution"}
    with pytest.raises(ValidationError) as exc_info:
        services.correction_request_handle(actor=fg, correction=correction, status="open", resolution="Niets.")
    assert error_keys(exc_info) == {"status"}
    handled = services.correction_request_handle(
        actor=fg, correction=correction, status="toegewezen", resolution="Adres aangepast."
    )
    assert (handled.status, handled.handled_by) == (CorrectionRequest.Status.HONOURED, fg)
    with pytest.raises(ValidationError, match="al afgehandeld"):
        services.correction_request_handle(actor=fg, correction=correction, status="afgewezen", resolution="Toch niet.")


# --- Legal holds --------------------------------------------------------------------------------


def test_legal_hold_needs_a_reason_and_is_lifted_once(fg, resident_case):
    with pytest.raises(ValidationError) as exc_info:
        services.legal_hold_place(actor=fg, case=resident_case, reason="")
    assert error_keys(exc_info) == {"reason"}
    hold = services.legal_hold_place(actor=fg, case=resident_case, reason="Bezwaarprocedure loopt.")
    assert LegalHold.objects.filter(case=resident_case, lifted_at__isnull=True).count() == 1
    lifted = services.legal_hold_lift(actor=fg, hold=hold)
    assert (lifted.lifted_by, lifted.lifted_at is not None) == (fg, True)
    with pytest.raises(ValidationError, match="al opgeheven"):
        services.legal_hold_lift(actor=fg, hold=hold)

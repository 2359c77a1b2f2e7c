"""Signals (meldingen), referrals and the intake with its triage decision, through the services."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from cases import services
from cases.constants import (
    CaseRole,
    CaseStatus,
    InformedHow,
    LifeDomain,
    ReferralStatus,
    Relation,
    SignalOutcome,
    SignalSource,
    TriageDecision,
)
from cases.models import Case, CaseMember, CaseStatusChange, Intake, IntakeDomain, Referral, Signal
from cases.services import IntakeDomainInput

pytestmark = pytest.mark.django_db

SEEN = "De buren zien de kinderen al een week niet naar school gaan."


def _signal(actor, team, **kwargs):
    return services.signal_record(actor=actor, team=team, source=SignalSource.BUREN, what_was_seen=SEEN, **kwargs)


# --- Recording ------------------------------------------------------------------------


def test_signal_about_a_known_client(wijkcoach, team, resident):
    signal = _signal(wijkcoach, team, client=resident, reporter_name="Buurvrouw", reporter_contact="06-12345678")
    signal.refresh_from_db()
    assert (signal.team, signal.client, signal.created_by) == (team, resident, wijkcoach)
    assert signal.is_open
    assert signal.subject_label == resident.full_name


def test_signal_about_somebody_not_yet_known(wijkcoach, team):
    signal = _signal(wijkcoach, team, subject_description="Man, ongeveer 50, Dorpsstraat 12")
    assert signal.client is None
    assert signal.subject_label == "Man, ongeveer 50, Dorpsstraat 12"


@pytest.mark.parametrize("description", ["", "   "])
def test_signal_without_a_subject_is_refused(wijkcoach, team, description):
    with pytest.raises(ValidationError) as exc:
        _signal(wijkcoach, team, subject_description=description)
    assert "subject_description" in exc.value.message_dict
    assert not Signal.objects.exists()


def test_signal_without_what_was_seen_is_refused(wijkcoach, team, resident):
    with pytest.raises(ValidationError) as exc:
        services.signal_record(actor=wijkcoach, team=team, source=SignalSource.BUREN, what_was_seen="", client=resident)
    assert "what_was_seen" in exc.value.message_dict
    assert not Signal.objects.exists()


# --- Triage ---------------------------------------------------------------------------


def test_triage_new_case_opens_a_case_in_the_signal_team_for_its_client(wijkcoach, colleague, team, resident):
    signal = _signal(wijkcoach, team, client=resident)

    services.signal_triage(actor=colleague, signal=signal, outcome=SignalOutcome.NIEUWE_CASUS, laws=["jeugdwet"])

    signal.refresh_from_db()
    case = signal.case
    assert case is not None
    assert (case.team, case.client, case.household) == (team, resident, None)
    assert case.status == CaseStatus.AANGEMELD
    assert case.law_jeugdwet
    assert case.summary == SEEN
    assert signal.outcome == SignalOutcome.NIEUWE_CASUS
    assert signal.triaged_by == colleague
    assert signal.triaged_at is not None
    assert not signal.is_open
    # The professional who triaged is on the case team, with the toeleiding hat.
    member = CaseMember.objects.get(case=case, user=colleague)
    assert (member.role, member.task) == (CaseRole.WIJKCOACH, "toeleiding")


def test_triage_new_case_for_a_household(wijkcoach, team, resident):
    household = services.household_create(
        actor=wijkcoach, name="Huishouden Jansen", members=[(resident, Relation.OUDER)]
    )
    signal = _signal(wijkcoach, team, client=resident)

    services.signal_triage(
        actor=wijkcoach, signal=signal, outcome=SignalOutcome.NIEUWE_CASUS, new_case_household=household
    )

    signal.refresh_from_db()
    assert (signal.case.household, signal.case.client) == (household, None)


def test_triage_new_case_needs_a_known_client(wijkcoach, team):
    signal = _signal(wijkcoach, team, subject_description="Vrouw op de derde verdieping")

    with pytest.raises(ValidationError) as exc:
        services.signal_triage(actor=wijkcoach, signal=signal, outcome=SignalOutcome.NIEUWE_CASUS)

    assert "client" in exc.value.message_dict
    assert not Case.objects.exists()
    signal.refresh_from_db()
    assert signal.is_open


def test_triage_existing_case_requires_a_case(wijkcoach, team, resident):
    signal = _signal(wijkcoach, team, client=resident)

    with pytest.raises(ValidationError) as exc:
        services.signal_triage(actor=wijkcoach, signal=signal, outcome=SignalOutcome.BESTAANDE_CASUS)

    assert "case" in exc.value.message_dict
    signal.refresh_from_db()
    assert signal.is_open
    assert signal.case is None


def test_triage_existing_case_links_it(wijkcoach, team, resident, resident_case):
    signal = _signal(wijkcoach, team, client=resident)

    services.signal_triage(
        actor=wijkcoach, signal=signal, outcome=SignalOutcome.BESTAANDE_CASUS, case=resident_case, note="Bekend."
    )

    signal.refresh_from_db()
    assert signal.case == resident_case
    assert signal.outcome_note == "Bekend."
    assert Case.objects.count() == 1


@pytest.mark.parametrize("first", [SignalOutcome.GEEN_ACTIE, SignalOutcome.NIEUWE_CASUS])
def test_a_signal_is_triaged_only_once(wijkcoach, team, resident, first):
    signal = _signal(wijkcoach, team, client=resident)
    services.signal_triage(actor=wijkcoach, signal=signal, outcome=first)

    with pytest.raises(ValidationError, match="al getrieerd"):
        services.signal_triage(actor=wijkcoach, signal=signal, outcome=SignalOutcome.NIEUWE_CASUS)

    signal.refresh_from_db()
    assert signal.outcome == first
    assert Case.objects.count() == (1 if first == SignalOutcome.NIEUWE_CASUS else 0)


def test_unknown_outcome_is_refused(wijkcoach, team, resident):
    signal = _signal(wijkcoach, team, client=resident)
    with pytest.raises(ValidationError) as exc:
        services.signal_triage(actor=wijkcoach, signal=signal, outcome="weggooien")
    assert "outcome" in exc.value.message_dict


# --- Informing reporter and subject -------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "how", "stored", "untouched"),
    [
        ("reporter", InformedHow.TELEFOON, "reporter_informed", "subject_informed"),
        ("subject", InformedHow.BRIEF, "subject_informed", "reporter_informed"),
    ],
)
def test_informing_stores_when_and_how(wijkcoach, team, resident, who, how, stored, untouched):
    signal = _signal(wijkcoach, team, client=resident)
    when = timezone.now() - datetime.timedelta(hours=2)

    services.signal_record_informed(actor=wijkcoach, signal=signal, who=who, how=how, at=when)

    signal.refresh_from_db()
    assert getattr(signal, f"{stored}_at") == when
    assert getattr(signal, f"{stored}_how") == how
    assert getattr(signal, f"{untouched}_at") is None
    assert getattr(signal, f"{untouched}_how") == ""


def test_informing_defaults_to_now(wijkcoach, team, resident):
    signal = _signal(wijkcoach, team, client=resident)
    before = timezone.now()
    services.signal_record_informed(actor=wijkcoach, signal=signal, who="reporter", how=InformedHow.NIET_MOGELIJK)
    signal.refresh_from_db()
    assert before <= signal.reporter_informed_at <= timezone.now()


def test_informing_somebody_unknown_is_refused(wijkcoach, team, resident):
    signal = _signal(wijkcoach, team, client=resident)
    with pytest.raises(ValidationError, match="wie er is geïnformeerd"):
        services.signal_record_informed(actor=wijkcoach, signal=signal, who="buurman", how=InformedHow.TELEFOON)


def test_informing_with_an_unknown_channel_is_refused(wijkcoach, team, resident):
    signal = _signal(wijkcoach, team, client=resident)
    with pytest.raises(ValidationError) as exc:
        services.signal_record_informed(actor=wijkcoach, signal=signal, who="reporter", how="postduif")
    assert "reporter_informed_how" in exc.value.message_dict
    assert Signal.objects.get(pk=signal.pk).reporter_informed_at is None


# --- Referrals --------------------------------------------------------------------------


@pytest.fixture
def referral(wijkcoach, partner_org, resident_case):
    return services.referral_send(
        actor=wijkcoach, case=resident_case, organisation=partner_org, question="Ambulante begeleiding bij schulden"
    )


def test_referral_is_sent(referral, partner_org):
    assert referral.status == ReferralStatus.VERSTUURD
    assert referral.recipient_label == partner_org.name


def test_referral_needs_a_recipient(wijkcoach, resident_case):
    with pytest.raises(ValidationError) as exc:
        services.referral_send(actor=wijkcoach, case=resident_case, question="Hulp", provision="  ")
    assert "organisation" in exc.value.message_dict
    assert not Referral.objects.exists()


def test_referral_accepted_then_completed(wijkcoach, referral):
    accepted_on, started_on = datetime.date(2025, 3, 3), datetime.date(2025, 3, 17)

    services.referral_transition(
        actor=wijkcoach, referral=referral, to_status=ReferralStatus.GEACCEPTEERD, on=accepted_on
    )
    services.referral_transition(actor=wijkcoach, referral=referral, to_status=ReferralStatus.AFGEROND, on=started_on)

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AFGEROND
    assert (referral.accepted_on, referral.completed_on) == (accepted_on, started_on)


def test_referral_decline_needs_a_reason(wijkcoach, referral):
    with pytest.raises(ValidationError) as exc:
        services.referral_transition(actor=wijkcoach, referral=referral, to_status=ReferralStatus.AFGEWEZEN, reason=" ")
    assert "decline_reason" in exc.value.message_dict
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.VERSTUURD

    services.referral_transition(
        actor=wijkcoach, referral=referral, to_status=ReferralStatus.AFGEWEZEN, reason="Wachtlijst van 6 maanden"
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AFGEWEZEN
    assert referral.decline_reason == "Wachtlijst van 6 maanden"
    assert referral.declined_on == timezone.localdate()


def test_referral_cannot_complete_before_acceptance(wijkcoach, referral):
    with pytest.raises(ValidationError) as exc:
        services.referral_transition(actor=wijkcoach, referral=referral, to_status=ReferralStatus.AFGEROND)
    assert "status" in exc.value.message_dict
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.VERSTUURD


@pytest.mark.parametrize("to_status", ReferralStatus.values)
def test_no_transition_out_of_afgerond(wijkcoach, referral, to_status):
    services.referral_transition(actor=wijkcoach, referral=referral, to_status=ReferralStatus.GEACCEPTEERD)
    services.referral_transition(actor=wijkcoach, referral=referral, to_status=ReferralStatus.AFGEROND)

    with pytest.raises(ValidationError) as exc:
        services.referral_transition(actor=wijkcoach, referral=referral, to_status=to_status, reason="alsnog")

    message = exc.value.message_dict["status"][0]
    assert str(ReferralStatus.AFGEROND.label) in message
    assert str(ReferralStatus(to_status).label) in message
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AFGEROND


# --- Intake and triage -----------------------------------------------------------------

DOMAINS = [
    IntakeDomainInput(LifeDomain.FINANCIEN, situation="Huurachterstand van drie maanden", help_needed=True),
    IntakeDomainInput(LifeDomain.HUISVESTING, question="Kan de familie blijven wonen?"),
    IntakeDomainInput(LifeDomain.JUSTITIE),  # nothing said: not stored
]


@pytest.fixture
def intake_case(wijkcoach, resident_case):
    """A case in status intake with its kitchen-table conversation recorded."""
    services.intake_record(actor=wijkcoach, case=resident_case, domains=DOMAINS, notes="Open gesprek.")
    resident_case.refresh_from_db()
    return resident_case


def _statuses(case) -> list[str]:
    return list(CaseStatusChange.objects.filter(case=case).values_list("to_status", flat=True))


def test_intake_record_moves_the_case_into_intake(wijkcoach, intake_case):
    assert intake_case.status == CaseStatus.INTAKE
    intake = Intake.objects.get(case=intake_case)
    assert intake.conducted_by == wijkcoach
    assert set(IntakeDomain.objects.filter(intake=intake).values_list("domain", flat=True)) == {
        LifeDomain.FINANCIEN,
        LifeDomain.HUISVESTING,
    }


def test_intake_needs_at_least_one_described_domain(wijkcoach, resident_case):
    with pytest.raises(ValidationError, match="ten minste één leefgebied"):
        services.intake_record(actor=wijkcoach, case=resident_case, domains=[IntakeDomainInput(LifeDomain.FINANCIEN)])
    resident_case.refresh_from_db()
    assert resident_case.status == CaseStatus.AANGEMELD
    assert not Intake.objects.exists()


def test_intake_is_recorded_once(wijkcoach, intake_case):
    with pytest.raises(ValidationError, match="al een intake"):
        services.intake_record(actor=wijkcoach, case=Case.objects.get(pk=intake_case.pk), domains=DOMAINS)
    assert Intake.objects.count() == 1


def test_triage_without_intake_is_refused(wijkcoach, resident_case):
    with pytest.raises(ValidationError, match="eerst de intake"):
        services.intake_triage(actor=wijkcoach, case=resident_case, decision=TriageDecision.MEERVOUDIG)


def test_enkelvoudig_refers_and_routes_the_case(wijkcoach, partner_org, intake_case):
    case = services.intake_triage(
        actor=wijkcoach,
        case=intake_case,
        decision=TriageDecision.ENKELVOUDIG,
        note="Alleen schulden.",
        referral_organisation=partner_org,
        referral_question="Schuldhulpverlening",
    )

    case.refresh_from_db()
    assert case.status == CaseStatus.ENKELVOUDIG_DOORVERWEZEN
    referral = Referral.objects.get(case=case)
    assert (referral.organisation, referral.question, referral.status) == (
        partner_org,
        "Schuldhulpverlening",
        ReferralStatus.VERSTUURD,
    )
    intake = Intake.objects.get(case=case)
    assert (intake.triage_decision, intake.decided_by) == (TriageDecision.ENKELVOUDIG, wijkcoach)
    assert _statuses(case)[-2:] == [CaseStatus.TRIAGE, CaseStatus.ENKELVOUDIG_DOORVERWEZEN]
    assert case.coordinator is None


def test_enkelvoudig_without_recipient_changes_nothing(wijkcoach, intake_case):
    with pytest.raises(ValidationError):
        services.intake_triage(actor=wijkcoach, case=intake_case, decision=TriageDecision.ENKELVOUDIG, note="x")
    intake_case.refresh_from_db()
    assert intake_case.status == CaseStatus.INTAKE
    assert Intake.objects.get(case=intake_case).triage_decision == ""
    assert not Referral.objects.exists()


def test_meervoudig_needs_a_coordinator(wijkcoach, intake_case):
    history = _statuses(intake_case)

    with pytest.raises(ValidationError) as exc:
        services.intake_triage(actor=wijkcoach, case=intake_case, decision=TriageDecision.MEERVOUDIG)

    assert "coordinator" in exc.value.message_dict
    intake_case.refresh_from_db()
    assert intake_case.status == CaseStatus.INTAKE
    assert _statuses(intake_case) == history
    assert Intake.objects.get(case=intake_case).triage_decision == ""


def test_meervoudig_starts_the_coordinated_approach(wijkcoach, colleague, intake_case):
    case = services.intake_triage(
        actor=wijkcoach,
        case=intake_case,
        decision=TriageDecision.MEERVOUDIG,
        note="Schulden, huisvesting en opvoeding hangen samen.",
        coordinator=colleague,
    )

    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIEF
    assert case.coordinator == colleague
    member = CaseMember.objects.get(case=case, role=CaseRole.COORDINATOR, valid_to__isnull=True)
    assert member.user == colleague
    assert member.task == "coordinatie"
    assert User.objects.get(pk=colleague.pk).has_perm("cases.change_case", case)
    assert _statuses(case)[-2:] == [CaseStatus.TRIAGE, CaseStatus.ACTIEF]
    assert Intake.objects.get(case=case).triage_decision == TriageDecision.MEERVOUDIG


def test_triage_decision_is_taken_once(wijkcoach, colleague, intake_case):
    services.intake_triage(actor=wijkcoach, case=intake_case, decision=TriageDecision.MEERVOUDIG, coordinator=colleague)
    with pytest.raises(ValidationError, match="al een triagebesluit"):
        services.intake_triage(
            actor=wijkcoach, case=intake_case, decision=TriageDecision.MEERVOUDIG, coordinator=colleague
        )


def test_unknown_triage_decision_is_refused(wijkcoach, intake_case):
    with pytest.raises(ValidationError) as exc:
        services.intake_triage(actor=wijkcoach, case=intake_case, decision="misschien")
    assert "triage_decision" in exc.value.message_dict

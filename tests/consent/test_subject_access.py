"""Subject access (GDPR art. 15): everything held about one client, and nothing about anybody else.

One household case is set up through the services, with a plan, a casusoverleg, notes, scores,
consent, a disclosure and access-log entries; the export must hold all of it.
"""

from __future__ import annotations

import datetime
import json
import subprocess

import pytest
from django.apps import apps
from django.utils import timezone

from access import log as access_log
from access.field_categories import FIELD_CATEGORIES, NON_PERSONAL_MODELS
from accounts.constants import OrganisationType, Role
from cases import services as case_services
from cases.constants import CaseStatus, Channel, Law, LifeDomain, Relation, SignalSource
from consent import subject_access
from consent.constants import (
    AccessAction,
    ConsentMethod,
    DataCategory,
    DisclosureChannel,
    LegalBasis,
    PurposeLaw,
    SpecialGround,
)
from consent.models import Consent, CorrectionRequest, Disclosure, Purpose
from tests.factories import TeamFactory, make_user
from workplans import meeting_services
from workplans import services as plan_services
from workplans.constants import GoalTerm, InvolvementHow

pytestmark = pytest.mark.django_db

RESTRICTED_NOTE = "Vertrouwelijk gesprek over de medicatie van moeder."


@pytest.fixture
def partner(partner_org):
    return make_user(Role.PARTNER, TeamFactory(organisation=partner_org, name="Ambulant team"), username="t_partner")


@pytest.fixture
def family(wijkcoach, team, partner, partner_org):
    """Anna (the person asking) and her son Tim, one household case with everything the product records."""
    anna = case_services.client_create(
        actor=wijkcoach,
        given_names="Anna",
        family_name="de Boer",
        date_of_birth=datetime.date(1985, 2, 3),
        bsn="111222333",
        city="Testdorp",
    )
    tim = case_services.client_create(
        actor=wijkcoach, given_names="Tim", family_name="de Boer", date_of_birth=datetime.date(2014, 6, 1)
    )
    household = case_services.household_create(
        actor=wijkcoach, name="Huishouden De Boer", members=[(anna, Relation.OUDER), (tim, Relation.KIND)]
    )
    case = case_services.case_open(
        actor=wijkcoach, team=team, household=household, laws=[Law.WMO], summary="Schulden en zorgen om Tim."
    )
    for status in (CaseStatus.INTAKE, CaseStatus.TRIAGE, CaseStatus.ACTIEF):
        case = case_services.case_transition(actor=wijkcoach, case=case, to_status=status)
    case_services.case_set_coordinator(actor=wijkcoach, case=case, user=wijkcoach)

    own_case = case_services.case_open(actor=wijkcoach, team=team, client=anna, laws=[Law.PARTICIPATIEWET])
    case_services.intake_record(
        actor=wijkcoach,
        case=own_case,
        notes="Keukentafelgesprek bij Anna thuis.",
        domains=[case_services.IntakeDomainInput(domain=LifeDomain.FINANCIEN, situation="Huurachterstand.")],
    )

    case_services.assessments_record(
        actor=wijkcoach,
        case=case,
        client=anna,
        scores=[case_services.ScoreInput(domain=LifeDomain.HUISVESTING, score=2, rationale="Dreigende uitzetting.")],
    )
    case_services.assessments_record(
        actor=wijkcoach,
        case=case,
        client=tim,
        scores=[case_services.ScoreInput(domain=LifeDomain.GEESTELIJKE_GEZONDHEID, score=1, rationale="Angstig.")],
    )
    now = timezone.now()
    case_services.contact_record(
        actor=wijkcoach,
        case=case,
        occurred_at=now,
        channel=Channel.HUISBEZOEK,
        summary="Huisbezoek, afspraak met de schuldhulp gemaakt.",
        participants=[anna],
    )
    case_services.contact_record(
        actor=wijkcoach, case=case, occurred_at=now, channel=Channel.TELEFOON, summary=RESTRICTED_NOTE, restricted=True
    )
    case_services.signal_record(
        actor=wijkcoach,
        team=team,
        source=SignalSource.BUREN,
        what_was_seen="Post stapelt zich op.",
        client=anna,
        reporter_name="Buurvrouw Els",
    )
    case_services.referral_send(actor=wijkcoach, case=case, question="Schuldhulp voor Anna.", provision="Schuldhulp")

    workplan = plan_services.workplan_create(actor=wijkcoach, case=case)
    goal = plan_services.goal_add(
        actor=wijkcoach,
        workplan=workplan,
        term=GoalTerm.SHORT,
        life_domain=LifeDomain.FINANCIEN,
        description="Anna heeft een betalingsregeling.",
    )
    plan_services.analysis_add(actor=wijkcoach, workplan=workplan, client=anna, provision="Budgetcursus", party="Wijk")
    plan_services.analysis_add(actor=wijkcoach, workplan=workplan, client=tim, provision="Speltherapie", party="GGZ")
    plan_services.involvement_record(
        actor=wijkcoach,
        workplan=workplan,
        how=InvolvementHow.GESPREK,
        participants=[anna],
        general_view="Anna wil rust.",
        goal_views={goal: "Dit is het belangrijkste."},
    )
    meeting = meeting_services.meeting_plan(
        actor=wijkcoach,
        team=team,
        title="Casusoverleg De Boer",
        starts_at=now + datetime.timedelta(days=2),
        chair=wijkcoach,
        location="Wijkcentrum",
    )
    meeting_services.agenda_item_add(actor=wijkcoach, meeting=meeting, case=case, question="Wie belt de verhuurder?")
    meeting_services.agreement_make(
        actor=wijkcoach,
        case=case,
        what="Verhuurder bellen over de achterstand.",
        due_on=timezone.localdate() + datetime.timedelta(days=7),
        owner=wijkcoach,
        meeting=meeting,
        goal=goal,
    )

    purpose = Purpose.objects.create(
        code="ggz-ondersteuning",
        name="Ondersteuning bij psychische problemen",
        legal_basis=LegalBasis.CONSENT,
        special_ground=SpecialGround.EXPLICIT_CONSENT,
        law=PurposeLaw.WMO,
        categories=[DataCategory.PSYCHISCHE_GEZONDHEID],
        recipient_types=[OrganisationType.ZORGAANBIEDER],
    )
    consent = Consent.objects.create(
        client=anna,
        purpose=purpose,
        recipient_organisation=partner_org,
        method=ConsentMethod.WRITTEN,
        recorded_by=wijkcoach,
    )
    Disclosure.objects.create(
        channel=DisclosureChannel.PAGE,
        case=case,
        categories=[DataCategory.ADMINISTRATIEF, DataCategory.PSYCHISCHE_GEZONDHEID],
        recipient_organisation=partner_org,
        recipient_user=partner,
        purpose=purpose,
        legal_basis=LegalBasis.CONSENT,
        consent=consent,
    )
    CorrectionRequest.objects.create(client=anna, request="Mijn geboortedatum klopt niet.", recorded_by=wijkcoach)
    access_log.record_now(user=partner, action=AccessAction.VIEW, route="GET cases:detail", case=case)
    access_log.record_now(user=wijkcoach, action=AccessAction.SEARCH, route="GET cases:clients", client=anna)
    return {"anna": anna, "tim": tim, "case": case, "own_case": own_case, "household": household}


@pytest.fixture
def stranger_case(wijkcoach, team):
    """Somebody else entirely: nothing of this may reach Anna's export."""
    piet = case_services.client_create(
        actor=wijkcoach, given_names="Piet", family_name="Vreemd", date_of_birth=datetime.date(1970, 1, 1)
    )
    case = case_services.case_open(actor=wijkcoach, team=team, client=piet, summary="Zaak van Piet.")
    case_services.contact_record(
        actor=wijkcoach, case=case, occurred_at=timezone.now(), channel=Channel.EMAIL, summary="Mail aan Piet."
    )
    access_log.record_now(user=wijkcoach, action=AccessAction.VIEW, route="GET cases:detail", case=case)
    return case


def _values(data, label, field) -> list:
    return [row["values"].get(field) for row in data["records"].get(label, [])]


# --- The export holds everything about the client ------------------------------------------------


def test_the_export_holds_every_kind_of_record_about_the_client(family, municipality, stranger_case):
    data = subject_access.build(family["anna"], for_organisation=municipality)

    json.dumps(data)  # serialisable as it is
    assert data["client"]["bsn"] == "111222333"
    assert data["client"]["city"] == "Testdorp"
    assert data["clientCategories"]["bsn"] == DataCategory.IDENTITEIT
    assert sorted(_values(data, "cases.Case", "number")) == sorted([family["case"].number, family["own_case"].number])
    assert _values(data, "cases.Household", "name") == ["Huishouden De Boer"]
    assert sorted(_values(data, "cases.HouseholdMember", "relation")) == ["Kind", "Ouder"]
    expected = {
        "cases.CaseStatusChange",
        "cases.CaseMember",
        "cases.LifeDomainAssessment",
        "cases.ContactMoment",
        "cases.Signal",
        "cases.Referral",
        "cases.Intake",
        "cases.IntakeDomain",
        "workplans.Workplan",
        "workplans.Goal",
        "workplans.AnalysisEntry",
        "workplans.CoordinationDuty",
        "workplans.DutyRecord",
        "workplans.ClientInvolvement",
        "workplans.GoalView",
        "workplans.Meeting",
        "workplans.MeetingParticipant",
        "workplans.AgendaItem",
        "workplans.Agreement",
    }
    assert expected <= set(data["records"])
    assert _values(data, "workplans.Goal", "description") == ["Anna heeft een betalingsregeling."]
    assert _values(data, "workplans.Agreement", "what") == ["Verhuurder bellen over de achterstand."]
    assert _values(data, "workplans.AgendaItem", "question") == ["Wie belt de verhuurder?"]
    assert _values(data, "workplans.GoalView", "view") == ["Dit is het belangrijkste."]
    assert _values(data, "cases.IntakeDomain", "situation") == ["Huurachterstand."]
    assert "Huisbezoek, afspraak met de schuldhulp gemaakt." in _values(data, "cases.ContactMoment", "summary")


def test_fields_carry_their_category_and_readable_values(family, municipality):
    data = subject_access.build(family["anna"], for_organisation=municipality)

    [score] = data["records"]["cases.LifeDomainAssessment"]
    assert score["values"]["domain"] == "Huisvesting"  # the label, not the code
    assert score["values"]["client"] == "Anna de Boer"  # a foreign key as a name
    assert score["values"]["rationale"] == "Dreigende uitzetting."
    assert score["categories"]["score"] == DataCategory.WONEN  # by the record's life domain
    assert score["categories"]["assessor"] == DataCategory.ADMINISTRATIEF
    [intake_domain] = data["records"]["cases.IntakeDomain"]
    assert intake_domain["categories"]["situation"] == DataCategory.INKOMEN_SCHULDEN
    [involvement] = data["records"]["workplans.ClientInvolvement"]
    assert involvement["values"]["participants"] == ["Anna de Boer"]
    [case] = [row for row in data["records"]["cases.Case"] if row["values"]["number"] == family["case"].number]
    assert case["values"]["opened_on"] == family["case"].opened_on.isoformat()
    assert case["categories"]["summary"] == DataCategory.NOTITIES


def test_consents_disclosures_purposes_corrections_and_access_log(family, municipality, partner_org):
    data = subject_access.build(family["anna"], for_organisation=municipality)

    [consent] = data["consents"]
    assert consent["purpose"] == "Ondersteuning bij psychische problemen"
    assert consent["recipient"] == partner_org.name
    assert consent["status"] == "geldig"
    [disclosure] = data["disclosures"]
    assert disclosure["recipientOrganisation"] == partner_org.name
    assert disclosure["case"] == family["case"].number
    assert disclosure["categories"] == ["Registratie en proces", "Psychische gezondheid"]
    [purpose] = data["purposes"]
    assert purpose["code"] == "ggz-ondersteuning"
    assert purpose["specialGround"].startswith("Uitdrukkelijke toestemming")
    assert purpose["via"] == ["toestemming", "verstrekking"]
    assert [r["request"] for r in data["correctionRequests"]] == ["Mijn geboortedatum klopt niet."]
    log = {(entry["who"], entry["action"]) for entry in data["accessLog"]}
    assert (f"{family['case'].coordinator.get_full_name()} (Gemeente Testdorp)", "Gezocht") in log
    partner = Disclosure.objects.get().recipient_user
    assert (f"{partner.get_full_name()} ({partner_org.name})", "Bekeken") in log
    assert len(data["accessLog"]) == 2


# --- ... and nothing about anybody else --------------------------------------------------------


def test_nothing_of_another_client_or_another_household_member(family, municipality, stranger_case):
    data = subject_access.build(family["anna"], for_organisation=municipality)
    text = json.dumps(data, ensure_ascii=False)

    assert stranger_case.number not in text
    assert "Mail aan Piet." not in text
    assert "Angstig." not in text  # Tim's ZRM score
    assert "Speltherapie" not in text  # help Tim received
    assert "Buurvrouw Els" not in text  # the melder
    [signal] = data["records"]["cases.Signal"]
    assert signal["values"]["reporter_name"] == "(afgeschermd: gegevens van iemand anders)"
    assert signal["values"]["what_was_seen"] == "Post stapelt zich op."


@pytest.mark.parametrize("answering", ["municipality", "partner_org"])
def test_a_note_under_professional_secrecy_shows_only_whose_secrecy_it_is(family, team, answering, request):
    """The FG compiling the export is not bound by the wijkteam's secrecy (ADR 0005), whoever answers."""
    data = subject_access.build(family["anna"], for_organisation=request.getfixturevalue(answering))

    assert RESTRICTED_NOTE not in json.dumps(data, ensure_ascii=False)
    withheld = [row["withheld"] for row in data["records"]["cases.ContactMoment"] if row.get("withheld")]
    assert len(withheld) == 1
    assert team.name in withheld[0]
    assert "beroepsgeheim" in withheld[0]


def test_a_household_case_from_before_the_client_moved_in_is_not_hers(wijkcoach, team):
    anna = case_services.client_create(
        actor=wijkcoach, given_names="Anna", family_name="Nieuw", date_of_birth=datetime.date(1985, 2, 3)
    )
    old_home = case_services.household_create(actor=wijkcoach, name="Oud adres")
    case_services.household_add_member(
        actor=wijkcoach, household=old_home, client=anna, relation=Relation.OUDER, valid_from=datetime.date(2020, 1, 1)
    )
    [membership] = anna.household_memberships.all()
    case_services.household_end_member(actor=wijkcoach, member=membership, valid_to=datetime.date(2021, 1, 1))
    before = case_services.case_open(
        actor=wijkcoach, team=team, household=old_home, opened_on=datetime.date(2020, 6, 1)
    )
    after = case_services.case_open(actor=wijkcoach, team=team, household=old_home, opened_on=datetime.date(2022, 6, 1))

    numbers = _values(subject_access.build(anna), "cases.Case", "number")

    assert numbers == [before.number]
    assert after.number not in numbers


# --- A new model is included without a change to the export ---------------------------------------


def _reaches_client(model, seen=frozenset()) -> bool:
    """Does a chain of foreign keys or many-to-many fields lead from ``model`` to a client?"""
    for field in model._meta.get_fields():
        if not (field.is_relation and field.concrete or field.many_to_many) or field.auto_created:
            continue
        target = field.related_model
        if target is None or target._meta.label in seen or target._meta.label in NON_PERSONAL_MODELS:
            continue
        if target._meta.label == "cases.Client" or _reaches_client(target, seen | {model._meta.label}):
            return True
    return False


def test_every_registered_model_with_a_path_to_a_client_is_in_the_export():
    reachable = {
        label
        for label in FIELD_CATEGORIES
        if label not in NON_PERSONAL_MODELS and _reaches_client(apps.get_model(label))
    }
    assert reachable  # the check itself finds something
    assert reachable - subject_access.exported_models() == set()
    assert "workplans.GoalView" in reachable


def test_every_registered_personal_model_is_in_the_export():
    personal = set(FIELD_CATEGORIES) - NON_PERSONAL_MODELS
    assert personal - subject_access.exported_models() == set()


# --- The document for the person ------------------------------------------------------------------


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "inzage.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return result.stdout.decode()


def test_the_pdf_is_a_readable_dutch_document(family, municipality, partner_org, tmp_path):
    anna = family["anna"]
    pdf = subject_access.render_pdf(anna, subject_access.build(anna, for_organisation=municipality))

    assert pdf.startswith(b"%PDF")
    text = " ".join(_pdf_text(pdf, tmp_path).split())
    for heading in (
        "Inzage in uw gegevens",
        "Uw gegevens",
        "Uw casussen",
        "Uw gegevens per categorie",
        "Waarvoor gebruiken wij uw gegevens?",
        "Aan wie hebben wij uw gegevens gegeven?",
        "Wie heeft uw gegevens bekeken?",
        "Uw verzoeken om correctie",
    ):
        assert heading in text
    assert "Anna de Boer" in text
    assert family["case"].number in text
    assert "Dreigende uitzetting." in text
    assert "Anna heeft een betalingsregeling." in text
    assert "Ondersteuning bij psychische problemen" in text
    assert "Mijn geboortedatum klopt niet." in text
    assert f"onder het beroepsgeheim van {family['case'].team.name} valt" in text
    assert RESTRICTED_NOTE not in text

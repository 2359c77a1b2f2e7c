"""A partner professional sees a case only through the purpose of their case membership (GDPR).

A partner (role partner, organisation outside the municipality) sees a case when they are invited as a
case member AND the purpose of that membership covers it: the purpose is active, may be shared with their
kind of organisation, and, for a consent-based purpose, a client of the case gave a consent for that
purpose and recipient that is given, not expired and not withdrawn. They see only the purpose's usable
data categories; every partner view is a disclosure. The access log is written in one INSERT per request.

Each rule has a test that fails when the rule breaks: the policy (``case_decision``) and the lists
(``filter_cases``) must give the same answer, and pages and the API must follow it.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from access import gate, policy
from accounts.constants import OrganisationType, Role
from accounts.models import User
from cases import services as case_services
from cases.constants import CaseRole, Channel, Relation, SafetyConcern
from cases.models import Case, HouseholdMember
from consent import services as consent_services
from consent.constants import (
    AccessAction,
    ConsentMethod,
    CriminalGround,
    DataCategory,
    DisclosureChannel,
    LegalBasis,
    PurposeLaw,
    SpecialGround,
)
from consent.models import AccessLogEntry, BreakGlassGrant, Disclosure, Purpose
from tests.factories import OrganisationFactory, TeamFactory, make_user

pytestmark = pytest.mark.django_db

D = DataCategory
NO_BASIS_TEXT = "geen geldige grondslag"
BREAK_GLASS_BANNER = "U bekijkt deze casus met een doorbraak (break-the-glass)"

# Distinctive markers of data a partner's purpose does not cover (see ``scoped_case``).
SUMMARY_WORD = "Deurwaardersbeslag"
FINANCE_RATIONALE = "Loonbeslag-aflossingsplan-Q7"
MENTAL_RATIONALE = "Somberheid-behandeltraject-K3"
CONTACT_WORD = "Keukentafelgesprek-Z9"
SAFETY_LABEL = "Huiselijk geweld"


# --- Fixtures and helpers ---------------------------------------------------------


@pytest.fixture
def resident(wijkcoach):
    return case_services.client_create(
        actor=wijkcoach, given_names="Jan", family_name="Oudewaterink", date_of_birth=datetime.date(1980, 5, 17)
    )


@pytest.fixture
def case(wijkcoach, team, resident):
    """An open case of Wijkteam Noord for one client; the wijkcoach is a case member."""
    return case_services.case_open(actor=wijkcoach, team=team, client=resident, laws=["wmo"])


@pytest.fixture
def partner_team(partner_org):
    return TeamFactory(organisation=partner_org, name="Ambulant team GGZ")


@pytest.fixture
def partner(partner_team):
    """A professional of the partner organisation (a zorgaanbieder), role partner."""
    return make_user(Role.PARTNER, partner_team, username="t_partner")


def make_purpose(
    code: str,
    *,
    legal_basis: str = LegalBasis.PUBLIC_TASK,
    categories=(D.IDENTITEIT, D.PSYCHISCHE_GEZONDHEID, D.NOTITIES),
    special_ground: str | None = None,
    criminal_ground: str = "",
    recipient_types=(OrganisationType.ZORGAANBIEDER,),
) -> Purpose:
    if special_ground is None:
        special_ground = SpecialGround.EXPLICIT_CONSENT if legal_basis == LegalBasis.CONSENT else SpecialGround.CARE
    return Purpose.objects.create(
        code=code,
        name=f"Doel {code}",
        legal_basis=legal_basis,
        special_ground=special_ground,
        criminal_ground=criminal_ground,
        law=PurposeLaw.WAMS,
        categories=[str(c) for c in categories],
        recipient_types=[str(t) for t in recipient_types],
    )


def invite(case, user, purpose, *, actor) -> None:
    case_services.case_member_add(actor=actor, case=case, user=user, role=CaseRole.PARTNER, purpose=purpose)


def give_consent(client, purpose, *, actor, recipient_organisation=None, recipient_type="", **times):
    now = timezone.now()
    return consent_services.consent_record(
        actor=actor,
        client=client,
        purpose=purpose,
        recipient_organisation=recipient_organisation,
        recipient_type=recipient_type,
        given_at=times.get("given_at", now - datetime.timedelta(days=10)),
        expires_at=times.get("expires_at"),
        method=ConsentMethod.WRITTEN,
    )


def decision_for(user, case, *, write: bool = False) -> policy.Decision:
    # Roles are cached on the user and memberships on the case: every check starts clean.
    return policy.case_decision(User.objects.get(pk=user.pk), Case.objects.get(pk=case.pk), write=write)


def listed(user, case, *, write: bool = False) -> bool:
    return policy.filter_cases(User.objects.get(pk=user.pk), write=write).filter(pk=case.pk).exists()


def page_url(case, name: str = "cases:case-detail") -> str:
    return reverse(name, args=[case.uuid])


def api_url(case, suffix: str = "") -> str:
    return f"/api/v1/cases/{case.uuid}{suffix}"


def get(client, user, url: str):
    client.force_login(user)
    return client.get(url)


# --- 1. The partner matrix ----------------------------------------------------------

VALID_CONSENT = "consent-valid"
CONSENT_FOR_TYPE = "consent-for-recipient-type"
EXPIRED = "consent-expired"
WITHDRAWN = "consent-withdrawn"
OTHER_ORGANISATION = "consent-for-other-organisation"
OTHER_PURPOSE = "consent-for-other-purpose"
NO_CONSENT = "no-consent"
NOT_YET_GIVEN = "consent-given-in-a-moment"
PUBLIC_SHARED = "public-task-shares-with-org-type"
PUBLIC_NOT_SHARED = "public-task-does-not-share-with-org-type"
INACTIVE = "purpose-no-longer-active"

HAS_BASIS = {VALID_CONSENT: True, CONSENT_FOR_TYPE: True, PUBLIC_SHARED: True}
SCENARIOS = [
    VALID_CONSENT,
    CONSENT_FOR_TYPE,
    EXPIRED,
    WITHDRAWN,
    OTHER_ORGANISATION,
    OTHER_PURPOSE,
    NO_CONSENT,
    NOT_YET_GIVEN,
    PUBLIC_SHARED,
    PUBLIC_NOT_SHARED,
    INACTIVE,
]


def _arrange(scenario: str, *, case, client, partner, partner_org, actor, invited: bool):
    """The membership's purpose and the client's consents for one scenario; returns the consent that counts."""
    now = timezone.now()
    consent_based = scenario not in (PUBLIC_SHARED, PUBLIC_NOT_SHARED)
    purpose = make_purpose("matrix-doel", legal_basis=LegalBasis.CONSENT if consent_based else LegalBasis.PUBLIC_TASK)
    consent = None
    if scenario in (VALID_CONSENT, INACTIVE):
        consent = give_consent(client, purpose, actor=actor, recipient_organisation=partner_org)
    elif scenario == CONSENT_FOR_TYPE:
        consent = give_consent(client, purpose, actor=actor, recipient_type=OrganisationType.ZORGAANBIEDER)
    elif scenario == EXPIRED:
        give_consent(
            client,
            purpose,
            actor=actor,
            recipient_organisation=partner_org,
            given_at=now - datetime.timedelta(days=30),
            expires_at=now - datetime.timedelta(days=1),
        )
    elif scenario == WITHDRAWN:
        given = give_consent(client, purpose, actor=actor, recipient_organisation=partner_org)
        consent_services.consent_withdraw(actor=actor, consent=given, reason="De cliënt wil dit niet meer.")
    elif scenario == OTHER_ORGANISATION:
        elsewhere = OrganisationFactory(name="GGZ Elders", type=OrganisationType.ZORGAANBIEDER)
        give_consent(client, purpose, actor=actor, recipient_organisation=elsewhere)
    elif scenario == OTHER_PURPOSE:
        other = make_purpose("ander-doel", legal_basis=LegalBasis.CONSENT)
        give_consent(client, other, actor=actor, recipient_organisation=partner_org)
    elif scenario == NOT_YET_GIVEN:
        # Within the clock-skew the service allows, but not yet in effect.
        give_consent(
            client,
            purpose,
            actor=actor,
            recipient_organisation=partner_org,
            given_at=now + datetime.timedelta(minutes=3),
        )
    if invited:
        invite(case, partner, purpose, actor=actor)
    # Changes of the purpose after the invitation (the beheerder narrows or retires it).
    if scenario == PUBLIC_NOT_SHARED:
        Purpose.objects.filter(pk=purpose.pk).update(recipient_types=[OrganisationType.VEILIG_THUIS])
    elif scenario == INACTIVE:
        Purpose.objects.filter(pk=purpose.pk).update(active=False)
    return purpose, consent


@pytest.mark.parametrize("invited", [True, False], ids=["invited", "not-invited"])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_partner_matrix(client, case, resident, partner, partner_org, wijkcoach, scenario, invited):
    purpose, consent = _arrange(
        scenario, case=case, client=resident, partner=partner, partner_org=partner_org, actor=wijkcoach, invited=invited
    )
    expected = invited and HAS_BASIS.get(scenario, False)

    decision = decision_for(partner, case)
    assert decision.allowed is expected
    assert listed(partner, case) is expected, "filter_cases must agree with case_decision"
    assert not decision_for(partner, case, write=True).allowed
    assert not listed(partner, case, write=True)
    if expected:
        assert decision.basis == policy.Basis.PURPOSE
        assert decision.purpose_id == purpose.pk
        assert decision.consent_id == (consent.pk if consent else None)
        assert decision.organisation_id == partner_org.pk

    page = get(client, partner, page_url(case))
    api = client.get(api_url(case))
    if expected:
        assert page.status_code == 200
        assert api.status_code == 200
    elif invited:
        assert page.status_code == 403
        assert NO_BASIS_TEXT in page.content.decode()
        assert api.status_code == 403
        assert NO_BASIS_TEXT in api.json()["detail"]
    else:
        assert page.status_code == 404
        assert api.status_code == 404
        assert NO_BASIS_TEXT not in page.content.decode()


@pytest.mark.parametrize("still_living_there", [True, False], ids=["current-member", "former-member"])
def test_consent_of_a_household_member_counts_only_while_they_live_there(
    client, wijkcoach, team, partner, partner_org, still_living_there
):
    """A consent of any current member of the case's household covers the case, not one of a former member."""
    adults = [
        case_services.client_create(
            actor=wijkcoach, given_names=name, family_name="de Vries", date_of_birth=datetime.date(1975, 1, 2)
        )
        for name in ("Sanne", "Piet")
    ]
    household = case_services.household_create(
        actor=wijkcoach,
        name="Huishouden De Vries",
        members=[(adults[0], Relation.OUDER), (adults[1], Relation.PARTNER)],
    )
    household_case = case_services.case_open(actor=wijkcoach, team=team, household=household, laws=["jeugdwet"])
    purpose = make_purpose("gezinsdoel", legal_basis=LegalBasis.CONSENT)
    give_consent(adults[1], purpose, actor=wijkcoach, recipient_organisation=partner_org)
    invite(household_case, partner, purpose, actor=wijkcoach)
    if not still_living_there:
        today = timezone.localdate()
        HouseholdMember.objects.filter(client=adults[1]).update(
            valid_from=today - datetime.timedelta(days=60), valid_to=today - datetime.timedelta(days=1)
        )

    assert decision_for(partner, household_case).allowed is still_living_there
    assert listed(partner, household_case) is still_living_there
    assert get(client, partner, page_url(household_case)).status_code == (200 if still_living_there else 403)


# --- 2. Data categories ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("categories", "special_ground", "criminal_ground", "expected"),
    [
        pytest.param(
            [D.IDENTITEIT, D.PSYCHISCHE_GEZONDHEID, D.NOTITIES],
            SpecialGround.CARE,
            "",
            {D.ADMINISTRATIEF, D.IDENTITEIT, D.PSYCHISCHE_GEZONDHEID, D.NOTITIES},
            id="special-with-art9-ground",
        ),
        pytest.param(
            [D.IDENTITEIT, D.PSYCHISCHE_GEZONDHEID, D.NOTITIES],
            "",
            "",
            {D.ADMINISTRATIEF, D.IDENTITEIT, D.NOTITIES},
            id="special-without-art9-ground",
        ),
        pytest.param(
            [D.GEZONDHEID, D.VERSLAVING, D.JUSTITIE],
            SpecialGround.CARE,
            "",
            {D.ADMINISTRATIEF, D.GEZONDHEID, D.VERSLAVING},
            id="criminal-without-art10-ground",
        ),
        pytest.param(
            [D.JUSTITIE, D.NOTITIES],
            "",
            CriminalGround.UAVG_33,
            {D.ADMINISTRATIEF, D.JUSTITIE, D.NOTITIES},
            id="criminal-with-art10-ground",
        ),
        pytest.param([], "", "", {D.ADMINISTRATIEF}, id="registration-data-always"),
    ],
)
def test_partner_sees_only_the_usable_categories_of_their_purpose(
    client, case, partner, wijkcoach, categories, special_ground, criminal_ground, expected
):
    purpose = make_purpose(
        "categorie-doel", categories=categories, special_ground=special_ground, criminal_ground=criminal_ground
    )
    invite(case, partner, purpose, actor=wijkcoach)

    decision = decision_for(partner, case)
    assert decision.allowed
    assert decision.categories == frozenset(expected)
    assert {c for c in DataCategory.values if decision.sees(c)} == set(expected)
    response = get(client, partner, page_url(case))
    assert response.status_code == 200
    # The page decides what to leave out with the same answer.
    assert {c for c, shown in response.context["see"].items() if shown} == set(expected)


def test_municipal_team_member_sees_every_category(case, wijkcoach):
    decision = decision_for(wijkcoach, case)
    assert decision.allowed and decision.categories is None
    assert all(decision.sees(c) for c in DataCategory.values)


# --- 3. Fields outside the purpose are absent, from pages and the API ---------------------


@pytest.fixture
def scoped_case(case, wijkcoach, partner):
    """A case with data of several categories; the partner's purpose covers identity and mental health only."""
    case_services.case_update(
        actor=wijkcoach,
        case=case,
        expected_version=None,
        summary=f"{SUMMARY_WORD} op het loon, schulden lopen op.",
        safety_concern=SafetyConcern.HUISELIJK_GEWELD,
    )
    case_services.assessments_record(
        actor=wijkcoach,
        case=case,
        scores=[
            case_services.ScoreInput(domain="financien", score=2, rationale=FINANCE_RATIONALE),
            case_services.ScoreInput(domain="geestelijke_gezondheid", score=3, rationale=MENTAL_RATIONALE),
        ],
    )
    case_services.contact_record(
        actor=wijkcoach,
        case=case,
        occurred_at=timezone.now() - datetime.timedelta(hours=1),
        channel=Channel.HUISBEZOEK,
        summary=f"{CONTACT_WORD} over de schulden.",
    )
    purpose = make_purpose("ggz-behandeling", categories=[D.IDENTITEIT, D.PSYCHISCHE_GEZONDHEID])
    invite(case, partner, purpose, actor=wijkcoach)
    return Case.objects.get(pk=case.pk)


@pytest.fixture(params=["partner", "wijkcoach"])
def viewer(request, partner, wijkcoach):
    """(user, restricted): the partner sees the purpose's categories only, the team member everything."""
    return {"partner": (partner, True), "wijkcoach": (wijkcoach, False)}[request.param]


def test_overview_page_leaves_out_categories_outside_the_purpose(client, scoped_case, viewer):
    user, restricted = viewer
    response = get(client, user, page_url(scoped_case))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Geestelijke gezondheid" in html
    for marker in ("Financiën", SUMMARY_WORD, "app-safety-banner", SAFETY_LABEL, CONTACT_WORD):
        assert (marker in html) is not restricted, marker


def test_zrm_tab_shows_only_the_life_domains_of_the_purpose(client, scoped_case, viewer):
    user, restricted = viewer
    response = get(client, user, page_url(scoped_case, "cases:case-zrm"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Geestelijke gezondheid" in html
    assert ("Financiën" in html) is not restricted
    assert FINANCE_RATIONALE not in html or not restricted


def test_contacts_tab_needs_the_notes_category(client, scoped_case, viewer):
    user, restricted = viewer
    response = get(client, user, page_url(scoped_case, "cases:case-contacts"))
    assert response.status_code == (403 if restricted else 200)
    assert (CONTACT_WORD in response.content.decode()) is not restricted


def test_case_api_leaves_out_keys_outside_the_purpose(client, scoped_case, viewer):
    user, restricted = viewer
    response = get(client, user, api_url(scoped_case))
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == scoped_case.number
    assert body["status"] == scoped_case.status
    for key in ("summary", "safetyConcern", "safetyFlag"):
        assert (key in body) is not restricted, key  # absent, not null
    assert (SUMMARY_WORD in response.content.decode()) is not restricted


def test_assessments_api_lists_only_the_domains_of_the_purpose(client, scoped_case, viewer):
    user, restricted = viewer
    response = get(client, user, api_url(scoped_case, "/assessments"))
    assert response.status_code == 200
    domains = {row["domain"] for row in response.json()["results"]}
    assert domains == ({"geestelijke_gezondheid"} if restricted else {"financien", "geestelijke_gezondheid"})
    assert (FINANCE_RATIONALE in response.content.decode()) is not restricted


def test_contacts_api_needs_the_notes_category(client, scoped_case, viewer):
    user, restricted = viewer
    response = get(client, user, api_url(scoped_case, "/contacts"))
    assert response.status_code == (403 if restricted else 200)
    assert (CONTACT_WORD in response.content.decode()) is not restricted


def test_case_list_api_rows_leave_out_keys_outside_the_purpose(client, scoped_case, viewer):
    user, restricted = viewer
    response = get(client, user, "/api/v1/cases")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["number"] for row in rows] == [scoped_case.number]
    assert rows[0]["status"] == scoped_case.status
    for key in ("summary", "safetyConcern", "safetyFlag"):
        assert key not in rows[0] or not restricted, key
    assert ("safetyConcern" in rows[0]) is not restricted


# --- 4. Withdrawal takes effect at once ---------------------------------------------------


@pytest.mark.parametrize("channel", ["page", "api"])
def test_withdrawn_consent_takes_effect_on_the_very_next_request(
    client, case, resident, partner, partner_org, wijkcoach, channel
):
    purpose = make_purpose("toestemming-doel", legal_basis=LegalBasis.CONSENT)
    consent = give_consent(resident, purpose, actor=wijkcoach, recipient_organisation=partner_org)
    invite(case, partner, purpose, actor=wijkcoach)
    url = page_url(case) if channel == "page" else api_url(case)
    assert get(client, partner, url).status_code == 200

    consent_services.consent_withdraw(actor=wijkcoach, consent=consent, reason="De cliënt trekt de toestemming in.")

    response = client.get(url)
    assert response.status_code == 403
    text = response.content.decode() if channel == "page" else response.json()["detail"]
    assert NO_BASIS_TEXT in text
    assert AccessLogEntry.objects.filter(case=case, user=partner, action=AccessAction.DENIED).count() == 1
    assert not decision_for(partner, case).allowed
    assert not listed(partner, case)


# --- 5. Disclosures ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_of", "channel"),
    [
        pytest.param(page_url, DisclosureChannel.PAGE, id="page"),
        pytest.param(api_url, DisclosureChannel.API, id="api"),
    ],
)
def test_a_partner_view_is_one_disclosure(client, case, resident, partner, partner_org, wijkcoach, url_of, channel):
    purpose = make_purpose("verstrek-doel", legal_basis=LegalBasis.CONSENT)
    consent = give_consent(resident, purpose, actor=wijkcoach, recipient_organisation=partner_org)
    invite(case, partner, purpose, actor=wijkcoach)
    decision = decision_for(partner, case)

    assert get(client, partner, url_of(case)).status_code == 200

    disclosure = Disclosure.objects.get(case=case)
    assert disclosure.channel == channel
    assert disclosure.client_id == resident.pk
    assert disclosure.purpose_id == purpose.pk
    assert disclosure.legal_basis == LegalBasis.CONSENT
    assert disclosure.consent_id == consent.pk
    assert disclosure.recipient_organisation_id == partner_org.pk
    assert disclosure.recipient_user_id == partner.pk
    assert set(disclosure.categories) == set(decision.categories)
    assert len(disclosure.categories) == len(decision.categories)


@pytest.mark.parametrize("url_of", [page_url, api_url], ids=["page", "api"])
def test_a_municipal_view_is_no_disclosure(client, case, wijkcoach, url_of):
    assert get(client, wijkcoach, url_of(case)).status_code == 200
    assert not Disclosure.objects.exists()


# --- 6. Restricted notes (beroepsgeheim) ----------------------------------------------------

OPEN_NOTE = "Open-notitie-A1"
MUNICIPAL_SECRET = "Wijkteamgeheim-B2"


@pytest.fixture
def notes_case(case, wijkcoach, partner, partner_team, team):
    """Two notes: an open one, and one under the professional secrecy of the wijkteam's social workers."""
    purpose = make_purpose("notities-doel", categories=[D.IDENTITEIT, D.NOTITIES])
    invite(case, partner, purpose, actor=wijkcoach)
    partner_colleague = make_user(Role.PARTNER, partner_team, username="t_partner_collega")
    invite(case, partner_colleague, purpose, actor=wijkcoach)
    now = timezone.now()
    for actor, text, restricted, hours in (
        (wijkcoach, OPEN_NOTE, False, 3),
        (wijkcoach, MUNICIPAL_SECRET, True, 2),
    ):
        case_services.contact_record(
            actor=actor,
            case=case,
            occurred_at=now - datetime.timedelta(hours=hours),
            channel=Channel.TELEFOON,
            summary=text,
            restricted=restricted,
        )
    return case, partner_colleague


@pytest.mark.parametrize(
    ("who", "secret_shown"),
    [
        ("partner", False),
        ("partner_colleague", False),
        ("wijkcoach", True),  # the author
        ("regisseur", True),  # bound by the same secrecy, in the author's team
        ("colleague", False),  # a klantmanager of the same team and organisation is not
    ],
)
@pytest.mark.parametrize(
    "url_of",
    [
        pytest.param(lambda c: page_url(c, "cases:case-contacts"), id="contacts-page"),
        pytest.param(page_url, id="overview-page"),
        pytest.param(lambda c: api_url(c, "/contacts"), id="contacts-api"),
    ],
)
def test_notes_under_professional_secrecy_stay_with_the_social_workers_of_the_authors_team(
    client, notes_case, partner, wijkcoach, colleague, team, who, secret_shown, url_of
):
    case, partner_colleague = notes_case
    regisseur = make_user(Role.REGISSEUR, team, username="t_regisseur_geheim")
    user = {
        "partner": partner,
        "partner_colleague": partner_colleague,
        "wijkcoach": wijkcoach,
        "regisseur": regisseur,
        "colleague": colleague,
    }[who]
    response = get(client, user, url_of(case))
    assert response.status_code == 200
    content = response.content.decode()
    assert OPEN_NOTE in content
    assert (MUNICIPAL_SECRET in content) is secret_shown


# --- 7. One access-log INSERT per request ----------------------------------------------------

ACCESS_LOG_INSERT = 'INSERT INTO "consent_accesslogentry"'
DISCLOSURE_INSERT = 'INSERT INTO "consent_disclosure"'


def _inserts(context, prefix: str) -> int:
    return sum(1 for q in context.captured_queries if q["sql"].lstrip().startswith(prefix))


@pytest.fixture
def many_cases(wijkcoach, team, resident):
    return [case_services.case_open(actor=wijkcoach, team=team, client=resident) for _ in range(30)]


def _listed_count(response) -> int:
    if response.get("Content-Type", "").startswith("application/json"):
        return len(response.json()["results"])
    return len(response.context["page"].object_list)


@pytest.mark.parametrize(
    ("url", "expected_rows"),
    [
        pytest.param("/api/v1/cases?pageSize=30", 30, id="case-list-api"),
        pytest.param("werkvoorraad", 25, id="werkvoorraad-page"),
    ],
)
def test_a_list_writes_its_access_log_in_one_insert(client, wijkcoach, many_cases, url, expected_rows):
    client.force_login(wijkcoach)
    url = url if url.startswith("/") else reverse(url)
    before = AccessLogEntry.objects.count()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    listed_rows = _listed_count(response)
    assert listed_rows == expected_rows > 1
    assert _inserts(context, ACCESS_LOG_INSERT) == 1
    assert AccessLogEntry.objects.count() - before == listed_rows
    assert AccessLogEntry.objects.filter(user=wijkcoach, action=AccessAction.LIST).count() == listed_rows


@pytest.mark.parametrize("who", ["wijkcoach", "partner"])
@pytest.mark.parametrize("url_of", [page_url, api_url], ids=["page", "api"])
def test_a_case_view_writes_one_access_log_insert(client, case, wijkcoach, partner, who, url_of):
    invite(case, partner, make_purpose("insert-doel"), actor=wijkcoach)
    user = {"wijkcoach": wijkcoach, "partner": partner}[who]
    client.force_login(user)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url_of(case))
    assert response.status_code == 200
    assert _inserts(context, ACCESS_LOG_INSERT) == 1
    assert _inserts(context, DISCLOSURE_INSERT) == (1 if who == "partner" else 0)
    assert AccessLogEntry.objects.filter(case=case, user=user, action=AccessAction.VIEW).count() == 1


# --- 8. Break-the-glass ---------------------------------------------------------------------


def test_break_the_glass_gives_temporary_read_only_access(client, case, outsider):
    assert not decision_for(outsider, case).allowed
    assert not listed(outsider, case)
    assert get(client, outsider, page_url(case)).status_code == 404

    grant = consent_services.break_glass_grant(
        user=outsider, case=case, reason="De cliënt is in acute nood en de regievoerder is niet bereikbaar.", hours=2
    )

    decision = decision_for(outsider, case)
    assert decision.allowed
    assert decision.basis == policy.Basis.BREAK_GLASS
    assert decision.break_glass_grant_id == grant.pk
    assert listed(outsider, case)
    response = client.get(page_url(case))
    assert response.status_code == 200
    assert BREAK_GLASS_BANNER in response.content.decode()
    # Read only.
    assert not decision_for(outsider, case, write=True).allowed
    assert not listed(outsider, case, write=True)
    assert client.post(page_url(case, "cases:case-update"), {"summary": "x", "lock_version": 0}).status_code == 403
    assert client.patch(api_url(case), {"summary": "x"}, content_type="application/json").status_code == 403
    assert Case.objects.get(pk=case.pk).summary == ""

    now = timezone.now()
    BreakGlassGrant.objects.filter(pk=grant.pk).update(
        granted_at=now - datetime.timedelta(hours=3), expires_at=now - datetime.timedelta(minutes=1)
    )

    assert not decision_for(outsider, case).allowed
    assert not listed(outsider, case)
    assert client.get(page_url(case)).status_code == 404
    assert client.get(api_url(case)).status_code == 404


def test_a_partner_cannot_break_the_glass(case, partner):
    with pytest.raises(ValidationError):
        consent_services.break_glass_grant(
            user=partner, case=case, reason="Ik wil deze casus graag even inzien vandaag.", hours=2
        )
    assert not decision_for(partner, case).allowed


def test_visible_domains_follow_the_decision(case, partner, wijkcoach):
    invite(case, partner, make_purpose("domein-doel", categories=[D.PSYCHISCHE_GEZONDHEID]), actor=wijkcoach)
    assert gate.visible_domains(decision_for(partner, case)) == ["geestelijke_gezondheid"]


# --- Gaps found by these tests and fixed ---------------------------------------------------------


def test_partner_cannot_filter_cases_on_a_category_outside_the_purpose(client, scoped_case, partner):
    flagged = get(client, partner, "/api/v1/cases?safetyFlag=true")
    unflagged = client.get("/api/v1/cases?safetyFlag=false")
    assert flagged.status_code == unflagged.status_code
    if flagged.status_code == 200:
        numbers = [[row["number"] for row in r.json()["results"]] for r in (flagged, unflagged)]
        assert numbers[0] == numbers[1]


@pytest.mark.parametrize("suffix", ["/assessments", "/contacts"])
def test_nested_api_lists_leave_out_client_names_outside_the_purpose(
    client, case, resident, partner, wijkcoach, suffix
):
    invite(
        case,
        partner,
        make_purpose("zonder-identiteit", categories=[D.PSYCHISCHE_GEZONDHEID, D.NOTITIES]),
        actor=wijkcoach,
    )
    case_services.assessments_record(
        actor=wijkcoach,
        case=case,
        client=resident,
        scores=[case_services.ScoreInput(domain="geestelijke_gezondheid", score=3, rationale=MENTAL_RATIONALE)],
    )
    case_services.contact_record(
        actor=wijkcoach,
        case=case,
        occurred_at=timezone.now() - datetime.timedelta(minutes=10),
        channel=Channel.TELEFOON,
        summary=CONTACT_WORD,
        participants=[resident],
    )
    assert "Oudewaterink" not in get(client, partner, page_url(case, "cases:case-contacts")).content.decode()
    response = client.get(api_url(case, suffix))
    assert response.status_code == 200
    assert response.json()["results"]
    assert "Oudewaterink" not in response.content.decode()


def test_a_partner_list_disclosure_names_the_consent(client, case, resident, partner, partner_org, wijkcoach):
    purpose = make_purpose("lijst-doel", legal_basis=LegalBasis.CONSENT)
    consent = give_consent(resident, purpose, actor=wijkcoach, recipient_organisation=partner_org)
    invite(case, partner, purpose, actor=wijkcoach)
    assert len(get(client, partner, "/api/v1/cases").json()["results"]) == 1
    disclosure = Disclosure.objects.get(case=case, channel=DisclosureChannel.API)
    assert disclosure.purpose_id == purpose.pk
    assert disclosure.consent_id == consent.pk


def test_two_memberships_list_and_detail_agree(client, case, partner, wijkcoach):
    invite(case, partner, make_purpose("publiek-doel"), actor=wijkcoach)
    case_services.case_member_add(
        actor=wijkcoach,
        case=case,
        user=partner,
        role=CaseRole.WERKCOACH,
        purpose=make_purpose("toestemming-zonder-toestemming", legal_basis=LegalBasis.CONSENT),
    )
    assert decision_for(partner, case).allowed is listed(partner, case)
    assert (get(client, partner, page_url(case)).status_code == 200) is listed(partner, case)

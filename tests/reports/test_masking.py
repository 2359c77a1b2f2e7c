"""Masking the people of a case in an obstacle description before beleid reads it (``reports.masking``,
security review finding 6), the review page and the approval that use it, and the report that quotes the
approved text.

The first tests are pure (the masking of a text for given people); the others build a case through the
services and go through the pages as beleid.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from accounts.constants import Role
from cases import services as case_services
from cases.constants import CaseRole, CaseStatus, Relation
from reports import services
from reports.masking import Identities, Person, identities_for, mask
from reports.models import ProgressReport
from reports.publish import section
from tests.cases.test_handovers import open_active_case
from tests.factories import make_user
from workplans import services as plan_services
from workplans.constants import ObstacleCategory
from workplans.models import Obstacle

OBSTACLES = "/rapportages/belemmeringen/"

ZOE = Person(
    given_names="Zoë Maria",
    prefix="van 't",
    family_name="Hof",
    bsn="123456782",
    street="Kastanjelaan",
    house_number="12",
    house_number_addition="a",
    postcode="1234 AB",
    phone="06-12345678",
    email="zoe.hof@example.nl",
    date_of_birth=datetime.date(1980, 5, 17),
)
SON = Person(given_names="Daan", family_name="D'Souza", date_of_birth=datetime.date(2012, 3, 4))
SISTER = Person(given_names="Anne-Marie", family_name="Smit")
COORDINATOR = Person(
    given_names="Marieke", family_name="van den Berg", email="m.vandenberg@gemeente.nl", professional=True
)
PEOPLE = Identities([ZOE, SON, SISTER, COORDINATOR], household_names=["Huishouden Van 't Hof"])


def masked(text: str, identities: Identities = PEOPLE) -> str:
    with translation.override("nl"):
        return mask(text, identities)


# --- The masking ----------------------------------------------------------------------------------------------


def test_every_identifier_of_the_client_household_and_coordinator_is_replaced():
    text = (
        "Mevrouw Zoë van 't Hof (BSN 123456782), Kastanjelaan 12a, 1234 AB Voorbeeldstad, tel. 06-12345678, "
        "zoe.hof@example.nl, geboren 17-05-1980, wacht tien weken op schuldhulp. Zoë belt elke week; haar zoon "
        "Daan D'Souza zit thuis. Regievoerder Marieke van den Berg heeft de wachtlijst gemaild."
    )
    out = masked(text)
    assert out == (
        "Mevrouw [naam] (BSN [BSN]), [adres], [postcode] Voorbeeldstad, tel. [telefoon], [e-mail], geboren "
        "[geboortedatum], wacht tien weken op schuldhulp. [naam] belt elke week; haar zoon [naam] zit thuis. "
        "Regievoerder [medewerker] heeft de wachtlijst gemaild."
    )
    for identifier in ("Zoë", "Hof", "123456782", "Kastanjelaan", "12a", "1234", "12345678", "example.nl", "1980"):
        assert identifier not in out
    for identifier in ("Daan", "Souza", "Marieke", "Berg"):
        assert identifier not in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Case, diacritics and typographic apostrophes do not matter.
        ("ZOË VAN ’T HOF belt", "[naam] belt"),
        ("zoe van 't hof belt", "[naam] belt"),
        ("Zoe belt, Maria ook", "[naam] belt, [naam] ook"),
        ("Zoë's moeder en Zoës broer", "[naam]'s moeder en [naam] broer"),
        ("Daan D’Souza en mevrouw D'Souza", "[naam] en mevrouw [naam]"),
        # Family name alone, with its prefix, and given name + family name without the middle name.
        ("Van 't Hof wacht; Hof ook", "[naam] wacht; [naam] ook"),
        ("Zoë van 't Hof en Zoë Maria van 't Hof", "[naam] en [naam]"),
        # Initials go with the name; the professional is a [medewerker], also without her prefix.
        ("J.P. van den Berg en M. van den Berg", "[medewerker] en [medewerker]"),
        ("mevrouw Van den Berg, Berg en Marieke", "mevrouw [medewerker], [medewerker] en [medewerker]"),
        # The household's name.
        ("Huishouden van 't Hof", "[naam]"),
        # A double given name, whole and in parts.
        ("Anne-Marie en Anne belden", "[naam] en [naam] belden"),
    ],
)
def test_names_with_prefixes_apostrophes_and_diacritics(text, expected):
    assert masked(text) == expected


def test_a_word_that_merely_contains_a_name_is_left_alone():
    kees = Identities([Person(given_names="Kees", family_name="Bos"), Person(given_names="Jan", family_name="de Jong")])
    # "Bos" is masked as a word, also in a double name, but not inside "Bosweg" (not Kees's street), "bospad",
    # "Bosch" or "bosbouw"; "Jan" not inside "januari" or "Jansen".
    assert masked("Bos en Bos-Jansen bij de Bosweg, het bospad, Den Bosch, de bosbouw", kees) == (
        "[naam] en [naam]-Jansen bij de Bosweg, het bospad, Den Bosch, de bosbouw"
    )
    assert masked("In januari belde Jansen, niet Jan.", kees) == "In januari belde Jansen, niet [naam]."
    # The prefixes of a name are no names: "de" and "van" stay. A family name that is also a word ("jong") is
    # masked where it stands alone: a readable text matters less than a person.
    assert masked("De Jong wacht, van de wachtlijst, een jong kind", kees) == (
        "[naam] wacht, van de wachtlijst, een [naam] kind"
    )
    # The client's street is masked, also without the house number.
    assert masked("Zij woont aan de Kastanjelaan, in de kastanjelaanbuurt") == (
        "Zij woont aan de [adres], in de kastanjelaanbuurt"
    )


@pytest.mark.parametrize(
    "date", ["17-05-1980", "17-5-1980", "17/5/80", "17.05.1980", "1980-05-17", "17 mei 1980", "17 mei '80"]
)
def test_the_date_of_birth_in_the_usual_dutch_notations(date):
    assert masked(f"Sinds {date} bekend") == "Sinds [geboortedatum] bekend"
    assert masked(f"Daan is op 4 maart 2012 geboren, zij op {date}.") == (
        "[naam] is op [geboortedatum] geboren, zij op [geboortedatum]."
    )


def test_identifiers_of_anyone_by_their_form_and_no_false_alarms():
    text = (
        "De buurman (BSN 111.222.333, ook 1112.22.333 of 111222333) woont Lindelaan 5, 2511 CV, en 2511cv; bel "
        "+31 6 1234 5678, 0031612345678, (070) 123 4567 of 010-1234567, mail buur@voorbeeld.nl, rekening "
        "NL91 ABNA 0417 1643 00, geboren 3-4-1975."
    )
    assert masked(text, Identities()) == (
        "De buurman (BSN [BSN], ook [BSN] of [BSN]) woont [adres], [postcode], en [postcode]; bel [telefoon], "
        "[telefoon], [telefoon] of [telefoon], mail [e-mail], rekening [rekeningnummer], geboren [geboortedatum]."
    )
    ordinary = (
        "Sinds 2026 en al 3 maanden, 10 weken of 12 dagen: € 1.250 per maand, 2 van de 5 gesprekken op 3-4-2026, "
        "zaak 2026-000123, treeknorm 4 weken."
    )
    assert masked(ordinary, Identities()) == ordinary


def test_masking_is_the_same_for_the_same_text_and_leaves_an_empty_text_alone():
    text = "Zoë wacht op Daan"
    assert masked(text) == masked(text) == "[naam] wacht op [naam]"
    assert masked("") == ""


# --- Who is in a case -------------------------------------------------------------------------------------------


@pytest.fixture
def hof_case(wijkcoach, team):
    """A case of the household of Zoë van 't Hof: her son, and her former partner who moved out; a coordinator
    and a contact person (not a user) on the case team."""
    zoe = case_services.client_create(
        actor=wijkcoach, given_names="Zoë", prefix="van 't", family_name="Hof", bsn="123456782",
        date_of_birth=datetime.date(1980, 5, 17), street="Kastanjelaan", house_number="12", postcode="1234 AB",
        phone="06-12345678", email="zoe.hof@example.nl",
    )  # fmt: skip
    son = case_services.client_create(
        actor=wijkcoach, given_names="Daan", family_name="D'Souza", date_of_birth=datetime.date(2012, 3, 4)
    )
    former = case_services.client_create(
        actor=wijkcoach, given_names="Rutger", family_name="Vermeulen", date_of_birth=datetime.date(1978, 1, 2)
    )
    household = case_services.household_create(
        actor=wijkcoach,
        name="Huishouden Van 't Hof",
        members=[(zoe, Relation.OUDER), (son, Relation.KIND), (former, Relation.PARTNER)],
    )
    membership = former.household_memberships.get()
    case_services.household_end_member(actor=wijkcoach, member=membership)
    case = case_services.case_open(actor=wijkcoach, team=team, household=household, laws=[])
    for status in (CaseStatus.INTAKE, CaseStatus.TRIAGE, CaseStatus.ACTIEF):
        case = case_services.case_transition(actor=wijkcoach, case=case, to_status=status)
    coordinator = make_user(Role.WIJKCOACH, team, username="t_marieke", first_name="Marieke", last_name="van den Berg")
    case_services.case_set_coordinator(actor=wijkcoach, case=case, user=coordinator)
    case_services.case_member_add(
        actor=wijkcoach, case=case, role=CaseRole.KLANTMANAGER, organisation=team.organisation,
        contact_name="Dr. Karin Smit", contact_phone="020-7654321",
    )  # fmt: skip
    case.refresh_from_db()
    return case


DESCRIPTION = (
    "Zoë van 't Hof (BSN 123456782, Kastanjelaan 12, 1234 AB, 06-12345678, zoe.hof@example.nl, geb. 17 mei 1980) "
    "wacht op schuldhulp; Daan D'Souza en Rutger Vermeulen ook. Marieke van den Berg en Karin Smit (020-7654321) "
    "overleggen, Wim Wijkmans schreef dit."
)
IDENTIFIERS = (
    "Zoë", "Hof", "123456782", "Kastanjelaan", "1234 AB", "12345678", "example.nl", "1980", "Daan", "Souza",
    "Rutger", "Vermeulen", "Marieke", "Berg", "Karin", "Smit", "7654321", "Wim", "Wijkmans",
)  # fmt: skip


def raise_obstacle(case, author, description=DESCRIPTION, raised_on=None) -> Obstacle:
    workplan = getattr(case, "workplan", None) or plan_services.workplan_create(actor=author, case=case)
    return plan_services.obstacle_raise(
        actor=author,
        workplan=workplan,
        category=ObstacleCategory.WACHTLIJST,
        description=description,
        raised_on=raised_on,
    )


@pytest.mark.django_db
def test_identities_of_a_case_in_six_queries_for_any_number_of_obstacles(hof_case, team, django_assert_num_queries):
    author = make_user(Role.WIJKCOACH, team, username="t_wim", first_name="Wim", last_name="Wijkmans")
    case_services.case_member_add(actor=author, case=hof_case, user=author, role=CaseRole.WIJKCOACH)
    first = raise_obstacle(hof_case, author)
    page = list(Obstacle.objects.select_related("workplan").filter(pk=first.pk))
    # The cases, the households, their members (current and past), the clients, the case members, the users.
    with django_assert_num_queries(6):
        people = identities_for(page)[first.pk]
    names = {(p.given_names, p.family_name, p.professional) for p in people.people}
    assert {("Zoë", "Hof", False), ("Daan", "D'Souza", False), ("Rutger", "Vermeulen", False)} <= names
    assert {("Marieke", "van den Berg", True), ("Wim", "Wijkmans", True), ("Karin", "Smit", True)} <= names
    assert people.household_names == ["Huishouden Van 't Hof"]
    other = open_active_case(author, team, family_name="Aalders")
    for _n in range(3):
        raise_obstacle(other, author, description="Wachtlijst")
    page = list(Obstacle.objects.select_related("workplan"))
    with django_assert_num_queries(6):
        identities_for(page)
    for identifier in IDENTIFIERS:
        assert identifier not in masked(DESCRIPTION, people), identifier


# --- The review page, the approval and the report -----------------------------------------------------------


@pytest.mark.django_db
def test_beleid_reads_approves_and_publishes_only_the_masked_text(client, beleid, hof_case, team, monkeypatch):
    monkeypatch.setattr(services, "report_pdf", lambda figures, *, generated_at: b"%PDF-1.7 stub")
    author = make_user(Role.WIJKCOACH, team, username="t_wim", first_name="Wim", last_name="Wijkmans")
    case_services.case_member_add(actor=author, case=hof_case, user=author, role=CaseRole.WIJKCOACH)
    obstacle = raise_obstacle(hof_case, author, raised_on=datetime.date(2026, 7, 10))
    # The page header names the logged-in user: a generated name must not collide with an identifier checked below.
    beleid.first_name, beleid.last_name = "Bea", "Beleidsma"
    beleid.save(update_fields=["first_name", "last_name"])
    client.force_login(beleid)
    page = client.get(OBSTACLES).content.decode()
    for identifier in IDENTIFIERS:
        assert escape(identifier) not in page and identifier not in page, identifier
    assert "[naam] (BSN [BSN], [adres], [postcode], [telefoon], [e-mail], geb. [geboortedatum])" in page
    assert "[medewerker] en [medewerker] ([telefoon]) overleggen, [medewerker] schreef dit." in page

    read = re.search(r'name="read" value="([0-9a-f]+)"', page).group(1)
    url = reverse("reports:obstacle-publication", args=[obstacle.uuid])
    assert client.post(url, {"approved": "1", "status": "open", "read": read}).status_code == 302
    obstacle.refresh_from_db()
    assert obstacle.approved_for_publication and obstacle.description == DESCRIPTION  # the workplan keeps its text
    approved = obstacle.published_description
    assert approved.startswith("[naam] (BSN [BSN], [adres], [postcode], [telefoon], [e-mail], geb. [geboortedatum])")
    assert not [identifier for identifier in IDENTIFIERS if identifier in approved]

    # A later change of the client's data cannot unmask what was approved: the approved text is stored.
    zoe = hof_case.household.memberships.get(client__given_names="Zoë").client
    case_services.client_update(actor=author, client=zoe, given_names="Zoë Anna", family_name="Hofman")
    obstacle.refresh_from_db()
    assert obstacle.published_description == approved
    page = client.get(f"{OBSTACLES}?status=approved").content.decode()
    assert escape(approved) in page and "Zoë" not in page

    # The report quotes the approved, masked text and nothing of the description.
    report = services.report_generate(
        start=datetime.date(2026, 7, 1), end=datetime.date(2026, 9, 30), today=datetime.date(2026, 10, 2)
    )
    top = section(report.figures, "obstacles")["top_categories"]
    assert top[0]["descriptions"] == [approved]
    detail = client.get(reverse("reports:detail", args=[report.uuid])).content.decode()
    assert escape(approved) in detail
    assert not [i for i in IDENTIFIERS if i in detail or escape(i) in detail]
    assert ProgressReport.objects.count() == 1


@pytest.mark.django_db
def test_an_approval_of_a_text_that_changed_since_it_was_read_is_refused(client, beleid, hof_case, team):
    author = make_user(Role.WIJKCOACH, team, username="t_wim")
    obstacle = raise_obstacle(hof_case, author, description="Wachtlijst voor Ruud, BSN 111222333")
    client.force_login(beleid)
    page = client.get(OBSTACLES).content.decode()
    read = re.search(r'name="read" value="([0-9a-f]+)"', page).group(1)
    # Ruud is nobody of the case yet: his BSN goes by its form, his name stays (which is why beleid reads).
    assert "Wachtlijst voor Ruud, BSN [BSN]" in page
    # Meanwhile Ruud joins the household, so the masked text changes.
    ruud = case_services.client_create(
        actor=author, given_names="Ruud", family_name="Hof", date_of_birth=datetime.date(1979, 8, 9)
    )
    case_services.household_add_member(
        actor=author, household=hof_case.household, client=ruud, relation=Relation.PARTNER
    )
    url = reverse("reports:obstacle-publication", args=[obstacle.uuid])
    response = client.post(url, {"approved": "1", "status": "open", "read": read}, follow=True)
    assert "De omschrijving is veranderd sinds u haar las." in response.content.decode()
    obstacle.refresh_from_db()
    assert not obstacle.approved_for_publication and obstacle.published_description == ""
    # Without a fingerprint nothing is approved either.
    client.post(url, {"approved": "1", "status": "open"})
    obstacle.refresh_from_db()
    assert not obstacle.approved_for_publication

    # Read again, approve, and withdraw: withdrawing clears the approved text.
    read = re.search(r'name="read" value="([0-9a-f]+)"', client.get(OBSTACLES).content.decode()).group(1)
    client.post(url, {"approved": "1", "status": "open", "read": read})
    obstacle.refresh_from_db()
    assert obstacle.published_description == "Wachtlijst voor [naam], BSN [BSN]"
    client.post(url, {"approved": "0", "status": "approved"})
    obstacle.refresh_from_db()
    assert not obstacle.approved_for_publication and obstacle.published_description == ""

"""Journeys through the case file: signal -> intake -> triage -> ZRM and contact; access for others."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login

pytestmark = pytest.mark.usefixtures("demo_data")


def test_case_tabs_client_file_and_search_are_accessible(page):
    login(page, "wijkcoach")
    assert_accessible(page)  # Mijn werkvoorraad with demo cases
    first_case = page.locator("table.app-table a.utrecht-link").first
    number = first_case.inner_text()
    first_case.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)
    assert_accessible(page)
    for tab in ("Leefgebieden (ZRM)", "Contactmomenten", "Casusteam", "Logboek"):
        page.get_by_role("navigation", name="Onderdelen van de casus").get_by_role("link", name=tab).click()
        expect(page.get_by_role("link", name=tab)).to_have_attribute("aria-current", "page")
        assert_accessible(page)
    page.get_by_role("navigation", name="Onderdelen van de casus").get_by_role("link", name="Overzicht").click()
    client_link = page.locator("a[href^='/clienten/']").first
    client_link.click()
    expect(page.get_by_role("heading", name="Tijdlijn")).to_be_visible()
    assert_accessible(page)

    page.goto("/")
    page.get_by_label("Postcode").fill("12")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_text("Vul een postcode in als 1234 AB.")).to_be_visible()
    assert re.search(r"/$", page.url)  # the search never puts what was typed in the URL
    assert_accessible(page)


def test_signal_intake_triage_zrm_and_contact_and_another_team_is_refused(new_page):
    page = new_page()
    login(page, "wijkcoach")

    # A melding about a person not yet known: recorded with the new client's data.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Meldingen").click()
    assert_accessible(page)
    page.goto("/meldingen/nieuw/")
    page.get_by_label("Bron van de melding").select_option("buren")
    page.get_by_label("Nieuwe cliënt: ik vul de gegevens van de cliënt in").check()
    page.get_by_label("Voornamen").fill("Joris")
    page.get_by_label("Achternaam").fill("Journeyman")
    page.get_by_label("Geboortedatum").fill("1979-04-12")
    page.get_by_label("Postcode").fill("9712ab")
    page.get_by_label("Wat is er gezien of gehoord?").fill(
        "Brievenbus puilt uit, bewoner lijkt niet meer buiten te komen."
    )
    assert_accessible(page)
    page.get_by_role("button", name="Melding vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Joris Journeyman")
    assert_accessible(page)

    # Triage of the melding: a new case.
    page.get_by_label("Nieuwe casus").first.check()
    page.get_by_role("button", name="Triage vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Intake")
    assert_accessible(page)

    # The broad conversation: two life domains, then triage to a multi-problem case.
    page.locator("#id_financien-situation").fill("Huurachterstand van drie maanden.")
    page.locator("#id_financien-help_needed").check()
    page.locator("#id_geestelijke_gezondheid-situation").fill("Somber, slaapt slecht.")
    page.locator("#id_geestelijke_gezondheid-help_needed").check()
    page.get_by_role("button", name="Intake vastleggen en naar triage").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Triage")
    assert_accessible(page)
    page.get_by_label("Meervoudig", exact=False).check()
    page.locator("#id_coordinator").select_option(label="Sanne de Vries")
    page.get_by_role("button", name="Triagebesluit vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Casus")
    expect(page.locator("h1 .app-badge")).to_have_text("Actief (gecoördineerde aanpak)")
    case_url = page.url

    # A ZRM assessment and a contact, added without leaving the page (HTMX).
    page.get_by_role("link", name="Leefgebieden (ZRM)").click()
    page.get_by_label("Financiën").select_option("2")
    page.get_by_label("Geestelijke gezondheid").select_option("3")
    page.get_by_role("button", name="Scores opslaan").click()
    expect(page.get_by_role("rowheader", name="Financiën")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Contactmomenten").click()
    page.get_by_label("Kanaal").select_option("huisbezoek")
    page.get_by_label("Korte samenvatting").fill("Kennismaking aan de keukentafel.")
    page.get_by_role("button", name="Contactmoment opslaan").click()
    expect(page.get_by_role("cell", name="Kennismaking aan de keukentafel.")).to_be_visible()
    assert_accessible(page)

    # A wijkcoach of another team cannot open the case.
    other = new_page()
    login(other, "wijkcoach2")
    response = other.goto(case_url)
    assert response.status == 404
    expect(other.get_by_text("Joris Journeyman")).to_have_count(0)

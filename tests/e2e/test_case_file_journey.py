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

"""Casusoverleg journey: plan from suggestions, minutes mode with two agreements; a partner sees only its case."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login

pytestmark = pytest.mark.usefixtures("demo_data")


def test_regisseur_plans_from_suggestions_and_records_two_agreements(page):
    login(page, "regisseur")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Overleggen").click()
    assert_accessible(page)
    page.get_by_role("link", name="Nieuw overleg plannen").click()
    page.get_by_label("Soort overleg").select_option("teamoverleg")
    page.get_by_label("Titel").fill("Teamoverleg journey")
    page.get_by_label("Team").select_option(label="Wijkteam Noord")
    when = (timezone.localtime() + datetime.timedelta(days=3)).replace(hour=10, minute=0)
    page.get_by_label("Datum en tijd").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Plaats").fill("Stadskantoor, zaal 1.01")
    assert_accessible(page)
    page.get_by_role("button", name="Plannen").click()
    expect(page.get_by_role("heading", name="Voorgestelde casussen")).to_be_visible()
    assert_accessible(page)

    # The two best suggestions go on the agenda.
    for _ in range(2):
        page.locator("section[aria-labelledby='h-suggestions'] li button").first.click()
        expect(page.get_by_text("De casus staat op de agenda.")).to_be_visible()
    expect(page.locator("section[aria-labelledby='h-agenda'] tbody tr")).to_have_count(2)

    # Minutes mode: decisions saved as they are typed, and two agreements.
    page.get_by_role("link", name="Notuleren").click()
    page.get_by_label("Besluiten").fill("Schuldhulp versnellen; huisbezoek samen met de GGZ.")
    expect(page.get_by_text("Opgeslagen om")).to_be_visible()
    assert_accessible(page)
    agreement = page.locator("form[action$='/afspraken/']")
    for what in ("Aanmelding schuldhulp versturen", "Huisbezoek plannen met GGZ"):
        agreement.get_by_label("Afspraak").fill(what)
        agreement.get_by_label("Eigenaar").select_option(index=0)
        agreement.get_by_role("button", name="Afspraak vastleggen").click()
        expect(page.get_by_text("De afspraak is vastgelegd.")).to_be_visible()
    made = page.locator("section[aria-labelledby='h-agreements'] li")
    expect(made).to_have_count(2)
    page.reload()
    expect(page.get_by_label("Besluiten")).to_have_value("Schuldhulp versnellen; huisbezoek samen met de GGZ.")


def test_partner_sees_only_the_item_of_its_own_case(page):
    login(page, "partner")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Overleggen").click()
    page.locator("section[aria-labelledby='h-past'] a.utrecht-link").first.click()
    rows = page.locator("section[aria-labelledby='h-agenda'] tbody tr")
    expect(rows).to_have_count(1)
    assert_accessible(page)

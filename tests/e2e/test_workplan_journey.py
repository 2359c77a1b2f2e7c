"""Journey through the workplan: write, adopt, revise with a reason, compare versions, duties a and f,
and the client version as PDF."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DOWNLOAD_TIMEOUT, assert_accessible, login

pytestmark = pytest.mark.usefixtures("demo_data")


def _new_coordinated_case(page) -> None:
    """A walk-in client, the kitchen-table conversation and triage to a coordinated case, through the pages."""
    page.goto("/clienten/nieuw/")
    page.get_by_label("Voornamen").fill("Wilma")
    page.get_by_label("Achternaam").fill("Werkplan")
    page.get_by_label("Geboortedatum").fill("1984-09-30")
    page.get_by_role("button", name="Cliënt vastleggen").click()
    page.get_by_role("link", name="Intake vastleggen").click()
    page.locator("#id_financien-situation").fill("Schulden bij de energieleverancier.")
    page.locator("#id_financien-help_needed").check()
    page.get_by_role("button", name="Intake vastleggen en naar triage").click()
    page.get_by_label("Meervoudig", exact=False).check()
    page.locator("#id_coordinator").select_option(label="Sanne de Vries")
    page.get_by_role("button", name="Triagebesluit vastleggen").click()
    expect(page.locator("h1 .app-badge")).to_have_text("Actief (gecoördineerde aanpak)")


def test_wijkcoach_writes_adopts_revises_and_prints_the_plan(page):
    login(page, "wijkcoach")
    _new_coordinated_case(page)

    page.get_by_role("link", name="Werkplan", exact=True).click()
    page.get_by_role("button", name="Werkplan starten").click()
    expect(page.get_by_role("heading", name="Coördinatietaken a–g")).to_be_visible()
    assert_accessible(page)

    # A long-term goal with an owner, added inline (HTMX).
    page.locator("summary", has_text="Doel toevoegen").click()
    goal_form = page.locator("form[action$='/werkplan/doelen/']")
    goal_form.get_by_label("Termijn", exact=True).select_option("lang")
    goal_form.get_by_label("Horizon in jaren (bij lange termijn)").fill("2")
    goal_form.get_by_label("Leefgebied", exact=True).select_option("financien")
    goal_form.get_by_label("Doel in gewone taal").fill("Schulden onder controle")
    goal_form.get_by_label("In de woorden van de cliënt").fill("Ik wil weer rustig slapen zonder rekeningen")
    goal_form.get_by_label("Eigenaar (professional)").select_option(index=1)
    goal_form.get_by_role("button", name="Doel toevoegen").click()
    expect(page.get_by_role("heading", name="Schulden onder controle")).to_be_visible()

    # Adopt: open points ask for a confirmation first.
    page.get_by_role("button", name="Vaststellen").click()
    expect(page.get_by_text("Bekijk ze en bevestig")).to_be_visible()
    page.get_by_label("Ik heb de open punten gezien en stel het werkplan toch vast").check()
    page.get_by_role("button", name="Vaststellen").click()
    expect(page.get_by_text("Versie 1 van het werkplan is vastgesteld.")).to_be_visible()

    # Revise: a participation goal, and a new version with a reason.
    page.locator("summary", has_text="Doel toevoegen").click()
    goal_form = page.locator("form[action$='/werkplan/doelen/']")
    goal_form.get_by_label("Termijn", exact=True).select_option("kort")
    goal_form.get_by_label("Leefgebied", exact=True).select_option("werk_opleiding")
    goal_form.get_by_label("Doel in gewone taal").fill("Werkervaringsplek vinden")
    goal_form.get_by_role("button", name="Doel toevoegen").click()
    expect(page.get_by_role("heading", name="Werkervaringsplek vinden")).to_be_visible()
    page.get_by_label("Reden van de wijziging").fill("Werkdoel toegevoegd na gesprek met de klantmanager")
    if page.get_by_label("Ik heb de open punten gezien en stel het werkplan toch vast").count():
        page.get_by_label("Ik heb de open punten gezien en stel het werkplan toch vast").check()
    page.get_by_role("button", name="Nieuwe versie vaststellen").click()
    expect(page.get_by_text("Versie 2 van het werkplan is vastgesteld.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Verschil tussen versies bekijken").click()
    expect(page.get_by_role("rowheader", name="Doel: Werkervaringsplek vinden")).to_be_visible()
    expect(page.get_by_text("1 toegevoegd")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Terug naar het werkplan").click()

    # Duty a recorded done; duty f through a client involvement.
    page.locator("#duties summary").first.click()
    page.locator("#id_duty-a-what").fill("Voortgang per doel besproken")
    page.locator("form[action$='/werkplan/taken/a/']").get_by_role("button", name="Taak vastleggen").click()
    expect(page.get_by_text("is vastgelegd")).to_be_visible()
    page.locator("summary", has_text="Betrokkenheid vastleggen").click()
    involvement = page.locator("form[action$='/werkplan/betrokkenheid/']")
    involvement.get_by_label("Hoe").select_option("huisbezoek")
    involvement.get_by_label("Wilma Werkplan").check()
    involvement.get_by_label("Wat vindt de cliënt in het algemeen").fill("Fijn dat er één aanspreekpunt is.")
    involvement.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("De betrokkenheid van de cliënt is vastgelegd (taak f).")).to_be_visible()
    assert_accessible(page)

    with page.expect_download(timeout=DOWNLOAD_TIMEOUT) as download_info:
        page.get_by_role("link", name="Cliëntversie (pdf)").click(timeout=DOWNLOAD_TIMEOUT)
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login, logout

pytestmark = pytest.mark.usefixtures("demo_data")


def test_wijkcoach_logs_in_sees_werkvoorraad_and_logs_out(page):
    page.goto("/")
    assert "/inloggen/" in page.url
    assert_accessible(page)

    login(page, "wijkcoach")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn werkvoorraad")
    expect(page.get_by_text("Ingelogd als")).to_contain_text("Sanne de Vries")
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()
    assert_accessible(page)

    logout(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")


def test_wrong_password_shows_an_error_in_dutch(page):
    login(page, "wijkcoach", password="verkeerd")
    expect(page.get_by_role("alert")).to_contain_text("Gebruikersnaam of wachtwoord onjuist")
    assert_accessible(page)


def test_skip_link_moves_focus_to_main_content(page):
    page.goto("/inloggen/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Direct naar de inhoud")
    expect(skip).to_be_focused()
    skip.press("Enter")
    expect(page.locator("#main")).to_be_focused()

"""Browser journeys: Playwright for Python driving the system Chromium against a live server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import Page, sync_playwright

# Playwright's sync API runs an event loop in this thread; Django's ORM calls
# in the same test are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_SOURCE = (Path(__file__).parent / "assets" / "axe.min.js").read_text()
DEMO_PASSWORD = "demo"
# Files rendered on request (WeasyPrint PDFs, exports) take seconds, more on a busy machine: a download
# gets this long, where the rest of a journey keeps the default of 10 s.
DOWNLOAD_TIMEOUT = 60_000


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            # Marked so that pytest-django sets up the test database even when only journeys run;
            # the journeys themselves read the data the session fixture seeded and committed.
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="session")
def browser(e2e_server):
    # Depends on the server so that the browser (and its keep-alive connections) closes first.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def e2e_server(django_db_setup, django_db_blocker):
    """The demo data, seeded once, served by one live server for all journeys.

    Seeding takes seconds, so the journeys share one seeded database instead of
    re-seeding per test; each journey works with its own demo users and cases.
    The e2e tests run last (see tests/conftest.py) and the database is flushed
    afterwards, so no other test sees this data.
    """
    from django.conf import settings
    from pytest_django.live_server_helper import LiveServer

    assert settings.DEMO_MODE, "the journeys need the demo accounts (DEMO_MODE)"
    with django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0)
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            connections.close_all()


@pytest.fixture
def demo_data(e2e_server, django_db_blocker):
    """Database access for a journey that also checks the data behind the pages."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def new_page(browser, e2e_server):
    """A factory for pages in fresh browser contexts (one per user)."""
    contexts = []

    def make() -> Page:
        # bypass_csp lets the test inject axe-core; the app's own CSP stays strict.
        context = browser.new_context(base_url=e2e_server.url, bypass_csp=True, locale="nl-NL")
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


def login(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state("domcontentloaded")


def logout(page: Page) -> None:
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/inloggen/")


def assert_accessible(page: Page) -> None:
    """Run axe-core on the current page: no serious or critical violations allowed."""
    page.add_script_tag(content=AXE_SOURCE)
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert not bad, f"Accessibility violations on {page.url}:\n" + "\n".join(bad)

"""Privacy journey: a partner sees only its purpose's data, consent is withdrawn, the FG checks the log.

The journey withdraws one of the partner's valid demo consents and then records a
new one, so the partner keeps access to the case for the journeys that share the
seeded data (the withdrawn consent and the refusal stay in the registers).
"""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import DOWNLOAD_TIMEOUT, assert_accessible, login

pytestmark = pytest.mark.usefixtures("demo_data")

GGZ_PURPOSE = "ggz-afstemming"
WITHDRAW_REASON = "Cliënt wil de afstemming met de GGZ stoppen (e2e-journey)."


def _partner_case_with_valid_consent():
    """A case the demo partner joined for the GGZ purpose, with a valid consent and a Noord coordinator."""
    from access import policy
    from accounts.models import User
    from cases.models import Case
    from consent.models import Consent

    partner = User.objects.select_related("organisation").get(username="partner")
    cases = (
        Case.objects.filter(
            members__user=partner,
            members__valid_to__isnull=True,
            members__purpose__code=GGZ_PURPOSE,
            coordinator__username="wijkcoach",
        )
        .select_related("client", "household")
        .order_by("number")
    )
    for case in cases:
        consents = list(
            Consent.objects.valid()
            .for_recipient(partner.organisation)
            .filter(purpose__code=GGZ_PURPOSE, client_id__in=policy.case_client_ids(case))
            .select_related("client")
        )
        # Exactly one consent carries the partner's access, so withdrawing it takes the access away.
        if len(consents) == 1:
            return case, consents[0]
    pytest.fail("the demo has no case of the partner with one valid GGZ consent coordinated by wijkcoach")


def test_partner_loses_access_when_consent_is_withdrawn_and_fg_finds_it_in_the_log(new_page, tmp_path):
    from cases.models import LifeDomainAssessment
    from consent.models import Consent

    case, consent = _partner_case_with_valid_consent()
    client = consent.client
    case_url = reverse("cases:case-detail", args=[case.uuid])

    # 1. The partner opens the case (from the link in its invitation): only the data of its purpose.
    partner = new_page()
    login(partner, "partner")
    partner.goto(case_url)
    expect(partner.get_by_role("heading", level=1)).to_contain_text(case.number)
    scope = partner.locator(".app-partner-scope")
    expect(scope).to_contain_text("U neemt deel aan deze casus voor het doel")
    expect(scope).to_contain_text("Afstemming met de GGZ-behandelaar")
    expect(scope).to_contain_text("Psychische gezondheid")
    expect(scope).not_to_contain_text("Inkomen en schulden")
    if case.client_id:
        expect(partner.locator("main")).to_contain_text(case.client.full_name)
    else:
        expect(partner.locator("main")).to_contain_text(case.household.name)
    domains = set(LifeDomainAssessment.objects.filter(case=case).values_list("domain", flat=True))
    if "geestelijke_gezondheid" in domains:
        expect(partner.get_by_text("Geestelijke gezondheid").first).to_be_visible()
    expect(partner.get_by_text("Financiën")).to_have_count(0)
    expect(partner.locator(".app-safety-banner")).to_have_count(0)
    expect(partner.get_by_role("link", name="Toestemming en delen")).to_have_count(0)
    assert_accessible(partner)

    # 2. The coordinator withdraws the consent on the tab "Toestemming en delen".
    coach = new_page()
    login(coach, "wijkcoach")
    coach.goto(case_url)
    if "financien" in domains:  # the team sees what was left out for the partner
        expect(coach.get_by_text("Financiën").first).to_be_visible()
    coach.get_by_role("navigation", name="Onderdelen van de casus").get_by_role(
        "link", name="Toestemming en delen"
    ).click()
    expect(coach.get_by_role("heading", name="Toestemmingen", exact=True)).to_be_visible()
    row = (
        coach.locator("section[aria-labelledby='h-consents'] tbody tr")
        .filter(has_text=client.full_name)
        .filter(has_text="Afstemming met de GGZ-behandelaar")
        .filter(has_text="Geldig")
    )
    expect(row).to_have_count(1)
    row.locator("summary").click()
    assert_accessible(coach)  # with the withdrawal form open
    # Without a reason nothing is withdrawn.
    row.get_by_role("button", name="Toestemming intrekken").click()
    expect(coach.get_by_text("Dit veld is vereist.").first).to_be_visible()
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    assert_accessible(coach)  # with the error
    row = coach.locator("section[aria-labelledby='h-consents'] tbody tr").filter(
        has=coach.get_by_label("Reden van intrekking")
    )
    row.get_by_label("Reden van intrekking").fill(WITHDRAW_REASON)
    row.get_by_role("button", name="Toestemming intrekken").click()
    expect(coach.get_by_text("De toestemming is ingetrokken.")).to_be_visible()
    withdrawn = coach.locator("section[aria-labelledby='h-consents'] tbody tr").filter(has_text=WITHDRAW_REASON)
    expect(withdrawn).to_contain_text("Ingetrokken")
    assert_accessible(coach)
    consent.refresh_from_db()
    assert consent.status() == "ingetrokken"
    assert consent.withdrawn_reason == WITHDRAW_REASON
    assert consent.withdrawn_recorded_by.username == "wijkcoach"
    assert Consent.objects.filter(pk=consent.pk).valid().count() == 0

    # 3. The partner is refused at once, with the reason.
    response = partner.reload()
    assert response.status == 403
    expect(partner.get_by_role("heading", level=1)).to_have_text("Geen toegang")
    expect(partner.get_by_role("alert")).to_contain_text("geen geldige grondslag")
    expect(partner.get_by_text(client.full_name)).to_have_count(0)
    assert_accessible(partner)

    # The client agrees again: the coordinator records a new consent and the partner is let back in
    # (the demo data is shared by the journeys; the withdrawn consent stays in the register).
    new_consent = coach.locator("section[aria-labelledby='h-consent-new']")
    new_consent.get_by_label("Cliënt", exact=True).select_option(label=client.full_name)
    new_consent.get_by_label("Doel", exact=True).select_option(label="Afstemming met de GGZ-behandelaar")
    new_consent.get_by_label("Ontvangende organisatie").select_option(label="GGZ Voorbeeldstad")
    new_consent.get_by_label("Geldig tot").fill((timezone.localdate() + datetime.timedelta(days=365)).isoformat())
    new_consent.get_by_label("Hoe gegeven").select_option(label="Schriftelijk")
    new_consent.get_by_role("button", name="Toestemming opslaan").click()
    expect(coach.get_by_text("De toestemming is vastgelegd.")).to_be_visible()
    consents = coach.locator("section[aria-labelledby='h-consents'] tbody tr").filter(has_text=client.full_name)
    expect(consents.filter(has_text="Geldig")).to_have_count(1)
    expect(consents.filter(has_text="Ingetrokken").filter(has_text=WITHDRAW_REASON)).to_have_count(1)
    assert_accessible(coach)
    response = partner.reload()
    assert response.status == 200
    expect(partner.locator(".app-partner-scope")).to_be_visible()

    # 4. The FG finds the view and the refusal in the access log, by the client's BSN.
    fg = new_page()
    login(fg, "fg")
    fg.goto(reverse("consent:index"))
    fg.get_by_role("navigation", name="Privacy-onderdelen").get_by_role("link", name="Toegangslog").click()
    fg.get_by_label("Cliënt").fill(client.bsn)
    fg.get_by_role("button", name="Zoeken").click()
    assert client.bsn not in fg.url  # posted, never in the URL
    rows = (
        fg.locator("section[aria-labelledby='h-results'] tbody tr")
        .filter(has_text="(partner,")
        .filter(has_text=case.number)
    )
    expect(rows.filter(has_text="Bekeken").first).to_be_visible()
    expect(rows.filter(has_text="Geweigerd").first).to_be_visible()
    assert_accessible(fg)

    # The refusal is in the report of refused access too, and the register shows the withdrawal.
    fg.get_by_role("navigation", name="Privacy-onderdelen").get_by_role("link", name="Geweigerde toegang").click()
    refusals = fg.locator("section[aria-labelledby='h-latest'] tbody tr").filter(has_text="(partner,")
    expect(refusals.filter(has_text=case.number).first).to_be_visible()
    assert_accessible(fg)
    fg.get_by_role("navigation", name="Privacy-onderdelen").get_by_role("link", name="Toestemmingen").click()
    register = fg.locator("main tbody tr").filter(has_text=client.full_name)
    expect(register.filter(has_text="Ingetrokken").filter(has_text=WITHDRAW_REASON)).to_have_count(1)
    assert_accessible(fg)

    # Subject access for the client: the overview, then the JSON and the PDF.
    fg.get_by_role("navigation", name="Privacy-onderdelen").get_by_role("link", name="Inzage en correctie").click()
    assert_accessible(fg)
    fg.get_by_label("BSN").fill(client.bsn)
    fg.get_by_role("button", name="Zoeken").click()
    expect(fg.get_by_role("heading", level=1)).to_have_text(f"Inzage: {client.full_name}")
    assert_accessible(fg)
    with fg.expect_download(timeout=DOWNLOAD_TIMEOUT) as info:
        fg.get_by_role("button", name="Download als gegevensbestand (JSON)").click(timeout=DOWNLOAD_TIMEOUT)
    json_file = tmp_path / "inzage.json"
    info.value.save_as(json_file)
    text = json_file.read_text(encoding="utf-8")
    assert client.bsn in text
    json.loads(text)
    with fg.expect_download(timeout=DOWNLOAD_TIMEOUT) as info:
        fg.get_by_role("button", name="Download als PDF").click(timeout=DOWNLOAD_TIMEOUT)
    assert info.value.suggested_filename.endswith(".pdf")
    pdf_file = tmp_path / "inzage.pdf"
    info.value.save_as(pdf_file)
    assert Path(pdf_file).read_bytes().startswith(b"%PDF")
    # The downloads are disclosures to the data subject.
    fg.get_by_role("navigation", name="Privacy-onderdelen").get_by_role("link", name="Verstrekkingen").click()
    handed_over = fg.locator("main tbody tr").filter(has_text=client.full_name).filter(has_text="betrokkene")
    expect(handed_over).to_have_count(2)  # the JSON and the PDF
    assert_accessible(fg)


def test_fg_privacy_pages_are_accessible(page):
    login(page, "fg")
    page.goto(reverse("consent:index"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    nav = page.get_by_role("navigation", name="Privacy-onderdelen")
    for tab in (
        "Toegangslog",
        "Doorbraken",
        "Toestemmingen",
        "Verstrekkingen",
        "Geweigerde toegang",
        "Inzage en correctie",
        "Bewaarplicht",
    ):
        nav.get_by_role("link", name=tab, exact=True).click()
        expect(nav.get_by_role("link", name=tab, exact=True)).to_have_attribute("aria-current", "page")
        assert_accessible(page)
    # The break-the-glass waiting for review (seeded by the demo), with the review form.
    nav.get_by_role("link", name="Doorbraken", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Beoordelen doorbraak casus")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Doorbraak casus")
    expect(page.get_by_role("heading", name="Uw oordeel")).to_be_visible()
    assert_accessible(page)
    # The demo's legal hold is listed.
    page.get_by_role("navigation", name="Privacy-onderdelen").get_by_role("link", name="Bewaarplicht").click()
    expect(page.locator("section[aria-labelledby='h-holds'] tbody tr").first).to_be_visible()

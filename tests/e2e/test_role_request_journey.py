"""Role request journey (security review, finding 1): separation of duties for privileges.

The demo beheerder finds no privilege fields on their own user in Beheer and is refused a role for
themselves; they ask a role for the werkcoach; the teamleider (a second person) approves it; the FG finds
the grant, who asked and who decided, on "Rolwijzigingen". The beheerder then ends the role again on
"Teamrollen" (it lasts through today), and makes and revokes an API key of their own.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import assert_accessible, login

pytestmark = pytest.mark.usefixtures("demo_data")

REASON = "Neemt de regie over bij de casussen van Werk en Inkomen tijdens het verlof van een collega (e2e)."
SELF_REASON = "Ik wil zelf casussen kunnen inzien (e2e)."


def watch_console(page: Page, errors: list[str]) -> Page:
    """Collect console errors and uncaught exceptions, except the two the app answers on purpose: a form
    with errors is a 400, and there is no favicon."""

    def on_console(message) -> None:
        if message.type != "error":
            return
        source = message.location.get("url", "")
        if "status of 400" in message.text or source.endswith("/favicon.ico"):
            return
        errors.append(f"{page.url} ({source}): {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return page


def open_role_requests(page: Page) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Rolverzoeken").click()
    expect(page.get_by_role("heading", name="Rolverzoeken", level=1)).to_be_visible()


def fill_request(page: Page, *, user: str, team: str, role: str, reason: str) -> None:
    form = page.locator("section[aria-labelledby='h-new']")
    form.get_by_label("Medewerker").select_option(label=user)
    form.get_by_label("Team", exact=True).select_option(label=team)
    form.get_by_label("Rol", exact=True).select_option(label=role)
    form.get_by_label("Reden").fill(reason)
    form.get_by_role("button", name="Verzoek indienen").click()


def test_a_role_needs_a_second_person_and_the_fg_sees_who_decided(new_page):
    from accounts.models import ApiToken, Membership, RoleRequest, User

    errors: list[str] = []
    beheerder_user = User.objects.get(username="beheerder")
    werkcoach = User.objects.get(username="werkcoach")

    # 1. Beheer: the beheerder's own user has no privilege fields, and the memberships are read-only.
    beheerder = watch_console(new_page(), errors)
    login(beheerder, "beheerder")
    beheerder.goto(f"/beheer/accounts/user/{beheerder_user.pk}/change/")
    expect(beheerder.locator("#user_form")).to_be_visible()
    for name in ("is_superuser", "is_staff", "groups", "user_permissions"):
        expect(beheerder.locator(f"#user_form [name='{name}']")).to_have_count(0)
    expect(beheerder.locator("#user_form [name$='-role']")).to_have_count(0)

    # 2. A role for themselves is refused, with the reason.
    open_role_requests(beheerder)
    assert_accessible(beheerder)
    fill_request(
        beheerder,
        user="Ingrid Mulder (beheerder)",
        team="Werk en Inkomen (Gemeente Voorbeeldstad)",
        role="Klantmanager werk en inkomen",
        reason=SELF_REASON,
    )
    expect(beheerder.get_by_text("U kunt geen rol voor uzelf aanvragen.")).to_be_visible()
    assert not RoleRequest.objects.filter(user=beheerder_user).exists()
    assert_accessible(beheerder)  # with the error

    # 3. A role for a colleague: filed, waiting for someone else.
    open_role_requests(beheerder)
    fill_request(
        beheerder,
        user="Daan Bakker (werkcoach)",
        team="Werk en Inkomen (Gemeente Voorbeeldstad)",
        role="Casusregisseur",
        reason=REASON,
    )
    expect(beheerder.get_by_text("Uw verzoek om de rol Casusregisseur voor Daan Bakker is ingediend.")).to_be_visible()
    filed = beheerder.locator("section[aria-labelledby='h-filed'] tbody tr").filter(has_text="Daan Bakker")
    expect(filed).to_contain_text("Casusregisseur")
    expect(filed.get_by_role("button", name="Intrekken")).to_be_visible()
    # The beheerder cannot decide their own request: it is not among those waiting for them.
    expect(beheerder.locator("section[aria-labelledby='h-decide']")).not_to_contain_text("Daan Bakker")
    role_request = RoleRequest.objects.get(user=werkcoach, status=RoleRequest.Status.PENDING)
    assert not Membership.objects.current().filter(user=werkcoach, role="regisseur").exists()
    assert_accessible(beheerder)

    # 4. The teamleider of Werk en Inkomen approves.
    leader = watch_console(new_page(), errors)
    login(leader, "teamleider")
    open_role_requests(leader)
    card = leader.locator("article").filter(has_text="Casusregisseur voor Daan Bakker")
    expect(card).to_contain_text(REASON)
    expect(card).to_contain_text("Ingrid Mulder")
    assert_accessible(leader)
    card.get_by_label("Goedkeuren").check()
    card.get_by_role("button", name="Besluit vastleggen").click()
    expect(leader.get_by_text("U heeft de rol Casusregisseur voor Daan Bakker goedgekeurd.")).to_be_visible()
    role_request.refresh_from_db()
    assert role_request.status == RoleRequest.Status.APPROVED
    assert role_request.decided_by.username == "teamleider"
    assert Membership.objects.current().filter(user=werkcoach, role="regisseur", team__name="Werk en Inkomen").exists()
    assert User.objects.get(pk=werkcoach.pk).groups.filter(name="regisseur").exists()
    assert_accessible(leader)

    # 5. The FG sees the grant: for whom, which role and team, who asked and who decided.
    fg = watch_console(new_page(), errors)
    login(fg, "fg")
    fg.goto("/privacy/")
    fg.get_by_role("link", name="Rolwijzigingen: wie kreeg welke rol, en wie besloot").click()
    expect(fg.get_by_role("heading", name="Rolwijzigingen", level=1)).to_be_visible()
    row = fg.locator("section[aria-labelledby='h-requests'] tbody tr").filter(has_text="Daan Bakker")
    for text in ("Casusregisseur", "Werk en Inkomen", "Ingrid Mulder", "Ahmet Yilmaz", "Goedgekeurd", REASON):
        expect(row).to_contain_text(text)
    assert_accessible(fg)

    # 6. The beheerder ends the role again on "Teamrollen"; the FG sees who ended it.
    open_role_requests(beheerder)
    beheerder.get_by_role("link", name="Teamrollen bekijken en beëindigen").click()
    beheerder.get_by_label("Team").select_option(label="Werk en Inkomen (Gemeente Voorbeeldstad)")
    beheerder.get_by_role("button", name="Filteren").click()
    own = beheerder.locator("tbody tr").filter(has_text="Ingrid Mulder")
    expect(own).to_contain_text("uw eigen rol")
    expect(own.get_by_role("button")).to_have_count(0)
    assert_accessible(beheerder)
    granted = beheerder.locator("tbody tr").filter(has_text="Daan Bakker").filter(has_text="Casusregisseur")
    granted.get_by_role("button", name="Rol beëindigen").click()
    expect(
        beheerder.get_by_text("De rol Casusregisseur van Daan Bakker in Werk en Inkomen eindigt na vandaag.")
    ).to_be_visible()
    fg.reload()
    ended = fg.locator("section[aria-labelledby='h-ends'] tbody tr").filter(has_text="Daan Bakker")
    expect(ended).to_contain_text("Casusregisseur")
    expect(ended).to_contain_text("Ingrid Mulder")

    # 7. An API key of their own: shown once, never again; then revoked.
    beheerder.goto("/")
    beheerder.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="API-sleutels").click()
    expect(beheerder.get_by_role("heading", name="Mijn API-sleutels", level=1)).to_be_visible()
    assert_accessible(beheerder)
    beheerder.get_by_label("Naam").fill("Koppeling e2e")
    beheerder.get_by_role("button", name="Sleutel maken").click()
    key = beheerder.get_by_label("API-sleutel").input_value()
    assert key.startswith("crg_")
    assert_accessible(beheerder)  # with the new key
    beheerder.goto("/api-sleutels/")  # the page again: the key is gone
    expect(beheerder.get_by_label("API-sleutel")).to_have_count(0)
    assert key not in beheerder.content()
    beheerder.get_by_role("link", name="Alle API-sleutels (beheer)").click()
    row = beheerder.locator("tbody tr").filter(has_text="Koppeling e2e")
    expect(row).to_contain_text("Actief")
    assert_accessible(beheerder)
    row.get_by_role("button", name="Intrekken").click()
    expect(beheerder.get_by_text("De API-sleutel “Koppeling e2e” is ingetrokken.")).to_be_visible()
    assert ApiToken.objects.get(name="Koppeling e2e").revoked_at is not None

    assert not errors, "\n".join(errors)

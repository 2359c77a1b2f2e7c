"""Handover journey: the teamleider hands the werkcoach's caseload to two colleagues, a receiver reads the
summary and accepts, and the inbox shows the reminders of the sweep.

Shared data (the journeys share one seeded database): only the werkcoach's places on the case teams move.
No other journey relies on the werkcoach; the klantmanager (a receiver, who accepts one case) and the
teamleider (the other receiver, whose handovers stay pending) are not used by other journeys either. The
coordinators, partners and consents of the cases stay as they were. The reminder sweep is run once for the
module, before the journey.
"""

import datetime
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, login

TEAMS = ("Wijkteam Noord", "Werk en Inkomen")  # the teams the demo teamleider leads
NOTE = "Daan gaat per 1 januari naar het UWV. Bel de cliënten voor het kennismakingsgesprek zelf op (e2e-journey)."
GIVER = "Daan Bakker"  # werkcoach
RECEIVER = "Petra Jansen"  # klantmanager: accepts one case, and has reminders in the inbox
OTHER_RECEIVER = "Ahmet Yilmaz"  # teamleider: his handovers stay pending


@pytest.fixture(scope="module")
def swept(e2e_server, django_db_blocker):
    """Run the reminder sweep once, committed before the journey's transaction, so the live server sees it."""
    from reminders.sweep import run_sweep

    with django_db_blocker.unblock():
        return run_sweep()


pytestmark = pytest.mark.usefixtures("demo_data", "swept")


def _nl_date(day: datetime.date) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return formats.date_format(day, "j F Y")


def _werkcoach_cases():
    """The werkcoach's open cases in the teamleider's teams without a pending handover, by number."""
    from cases.constants import OPEN_STATUSES
    from cases.models import Case, Handover

    pending = Handover.objects.filter(status=Handover.Status.PENDING).values("case_id")
    return list(
        Case.objects.filter(
            members__user__username="werkcoach",
            members__valid_to__isnull=True,
            status__in=OPEN_STATUSES,
            team__name__in=TEAMS,
        )
        .exclude(pk__in=pending)
        .select_related("team", "coordinator")
        .distinct()
        .order_by("number")
    )


def _case_to_accept(cases):
    """A case whose summary has everything: a valid consent, open goals of the werkcoach, open agreements,
    contacts and ZRM scores."""
    from access import policy
    from cases.models import ContactMoment, LifeDomainAssessment
    from consent.models import Consent
    from workplans.models import Agreement, Goal

    for case in cases:
        consents = Consent.objects.valid().filter(client_id__in=policy.case_client_ids(case))
        goals = Goal.objects.filter(workplan__case=case, owner__username="werkcoach").exclude(
            status__in=("behaald", "niet_behaald", "vervallen")
        )
        agreements = Agreement.objects.filter(case=case, status="open")
        if (
            consents.exists()
            and goals.exists()
            and agreements.exists()
            and ContactMoment.objects.filter(case=case).exists()
            and LifeDomainAssessment.objects.filter(case=case).exists()
        ):
            return case, consents.select_related("purpose").first(), goals.first(), agreements.first()
    pytest.fail("none of the werkcoach's demo cases has a consent, goals, agreements, contacts and ZRM scores")


def _open_unread(username: str) -> int:
    """What the bell should count: open (not done, not snoozed past today), unread inbox items."""
    from django.db.models import Q

    from accounts.models import Notification

    today = timezone.localdate()
    return (
        Notification.objects.filter(user__username=username, done_at__isnull=True, read_at__isnull=True)
        .filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=today))
        .count()
    )


def _notification_uuid(row) -> str:
    action = row.locator("form[action*='/afgehandeld/']").get_attribute("action")
    return action.rstrip("/").split("/")[-2]


def _plan_step(page, cases, *, receivers, assignment, intro_on):
    """Wizard step 2: all cases, the receivers, the spread, the intro date and the note."""
    expect(page.get_by_role("heading", name=f"Stap 2: casussen van {GIVER}")).to_be_visible()
    listed = page.locator("section[aria-labelledby='h-step-2'] tbody th[scope='row']")
    expect(listed).to_have_count(len(cases))
    for case in cases:
        page.get_by_label(f"Casus {case.number} overdragen").check()
    for name in receivers:
        page.get_by_role("group", name="Naar wie?").get_by_label(name, exact=True).check()
    page.get_by_label(assignment).check()
    page.get_by_label("Kennismakingsgesprekken met de cliënten vóór").fill(intro_on.isoformat())
    page.get_by_label("Wat wilt u de ontvangers meegeven?").fill(NOTE)
    assert_accessible(page)
    page.get_by_role("button", name="Verder: verdeling bekijken").click()
    expect(page.get_by_role("heading", name=f"Stap 3: verdeling van de casussen van {GIVER}")).to_be_visible()


def test_teamleider_hands_over_the_werkcoach_caseload_and_a_receiver_accepts(new_page):
    from accounts.models import Notification, User
    from cases.handover_selectors import open_caseload_counts
    from cases.models import CaseMember, Handover
    from workplans.models import Goal

    cases = _werkcoach_cases()
    assert len(cases) >= 2, "the demo werkcoach needs open cases in the teamleider's teams"
    accept_case, consent, werkcoach_goal, agreement = _case_to_accept(cases)
    werkcoach, klantmanager, teamleider = (
        User.objects.get(username=name) for name in ("werkcoach", "klantmanager", "teamleider")
    )
    # By hand: the case to accept, and the cases of Werk en Inkomen, go to the klantmanager; the rest to the teamleider.
    chosen = {
        case.number: RECEIVER if case == accept_case or case.team.name == "Werk en Inkomen" else OTHER_RECEIVER
        for case in cases
    }
    assert set(chosen.values()) == {RECEIVER, OTHER_RECEIVER}
    intro_on = timezone.localdate() + datetime.timedelta(days=10)

    # 1. The teamleider opens the wizard from Overdrachten: step 1, whose caseload.
    leader = new_page()
    login(leader, "teamleider")
    leader.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Overdrachten").click()
    expect(leader.get_by_role("heading", level=1)).to_have_text("Overdrachten")
    assert_accessible(leader)
    leader.get_by_role("link", name="Werkvoorraad van een medewerker overdragen").click()
    expect(leader.get_by_role("heading", name="Stap 1: wiens werkvoorraad")).to_be_visible()
    assert_accessible(leader)
    leader.get_by_label("Medewerker").select_option(label=GIVER)
    leader.get_by_role("button", name="Casussen tonen").click()

    # 2. Spread evenly: whoever carries fewer cases now gets more (the teamleider carries none).
    _plan_step(
        leader,
        cases,
        receivers=(RECEIVER, OTHER_RECEIVER),
        assignment="Gelijkmatig verdelen over de ontvangers",
        intro_on=intro_on,
    )
    expect(leader.get_by_text("De casussen zijn gelijkmatig verdeeld")).to_be_visible()
    load = open_caseload_counts([klantmanager.pk, teamleider.pk])
    names = {klantmanager.pk: RECEIVER, teamleider.pk: OTHER_RECEIVER}
    order = [
        user.pk for user in sorted((klantmanager, teamleider), key=lambda u: (u.last_name, u.first_name, u.username))
    ]
    rows = leader.locator("form tbody tr")
    expect(rows).to_have_count(len(cases))
    for case in cases:
        lightest = min(order, key=lambda pk: (load[pk], order.index(pk)))
        load[lightest] += 1
        expect(rows.filter(has=leader.get_by_role("rowheader", name=case.number, exact=True))).to_contain_text(
            names[lightest]
        )
    summary_list = leader.locator("dl.app-summary-list")
    expect(summary_list).to_contain_text(_nl_date(intro_on))
    expect(summary_list).to_contain_text(NOTE)
    assert_accessible(leader)

    # The teamleider would carry them all: choose again and give some to the klantmanager by hand.
    leader.get_by_role("link", name="Opnieuw kiezen").click()
    _plan_step(
        leader,
        cases,
        receivers=(RECEIVER, OTHER_RECEIVER),
        assignment="Zelf per casus kiezen",
        intro_on=intro_on,
    )
    expect(leader.get_by_text("De keuze is voorgevuld met een gelijkmatige verdeling.")).to_be_visible()
    for case in cases:
        leader.get_by_label(f"Ontvanger van casus {case.number}").select_option(label=chosen[case.number])
    assert_accessible(leader)

    # 3. Confirm: the handovers wait for acceptance.
    leader.get_by_role("button", name="Overdracht bevestigen").click()
    expect(leader.get_by_role("heading", level=1)).to_have_text("Overdrachten")
    expect(leader.get_by_text(f"{len(cases)} casussen van {GIVER} zijn klaargezet voor overdracht.")).to_be_visible()
    team_pending = leader.locator("section[aria-labelledby='h-team'] tbody tr")
    for case in cases:
        row = team_pending.filter(has_text=case.number)
        expect(row).to_have_count(1)
        expect(row).to_contain_text(GIVER)
        expect(row).to_contain_text(chosen[case.number])
        expect(row).to_contain_text("Wacht op acceptatie")
    given = leader.locator("section[aria-labelledby='h-given'] tbody tr")
    for case in cases:
        expect(given.filter(has_text=case.number)).to_have_count(1)
    assert_accessible(leader)

    created = list(
        Handover.objects.filter(case__in=cases, from_user=werkcoach, status=Handover.Status.PENDING).select_related(
            "case", "to_user"
        )
    )
    assert len(created) == len(cases)
    assert len({h.batch for h in created}) == 1 and created[0].batch is not None  # one batch
    assert {h.case.number: str(h.to_user) for h in created} == chosen
    assert all(h.created_by == teamleider and h.note == NOTE and h.intro_meeting_on == intro_on for h in created)
    handover = next(h for h in created if h.case == accept_case)
    handover_url = reverse("cases:handover-detail", args=[handover.uuid])

    # 4. The klantmanager sees the handover waiting, in Overdrachten and in the inbox (the bell counts it).
    receiver = new_page()
    login(receiver, "klantmanager")
    bell = receiver.locator("#inbox-bell")
    expect(bell.locator(".app-badge")).to_contain_text(f"{_open_unread('klantmanager')} open berich")
    receiver.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Overdrachten").click()
    for_me = receiver.locator("section[aria-labelledby='h-for-me'] tbody tr")
    expect(for_me).to_have_count(sum(1 for name in chosen.values() if name == RECEIVER))
    expect(for_me.filter(has_text=accept_case.number)).to_contain_text(GIVER)
    assert_accessible(receiver)

    bell.click()
    expect(receiver.get_by_role("heading", level=1)).to_have_text("Berichten")
    request = receiver.locator("#inbox-list tbody tr").filter(
        has_text=f"Overdracht van casus {accept_case.number} wacht op uw acceptatie"
    )
    expect(request).to_have_count(1)
    expect(request).to_contain_text("Overdracht")
    request.get_by_role("button", name=re.compile(r"^Openen")).click()

    # The handover page: the summary frozen at the start, and the choice to accept or return.
    receiver.wait_for_url(f"**{handover_url}")
    expect(receiver.get_by_role("heading", level=1)).to_contain_text(f"Overdracht van casus {accept_case.number}")
    expect(receiver.get_by_role("heading", level=1)).to_contain_text("Wacht op acceptatie")
    details = receiver.locator("section[aria-labelledby='h-handover']")
    expect(details).to_contain_text(GIVER)
    expect(details).to_contain_text(OTHER_RECEIVER)  # "Klaargezet door" the teamleider
    expect(details).to_contain_text(_nl_date(intro_on))
    note = receiver.locator("section[aria-labelledby='h-note']")
    expect(note.get_by_role("heading")).to_have_text(f"Toelichting van {GIVER}")
    expect(note).to_contain_text(NOTE)
    case_card = receiver.locator("section[aria-labelledby='h-s-case']")
    expect(case_card).to_contain_text(accept_case.team.name)
    expect(case_card).to_contain_text(str(accept_case.coordinator))
    case_team = receiver.locator("section[aria-labelledby='h-s-team'] tbody tr")
    expect(case_team.filter(has_text=GIVER)).to_contain_text("Werkcoach")
    goals = receiver.locator("section[aria-labelledby='h-s-goals']")
    expect(goals).to_contain_text(werkcoach_goal.description)
    expect(goals).to_contain_text(GIVER)
    expect(receiver.locator("section[aria-labelledby='h-s-agreements'] tbody")).to_contain_text(agreement.what)
    expect(receiver.locator("section[aria-labelledby='h-s-contacts'] p strong").first).to_be_visible()
    expect(receiver.locator("section[aria-labelledby='h-s-zrm'] tbody tr").first).to_be_visible()
    consents = receiver.locator("section[aria-labelledby='h-s-consents'] tbody tr")
    expect(consents.filter(has_text=consent.purpose.name).filter(has_text="Geldig").first).to_be_visible()
    expect(receiver.get_by_role("button", name="Overdracht teruggeven")).to_be_visible()
    assert_accessible(receiver)

    # 5. Accept: the klantmanager lands on the case and takes the werkcoach's place on the case team.
    receiver.get_by_role("button", name="Overdracht accepteren").click()
    receiver.wait_for_url(f"**{reverse('cases:case-detail', args=[accept_case.uuid])}")
    expect(receiver.get_by_role("heading", level=1)).to_contain_text(accept_case.number)
    expect(receiver.get_by_text(f"U heeft casus {accept_case.number} overgenomen.")).to_be_visible()
    receiver.get_by_role("navigation", name="Onderdelen van de casus").get_by_role("link", name="Casusteam").click()
    members = receiver.locator("section[aria-labelledby='h-members'] tbody tr")
    expect(members.filter(has_text=RECEIVER).filter(has_text="Werkcoach").filter(has_text="heden")).to_have_count(1)
    expect(members.filter(has_text=GIVER)).not_to_have_count(0)  # the history stays
    expect(members.filter(has_text=GIVER).filter(has_text="heden")).to_have_count(0)
    assert_accessible(receiver)

    handover.refresh_from_db()
    assert handover.status == Handover.Status.ACCEPTED
    current = CaseMember.objects.filter(case=accept_case, valid_to__isnull=True)
    assert not current.filter(user=werkcoach).exists()
    assert current.filter(user=klantmanager, role="werkcoach").exists()
    werkcoach_goal.refresh_from_db()
    assert werkcoach_goal.owner == klantmanager
    assert not Goal.objects.filter(workplan__case=accept_case, owner=werkcoach).exclude(
        status__in=("behaald", "niet_behaald", "vervallen")
    )
    request_item = Notification.objects.get(user=klantmanager, url=handover_url, kind=Notification.Kind.HANDOVER)
    assert request_item.done_at is not None  # the request left the inbox
    assert Notification.objects.filter(user=werkcoach, url=handover_url).exists()  # the giver is told
    # The other handovers of the batch still wait.
    assert Handover.objects.filter(batch=handover.batch, status=Handover.Status.PENDING).count() == len(cases) - 1

    # 6. The inbox: the sweep's reminders, filtered; one handled, one snoozed; the bell follows.
    reminders = Notification.objects.filter(
        user=klantmanager, kind=Notification.Kind.REMINDER, done_at__isnull=True
    ).exclude(snoozed_until__gt=timezone.localdate())
    reminder_count = reminders.count()
    assert reminder_count >= 2, "the sweep gave the klantmanager too few reminders for this journey"
    receiver.locator("#inbox-bell").click()
    expect(bell.locator(".app-badge")).to_contain_text(f"{_open_unread('klantmanager')} open berich")
    receiver.get_by_label("Soort").select_option("herinnering")
    receiver.get_by_role("button", name="Filteren").click()
    assert parse_qs(urlparse(receiver.url).query).get("kind") == ["herinnering"]
    expect(receiver.get_by_role("heading", name=f"{reminder_count} berichten", exact=True)).to_be_visible()
    rows = receiver.locator("#inbox-list tbody tr")
    expect(rows).to_have_count(reminder_count)
    for index in range(reminder_count):
        expect(rows.nth(index).locator("td").first).to_have_text("Herinnering")
        expect(rows.nth(index)).to_contain_text(re.compile(r"Casus \d{4}-\d{6}"))
    expect(rows.filter(has_text="Overdracht van casus")).to_have_count(0)
    assert_accessible(receiver)

    before = _open_unread("klantmanager")
    first = rows.first
    done_uuid = _notification_uuid(first)
    first.get_by_role("button", name=re.compile(r"^Afgehandeld")).click()
    expect(receiver.get_by_text("Het bericht is afgehandeld.")).to_be_visible()
    expect(rows).to_have_count(reminder_count - 1)  # the filter stays
    expect(bell.locator(".app-badge")).to_contain_text(f"{before - 1} open berich")

    snooze_until = timezone.localdate() + datetime.timedelta(days=7)
    second = rows.first
    snoozed_uuid = _notification_uuid(second)
    second.get_by_label(re.compile(r"^Uitstellen tot")).fill(snooze_until.isoformat())
    second.get_by_role("button", name=re.compile(r"^Uitstellen ")).click()
    expect(receiver.get_by_text(f"Het bericht is uitgesteld tot {_nl_date(snooze_until)}.")).to_be_visible()
    expect(rows).to_have_count(reminder_count - 2)
    expect(bell.locator(".app-badge")).to_contain_text(f"{before - 2} open berich")
    assert_accessible(receiver)

    done = Notification.objects.get(uuid=done_uuid)
    snoozed = Notification.objects.get(uuid=snoozed_uuid)
    assert done.user == klantmanager and done.done_at is not None
    assert snoozed.user == klantmanager and snoozed.snoozed_until == snooze_until and snoozed.done_at is None

    # The handled and the snoozed reminder are found under their own status.
    receiver.get_by_label("Status").select_option("snoozed")
    receiver.get_by_role("button", name="Filteren").click()
    expect(receiver.locator("#inbox-list tbody tr").filter(has_text="Uitgesteld tot")).to_have_count(1)
    receiver.get_by_label("Status").select_option("done")
    receiver.get_by_role("button", name="Filteren").click()
    handled = receiver.locator("#inbox-list tbody tr")
    expect(handled.filter(has_text="Afgehandeld op")).not_to_have_count(0)
    expect(handled.locator(f"form[action*='{snoozed_uuid}']")).to_have_count(0)
    assert_accessible(receiver)

"""The security review's findings 2, 3, 4, 7, 8 and 9, each as the rule that closes it.

Each test is written against the product's own pages and API, as the review attacked them.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from access import policy
from access.gate import items_for_participant
from accounts.constants import Role
from accounts.models import Notification
from cases import services as case_services
from cases.constants import CaseRole, Channel, SignalSource
from cases.models import ContactMoment
from consent import services as consent_services
from consent.constants import DataCategory, DisclosureChannel
from consent.models import BreakGlassGrant, Disclosure
from consent.subject_access import build as subject_access_build
from reminders.rules import RuleContext, no_contact
from tests.factories import make_user
from workplans import meeting_services
from workplans.meeting_models import MeetingKind, MeetingParticipant

pytestmark = pytest.mark.django_db

SECRET = "Suïcidale gedachten besproken-X7"


def _break_glass(user, case, hours=2):
    return consent_services.break_glass_grant(
        user=user, case=case, reason="Acute zorgen gemeld door de huisarts, regievoerder onbereikbaar.", hours=hours
    )


def _contact(actor, case, summary, *, restricted=False, category=DataCategory.NOTITIES, at=None, participants=()):
    return case_services.contact_record(
        actor=actor,
        case=case,
        occurred_at=at or timezone.now() - datetime.timedelta(hours=1),
        channel=Channel.HUISBEZOEK,
        summary=summary,
        restricted=restricted,
        category=category,
        participants=participants,
    )


# --- Finding 2: break-the-glass never becomes write access, and never outlives the grant -------------------


def test_a_signal_after_breaking_the_glass_gives_no_write_access_and_nothing_after_the_grant(
    client, api_client, other_team_wijkcoach, other_team, case_noord, client_noord, time_machine
):
    grant = _break_glass(other_team_wijkcoach, case_noord)
    api_client.force_authenticate(other_team_wijkcoach)
    detail = reverse("api-client-detail", args=[client_noord.uuid])
    assert api_client.get(detail).status_code == 200  # readable during the grant
    assert api_client.patch(detail, {"phone": "0612345678"}, format="json").status_code == 403

    # The review's attack: a signal about the client in the reader's own team.
    response = api_client.post(
        reverse("api-signal-list"),
        {
            "team": str(other_team.uuid),
            "source": SignalSource.BUREN,
            "whatWasSeen": "Buren maken zich zorgen.",
            "client": str(client_noord.uuid),
        },
        format="json",
    )
    assert response.status_code == 201
    assert api_client.patch(detail, {"phone": "0612345678"}, format="json").status_code == 403
    client_noord.refresh_from_db()
    assert client_noord.phone != "0612345678"

    time_machine.move_to(grant.expires_at + datetime.timedelta(minutes=1))
    assert api_client.get(detail).status_code == 404
    assert api_client.patch(detail, {"phone": "0612345678"}, format="json").status_code == 404
    client.force_login(other_team_wijkcoach)
    assert client.get(reverse("cases:client-detail", args=[client_noord.uuid])).status_code == 404


def test_a_client_registered_by_my_team_is_writable_only_until_a_case_exists_elsewhere(wijkcoach, outsider, other_team):
    registered = case_services.client_create(
        actor=outsider,
        team=other_team,
        given_names="Ilse",
        family_name="van 't Veld",
        date_of_birth=datetime.date(1990, 1, 2),
    )
    assert policy.client_decision(outsider, registered, write=True)
    case_services.case_open(actor=wijkcoach, team=wijkcoach.memberships.first().team, client=registered)
    assert not policy.client_decision(outsider, registered, write=True)


# --- Finding 3: a client's timeline only shows what the reader may see ------------------------------------


def test_the_client_timeline_leaves_out_notes_of_another_teams_case(
    client, wijkcoach, other_team_wijkcoach, other_team, case_noord, client_noord
):
    # The client also has a case in Zuid, with a note the Noord team may not read.
    zuid_case = case_services.case_open(actor=other_team_wijkcoach, team=other_team, client=client_noord)
    _contact(other_team_wijkcoach, zuid_case, "Zuid-notitie-Q4", participants=[client_noord])
    _contact(wijkcoach, case_noord, "Noord-notitie-P2", participants=[client_noord])
    client.force_login(wijkcoach)
    page = client.get(reverse("cases:client-detail", args=[client_noord.uuid])).content.decode()
    assert "Noord-notitie-P2" in page
    assert "Zuid-notitie-Q4" not in page
    assert zuid_case.number not in page


# --- Finding 4: the FG's verdict, or a withdrawal, ends a grant at once; the coordinator is told --------


def test_an_unjustified_verdict_ends_the_grant_at_once(client, fg, other_team_wijkcoach, case_noord):
    grant = _break_glass(other_team_wijkcoach, case_noord, hours=24)
    client.force_login(other_team_wijkcoach)
    assert client.get(reverse("cases:case-detail", args=[case_noord.uuid])).status_code == 200
    consent_services.break_glass_review(
        reviewer=fg, grant=grant, verdict=BreakGlassGrant.Verdict.UNJUSTIFIED, note="Geen acute situatie."
    )
    grant.refresh_from_db()
    assert grant.ended_at is not None and grant.ended_by == fg
    assert client.get(reverse("cases:case-detail", args=[case_noord.uuid])).status_code == 404
    assert Notification.objects.filter(user=other_team_wijkcoach, title__contains=case_noord.number).exists()


def test_the_holder_and_the_fg_may_end_a_grant_and_nobody_else(client, fg, wijkcoach, other_team_wijkcoach, case_noord):
    grant = _break_glass(other_team_wijkcoach, case_noord)
    end = reverse("consent:break-glass-end", args=[grant.uuid])
    client.force_login(wijkcoach)
    assert client.post(end).status_code == 404  # not theirs, and no FG
    client.force_login(other_team_wijkcoach)
    page = client.get(reverse("cases:case-detail", args=[case_noord.uuid])).content.decode()
    assert end in page  # the banner offers to end it
    assert client.post(end).status_code == 302
    assert client.get(reverse("cases:case-detail", args=[case_noord.uuid])).status_code == 404

    second = _break_glass(other_team_wijkcoach, case_noord)
    client.force_login(fg)
    assert client.post(reverse("consent:break-glass-end", args=[second.uuid])).status_code == 302
    second.refresh_from_db()
    assert second.ended_by == fg and not second.is_active()


def test_the_coordinator_is_told_when_someone_breaks_the_glass_on_their_case(
    wijkcoach, other_team_wijkcoach, case_noord
):
    _break_glass(other_team_wijkcoach, case_noord)
    told = Notification.objects.get(user=wijkcoach, title__contains=case_noord.number)
    assert str(other_team_wijkcoach) in told.body
    assert case_noord.client.family_name not in told.title + told.body


# --- Finding 7: a partner sees free text only within their purpose's categories -----------------------------


def test_a_partner_reads_agreements_and_minutes_only_within_their_purpose(
    client, api_client, wijkcoach, ggz_partner, case_noord, team
):
    meeting = meeting_services.meeting_plan(
        actor=wijkcoach,
        team=team,
        chair=wijkcoach,
        title="Casusoverleg",
        starts_at=timezone.now() + datetime.timedelta(days=2),
        kind=MeetingKind.CASUSOVERLEG,
        location="Stadskantoor",
    )
    item = meeting_services.agenda_item_add(
        actor=wijkcoach, meeting=meeting, case=case_noord, question="Hoe gaat het met de behandeling?"
    )
    meeting_services.participant_add(actor=wijkcoach, meeting=meeting, user=ggz_partner)
    finance = meeting_services.agreement_make(
        actor=wijkcoach,
        case=case_noord,
        what="Aanmelding bij Schuldhulpverlening-W1",
        due_on=timezone.localdate() + datetime.timedelta(days=7),
        owner=wijkcoach,
        category=DataCategory.INKOMEN_SCHULDEN,
    )
    housing = meeting_services.agreement_make(
        actor=wijkcoach,
        case=case_noord,
        what="De ontruiming wordt opgeschort-W2",
        due_on=timezone.localdate() + datetime.timedelta(days=7),
        owner=wijkcoach,
        category=DataCategory.WONEN,
    )
    care = meeting_services.agreement_make(
        actor=wijkcoach,
        case=case_noord,
        what="Afspraak met de behandelaar-W3",
        due_on=timezone.localdate() + datetime.timedelta(days=7),
        owner=wijkcoach,
        category=DataCategory.PSYCHISCHE_GEZONDHEID,
    )
    api_client.force_authenticate(ggz_partner)
    listed = api_client.get(reverse("api-agreement-list")).json()["results"]
    assert {row["uuid"] for row in listed} == {str(care.uuid)}
    assert Disclosure.objects.filter(
        recipient_user=ggz_partner, case=case_noord, channel=DisclosureChannel.API
    ).exists()
    for hidden in (finance, housing):
        closure = reverse("api-agreement-closure", args=[hidden.uuid])
        assert api_client.post(closure, {"status": "gedaan"}, format="json").status_code == 404

    detail = api_client.get(reverse("api-meeting-detail", args=[meeting.uuid])).json()
    text = str(detail)
    assert "W3" in text and "W1" not in text and "W2" not in text

    # An agenda item about finances is not sent to the partner at all.
    item.category = DataCategory.INKOMEN_SCHULDEN
    item.save(update_fields=["category"])
    participant = MeetingParticipant.objects.get(meeting=meeting, user=ggz_partner)
    assert items_for_participant(meeting, participant) == []


def test_a_partner_sees_contacts_and_referrals_only_of_their_purposes_categories(
    client, api_client, wijkcoach, ggz_partner, case_noord
):
    _contact(wijkcoach, case_noord, "Over de schulden-C1", category=DataCategory.INKOMEN_SCHULDEN)
    _contact(wijkcoach, case_noord, "Over de behandeling-C2", category=DataCategory.PSYCHISCHE_GEZONDHEID)
    case_services.referral_send(
        actor=wijkcoach,
        case=case_noord,
        question="Aanmelding schuldhulp-R1",
        provision="Schuldhulpverlening",
        category=DataCategory.INKOMEN_SCHULDEN,
    )
    api_client.force_authenticate(ggz_partner)
    rows = api_client.get(reverse("api-case-contacts", args=[case_noord.uuid])).json()["results"]
    assert [row["summary"] for row in rows] == ["Over de behandeling-C2"]
    client.force_login(ggz_partner)
    page = client.get(reverse("cases:case-detail", args=[case_noord.uuid])).content.decode()
    assert "C2" in page and "C1" not in page and "R1" not in page


def test_an_agreement_follows_its_goals_life_domain_unless_its_author_chose(wijkcoach, case_noord):
    from workplans import services as plan_services

    plan = plan_services.workplan_create(actor=wijkcoach, case=case_noord)
    goal = plan_services.goal_add(
        actor=wijkcoach,
        workplan=plan,
        term="kort",
        life_domain="financien",
        description="Schulden stabiel",
        owner=wijkcoach,
    )
    made = meeting_services.agreement_make(
        actor=wijkcoach, case=case_noord, what="Budgetplan", due_on=timezone.localdate(), owner=wijkcoach, goal=goal
    )
    assert made.category == DataCategory.INKOMEN_SCHULDEN


# --- Finding 8: beroepsgeheim is for those bound by it ---------------------------------------------------


@pytest.fixture
def secret_note(wijkcoach, case_noord):
    return _contact(wijkcoach, case_noord, SECRET, restricted=True)


def test_a_note_under_professional_secrecy_is_read_only_by_the_social_workers_of_the_authors_team(
    client, secret_note, case_noord, colleague, regisseur, other_team_wijkcoach, wijkcoach
):
    contacts = reverse("cases:case-contacts", args=[case_noord.uuid])
    for reader in (wijkcoach, regisseur):
        client.force_login(reader)
        assert SECRET in client.get(contacts).content.decode()
    # A klantmanager of the same team, of the same organisation, reads the case but not the note.
    client.force_login(colleague)
    page = client.get(contacts)
    assert page.status_code == 200 and SECRET not in page.content.decode()
    # Another team's wijkcoach who is on the case team neither.
    case_services.case_member_add(actor=wijkcoach, case=case_noord, user=other_team_wijkcoach, role=CaseRole.WIJKCOACH)
    client.force_login(other_team_wijkcoach)
    page = client.get(contacts)
    assert page.status_code == 200 and SECRET not in page.content.decode()


def test_a_klantmanager_cannot_write_a_note_under_professional_secrecy(colleague, case_noord):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _contact(colleague, case_noord, "Iets", restricted=True)


def test_professional_secrecy_holds_in_timeline_last_contact_reminders_and_exports(
    client, api_client, secret_note, case_noord, client_noord, colleague, fg
):
    opened = timezone.localdate() - datetime.timedelta(days=40)
    type(case_noord).objects.filter(pk=case_noord.pk).update(opened_on=opened)
    ContactMoment.objects.filter(pk=secret_note.pk).update(occurred_at=timezone.now() - datetime.timedelta(days=35))
    secret_note.refresh_from_db()
    secret_note.participants.set([client_noord])
    client.force_login(colleague)
    timeline = client.get(reverse("cases:client-detail", args=[client_noord.uuid])).content.decode()
    assert SECRET not in timeline
    api_client.force_authenticate(colleague)
    assert api_client.get(reverse("api-case-detail", args=[case_noord.uuid])).json()["lastContactAt"] is None
    # The no-contact reminder neither counts it nor names its date.
    ctx = RuleContext.load(timezone.localdate())
    reminders = [r for r in no_contact(ctx) if r.case_id == case_noord.pk]
    secret_day = timezone.localtime(secret_note.occurred_at).date()
    assert reminders, "the secret note must not count as contact"
    assert all(secret_day.strftime("%d-%m-%Y") not in r.body for r in reminders)
    # The subject access export names whose secrecy it is, not its content.
    exported = str(subject_access_build(client_noord, for_organisation=fg.organisation))
    assert SECRET not in exported
    assert case_noord.team.name in exported


# --- Finding 9: a handover page and "last contact" follow access ----------------------------------------


def test_the_handover_page_closes_for_the_giver_once_their_access_ends(client, wijkcoach, case_noord, team):
    from cases import handovers

    receiver = make_user(Role.WIJKCOACH, team, username="t_ontvanger")
    handover = handovers.handover_create(
        actor=wijkcoach, case=case_noord, from_user=wijkcoach, to_user=receiver, note="Warm overdragen."
    )
    page = reverse("cases:handover-detail", args=[handover.uuid])
    client.force_login(receiver)
    assert client.get(page).status_code == 200  # the receiver reads the summary before accepting
    handovers.handover_accept(actor=receiver, handover=handover)
    # The giver leaves the team: their access to the case ends, and with it the summary.
    membership = wijkcoach.memberships.get(team=team)
    membership.valid_from = timezone.localdate() - datetime.timedelta(days=30)
    membership.valid_to = timezone.localdate() - datetime.timedelta(days=1)
    membership.save()
    client.force_login(wijkcoach)
    assert client.get(page).status_code == 404
    client.force_login(receiver)
    assert client.get(page).status_code == 200


def test_last_contact_does_not_move_for_a_note_the_reader_may_not_read(api_client, wijkcoach, colleague, case_noord):
    shared = _contact(wijkcoach, case_noord, "Gewoon huisbezoek", at=timezone.now() - datetime.timedelta(days=3))
    _contact(wijkcoach, case_noord, SECRET, restricted=True, at=timezone.now() - datetime.timedelta(hours=1))
    api_client.force_authenticate(colleague)
    seen = api_client.get(reverse("api-case-detail", args=[case_noord.uuid])).json()["lastContactAt"]
    assert seen.startswith(timezone.localtime(shared.occurred_at).date().isoformat()) or seen.startswith(
        shared.occurred_at.date().isoformat()
    )
    listed = {row["uuid"]: row for row in api_client.get(reverse("api-case-list")).json()["results"]}
    assert listed[str(case_noord.uuid)]["lastContactAt"] == seen
    api_client.force_authenticate(wijkcoach)
    own = api_client.get(reverse("api-case-detail", args=[case_noord.uuid])).json()["lastContactAt"]
    assert own != seen  # the author does see their own latest note
    assert escape(SECRET)  # the secret itself never appears in any of these answers

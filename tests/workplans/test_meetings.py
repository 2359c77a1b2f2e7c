"""Casusoverleg services and selectors: agreements carried over until closed, the agenda builder's
ranking, the iCalendar invitations (one stable UID, SEQUENCE and METHOD), mail only after commit and
without client data, the refusals of the services, duty c, and purpose-limited minutes per participant."""

from __future__ import annotations

import datetime
import subprocess
import unicodedata

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from access import policy
from access.gate import items_for_participant
from accounts.constants import Role
from cases import services as case_services
from cases.constants import CaseRole, CaseStatus, Law, SafetyConcern
from cases.models import Case
from consent.models import AccessLogEntry
from tests.factories import TeamFactory, make_user, shared_purpose
from workplans import meeting_services, services
from workplans.constants import Duty, ObstacleCategory
from workplans.meeting_models import AgreementStatus, Meeting, MeetingKind, MeetingParticipant, MeetingStatus
from workplans.meeting_selectors import agenda_suggestions, carried_over_agreements
from workplans.minutes_pdf import minutes_pdf
from workplans.models import CoordinationDuty, DutyRecord

pytestmark = pytest.mark.django_db

CLIENT_NAMES = ("Anna", "Tim", "de Boer", "Jansen")


def make_case(actor, team, family_name: str, *, safety_concern: str = ""):
    """An actief case of a one-person household, set up through the services."""
    adult = case_services.client_create(
        actor=actor, given_names="Piet", family_name=family_name, date_of_birth=datetime.date(1980, 1, 1)
    )
    household = case_services.household_create(
        actor=actor, name=f"Huishouden {family_name}", members=[(adult, "ouder")]
    )
    case = case_services.case_open(
        actor=actor, team=team, household=household, laws=[Law.WMO], safety_concern=safety_concern
    )
    for status in (CaseStatus.INTAKE, CaseStatus.TRIAGE, CaseStatus.ACTIEF):
        case = case_services.case_transition(actor=actor, case=case, to_status=status)
    return case


def in_days(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def plan(actor, team, *, days: float = 7, kind: str = MeetingKind.TEAMOVERLEG, **kwargs) -> Meeting:
    kwargs.setdefault("location", "Stadskantoor, zaal 3")
    return meeting_services.meeting_plan(
        actor=actor, team=team, title="Teamoverleg Noord", starts_at=in_days(days), chair=actor, kind=kind, **kwargs
    )


def move_to_past(meeting: Meeting, days: float = 14) -> Meeting:
    """The service refuses a past start by design; tests of what happens later move the meeting back."""
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=in_days(-days))
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def case_b(wijkcoach, team):
    return make_case(wijkcoach, team, "Jansen")


@pytest.fixture
def partner(partner_org, wijkcoach, active_case):
    """A GGZ professional who is a member of ``active_case`` only."""
    user = make_user(Role.PARTNER, TeamFactory(organisation=partner_org, name="GGZ team"), username="t_partner")
    case_services.case_member_add(
        actor=wijkcoach, case=active_case, user=user, role=CaseRole.PARTNER, purpose=shared_purpose()
    )
    return user


# --- Agreements carried over ------------------------------------------------------------------------


def test_an_open_agreement_comes_back_on_the_next_meeting_until_it_is_closed(wijkcoach, team, active_case, case_b):
    first = plan(wijkcoach, team, days=3)
    meeting_services.agenda_item_add(actor=wijkcoach, meeting=first, case=active_case)
    made = meeting_services.agreement_make(
        actor=wijkcoach,
        case=active_case,
        what="Schuldhulp aanvragen",
        due_on=timezone.localdate() + datetime.timedelta(days=10),
        owner=wijkcoach,
        meeting=first,
    )
    # An agreement of a case that is not on the next agenda stays out of it.
    meeting_services.agenda_item_add(actor=wijkcoach, meeting=first, case=case_b)
    other = meeting_services.agreement_make(
        actor=wijkcoach, case=case_b, what="Huisbezoek", due_on=timezone.localdate(), owner=wijkcoach, meeting=first
    )
    move_to_past(first)

    second = plan(wijkcoach, team, days=10)
    meeting_services.agenda_item_add(actor=wijkcoach, meeting=second, case=active_case)
    # Made in the second meeting itself: not "carried over" into it.
    here = meeting_services.agreement_make(
        actor=wijkcoach,
        case=active_case,
        what="Budgetcoach zoeken",
        due_on=timezone.localdate() + datetime.timedelta(days=20),
        owner=wijkcoach,
        meeting=second,
    )

    carried = carried_over_agreements(second)
    assert carried == {active_case.pk: [made]}
    assert other.pk not in {a.pk for rows in carried.values() for a in rows}
    assert here.pk not in {a.pk for rows in carried.values() for a in rows}

    # Still open at a third meeting: it keeps coming back.
    third = plan(wijkcoach, team, days=20)
    meeting_services.agenda_item_add(actor=wijkcoach, meeting=third, case=active_case)
    assert [a.pk for a in carried_over_agreements(third)[active_case.pk]] == [made.pk, here.pk]

    meeting_services.agreement_close(actor=wijkcoach, agreement=made, status=AgreementStatus.GEDAAN)
    assert carried_over_agreements(second) == {}
    assert [a.pk for a in carried_over_agreements(third)[active_case.pk]] == [here.pk]


def test_an_agreement_made_outside_a_meeting_is_carried_over_when_made_before_the_meeting(wijkcoach, team, active_case):
    agreement = meeting_services.agreement_make(
        actor=wijkcoach, case=active_case, what="Bellen met school", due_on=timezone.localdate(), owner=wijkcoach
    )
    meeting = plan(wijkcoach, team, days=5)
    meeting_services.agenda_item_add(actor=wijkcoach, meeting=meeting, case=active_case)
    assert carried_over_agreements(meeting) == {active_case.pk: [agreement]}

    meeting_services.agreement_close(
        actor=wijkcoach, agreement=agreement, status=AgreementStatus.VERVALLEN, note="Niet meer nodig"
    )
    assert carried_over_agreements(meeting) == {}


# --- Agenda suggestions --------------------------------------------------------------------------------


def _active_cases(user, team):
    """The agenda builder's candidates as the meeting page gets them: the team's active cases the user may see."""
    return policy.filter_cases(user, Case.objects.filter(team=team, status="actief"))


def test_agenda_suggestions_rank_safety_above_overdue_duties_above_obstacles(wijkcoach, team):
    safety = make_case(wijkcoach, team, "Veilig", safety_concern=SafetyConcern.HUISELIJK_GEWELD)

    late = make_case(wijkcoach, team, "Laat")
    late_plan = services.workplan_create(actor=wijkcoach, case=late)
    duty = CoordinationDuty.objects.get(workplan=late_plan, duty=Duty.A)
    services.duty_record(
        actor=wijkcoach, duty=duty, what="Voortgang besproken", done_on=timezone.localdate() - datetime.timedelta(10)
    )
    services.duty_set_interval(actor=wijkcoach, duty=CoordinationDuty.objects.get(pk=duty.pk), interval_days=1)

    blocked = make_case(wijkcoach, team, "Belemmerd")
    blocked_plan = services.workplan_create(actor=wijkcoach, case=blocked)
    services.obstacle_raise(
        actor=wijkcoach, workplan=blocked_plan, category=ObstacleCategory.WACHTLIJST, description="Wachtlijst GGZ"
    )

    quiet = make_case(wijkcoach, team, "Rustig")
    services.workplan_create(actor=wijkcoach, case=quiet)

    suggestions = agenda_suggestions(_active_cases(wijkcoach, team))
    assert [s.case.pk for s in suggestions] == [safety.pk, late.pk, blocked.pk]
    assert suggestions[0].score > suggestions[1].score > suggestions[2].score > 0
    assert "Veiligheidssignaal" in suggestions[0].reasons[0]
    assert "te laat" in suggestions[1].reasons[0]
    assert "belemmering" in suggestions[2].reasons[0]
    assert quiet.pk not in {s.case.pk for s in suggestions}


def test_agenda_suggestions_leave_out_cases_of_other_teams_and_cases_without_a_reason(
    wijkcoach, outsider, team, other_team, active_case
):
    elsewhere = make_case(outsider, other_team, "Elders", safety_concern=SafetyConcern.HUISELIJK_GEWELD)
    assert agenda_suggestions(_active_cases(wijkcoach, team)) == []
    assert elsewhere.pk not in {
        s.case.pk for s in agenda_suggestions(_active_cases(wijkcoach, other_team))
    }  # not visible


# --- iCalendar and mail --------------------------------------------------------------------------------


def _ics(message) -> Calendar:
    (attachment,) = message.attachments
    filename, content, mimetype = attachment
    assert filename.endswith(".ics")
    assert mimetype.startswith("text/calendar")
    if isinstance(content, str):
        content = content.encode("utf-8")
    return Calendar.from_ical(content)


def _event(calendar: Calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def _assert_names_no_client(message, *cases):
    raw = message.subject + message.body + "".join(str(a[1]) for a in message.attachments)
    for name in CLIENT_NAMES:
        assert name not in raw
    for case in cases:
        assert case.number not in raw


def test_invite_update_and_cancel_share_one_uid(
    wijkcoach, colleague, team, active_case, django_capture_on_commit_callbacks
):
    meeting = plan(wijkcoach, team)
    meeting_services.agenda_item_add(actor=wijkcoach, meeting=meeting, case=active_case, question="Schulden?")
    meeting_services.participant_add(actor=wijkcoach, meeting=meeting, user=colleague, notify=False)

    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.meeting_send_invitations(actor=wijkcoach, meeting=meeting)
        assert mail.outbox == []  # not before the commit
    (invite,) = mail.outbox
    assert sorted(invite.to) == sorted([wijkcoach.email, colleague.email])
    calendar = _ics(invite)
    assert str(calendar["method"]) == "REQUEST"
    event = _event(calendar)
    uid = str(event["uid"])
    assert uid == f"{meeting.uuid}@casusregie"
    assert int(event["sequence"]) == 0
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["location"]) == "Stadskantoor, zaal 3"
    assert {str(a) for a in event.get("attendee")} == {f"mailto:{wijkcoach.email}", f"mailto:{colleague.email}"}
    _assert_names_no_client(invite, active_case)

    new_start = (in_days(9)).replace(microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.meeting_update(actor=wijkcoach, meeting=meeting, starts_at=new_start, duration_minutes=90)
        assert len(mail.outbox) == 1
    update = mail.outbox[1]
    assert update.subject.startswith("Gewijzigd")
    calendar = _ics(update)
    assert str(calendar["method"]) == "REQUEST"
    event = _event(calendar)
    assert str(event["uid"]) == uid
    assert int(event["sequence"]) == 1
    assert event.decoded("dtstart") == new_start
    assert event.decoded("dtend") == new_start + datetime.timedelta(minutes=90)
    _assert_names_no_client(update, active_case)

    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.meeting_cancel(actor=wijkcoach, meeting=meeting)
        assert len(mail.outbox) == 2
    cancel = mail.outbox[2]
    assert cancel.subject.startswith("Geannuleerd")
    assert "method=CANCEL" in cancel.attachments[0][2]
    calendar = _ics(cancel)
    assert str(calendar["method"]) == "CANCEL"
    event = _event(calendar)
    assert str(event["uid"]) == uid
    assert int(event["sequence"]) == 2
    assert str(event["status"]) == "CANCELLED"
    _assert_names_no_client(cancel, active_case)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.GEANNULEERD
    assert meeting.ics_sequence == 2
    with pytest.raises(ValidationError):
        meeting_services.meeting_update(actor=wijkcoach, meeting=meeting, title="Toch")


def test_a_new_participant_gets_only_their_own_invitation_after_commit(
    wijkcoach, partner_org, team, django_capture_on_commit_callbacks
):
    meeting = plan(wijkcoach, team, video_link="https://video.example/overleg", location="")
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.participant_add(
            actor=wijkcoach,
            meeting=meeting,
            organisation=partner_org,
            contact_name="Karin Smit",
            contact_email="karin@ggz.example",
        )
        assert mail.outbox == []
    (invite,) = mail.outbox
    assert invite.to == ["karin@ggz.example"]
    event = _event(_ics(invite))
    assert str(event["url"]) == "https://video.example/overleg"
    assert "location" not in event
    # The event lists every participant, also those not mailed this time.
    assert {str(a) for a in event.get("attendee")} == {f"mailto:{wijkcoach.email}", "mailto:karin@ggz.example"}


def test_a_rolled_back_change_sends_no_mail(wijkcoach, team, django_capture_on_commit_callbacks):
    meeting = plan(wijkcoach, team)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(ValidationError):
        meeting_services.meeting_update(actor=wijkcoach, meeting=meeting, duration_minutes=5)
    assert callbacks == []
    assert mail.outbox == []
    meeting.refresh_from_db()
    assert meeting.ics_sequence == 0


# --- Refusals --------------------------------------------------------------------------------------------


def test_meeting_plan_needs_a_place_or_a_link(wijkcoach, team):
    with pytest.raises(ValidationError) as exc:
        plan(wijkcoach, team, location="  ", video_link="")
    assert "location" in exc.value.message_dict
    assert Meeting.objects.count() == 0


def test_meeting_plan_refuses_a_start_in_the_past(wijkcoach, team):
    with pytest.raises(ValidationError) as exc:
        plan(wijkcoach, team, days=-1)
    assert "starts_at" in exc.value.message_dict
    assert Meeting.objects.count() == 0


def test_meeting_plan_invites_the_chair_without_mail(wijkcoach, team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = plan(wijkcoach, team)
    assert list(meeting.participants.values_list("user", flat=True)) == [wijkcoach.pk]
    assert mail.outbox == []


def test_a_casusoverleg_is_about_one_case(wijkcoach, team, active_case, case_b):
    meeting = plan(wijkcoach, team, kind=MeetingKind.CASUSOVERLEG)
    meeting_services.agenda_item_add(actor=wijkcoach, meeting=meeting, case=active_case)
    with pytest.raises(ValidationError):
        meeting_services.agenda_item_add(actor=wijkcoach, meeting=meeting, case=case_b)
    with pytest.raises(ValidationError):
        meeting_services.agenda_item_add(actor=wijkcoach, meeting=meeting, case=active_case)


def test_agreement_make_refuses_an_owner_who_is_not_on_the_case(wijkcoach, colleague, outsider, team, active_case):
    for owner in (colleague, outsider):  # a team colleague who is no case member, and an outsider
        with pytest.raises(ValidationError) as exc:
            meeting_services.agreement_make(
                actor=wijkcoach, case=active_case, what="Bellen", due_on=timezone.localdate(), owner=owner
            )
        assert "owner" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        meeting_services.agreement_make(actor=wijkcoach, case=active_case, what="Bellen", due_on=timezone.localdate())
    assert "owner" in exc.value.message_dict
    assert not active_case.agreements.exists()


def test_agreement_make_in_a_meeting_needs_the_case_on_its_agenda(wijkcoach, team, active_case):
    meeting = plan(wijkcoach, team)
    with pytest.raises(ValidationError) as exc:
        meeting_services.agreement_make(
            actor=wijkcoach, case=active_case, what="x", due_on=timezone.localdate(), owner=wijkcoach, meeting=meeting
        )
    assert "case" in exc.value.message_dict


def test_agreement_close_needs_a_note_when_not_done(wijkcoach, active_case):
    agreement = meeting_services.agreement_make(
        actor=wijkcoach, case=active_case, what="Aanvraag indienen", due_on=timezone.localdate(), owner=wijkcoach
    )
    for status in (AgreementStatus.NIET_GEDAAN, AgreementStatus.VERVALLEN):
        with pytest.raises(ValidationError) as exc:
            meeting_services.agreement_close(actor=wijkcoach, agreement=agreement, status=status, note="  ")
        assert "status_note" in exc.value.message_dict
    with pytest.raises(ValidationError):
        meeting_services.agreement_close(actor=wijkcoach, agreement=agreement, status=AgreementStatus.OPEN)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.OPEN
    assert agreement.closed_at is None

    meeting_services.agreement_close(
        actor=wijkcoach, agreement=agreement, status=AgreementStatus.NIET_GEDAAN, note="Cliënt ziek"
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.NIET_GEDAAN
    assert agreement.status_note == "Cliënt ziek"
    assert agreement.closed_at is not None
    with pytest.raises(ValidationError):  # closed once
        meeting_services.agreement_close(actor=wijkcoach, agreement=agreement, status=AgreementStatus.GEDAAN)


# --- Duty c ---------------------------------------------------------------------------------------------------


def test_meeting_hold_records_duty_c_for_cases_with_a_plan(wijkcoach, team, active_case, workplan, case_b):
    meeting = plan(wijkcoach, team)
    meeting_services.agenda_item_add(actor=wijkcoach, meeting=meeting, case=active_case)
    meeting_services.agenda_item_add(actor=wijkcoach, meeting=meeting, case=case_b)  # no plan: nothing to record
    move_to_past(meeting, days=2)

    meeting_services.meeting_hold(actor=wijkcoach, meeting=meeting)

    held_on = timezone.localdate(meeting.starts_at)
    (record,) = DutyRecord.objects.all()
    assert record.duty.workplan == workplan
    assert record.duty.duty == Duty.C
    assert record.done_on == held_on
    assert record.done_by == wijkcoach
    assert "Teamoverleg Noord" in record.what
    duty = CoordinationDuty.objects.get(workplan=workplan, duty=Duty.C)
    assert duty.last_done_on == held_on
    assert duty.next_due_on == held_on + datetime.timedelta(days=duty.interval_days)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.GEHOUDEN
    with pytest.raises(ValidationError):  # once
        meeting_services.meeting_hold(actor=wijkcoach, meeting=meeting)


# --- Minutes per participant ---------------------------------------------------------------------------------


@pytest.fixture
def held_meeting(wijkcoach, team, partner, partner_org, active_case, case_b):
    """A held team meeting about two cases: the partner is a member of ``active_case`` only; one contact
    without account is a member of ``active_case`` by e-mail, another contact is on no case."""
    case_services.case_member_add(
        actor=wijkcoach,
        case=active_case,
        role=CaseRole.PARTNER,
        organisation=partner_org,
        contact_name="Karin Smit",
        contact_email="karin@ggz.example",
        purpose=shared_purpose(),
    )
    meeting = plan(wijkcoach, team)
    item_a = meeting_services.agenda_item_add(actor=wijkcoach, meeting=meeting, case=active_case)
    item_b = meeting_services.agenda_item_add(actor=wijkcoach, meeting=meeting, case=case_b)
    meeting_services.agenda_item_record(
        actor=wijkcoach, item=item_a, expected_version=1, decisions="Besluit Alfa: schuldhulp starten"
    )
    meeting_services.agenda_item_record(
        actor=wijkcoach, item=item_b, expected_version=1, decisions="Besluit Bravo: huisvesting zoeken"
    )
    meeting_services.agreement_make(
        actor=wijkcoach,
        case=case_b,
        what="Afspraak Bravo",
        due_on=timezone.localdate(),
        owner=wijkcoach,
        meeting=meeting,
    )
    meeting_services.participant_add(actor=wijkcoach, meeting=meeting, user=partner, notify=False)
    meeting_services.participant_add(
        actor=wijkcoach, meeting=meeting, organisation=partner_org, contact_email="KARIN@ggz.example", notify=False
    )
    meeting_services.participant_add(
        actor=wijkcoach, meeting=meeting, organisation=partner_org, contact_email="piet@elders.example", notify=False
    )
    move_to_past(meeting, days=1)
    meeting_services.meeting_hold(actor=wijkcoach, meeting=meeting)
    return meeting


def _participant(meeting, *, user=None, email=None) -> MeetingParticipant:
    if user is not None:
        return meeting.participants.get(user=user)
    return meeting.participants.get(contact_email=email)


def test_items_for_participant_follow_the_policy(held_meeting, wijkcoach, partner, active_case, case_b):
    def cases(participant):
        return [item.case_id for item in items_for_participant(held_meeting, participant)]

    assert cases(_participant(held_meeting, user=wijkcoach)) == [active_case.pk, case_b.pk]
    assert cases(_participant(held_meeting, user=partner)) == [active_case.pk]
    assert cases(_participant(held_meeting, email="KARIN@ggz.example")) == [active_case.pk]  # case-insensitive
    assert cases(_participant(held_meeting, email="piet@elders.example")) == []


def test_a_partner_who_left_the_case_gets_no_minutes_of_it(held_meeting, wijkcoach, partner, active_case):
    member = active_case.members.get(user=partner, valid_to__isnull=True)
    case_services.case_member_end(actor=wijkcoach, member=member)
    assert items_for_participant(held_meeting, _participant(held_meeting, user=partner)) == []


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "notulen.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return " ".join(unicodedata.normalize("NFKC", result.stdout.decode("utf-8")).split())


def test_the_minutes_pdf_of_a_partner_holds_only_their_case(held_meeting, partner, active_case, case_b, tmp_path):
    participant = _participant(held_meeting, user=partner)
    items = items_for_participant(held_meeting, participant)
    text = _pdf_text(minutes_pdf(held_meeting, items, participant), tmp_path)

    assert active_case.number in text
    assert "Besluit Alfa: schuldhulp starten" in text
    assert case_b.number not in text
    assert "Bravo" not in text


def test_the_minutes_pdf_of_the_chair_holds_both_cases(held_meeting, wijkcoach, active_case, case_b, tmp_path):
    participant = _participant(held_meeting, user=wijkcoach)
    text = _pdf_text(minutes_pdf(held_meeting, items_for_participant(held_meeting, participant), participant), tmp_path)
    assert active_case.number in text
    assert case_b.number in text
    assert "Besluit Bravo: huisvesting zoeken" in text
    assert "Afspraak Bravo" in text


def test_minutes_distribute_mails_each_participant_with_an_address_and_logs_the_export(
    held_meeting, wijkcoach, partner, active_case, case_b, tmp_path
):
    no_mail = make_user(Role.KLANTMANAGER, held_meeting.team, username="t_zonder_mail", email="")
    meeting_services.participant_add(actor=wijkcoach, meeting=held_meeting, user=no_mail, notify=False)

    sent = meeting_services.minutes_distribute(actor=wijkcoach, meeting=held_meeting)

    recipients = [wijkcoach.email, partner.email, "KARIN@ggz.example", "piet@elders.example"]
    assert sent == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(recipients)
    assert all(len(m.to) == 1 for m in mail.outbox)
    for message in mail.outbox:
        assert active_case.number not in message.subject + message.body
        ((filename, _content, mimetype),) = message.attachments
        assert (filename, mimetype) == ("notulen.pdf", "application/pdf")
    partner_mail = next(m for m in mail.outbox if m.to == [partner.email])
    text = _pdf_text(partner_mail.attachments[0][1], tmp_path)
    assert active_case.number in text
    assert case_b.number not in text

    exports = AccessLogEntry.objects.filter(action="export", route="minutes_distribute")
    # One row per case sent to a participant: the chair both cases, the partner and Karin one each.
    assert sorted(exports.values_list("case_id", flat=True)) == sorted(
        [active_case.pk, case_b.pk, active_case.pk, active_case.pk]
    )
    assert set(exports.values_list("user_id", flat=True)) == {wijkcoach.pk}
    assert exports.filter(case=case_b, detail__contains=str(partner)).count() == 0


def test_minutes_are_distributed_only_after_the_meeting_was_held(wijkcoach, team, active_case):
    meeting = plan(wijkcoach, team)
    meeting_services.agenda_item_add(actor=wijkcoach, meeting=meeting, case=active_case)
    with pytest.raises(ValidationError):
        meeting_services.minutes_distribute(actor=wijkcoach, meeting=meeting)
    assert mail.outbox == []
    assert not AccessLogEntry.objects.filter(action="export").exists()

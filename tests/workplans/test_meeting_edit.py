"""Changing a meeting's time sends an update of the same calendar event."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from workplans import meeting_services
from workplans.meeting_models import MeetingKind

pytestmark = pytest.mark.django_db


def test_changing_the_time_sends_an_update_with_the_same_uid(
    client, wijkcoach, team, active_case, django_capture_on_commit_callbacks
):
    start = (timezone.localtime() + datetime.timedelta(days=5)).replace(hour=10, minute=0, second=0, microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = meeting_services.meeting_plan(
            actor=wijkcoach,
            team=team,
            title="Casusoverleg",
            starts_at=start,
            chair=wijkcoach,
            location="Zaal 1",
            kind=MeetingKind.CASUSOVERLEG,
        )
        meeting_services.meeting_send_invitations(actor=wijkcoach, meeting=meeting)
    invitation = Calendar.from_ical(mail.outbox[-1].attachments[0][1])

    client.force_login(wijkcoach)
    new_start = start + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workplans:meeting-edit", args=[meeting.uuid]),
            {
                "title": "Casusoverleg",
                "starts_at": new_start.strftime("%Y-%m-%dT%H:%M"),
                "duration_minutes": 60,
                "location": "Zaal 2",
            },
        )
    assert response.status_code == 302
    update = Calendar.from_ical(mail.outbox[-1].attachments[0][1])
    first_event = next(iter(invitation.walk("VEVENT")))
    second_event = next(iter(update.walk("VEVENT")))
    assert str(first_event["UID"]) == str(second_event["UID"])
    assert int(second_event["SEQUENCE"]) == int(first_event["SEQUENCE"]) + 1
    assert str(second_event["LOCATION"]) == "Zaal 2"
    assert mail.outbox[-1].subject.startswith("Gewijzigd:")


def test_moving_a_meeting_into_the_past_is_refused(client, wijkcoach, team):
    start = timezone.now() + datetime.timedelta(days=2)
    meeting = meeting_services.meeting_plan(
        actor=wijkcoach, team=team, title="Overleg", starts_at=start, chair=wijkcoach, location="Zaal 1"
    )
    client.force_login(wijkcoach)
    past = timezone.localtime() - datetime.timedelta(days=2)
    response = client.post(
        reverse("workplans:meeting-edit", args=[meeting.uuid]),
        {
            "title": "Overleg",
            "starts_at": past.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 60,
            "location": "Zaal 1",
        },
    )
    assert response.status_code == 400
    assert "verleden" in response.content.decode()


def test_outsider_cannot_change_the_meeting(client, wijkcoach, outsider, team):
    meeting = meeting_services.meeting_plan(
        actor=wijkcoach,
        team=team,
        title="Overleg",
        starts_at=timezone.now() + datetime.timedelta(days=2),
        chair=wijkcoach,
        location="Zaal 1",
    )
    client.force_login(outsider)
    assert client.get(reverse("workplans:meeting-edit", args=[meeting.uuid])).status_code == 404

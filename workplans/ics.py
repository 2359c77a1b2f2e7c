"""iCalendar invitations for meetings (RFC 5545, via the ``icalendar`` library).

The UID is stable for a meeting, so an update or a cancellation replaces the
same event in the participant's calendar; SEQUENCE rises with every change.
The invitation names no client: only the meeting's title, time and place.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText


def meeting_uid(meeting) -> str:
    return f"{meeting.uuid}@casusregie"


def meeting_ics(meeting, participants, *, cancel: bool = False) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Casusregie//Casusoverleg//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("sequence", meeting.ics_sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.title)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    if meeting.location:
        event.add("location", meeting.location)
    if meeting.video_link:
        event.add("url", meeting.video_link)
        event.add("description", f"Video: {meeting.video_link}")
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(str(meeting.chair))
    event["organizer"] = organizer
    for participant in participants:
        if not participant.email:
            continue
        attendee = vCalAddress(f"mailto:{participant.email}")
        attendee.params["cn"] = vText(participant.display_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()

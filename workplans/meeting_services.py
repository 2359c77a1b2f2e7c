"""Writes for the casusoverleg (duty c): plan, invite, run the minutes, follow up agreements.

Invitations and updates are e-mailed with an iCalendar attachment after the
transaction commits, so a rolled-back change never sends mail.
"""

from __future__ import annotations

import copy
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from api_conventions.text import header_text
from cases.models import Case
from consent.constants import LIFE_DOMAIN_CATEGORY, DataCategory

from . import services as plan_services
from .constants import Duty, WorkplanStatus
from .ics import meeting_ics
from .meeting_models import (
    AgendaItem,
    Agreement,
    AgreementStatus,
    Attendance,
    Meeting,
    MeetingKind,
    MeetingParticipant,
    MeetingStatus,
)
from .models import CoordinationDuty, Goal


class StaleWrite(ValidationError):
    pass


def _send_calendar(
    meeting: Meeting, *, cancel: bool = False, update: bool = False, only: list[MeetingParticipant] | None = None
) -> None:
    """E-mail the invitation (or update, or cancellation) to every participant with an address,
    or to ``only`` those. The event lists all participants either way."""
    participants = list(meeting.participants.select_related("user"))
    recipients = [p.email for p in (participants if only is None else only) if p.email]
    if not recipients:
        return
    ics = meeting_ics(meeting, participants, cancel=cancel)
    when = timezone.localtime(meeting.starts_at).strftime("%d-%m-%Y %H:%M")
    # A subject is a header: whatever the title holds, it stays one line (no BadHeaderError, no injection).
    title = header_text(meeting.title)
    if cancel:
        subject = _("Geannuleerd: %(title)s (%(when)s)") % {"title": title, "when": when}
        body = _("Het overleg '%(title)s' van %(when)s gaat niet door.") % {"title": meeting.title, "when": when}
    elif update:
        subject = _("Gewijzigd: %(title)s (%(when)s)") % {"title": title, "when": when}
        body = _("Het overleg '%(title)s' is gewijzigd. Het staat nu op %(when)s.") % {
            "title": meeting.title,
            "when": when,
        }
    else:
        subject = _("Uitnodiging: %(title)s (%(when)s)") % {"title": title, "when": when}
        body = _("U bent uitgenodigd voor '%(title)s' op %(when)s, %(where)s.") % {
            "title": meeting.title,
            "when": when,
            "where": meeting.location or meeting.video_link,
        }
    # The mail names no client: the agenda with case details is in the application, behind the policy.
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=recipients)
    method = "CANCEL" if cancel else "REQUEST"
    message.attach("uitnodiging.ics", ics, f"text/calendar; method={method}; charset=utf-8")
    message.send()


def _validate_when(starts_at: datetime.datetime, duration_minutes: int) -> None:
    if duration_minutes < 10:
        raise ValidationError({"duration_minutes": _("Een overleg duurt ten minste 10 minuten.")})


@transaction.atomic
def meeting_plan(
    *,
    actor: User,
    team,
    title: str,
    starts_at: datetime.datetime,
    chair: User,
    duration_minutes: int = 60,
    kind: str = MeetingKind.CASUSOVERLEG,
    location: str = "",
    video_link: str = "",
) -> Meeting:
    if not location.strip() and not video_link.strip():
        raise ValidationError({"location": _("Vul een plaats of een videolink in.")})
    if starts_at < timezone.now():
        raise ValidationError({"starts_at": _("Een nieuw overleg ligt in de toekomst.")})
    _validate_when(starts_at, duration_minutes)
    meeting = Meeting(
        kind=kind,
        title=title,
        team=team,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location,
        video_link=video_link,
        chair=chair,
        created_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    participant_add(actor=actor, meeting=meeting, user=chair, notify=False)
    return meeting


def _ensure_planned(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.GEPLAND:
        raise ValidationError(_("Dit overleg is al gehouden of geannuleerd."))


@transaction.atomic
def meeting_update(
    *,
    actor: User,
    meeting: Meeting,
    starts_at: datetime.datetime | None = None,
    duration_minutes: int | None = None,
    location: str | None = None,
    video_link: str | None = None,
    title: str | None = None,
) -> Meeting:
    """Change time or place; participants get an update of the same calendar event."""
    _ensure_planned(meeting)
    if starts_at is not None and starts_at != meeting.starts_at and starts_at < timezone.now():
        raise ValidationError({"starts_at": _("Een overleg kan niet naar het verleden worden verplaatst.")})
    for name, value in (
        ("starts_at", starts_at),
        ("duration_minutes", duration_minutes),
        ("location", location),
        ("video_link", video_link),
        ("title", title),
    ):
        if value is not None:
            setattr(meeting, name, value)
    _validate_when(meeting.starts_at, meeting.duration_minutes)
    meeting.ics_sequence += 1
    meeting.full_clean()
    meeting.save()
    as_changed = copy.copy(meeting)  # the mail shows this change, even if a later one follows in the transaction
    transaction.on_commit(lambda: _send_calendar(as_changed, update=True))
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting) -> Meeting:
    _ensure_planned(meeting)
    meeting.status = MeetingStatus.GEANNULEERD
    meeting.ics_sequence += 1
    meeting.save(update_fields=["status", "ics_sequence"])
    as_cancelled = copy.copy(meeting)
    transaction.on_commit(lambda: _send_calendar(as_cancelled, cancel=True))
    return meeting


@transaction.atomic
def meeting_send_invitations(*, actor: User, meeting: Meeting) -> Meeting:
    _ensure_planned(meeting)
    transaction.on_commit(lambda: _send_calendar(meeting))
    return meeting


@transaction.atomic
def participant_add(
    *,
    actor: User,
    meeting: Meeting,
    user: User | None = None,
    organisation: Organisation | None = None,
    contact_name: str = "",
    contact_email: str = "",
    notify: bool = True,
) -> MeetingParticipant:
    """Invite a professional or a contact; with ``notify`` the invitation (.ics) is mailed after commit."""
    if user is None and not contact_email:
        raise ValidationError({"contact_email": _("Kies een professional of vul een e-mailadres in.")})
    if user is not None and meeting.participants.filter(user=user).exists():
        raise ValidationError({"user": _("%(user)s is al uitgenodigd.") % {"user": user}})
    participant = MeetingParticipant(
        meeting=meeting,
        user=user,
        organisation=(user.organisation if user and user.organisation else organisation),
        contact_name=contact_name,
        contact_email=contact_email,
    )
    if participant.organisation_id is None:
        raise ValidationError({"organisation": _("Kies de organisatie.")})
    participant.full_clean()
    participant.save()
    if notify and participant.email:
        transaction.on_commit(lambda: _send_calendar(meeting, only=[participant]))
    return participant


@transaction.atomic
def participant_record_attendance(
    *, actor: User, participant: MeetingParticipant, attendance: str, absence_reason: str = ""
) -> MeetingParticipant:
    if attendance == Attendance.AFWEZIG and not absence_reason.strip():
        raise ValidationError({"absence_reason": _("Vul de reden van afwezigheid in.")})
    participant.attendance = attendance
    participant.absence_reason = absence_reason if attendance == Attendance.AFWEZIG else ""
    participant.full_clean()
    participant.save(update_fields=["attendance", "absence_reason"])
    return participant


@transaction.atomic
def agenda_item_add(
    *,
    actor: User,
    meeting: Meeting,
    case: Case,
    minutes_planned: int = 15,
    question: str = "",
    category: str = "notities",
) -> AgendaItem:
    """Put a case on the agenda. ``category`` is what the item is about: a partner participant receives its
    question and minutes only when their purpose covers it."""
    _ensure_planned(meeting)
    if meeting.kind == MeetingKind.CASUSOVERLEG and meeting.agenda_items.exclude(case=case).exists():
        raise ValidationError(_("Een casusoverleg gaat over één casus. Kies een teamoverleg voor meerdere casussen."))
    if meeting.agenda_items.filter(case=case).exists():
        raise ValidationError({"case": _("Deze casus staat al op de agenda.")})
    item = AgendaItem(
        meeting=meeting,
        case=case,
        minutes_planned=minutes_planned,
        question=question,
        category=category,
        position=meeting.agenda_items.count() + 1,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agenda_item_remove(*, actor: User, item: AgendaItem) -> None:
    _ensure_planned(item.meeting)
    meeting = item.meeting
    item.delete()
    for position, other in enumerate(meeting.agenda_items.order_by("position", "id"), start=1):
        if other.position != position:
            AgendaItem.objects.filter(pk=other.pk).update(position=position)


@transaction.atomic
def agenda_item_record(
    *,
    actor: User,
    item: AgendaItem,
    expected_version: int | None,
    decisions: str | None = None,
    reasoning: str | None = None,
) -> AgendaItem:
    """Minutes mode: save the decisions and reasoning of one item as they are typed."""
    if item.meeting.status == MeetingStatus.GEANNULEERD:
        raise ValidationError(_("Dit overleg is geannuleerd."))
    if decisions is not None:
        item.decisions = decisions
    if reasoning is not None:
        item.reasoning = reasoning
    item.full_clean()
    query = AgendaItem.objects.filter(pk=item.pk)
    if expected_version is not None:
        query = query.filter(lock_version=expected_version)
    updated = query.update(decisions=item.decisions, reasoning=item.reasoning, lock_version=F("lock_version") + 1)
    if not updated:
        raise StaleWrite(_("Iemand anders heeft dit agendapunt intussen aangevuld. Vernieuw de pagina."), code="stale")
    item.lock_version = AgendaItem.objects.values_list("lock_version", flat=True).get(pk=item.pk)
    return item


@transaction.atomic
def meeting_hold(*, actor: User, meeting: Meeting) -> Meeting:
    """The meeting took place: duty c is recorded for every case on the agenda that has a plan."""
    _ensure_planned(meeting)
    meeting.status = MeetingStatus.GEHOUDEN
    meeting.save(update_fields=["status"])
    day = timezone.localdate(meeting.starts_at)
    duties = (
        CoordinationDuty.objects.filter(duty=Duty.C, workplan__case__in=meeting.agenda_items.values("case"))
        .exclude(workplan__status=WorkplanStatus.BEEINDIGD)
        .select_related("workplan")
    )
    for duty in duties:
        plan_services.duty_record(
            actor=actor,
            duty=duty,
            done_on=min(day, timezone.localdate()),
            what=_("Besproken in overleg '%(title)s'") % {"title": meeting.title},
        )
    return meeting


# --- Agreements -------------------------------------------------------------------


@transaction.atomic
def agreement_make(
    *,
    actor: User,
    case: Case,
    what: str,
    due_on: datetime.date,
    owner: User | None = None,
    owner_organisation: Organisation | None = None,
    meeting: Meeting | None = None,
    goal: Goal | None = None,
    category: str | None = None,
    agenda_item: AgendaItem | None = None,
) -> Agreement:
    """An afspraak with one owner and a due date, made in a meeting or outside one.

    ``category`` is what it is about (a partner sees it only within their purpose); when not chosen it follows
    the goal's life domain, else the agenda item it was made under, else "notities".
    """
    if owner is None and owner_organisation is None:
        raise ValidationError({"owner": _("Een afspraak heeft een eigenaar: kies een professional of een partij.")})
    if owner is not None and not case.members.filter(user=owner, valid_to__isnull=True).exists():
        raise ValidationError({"owner": _("De eigenaar moet lid zijn van het casusteam.")})
    if goal is not None and goal.workplan.case_id != case.pk:
        raise ValidationError({"goal": _("Dit doel hoort niet bij deze casus.")})
    if meeting is not None and not meeting.agenda_items.filter(case=case).exists():
        raise ValidationError({"case": _("Deze casus staat niet op de agenda van dit overleg.")})
    agreement = Agreement(
        case=case,
        what=what,
        due_on=due_on,
        owner=owner,
        owner_organisation=owner_organisation or owner.organisation,
        meeting=meeting,
        goal=goal,
        category=category or _default_agreement_category(goal, agenda_item),
        created_by=actor,
    )
    agreement.full_clean()
    agreement.save()
    return agreement


def _default_agreement_category(goal: Goal | None, agenda_item: AgendaItem | None) -> str:
    if goal is not None:
        return LIFE_DOMAIN_CATEGORY.get(goal.life_domain, DataCategory.NOTITIES)
    if agenda_item is not None:
        return agenda_item.category
    return DataCategory.NOTITIES


@transaction.atomic
def agreement_close(*, actor: User, agreement: Agreement, status: str, note: str = "") -> Agreement:
    if status == AgreementStatus.OPEN:
        raise ValidationError({"status": _("Kies gedaan, niet gedaan of vervallen.")})
    if status not in AgreementStatus.values:
        raise ValidationError({"status": _("Onbekende status.")})
    if not agreement.is_open:
        raise ValidationError(_("Deze afspraak is al afgesloten."))
    if status in (AgreementStatus.NIET_GEDAAN, AgreementStatus.VERVALLEN) and not note.strip():
        raise ValidationError({"status_note": _("Licht toe waarom de afspraak niet is gedaan of is vervallen.")})
    agreement.status = status
    agreement.status_note = note
    agreement.closed_at = timezone.now()
    agreement.full_clean()
    agreement.save(update_fields=["status", "status_note", "closed_at"])
    return agreement


def minutes_distribute(*, actor: User, meeting: Meeting) -> int:
    """E-mail each participant the minutes with only the items of cases they may see.

    Each distribution is written to the access log as an export of those cases.
    Returns the number of participants mailed.
    """
    from access import gate

    from .minutes_pdf import minutes_pdf

    if meeting.status != MeetingStatus.GEHOUDEN:
        raise ValidationError(_("Verstuur de notulen nadat het overleg is gehouden."))
    sent = 0
    for participant in meeting.participants.select_related("user"):
        if not participant.email:
            continue
        items = gate.items_for_participant(meeting, participant)
        message = EmailMessage(
            subject=_("Notulen: %(title)s") % {"title": header_text(meeting.title)},
            body=_("Bijgaand de notulen van '%(title)s', alleen met de agendapunten die voor u bestemd zijn.")
            % {"title": meeting.title},
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[participant.email],
        )
        message.attach("notulen.pdf", minutes_pdf(meeting, items, participant), "application/pdf")
        message.send()
        gate.minutes_sent(actor=actor, participant=participant, items=items)
        sent += 1
    return sent

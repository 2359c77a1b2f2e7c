"""Casusoverleg pages: plan a meeting from suggestions, invite, run the minutes, follow up agreements,
and send purpose-limited minutes per participant.

Access: meetings of the user's casework teams (or where the user takes part);
every agenda item is shown only when the policy lets the user see its case.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from access import gate, policy
from access.declarations import Scope, declare
from accounts.constants import CASEWORK_ROLES, Role
from accounts.models import Organisation, Team, User
from api_conventions.numbers import query_int
from cases.forms.clients import add_validation_error as _add_errors

from . import meeting_services as services
from .meeting_forms import (
    AgendaItemForm,
    AgreementCloseForm,
    AgreementForm,
    AttendanceForm,
    MeetingChangeForm,
    MeetingForm,
    MinutesForm,
    ParticipantForm,
)
from .meeting_models import MeetingStatus
from .meeting_selectors import agenda_suggestions, meeting_page
from .minutes_pdf import minutes_pdf


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _next_or(request, fallback: str) -> str:
    """The posted ``next`` address when it stays on this site, else ``fallback`` (no open redirect)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _teams(user) -> list[Team]:
    return list(Team.objects.filter(pk__in=policy.casework_team_ids(user)).order_by("name"))


@declare(
    Scope.MEETING,
    allowed=policy.may_work_with_meetings,
    message=gettext_lazy("Alleen professionals die aan casussen werken, zien overleggen."),
)
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = list(gate.meetings_for_user(request).select_related("team", "chair").order_by("-starts_at")[:100])
    now = timezone.now()
    return render(
        request,
        "workplans/meetings/list.html",
        {
            "upcoming": [m for m in meetings if m.starts_at >= now and m.status == MeetingStatus.GEPLAND][::-1],
            "past": [m for m in meetings if not (m.starts_at >= now and m.status == MeetingStatus.GEPLAND)],
            "may_plan": policy.is_casework_professional(request.user),
        },
    )


@declare(
    Scope.ROLE,
    allowed=policy.is_casework_professional,
    message=gettext_lazy("Alleen professionals die aan casussen werken, plannen een overleg."),
)
def meeting_create(request: HttpRequest) -> HttpResponse:
    teams = _teams(request.user)
    form = MeetingForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_plan(actor=request.user, chair=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Het overleg is gepland. Stel nu de agenda samen."))
            return redirect("workplans:meeting", uuid=meeting.uuid)
    return render(request, "workplans/meetings/form.html", {"form": form}, status=400 if form.errors else 200)


def _candidate_users(meeting) -> list[User]:
    return list(
        User.objects.filter(is_active=True, memberships__valid_to__isnull=True)
        .filter(memberships__role__in=[*CASEWORK_ROLES, Role.PARTNER])
        .exclude(pk__in=meeting.participants.filter(user__isnull=False).values("user_id"))
        .select_related("organisation")
        .distinct()
        .order_by("last_name")
    )


@declare(Scope.MEETING)
def meeting_detail(request: HttpRequest, uuid) -> HttpResponse:
    meeting = gate.meeting_for_user(request, uuid)
    page = meeting_page(request, meeting)
    may_change = gate.may_change_meeting(request.user, meeting)
    context = {"meeting": meeting, "page": page, "may_change": may_change, "today": timezone.localdate()}
    if may_change and meeting.status == MeetingStatus.GEPLAND:
        on_agenda = {item.case_id for item in page.items}
        candidates = gate.agenda_cases(request, meeting, exclude=on_agenda)
        context["suggestions"] = agenda_suggestions(candidates)
        context["item_form"] = AgendaItemForm(cases=list(candidates))
        context["participant_form"] = ParticipantForm(
            users=_candidate_users(meeting), organisations=list(Organisation.objects.order_by("name"))
        )
        context["over_time"] = page.minutes_total > meeting.duration_minutes
    return render(request, "workplans/meetings/detail.html", context)


@declare(Scope.MEETING)
@require_POST
def agenda_add(request: HttpRequest, uuid) -> HttpResponse:
    meeting = gate.meeting_for_user(request, uuid, write=True)
    form = AgendaItemForm(request.POST, cases=list(gate.agenda_cases(request, meeting)))
    if form.is_valid():
        try:
            services.agenda_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("De casus staat op de agenda."))
    else:
        messages.error(request, _("Kies een casus die u mag zien."))
    return redirect("workplans:meeting", uuid=meeting.uuid)


@declare(Scope.MEETING)
@require_POST
def agenda_remove(request: HttpRequest, uuid, item_uuid) -> HttpResponse:
    meeting = gate.meeting_for_user(request, uuid, write=True)
    item = gate.agenda_item(request, meeting, item_uuid)
    try:
        services.agenda_item_remove(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("workplans:meeting", uuid=meeting.uuid)


@declare(Scope.MEETING)
@require_POST
def participant_add(request: HttpRequest, uuid) -> HttpResponse:
    meeting = gate.meeting_for_user(request, uuid, write=True)
    form = ParticipantForm(
        request.POST, users=_candidate_users(meeting), organisations=list(Organisation.objects.order_by("name"))
    )
    if form.is_valid():
        try:
            services.participant_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("De deelnemer is toegevoegd."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("workplans:meeting", uuid=meeting.uuid)


@declare(Scope.MEETING)
@require_POST
def meeting_action(request: HttpRequest, uuid, action: str) -> HttpResponse:
    """Send the invitations, cancel, or mark as held."""
    meeting = gate.meeting_for_user(request, uuid, write=True)
    handlers = {
        "uitnodigen": (services.meeting_send_invitations, _("De uitnodigingen zijn verstuurd.")),
        "annuleren": (services.meeting_cancel, _("Het overleg is geannuleerd; de deelnemers krijgen bericht.")),
        "gehouden": (services.meeting_hold, _("Het overleg is vastgelegd als gehouden (taak c).")),
    }
    if action not in handlers:
        raise Http404(_("Niet gevonden."))
    service, message = handlers[action]
    try:
        service(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, message)
    return redirect("workplans:meeting", uuid=meeting.uuid)


@declare(Scope.MEETING)
def meeting_edit(request: HttpRequest, uuid) -> HttpResponse:
    """Change time or place; the participants get an update of the same calendar event."""
    meeting = gate.meeting_for_user(request, uuid, write=True)
    initial = {
        "title": meeting.title,
        "starts_at": timezone.localtime(meeting.starts_at),
        "duration_minutes": meeting.duration_minutes,
        "location": meeting.location,
        "video_link": meeting.video_link,
    }
    form = MeetingChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Het overleg is gewijzigd; de deelnemers krijgen een bijgewerkte uitnodiging."))
            return redirect("workplans:meeting", uuid=meeting.uuid)
    return render(
        request, "workplans/meetings/form.html", {"form": form, "meeting": meeting}, status=400 if form.errors else 200
    )


# --- Minutes mode ---------------------------------------------------------------


@declare(Scope.MEETING)
def minutes_mode(request: HttpRequest, uuid) -> HttpResponse:
    meeting = gate.meeting_for_user(request, uuid, write=True)
    page = meeting_page(request, meeting)
    if not page.items:
        messages.info(request, _("Zet eerst een casus op de agenda."))
        return redirect("workplans:meeting", uuid=meeting.uuid)
    index = min(query_int(request.GET, "punt", default=1), len(page.items)) - 1
    item = page.items[index]
    members = _case_members(item.case)
    for participant in page.participants:
        participant.form = AttendanceForm(
            prefix=f"p-{participant.uuid}",
            initial={"attendance": participant.attendance, "absence_reason": participant.absence_reason},
        )
    carried = page.carried_over.get(item.case_id, [])
    for agreement in carried:
        agreement.close_form = AgreementCloseForm(prefix=f"a-{agreement.uuid}")
    return render(
        request,
        "workplans/meetings/minutes.html",
        {
            "meeting": meeting,
            "page": page,
            "item": item,
            "index": index + 1,
            "count": len(page.items),
            "minutes_form": MinutesForm(
                initial={"decisions": item.decisions, "reasoning": item.reasoning, "lock_version": item.lock_version}
            ),
            "agreement_form": AgreementForm(
                members=members, initial={"due_on": timezone.localdate() + timezone.timedelta(days=14)}
            ),
            "carried": carried,
            "made_here": page.made_here.get(item.case_id, []),
        },
    )


def _case_members(case) -> list[User]:
    """The professionals on a case's team now: who can own an agreement."""
    return list(
        User.objects.filter(case_memberships__case=case, case_memberships__valid_to__isnull=True)
        .select_related("organisation")
        .distinct()
    )


@declare(Scope.MEETING)
@require_POST
def minutes_save(request: HttpRequest, uuid, item_uuid) -> HttpResponse:
    """Autosave of one item's minutes (HTMX): each change is stored as it is made."""
    meeting = gate.meeting_for_user(request, uuid, write=True)
    item = gate.agenda_item(request, meeting, item_uuid)
    form = MinutesForm(request.POST)
    status, text = 200, ""
    if not form.is_valid():
        status, text = 400, " ".join(e for errs in form.errors.values() for e in errs)
    else:
        try:
            item = services.agenda_item_record(
                actor=request.user,
                item=item,
                expected_version=form.cleaned_data["lock_version"],
                decisions=form.cleaned_data["decisions"],
                reasoning=form.cleaned_data["reasoning"],
            )
            text = _("Opgeslagen om %(time)s") % {"time": timezone.localtime().strftime("%H:%M:%S")}
        except services.StaleWrite as exc:
            status, text = 409, _errors(exc)
        except ValidationError as exc:
            status, text = 400, _errors(exc)
    if request.htmx:
        return render(
            request,
            "workplans/meetings/_saved.html",
            {"text": text, "item": item, "error": status != 200},
            status=status,
        )
    if status != 200:
        messages.error(request, text)
    return redirect(reverse("workplans:minutes", args=[meeting.uuid]) + f"?punt={item.position}")


@declare(Scope.MEETING)
@require_POST
def attendance_save(request: HttpRequest, uuid, participant_uuid) -> HttpResponse:
    meeting = gate.meeting_for_user(request, uuid, write=True)
    participant = gate.participant_of_meeting(request, meeting, participant_uuid)
    form = AttendanceForm(request.POST, prefix=f"p-{participant.uuid}")
    if form.is_valid():
        try:
            services.participant_record_attendance(actor=request.user, participant=participant, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    return redirect(_next_or(request, reverse("workplans:minutes", args=[meeting.uuid])))


@declare(Scope.MEETING)
@require_POST
def agreement_add(request: HttpRequest, uuid, item_uuid) -> HttpResponse:
    meeting = gate.meeting_for_user(request, uuid, write=True)
    item = gate.agenda_item(request, meeting, item_uuid)
    form = AgreementForm(request.POST, members=_case_members(item.case))
    if form.is_valid():
        try:
            services.agreement_make(
                actor=request.user, case=item.case, meeting=meeting, agenda_item=item, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("De afspraak is vastgelegd."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(reverse("workplans:minutes", args=[meeting.uuid]) + f"?punt={item.position}")


@declare(Scope.AGREEMENT)
@require_POST
def agreement_close(request: HttpRequest, agreement_uuid) -> HttpResponse:
    agreement = gate.agreement_for_user(request, agreement_uuid, write=True)
    form = AgreementCloseForm(request.POST, prefix=f"a-{agreement.uuid}")
    if form.is_valid():
        try:
            services.agreement_close(actor=request.user, agreement=agreement, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("De afspraak is afgesloten."))
    meeting = agreement.meeting
    fallback = (
        reverse("workplans:meeting", args=[meeting.uuid])
        if meeting
        else reverse("cases:case-detail", args=[agreement.case.uuid])
    )
    return redirect(_next_or(request, fallback))


# --- Minutes per participant -------------------------------------------------------


@declare(Scope.MEETING)
def minutes_for_participant(request: HttpRequest, uuid, participant_uuid) -> HttpResponse:
    """The minutes PDF as this participant receives it: only the items of cases they may see."""
    meeting = gate.meeting_for_user(request, uuid, write=True)
    participant = gate.participant_of_meeting(request, meeting, participant_uuid)
    items = gate.minutes_for_participant(request, meeting, participant)
    response = HttpResponse(minutes_pdf(meeting, items, participant), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="notulen-{meeting.uuid}.pdf"'
    return response


@declare(Scope.MEETING)
@require_POST
def minutes_distribute(request: HttpRequest, uuid) -> HttpResponse:
    meeting = gate.meeting_for_user(request, uuid, write=True)
    try:
        sent = services.minutes_distribute(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("De notulen zijn per deelnemer verstuurd (%(n)s).") % {"n": sent})
    return redirect("workplans:meeting", uuid=meeting.uuid)

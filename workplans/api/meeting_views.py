"""Endpoints of the casusoverleg: meetings (participants, agenda items) and agreements.

Thin views, same policy as the rest of the API:

- A meeting is visible to the casework professionals of its team and to its
  participants (``access.gate.meetings_for_user``); anybody else gets 404.
  Only the team's casework professionals change it (403 for a participant).
- The meeting shows only the agenda items of cases the user may see, and to a
  partner only those of their purpose's categories (``access.gate.visible_agenda``);
  those cases are written to the access log.
- Agreements are listed for the cases the user may see, to a partner only within
  their purpose, recorded as disclosures; making or closing one needs write
  access to its case (``access.gate.case_for_user``).
- A reference in a body to something the user may not see is answered like a
  reference to nothing: "Onbekende ..." (400).
"""

from __future__ import annotations

from uuid import UUID

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from access import gate, policy
from access.declarations import Scope, declare
from accounts.models import Organisation, Team, User
from api_conventions.views import FieldErrors, JsonAPIView, is_schema_view

from .. import meeting_selectors, meeting_services, selectors
from ..meeting_models import Agreement, AgreementStatus, Meeting, MeetingStatus
from . import meeting_serializers as s
from .views.common import (
    UNKNOWN_CASE,
    UNKNOWN_GOAL,
    UNKNOWN_ORGANISATION,
    UNKNOWN_USER,
    run_service,
)

MEETINGS_TAG = "overleggen"
AGREEMENTS_TAG = "afspraken"

UNKNOWN_TEAM = gettext_lazy("Onbekend team.")
UNKNOWN_MEETING = gettext_lazy("Onbekend overleg.")
NOT_YOUR_TEAM = gettext_lazy("U kunt alleen een overleg plannen voor een team waarin u aan casussen werkt.")
CHOOSE_TEAM = gettext_lazy("Kies het team waarvoor u het overleg plant.")


# --- Meetings -------------------------------------------------------------------------


def _attach_agreement_references(items: list, meeting: Meeting) -> None:
    """The agreements on the meeting page refer to their case, meeting and goal: attach them
    from what is loaded (goals in one query), so the page costs the same for 1 or 20 items."""
    agreements = [agreement for item in items for agreement in (*item.agreements, *item.carried_over)]
    goal_ids = {agreement.goal_id for agreement in agreements if agreement.goal_id}
    goals = meeting_selectors.goal_references(goal_ids)
    for item in items:
        for agreement in item.agreements:
            agreement.meeting = meeting
        for agreement in (*item.agreements, *item.carried_over):
            agreement.case = item.case
            if agreement.goal_id:
                agreement.goal = goals[agreement.goal_id]


def _meeting_response(request: Request, meeting: Meeting, *, status_code: int = status.HTTP_200_OK) -> Response:
    """The meeting page: participants and the agenda items of visible cases (logged as viewed)."""
    page = meeting_selectors.meeting_page(request, meeting)
    for item in page.items:
        item.agreements = page.made_here.get(item.case_id, [])
        item.carried_over = page.carried_over.get(item.case_id, [])
    _attach_agreement_references(page.items, meeting)
    meeting.items = page.items
    meeting.participant_list = page.participants
    data = s.MeetingDetailSerializer(meeting).data
    headers = {}
    if status_code == status.HTTP_201_CREATED:
        headers["Location"] = reverse("api-meeting-detail", kwargs={"uuid": meeting.uuid})
    return Response(data, status=status_code, headers=headers)


class MeetingFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=MeetingStatus.choices)
    team = filters.UUIDFilter(field_name="team__uuid", help_text="The organising team's uuid.")


@declare(Scope.MEETING)
class MeetingCollectionView(GenericAPIView):
    parser_classes = [JSONParser]
    serializer_class = s.MeetingSerializer
    filterset_class = MeetingFilter

    def get_queryset(self) -> QuerySet:
        if is_schema_view(self):
            return Meeting.objects.none()
        return gate.meetings_for_user(self.request).select_related("team", "chair").order_by("-starts_at", "-id")

    @extend_schema(
        operation_id="meetings_list",
        tags=[MEETINGS_TAG],
        summary="Overleggen die u mag zien",
        description="Meetings of your casework teams and meetings you take part in; newest first, without agenda.",
        responses=s.MeetingSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.MeetingSerializer(page, many=True).data)

    @extend_schema(
        operation_id="meetings_create",
        tags=[MEETINGS_TAG],
        summary="Overleg plannen",
        description=(
            "For one of your casework teams (403 otherwise); you chair it and are its first participant. "
            "The start lies in the future; a place or a video link is required."
        ),
        request=s.MeetingCreateSerializer,
        responses={201: s.MeetingDetailSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = s.MeetingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        team_ids = policy.casework_team_ids(request.user)
        if not team_ids:
            raise exceptions.PermissionDenied(NOT_YOUR_TEAM)
        if data.get("team"):
            team = Team.objects.filter(uuid=data["team"]).first()
            if team is None:
                raise exceptions.ValidationError({"team": [UNKNOWN_TEAM]})
            if team.pk not in team_ids:
                raise exceptions.PermissionDenied(NOT_YOUR_TEAM)
        elif len(team_ids) == 1:
            team = Team.objects.get(pk=next(iter(team_ids)))
        else:
            raise exceptions.ValidationError({"team": [CHOOSE_TEAM]})
        meeting = run_service(
            meeting_services.meeting_plan,
            actor=request.user,
            team=team,
            title=data["title"],
            starts_at=data["startsAt"],
            chair=request.user,
            duration_minutes=data["durationMinutes"],
            kind=data["kind"],
            location=data["location"],
            video_link=data["videoLink"],
        )
        return _meeting_response(request, meeting, status_code=status.HTTP_201_CREATED)


@declare(Scope.MEETING)
class MeetingDetailView(JsonAPIView):
    @extend_schema(
        operation_id="meetings_retrieve",
        tags=[MEETINGS_TAG],
        summary="Overleg",
        description=(
            "With its participants and only the agenda items of cases you may see, each with the agreements "
            "made in this meeting and the open ones carried over. The cases shown are written to the access log."
        ),
        responses=s.MeetingDetailSerializer,
    )
    def get(self, request: Request, uuid: UUID) -> Response:
        return _meeting_response(request, gate.meeting_for_user(request, uuid))


@declare(Scope.MEETING)
class MeetingAgendaItemsView(JsonAPIView):
    @extend_schema(
        operation_id="meetings_agenda_items_create",
        tags=[MEETINGS_TAG],
        summary="Casus op de agenda zetten",
        description=(
            "Only the organising team changes a meeting (403). A case you may not see is unknown (400); a "
            "casusoverleg is about one case."
        ),
        request=s.AgendaItemCreateSerializer,
        responses={201: s.AgendaItemSerializer},
    )
    def post(self, request: Request, uuid: UUID) -> Response:
        meeting = gate.meeting_for_user(request, uuid, write=True)
        serializer = s.AgendaItemCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = gate.case_named(request, data["case"], write=True, detail="agenda item")
        if case is None:
            raise exceptions.ValidationError({"case": [UNKNOWN_CASE]})
        item = run_service(
            meeting_services.agenda_item_add,
            actor=request.user,
            meeting=meeting,
            case=case,
            minutes_planned=data["minutesPlanned"],
            question=data["question"],
            category=data.get("category") or "notities",
        )
        item.case = case
        return Response(s.AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)


@declare(Scope.MEETING)
class MeetingParticipantsView(JsonAPIView):
    @extend_schema(
        operation_id="meetings_participants_create",
        tags=[MEETINGS_TAG],
        summary="Deelnemer uitnodigen",
        description=(
            "A professional (`user`) or a contact without an account (`contactEmail` and `organisation`). "
            "A participant sees only the agenda items of cases the policy lets them see."
        ),
        request=s.ParticipantCreateSerializer,
        responses={201: s.ParticipantSerializer},
    )
    def post(self, request: Request, uuid: UUID) -> Response:
        meeting = gate.meeting_for_user(request, uuid, write=True)
        serializer = s.ParticipantCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        errors = FieldErrors()
        user = errors.lookup(User.objects.filter(is_active=True), data.get("user"), "user", UNKNOWN_USER)
        organisation = errors.lookup(
            Organisation.objects.all(), data.get("organisation"), "organisation", UNKNOWN_ORGANISATION
        )
        errors.raise_if_any()
        participant = run_service(
            meeting_services.participant_add,
            actor=request.user,
            meeting=meeting,
            user=user,
            organisation=organisation,
            contact_name=data["contactName"],
            contact_email=data["contactEmail"],
        )
        participant = gate.participant_of_meeting(request, meeting, participant.uuid)
        return Response(s.ParticipantSerializer(participant).data, status=status.HTTP_201_CREATED)


@declare(Scope.MEETING)
class MeetingCancellationView(JsonAPIView):
    @extend_schema(
        operation_id="meetings_cancellation_create",
        tags=[MEETINGS_TAG],
        summary="Overleg annuleren",
        description="Participants with an e-mail address get a calendar cancellation (METHOD:CANCEL).",
        request=None,
        responses={200: s.MeetingSerializer},
    )
    def post(self, request: Request, uuid: UUID) -> Response:
        meeting = gate.meeting_for_user(request, uuid, write=True)
        meeting = run_service(meeting_services.meeting_cancel, actor=request.user, meeting=meeting)
        return Response(s.MeetingSerializer(meeting).data)


# --- Agreements -------------------------------------------------------------------------


class AgreementFilter(filters.FilterSet):
    owner = filters.UUIDFilter(field_name="owner__uuid", help_text="The owner's user uuid.")
    case = filters.UUIDFilter(field_name="case__uuid", help_text="The case's uuid.")
    status = filters.ChoiceFilter(choices=AgreementStatus.choices)
    overdue = filters.BooleanFilter(method="filter_overdue", help_text="Open with a due date in the past (or not).")

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        overdue = Q(status=AgreementStatus.OPEN, due_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


@declare(Scope.AGREEMENT)
class AgreementCollectionView(GenericAPIView):
    parser_classes = [JSONParser]
    serializer_class = s.AgreementSerializer
    filterset_class = AgreementFilter

    def get_queryset(self) -> QuerySet:
        if is_schema_view(self):
            return Agreement.objects.none()
        return (
            gate.agreements_for_user(self.request)
            .select_related("case", "owner", "owner_organisation", "meeting", "goal")
            .order_by("due_on", "id")
        )

    @extend_schema(
        operation_id="agreements_list",
        tags=[AGREEMENTS_TAG],
        summary="Afspraken die u mag zien",
        description=(
            "The agreements of the cases you may see, first due first. Each case listed is written to the access log."
        ),
        responses=s.AgreementSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.AgreementSerializer(page, many=True).data)

    @extend_schema(
        operation_id="agreements_create",
        tags=[AGREEMENTS_TAG],
        summary="Afspraak maken",
        description=(
            "Needs write access to the case (403 for a reader). `owner` is a current member of the case team, "
            "or name the responsible party in `ownerOrganisation`. Made in a meeting (`meeting`): the case "
            "must be on its agenda."
        ),
        request=s.AgreementCreateSerializer,
        responses={201: s.AgreementSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = s.AgreementCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = gate.case_named(request, data["case"], write=True, detail="agreement create")
        if case is None:
            raise exceptions.ValidationError({"case": [UNKNOWN_CASE]})
        errors = FieldErrors()
        owner = errors.lookup(User.objects.filter(is_active=True), data.get("owner"), "owner", UNKNOWN_USER)
        organisation = errors.lookup(
            Organisation.objects.all(), data.get("ownerOrganisation"), "ownerOrganisation", UNKNOWN_ORGANISATION
        )
        meeting = errors.lookup(gate.meetings_for_user(request), data.get("meeting"), "meeting", UNKNOWN_MEETING)
        goal = errors.lookup(selectors.goals_of_case(case), data.get("goal"), "goal", UNKNOWN_GOAL)
        errors.raise_if_any()
        agreement = run_service(
            meeting_services.agreement_make,
            actor=request.user,
            case=case,
            what=data["what"],
            due_on=data["dueOn"],
            owner=owner,
            owner_organisation=organisation,
            meeting=meeting,
            goal=goal,
            category=data.get("category") or None,
        )
        agreement = gate.agreement_for_user(request, agreement.uuid)
        return Response(s.AgreementSerializer(agreement).data, status=status.HTTP_201_CREATED)


@declare(Scope.AGREEMENT)
class AgreementClosureView(JsonAPIView):
    @extend_schema(
        operation_id="agreements_closure_create",
        tags=[AGREEMENTS_TAG],
        summary="Afspraak afsluiten",
        description=(
            "Gedaan, niet gedaan or vervallen (the last two need a `note`). Needs write access to the case: "
            "404 for an agreement of a case you may not see, 403 for a reader."
        ),
        request=s.AgreementClosureSerializer,
        responses={200: s.AgreementSerializer},
    )
    def post(self, request: Request, uuid: UUID) -> Response:
        agreement = gate.agreement_for_user(request, uuid, write=True)
        serializer = s.AgreementClosureSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        agreement = run_service(
            meeting_services.agreement_close,
            actor=request.user,
            agreement=agreement,
            status=data["status"],
            note=data["note"],
        )
        return Response(s.AgreementSerializer(agreement).data)

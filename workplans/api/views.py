"""Endpoints of the workplan: the plan, its adopted versions, goals (reviews, actions),
duties a–g, obstacles and client involvement.

Thin views: a serializer checks the input shape, the case access helper
(``cases.selectors.case_get_for_user``, through ``workplans.selectors``)
decides what the user may see or change and writes the access log, and
``workplans.services`` do every write.

Every route under ``workplans/<uuid>`` first finds the plan, then asks the
case access helper about its case: 404 for a plan the user may not see
(existence never leaks), 403 for a reader who tries to write. A reference to
something the user may not see in a *body* is answered like a reference to
nothing: "Onbekende ..." (400).

Optimistic locking: the plan and its goals carry ``lockVersion``, sent as the
``ETag`` header. A PATCH must send it back in ``If-Match``: without it 428, with
a stale one 412; the service checks again under the compare-and-set.
"""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Organisation, User
from api_conventions.problems import PROBLEM_CONTENT_TYPE
from api_conventions.views import (
    FieldErrors,
    JsonAPIView,
    if_match_version,
    is_schema_view,
)
from api_conventions.views import run_service as _run_service
from cases.models import ApprovalRequest, Case
from cases.selectors import case_clients, case_get_for_user
from consent import access_log, policy
from consent.constants import AccessAction

from .. import selectors, services
from ..constants import Duty, WorkplanStatus
from ..models import (
    Action,
    ClientInvolvement,
    CoordinationDuty,
    DutyRecord,
    Goal,
    GoalView,
    Obstacle,
    ProgressReview,
    Workplan,
    WorkplanVersion,
)
from ..snapshot import diff_snapshots
from . import serializers as s

T = TypeVar("T")

TAG = "werkplannen"
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

UNKNOWN_CASE = gettext_lazy("Onbekende casus.")
UNKNOWN_USER = gettext_lazy("Onbekende gebruiker.")
UNKNOWN_ORGANISATION = gettext_lazy("Onbekende organisatie.")
UNKNOWN_CLIENT = gettext_lazy("Onbekende cliënt.")
UNKNOWN_GOAL = gettext_lazy("Onbekend doel.")
STALE_WORKPLAN = gettext_lazy(
    "Iemand anders heeft dit werkplan intussen gewijzigd. Haal het opnieuw op en stuur de nieuwe ETag mee in If-Match."
)
STALE_GOAL = gettext_lazy(
    "Iemand anders heeft dit doel intussen gewijzigd. Haal het opnieuw op en stuur de nieuwe ETag mee in If-Match."
)
NO_PREVIOUS_VERSION = gettext_lazy("Versie 1 heeft geen vorige versie; geef aan met welke versie u vergelijkt.")


# --- Errors and service calls --------------------------------------------------------


def run_service(service, /, *, stale_detail=STALE_WORKPLAN, **kwargs):
    """The shared ``run_service`` with this API's wording for a stale write."""
    return _run_service(service, stale_detail=stale_detail, **kwargs)


# --- Optimistic locking (ETag / If-Match) ------------------------------------------


def _etag(obj) -> str:
    return f'"{obj.lock_version}"'


def expected_version(request: Request, current: int, *, stale_detail=STALE_WORKPLAN, required: bool = True):
    """The version the client saw, from ``If-Match`` (the shared rule: 428 without it where required, 412 when
    stale)."""
    return if_match_version(request, current, required=required, stale_detail=stale_detail)


def _if_match(what: str, *, required: bool = True) -> OpenApiParameter:
    return OpenApiParameter(
        "If-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        required=required,
        description=(
            f'The {what}\'s `ETag` as last fetched (e.g. `"3"`). '
            + ("Without it: 428. " if required else "")
            + "A stale version is refused with 412."
        ),
    )


def _etag_header(what: str, codes: list[int]) -> OpenApiParameter:
    return OpenApiParameter(
        "ETag",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=codes,
        description=f"The {what}'s current version (`lockVersion`), quoted; send it back in `If-Match`.",
    )


def _lock_responses(what: str, *, required: bool = True) -> dict:
    responses = {
        (412, PROBLEM_CONTENT_TYPE): OpenApiResponse(
            response=PROBLEM_REF,
            description=f"Voorwaarde niet vervuld: {what} is intussen door iemand anders gewijzigd (If-Match).",
        )
    }
    if required:
        responses[(428, PROBLEM_CONTENT_TYPE)] = OpenApiResponse(
            response=PROBLEM_REF, description="Voorwaarde vereist: stuur If-Match mee met de ETag."
        )
    return responses


DUTY_PARAMETER = OpenApiParameter(
    "duty", OpenApiTypes.STR, OpenApiParameter.PATH, enum=Duty.values, description="The duty's letter a–g."
)
FROM_PARAMETER = OpenApiParameter(
    "from",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    required=False,
    description="The older version's number (default: the version before).",
)


# --- Access -----------------------------------------------------------------------


def workplan_for(request: Request, uuid: UUID, *, write: bool = False) -> Workplan:
    """The plan, when the user may see its case (or change it, with ``write``); the access helper logs."""
    return selectors.workplan_by_uuid_for_user(request, uuid, write=write)


def _goal_queryset() -> QuerySet:
    return Goal.objects.select_related("owner", "owner_organisation").prefetch_related(
        Prefetch("actions", queryset=Action.objects.select_related("party", "professional").order_by("start_on", "id")),
        Prefetch("reviews", queryset=ProgressReview.objects.select_related("reviewer").order_by("reviewed_on", "id")),
    )


def _goal_for(workplan: Workplan, uuid: UUID) -> Goal:
    goal = _goal_queryset().filter(workplan=workplan, uuid=uuid).first()
    if goal is None:
        raise exceptions.NotFound()
    goal.workplan = workplan
    return goal


def _involvement_queryset() -> QuerySet:
    return ClientInvolvement.objects.select_related("recorded_by").prefetch_related(
        "participants", Prefetch("goal_views", queryset=GoalView.objects.select_related("goal").order_by("id"))
    )


def _detail_response(workplan: Workplan, *, status_code: int = status.HTTP_200_OK) -> Response:
    """The plan with its gaps and review events, and its ``ETag``."""
    workplan.gaps = selectors.gaps(workplan)
    workplan.review_events = selectors.review_events(workplan)
    headers = {"ETag": _etag(workplan)}
    if status_code == status.HTTP_201_CREATED:
        headers["Location"] = reverse("api-workplan-detail", kwargs={"uuid": workplan.uuid})
    return Response(s.WorkplanDetailSerializer(workplan).data, status=status_code, headers=headers)


def _goal_response(goal: Goal, workplan: Workplan, *, status_code: int = status.HTTP_200_OK) -> Response:
    goal = _goal_for(workplan, goal.uuid)
    headers = {"ETag": _etag(goal)}
    if status_code == status.HTTP_201_CREATED:
        headers["Location"] = reverse("api-workplan-goal-detail", kwargs={"uuid": workplan.uuid, "goal": goal.uuid})
    return Response(s.GoalSerializer(goal).data, status=status_code, headers=headers)


class WorkplanNestedView(GenericAPIView):
    """A list under ``workplans/<uuid>``: the case's access check (and its access-log entry) comes first.

    The case's VIEW entry (written by the access helper) covers what is listed under it.
    Subclasses define ``plan_queryset()``: the rows of ``self.workplan`` they list.
    """

    parser_classes = [JSONParser]
    filter_backends: list = []
    workplan: Workplan
    model = None

    def get_queryset(self) -> QuerySet:
        if is_schema_view(self):
            return self.model.objects.none()
        return self.plan_queryset()

    def list_response(self, request: Request, uuid: UUID) -> Response:
        self.workplan = workplan_for(request, uuid)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# --- The plan ------------------------------------------------------------------------


class WorkplanFilter(filters.FilterSet):
    case = filters.UUIDFilter(field_name="case__uuid", help_text="The case's uuid.")
    status = filters.ChoiceFilter(choices=WorkplanStatus.choices)


class WorkplanCollectionView(GenericAPIView):
    parser_classes = [JSONParser]
    serializer_class = s.WorkplanSerializer
    filterset_class = WorkplanFilter

    def get_queryset(self) -> QuerySet:
        if is_schema_view(self):
            return Workplan.objects.none()
        return (
            Workplan.objects.filter(case__in=policy.filter_cases(self.request.user))
            .select_related("case", "case__coordinator")
            .order_by("-created_at", "-id")
        )

    @extend_schema(
        operation_id="workplans_list",
        tags=[TAG],
        summary="Werkplannen die u mag zien",
        description="The plans of the cases you may see. Each plan listed is written to the access log.",
        responses=s.WorkplanSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        # Cost: the page's count and rows, the policy's role lookups, plus the one access-log INSERT.
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        access_log.record(request, AccessAction.LIST, cases=[workplan.case for workplan in page])
        return self.get_paginated_response(s.WorkplanSerializer(page, many=True).data)

    @extend_schema(
        operation_id="workplans_create",
        tags=[TAG],
        summary="Werkplan starten",
        description=(
            "Starts the plan of a case with a coordinated approach (status `actief`), with the duties a–g "
            "scheduled from the team's defaults. A case you may not see is answered as unknown (400)."
        ),
        request=s.WorkplanCreateSerializer,
        responses={201: s.WorkplanDetailSerializer},
        parameters=[_etag_header("plan", [201])],
    )
    def post(self, request: Request) -> Response:
        serializer = s.WorkplanCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case_uuid = serializer.validated_data["case"]
        case = Case.objects.filter(uuid=case_uuid).first()
        if case is None or not policy.filter_cases(request.user).filter(pk=case.pk).exists():
            if case is not None:
                access_log.record(request, AccessAction.DENIED, case=case, detail="workplan create")
            raise exceptions.ValidationError({"case": [UNKNOWN_CASE]})
        # Visible: the access helper decides about writing (403 for a reader) and logs.
        case = case_get_for_user(request, case_uuid, write=True)
        workplan = run_service(services.workplan_create, actor=request.user, case=case)
        workplan.case = case
        return _detail_response(workplan, status_code=status.HTTP_201_CREATED)


class WorkplanDetailView(JsonAPIView):
    @extend_schema(
        operation_id="workplans_retrieve",
        tags=[TAG],
        summary="Werkplan",
        description="With what the plan misses (`gaps`) and the events that ask for a review (`reviewEvents`).",
        responses=s.WorkplanDetailSerializer,
        parameters=[_etag_header("plan", [200])],
    )
    def get(self, request: Request, uuid: UUID) -> Response:
        return _detail_response(workplan_for(request, uuid))

    @extend_schema(
        operation_id="workplans_partial_update",
        tags=[TAG],
        summary="Werkplan wijzigen",
        description=(
            "Changes the texts and the review interval; only what is sent changes. `If-Match` with the plan's "
            "ETag is required: without it 428, with a stale one 412 and nothing is changed."
        ),
        request=s.WorkplanUpdateSerializer,
        responses={200: s.WorkplanDetailSerializer, **_lock_responses("het werkplan")},
        parameters=[_if_match("plan"), _etag_header("plan", [200])],
    )
    def patch(self, request: Request, uuid: UUID) -> Response:
        workplan = workplan_for(request, uuid, write=True)
        version = expected_version(request, workplan.lock_version)
        serializer = s.WorkplanUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        workplan = run_service(
            services.workplan_update,
            actor=request.user,
            workplan=workplan,
            expected_version=version,
            problem_analysis=data.get("problemAnalysis"),
            coordination_agreements=data.get("coordinationAgreements"),
            client_support_agreements=data.get("clientSupportAgreements"),
            review_interval_weeks=data.get("reviewIntervalWeeks"),
        )
        return _detail_response(workplan)


class AdoptionsView(JsonAPIView):
    @extend_schema(
        operation_id="workplans_adoptions_create",
        tags=[TAG],
        summary="Werkplan vaststellen of herzien",
        description=(
            "Freezes the plan as a new, immutable version (201). Every version after the first needs a `reason`. "
            "With the team's four-eyes setting the teamleider is asked to approve instead (202). Open gaps do not "
            "block adoption; both answers list them. `If-Match` is optional here: a stale one is 412. "
            "Adopting changes the plan's `ETag`."
        ),
        request=s.AdoptionCreateSerializer,
        responses={
            201: s.AdoptedVersionSerializer,
            202: s.ApprovalPendingSerializer,
            **_lock_responses("het werkplan", required=False),
        },
        parameters=[_if_match("plan", required=False)],
    )
    def post(self, request: Request, uuid: UUID) -> Response:
        workplan = workplan_for(request, uuid, write=True)
        version = expected_version(request, workplan.lock_version, required=False)
        serializer = s.AdoptionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = run_service(
            services.workplan_adopt,
            actor=request.user,
            workplan=workplan,
            reason=serializer.validated_data["reason"],
            expected_version=version,
        )
        gaps = selectors.gaps(workplan)
        if isinstance(result, ApprovalRequest):
            result.gaps = gaps
            return Response(s.ApprovalPendingSerializer(result).data, status=status.HTTP_202_ACCEPTED)
        result = WorkplanVersion.objects.select_related("adopted_by", "approved_by").get(pk=result.pk)
        result.gaps = gaps
        location = reverse("api-workplan-version-detail", kwargs={"uuid": workplan.uuid, "number": result.number})
        return Response(
            s.AdoptedVersionSerializer(result).data, status=status.HTTP_201_CREATED, headers={"Location": location}
        )


# --- Versions (read-only) -------------------------------------------------------------


class VersionCollectionView(WorkplanNestedView):
    serializer_class = s.WorkplanVersionSerializer
    model = WorkplanVersion

    def plan_queryset(self) -> QuerySet:
        return (
            WorkplanVersion.objects.filter(workplan=self.workplan)
            .select_related("adopted_by", "approved_by")
            .defer("snapshot")
            .order_by("number")
        )

    @extend_schema(
        operation_id="workplans_versions_list",
        tags=[TAG],
        summary="Vastgestelde versies",
        description="Oldest first, without their content. Versions are read-only.",
        responses=s.WorkplanVersionSerializer(many=True),
    )
    def get(self, request: Request, uuid: UUID) -> Response:
        return self.list_response(request, uuid)


def _version_for(workplan: Workplan, number: int) -> WorkplanVersion:
    version = (
        WorkplanVersion.objects.select_related("adopted_by", "approved_by")
        .filter(workplan=workplan, number=number)
        .first()
    )
    if version is None:
        raise exceptions.NotFound()
    return version


class VersionDetailView(JsonAPIView):
    """One adopted version. Only GET: a version is never changed or deleted (405)."""

    @extend_schema(
        operation_id="workplans_versions_retrieve",
        tags=[TAG],
        summary="Vastgestelde versie",
        description="The plan as it was adopted. Read-only: PUT, PATCH and DELETE are answered with 405.",
        responses=s.WorkplanVersionDetailSerializer,
    )
    def get(self, request: Request, uuid: UUID, number: int) -> Response:
        workplan = workplan_for(request, uuid)
        return Response(s.WorkplanVersionDetailSerializer(_version_for(workplan, number)).data)


class VersionDiffView(JsonAPIView):
    @extend_schema(
        operation_id="workplans_versions_diff",
        tags=[TAG],
        summary="Verschil tussen twee versies",
        description="What was added, changed and removed from version `from` to this version.",
        responses=s.VersionDiffSerializer,
        parameters=[FROM_PARAMETER],
    )
    def get(self, request: Request, uuid: UUID, number: int) -> Response:
        workplan = workplan_for(request, uuid)
        query = s.VersionDiffQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        from_number = query.validated_data.get("from")
        if from_number is None:
            if number <= 1:
                raise exceptions.ValidationError({"from": [NO_PREVIOUS_VERSION]})
            from_number = number - 1
        old, new = selectors.version_pair(workplan, from_number, number)
        diff = diff_snapshots(old.snapshot, new.snapshot)
        body = {
            "from_number": old.number,
            "to_number": new.number,
            "counts": diff.counts,
            "texts": diff.texts,
            "analysis": diff.analysis,
            "goals": diff.goals,
        }
        return Response(s.VersionDiffSerializer(body).data)


# --- Goals, reviews, actions ----------------------------------------------------------


class GoalCollectionView(WorkplanNestedView):
    serializer_class = s.GoalSerializer
    model = Goal

    def plan_queryset(self) -> QuerySet:
        return _goal_queryset().filter(workplan=self.workplan).order_by("position", "id")

    @extend_schema(
        operation_id="workplans_goals_list",
        tags=[TAG],
        summary="Doelen van het werkplan",
        description="With their actions and progress reviews.",
        responses=s.GoalSerializer(many=True),
    )
    def get(self, request: Request, uuid: UUID) -> Response:
        return self.list_response(request, uuid)

    @extend_schema(
        operation_id="workplans_goals_create",
        tags=[TAG],
        summary="Doel toevoegen",
        description=(
            "`owner` is a current member of the case team (user uuid); a long-term goal needs `horizonYears`."
        ),
        request=s.GoalCreateSerializer,
        responses={201: s.GoalSerializer},
        parameters=[_etag_header("goal", [201])],
    )
    def post(self, request: Request, uuid: UUID) -> Response:
        workplan = workplan_for(request, uuid, write=True)
        serializer = s.GoalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        errors = FieldErrors()
        owner = errors.lookup(User.objects.filter(is_active=True), data.get("owner"), "owner", UNKNOWN_USER)
        organisation = errors.lookup(
            Organisation.objects.all(), data.get("ownerOrganisation"), "ownerOrganisation", UNKNOWN_ORGANISATION
        )
        errors.raise_if_any()
        goal = run_service(
            services.goal_add,
            actor=request.user,
            workplan=workplan,
            term=data["term"],
            life_domain=data["lifeDomain"],
            description=data["description"],
            client_words=data["clientWords"],
            owner=owner,
            owner_organisation=organisation,
            horizon_years=data.get("horizonYears"),
            target_date=data.get("targetDate"),
        )
        return _goal_response(goal, workplan, status_code=status.HTTP_201_CREATED)


GOAL_FIELDS = {
    "term": "term",
    "horizonYears": "horizon_years",
    "lifeDomain": "life_domain",
    "description": "description",
    "clientWords": "client_words",
    "status": "status",
    "targetDate": "target_date",
}


class GoalDetailView(JsonAPIView):
    @extend_schema(
        operation_id="workplans_goals_retrieve",
        tags=[TAG],
        summary="Doel",
        responses=s.GoalSerializer,
        parameters=[_etag_header("goal", [200])],
    )
    def get(self, request: Request, uuid: UUID, goal: UUID) -> Response:
        workplan = workplan_for(request, uuid)
        return _goal_response(_goal_for(workplan, goal), workplan)

    @extend_schema(
        operation_id="workplans_goals_partial_update",
        tags=[TAG],
        summary="Doel wijzigen",
        description=(
            "Only what is sent changes. `If-Match` with the goal's ETag is required: without it 428, with a "
            "stale one 412 and nothing is changed. A new `owner` must be a current member of the case team."
        ),
        request=s.GoalUpdateSerializer,
        responses={200: s.GoalSerializer, **_lock_responses("het doel")},
        parameters=[_if_match("goal"), _etag_header("goal", [200])],
    )
    def patch(self, request: Request, uuid: UUID, goal: UUID) -> Response:
        workplan = workplan_for(request, uuid, write=True)
        goal_obj = _goal_for(workplan, goal)
        version = expected_version(request, goal_obj.lock_version, stale_detail=STALE_GOAL)
        serializer = s.GoalUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        fields = {name: data[key] for key, name in GOAL_FIELDS.items() if key in data}
        errors = FieldErrors()
        if "owner" in data:
            fields["owner"] = errors.lookup(User.objects.filter(is_active=True), data["owner"], "owner", UNKNOWN_USER)
        if "ownerOrganisation" in data:
            fields["owner_organisation"] = errors.lookup(
                Organisation.objects.all(), data["ownerOrganisation"], "ownerOrganisation", UNKNOWN_ORGANISATION
            )
        errors.raise_if_any()
        goal_obj = run_service(
            services.goal_update,
            stale_detail=STALE_GOAL,
            actor=request.user,
            goal=goal_obj,
            expected_version=version,
            **fields,
        )
        return _goal_response(goal_obj, workplan)


class GoalReviewsView(JsonAPIView):
    @extend_schema(
        operation_id="workplans_goals_reviews_create",
        tags=[TAG],
        summary="Voortgang van een doel bespreken (taak a)",
        description="The goal takes the reviewed status (which changes its ETag when the status changes).",
        request=s.ProgressReviewCreateSerializer,
        responses={201: s.ProgressReviewSerializer},
    )
    def post(self, request: Request, uuid: UUID, goal: UUID) -> Response:
        workplan = workplan_for(request, uuid, write=True)
        goal_obj = _goal_for(workplan, goal)
        serializer = s.ProgressReviewCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        review = run_service(
            services.progress_review_add,
            actor=request.user,
            goal=goal_obj,
            status=data["status"],
            note=data["note"],
            reviewed_on=data.get("reviewedOn"),
        )
        return Response(s.ProgressReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class GoalActionsView(JsonAPIView):
    @extend_schema(
        operation_id="workplans_goals_actions_create",
        tags=[TAG],
        summary="Actie toevoegen aan een doel",
        description="`party` is the responsible organisation; `professional` a current member of the case team.",
        request=s.ActionCreateSerializer,
        responses={201: s.ActionSerializer},
    )
    def post(self, request: Request, uuid: UUID, goal: UUID) -> Response:
        workplan = workplan_for(request, uuid, write=True)
        goal_obj = _goal_for(workplan, goal)
        serializer = s.ActionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        errors = FieldErrors()
        party = errors.lookup(Organisation.objects.all(), data["party"], "party", UNKNOWN_ORGANISATION)
        professional = errors.lookup(
            User.objects.filter(is_active=True), data.get("professional"), "professional", UNKNOWN_USER
        )
        errors.raise_if_any()
        action = run_service(
            services.action_add,
            actor=request.user,
            goal=goal_obj,
            description=data["description"],
            party=party,
            professional=professional,
            start_on=data.get("startOn"),
            end_on=data.get("endOn"),
        )
        return Response(s.ActionSerializer(action).data, status=status.HTTP_201_CREATED)


# --- Duties a–g --------------------------------------------------------------------------


class DutyCollectionView(JsonAPIView):
    @extend_schema(
        operation_id="workplans_duties_list",
        tags=[TAG],
        summary="Coördinatietaken a–g",
        description="The seven duties with their schedule; not paginated.",
        responses=s.DutySerializer(many=True),
    )
    def get(self, request: Request, uuid: UUID) -> Response:
        workplan = workplan_for(request, uuid)
        duties = CoordinationDuty.objects.filter(workplan=workplan).order_by("duty")
        return Response(s.DutySerializer(duties, many=True).data)


class DutyRecordsView(JsonAPIView):
    @extend_schema(
        operation_id="workplans_duties_records_create",
        tags=[TAG],
        summary="Uitvoering van een coördinatietaak vastleggen",
        description="Schedules the next due date: the day it was done plus the duty's interval.",
        request=s.DutyRecordCreateSerializer,
        responses={201: s.DutyRecordSerializer},
        parameters=[DUTY_PARAMETER],
    )
    def post(self, request: Request, uuid: UUID, duty: str) -> Response:
        workplan = workplan_for(request, uuid, write=True)
        duty_obj = (
            CoordinationDuty.objects.filter(workplan=workplan, duty=duty).first() if duty in Duty.values else None
        )
        if duty_obj is None:
            raise exceptions.NotFound()
        serializer = s.DutyRecordCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        record = run_service(
            services.duty_record,
            actor=request.user,
            duty=duty_obj,
            what=data["what"],
            outcome=data["outcome"],
            done_on=data.get("doneOn"),
        )
        record = DutyRecord.objects.select_related("duty", "done_by").get(pk=record.pk)
        return Response(s.DutyRecordSerializer(record).data, status=status.HTTP_201_CREATED)


# --- Obstacles -----------------------------------------------------------------------------


class ObstacleCollectionView(WorkplanNestedView):
    serializer_class = s.ObstacleSerializer
    model = Obstacle

    def plan_queryset(self) -> QuerySet:
        return (
            Obstacle.objects.filter(workplan=self.workplan)
            .select_related("raised_by")
            .order_by("resolved_on", "-raised_on", "-id")
        )

    @extend_schema(
        operation_id="workplans_obstacles_list",
        tags=[TAG],
        summary="Belemmeringen",
        description="Open obstacles first (duty d: the periodic report aggregates them).",
        responses=s.ObstacleSerializer(many=True),
    )
    def get(self, request: Request, uuid: UUID) -> Response:
        return self.list_response(request, uuid)

    @extend_schema(
        operation_id="workplans_obstacles_create",
        tags=[TAG],
        summary="Belemmering vastleggen",
        request=s.ObstacleCreateSerializer,
        responses={201: s.ObstacleSerializer},
    )
    def post(self, request: Request, uuid: UUID) -> Response:
        workplan = workplan_for(request, uuid, write=True)
        serializer = s.ObstacleCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        obstacle = run_service(
            services.obstacle_raise,
            actor=request.user,
            workplan=workplan,
            category=data["category"],
            description=data["description"],
            party=data["party"],
            raised_on=data.get("raisedOn"),
        )
        return Response(s.ObstacleSerializer(obstacle).data, status=status.HTTP_201_CREATED)


class ObstacleResolutionView(JsonAPIView):
    @extend_schema(
        operation_id="workplans_obstacles_resolution_create",
        tags=[TAG],
        summary="Belemmering opgelost",
        request=s.ObstacleResolutionSerializer,
        responses={200: s.ObstacleSerializer},
    )
    def post(self, request: Request, uuid: UUID, obstacle: UUID) -> Response:
        workplan = workplan_for(request, uuid, write=True)
        obstacle_obj = Obstacle.objects.select_related("raised_by").filter(workplan=workplan, uuid=obstacle).first()
        if obstacle_obj is None:
            raise exceptions.NotFound()
        serializer = s.ObstacleResolutionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obstacle_obj = run_service(
            services.obstacle_resolve,
            actor=request.user,
            obstacle=obstacle_obj,
            resolved_on=serializer.validated_data.get("resolvedOn"),
        )
        return Response(s.ObstacleSerializer(obstacle_obj).data)


# --- Client involvement (duty f) -------------------------------------------------------------


class InvolvementCollectionView(WorkplanNestedView):
    serializer_class = s.InvolvementSerializer
    model = ClientInvolvement

    def plan_queryset(self) -> QuerySet:
        return _involvement_queryset().filter(workplan=self.workplan).order_by("-occurred_on", "-id")

    @extend_schema(
        operation_id="workplans_involvements_list",
        tags=[TAG],
        summary="Betrokkenheid van cliënt en gezin (taak f)",
        responses=s.InvolvementSerializer(many=True),
    )
    def get(self, request: Request, uuid: UUID) -> Response:
        return self.list_response(request, uuid)

    @extend_schema(
        operation_id="workplans_involvements_create",
        tags=[TAG],
        summary="Betrokkenheid van cliënt en gezin vastleggen",
        description=(
            "`participants` are clients of the case (its client or current household members); `goalViews` "
            "holds the client's own view per goal of this plan. Also records duty f as done on that day."
        ),
        request=s.InvolvementCreateSerializer,
        responses={201: s.InvolvementSerializer},
    )
    def post(self, request: Request, uuid: UUID) -> Response:
        workplan = workplan_for(request, uuid, write=True)
        serializer = s.InvolvementCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        errors = FieldErrors()
        clients = {client.uuid: client for client in case_clients(workplan.case)}
        participants = []
        for index, client_uuid in enumerate(data["participants"]):
            if client_uuid in clients:
                participants.append(clients[client_uuid])
            else:
                errors.errors[f"participants.{index}"] = [UNKNOWN_CLIENT]
        goals = {
            goal.uuid: goal
            for goal in Goal.objects.filter(workplan=workplan, uuid__in=[item["goal"] for item in data["goalViews"]])
        }
        goal_views = {}
        for index, item in enumerate(data["goalViews"]):
            if item["goal"] in goals:
                goal_views[goals[item["goal"]]] = item["view"]
            else:
                errors.errors[f"goalViews.{index}.goal"] = [UNKNOWN_GOAL]
        errors.raise_if_any()
        involvement = run_service(
            services.involvement_record,
            actor=request.user,
            workplan=workplan,
            how=data["how"],
            participants=participants,
            general_view=data["generalView"],
            goal_views=goal_views,
            occurred_on=data.get("occurredOn"),
        )
        involvement = _involvement_queryset().get(pk=involvement.pk)
        return Response(s.InvolvementSerializer(involvement).data, status=status.HTTP_201_CREATED)

"""Goals of the plan, with their reviews and actions."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from access.declarations import Scope, declare
from accounts.models import Organisation, User
from api_conventions.views import FieldErrors, JsonAPIView, etag_parameter, if_match_parameter, lock_responses

from ... import selectors, services
from ...models import Goal
from .. import serializers as s
from .common import (
    STALE_GOAL,
    TAG,
    UNKNOWN_ORGANISATION,
    UNKNOWN_USER,
    WorkplanNestedView,
    expected_version,
    goal_for,
    goal_response,
    run_service,
    workplan_for,
)

# --- Goals, reviews, actions ----------------------------------------------------------


@declare(Scope.CASE)
class GoalCollectionView(WorkplanNestedView):
    serializer_class = s.GoalSerializer
    model = Goal

    def plan_queryset(self) -> QuerySet:
        return selectors.goals_of_plan(self.workplan).order_by("position", "id")

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
        parameters=[etag_parameter("goal", [201])],
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
        return goal_response(goal, workplan, status_code=status.HTTP_201_CREATED)


GOAL_FIELDS = {
    "term": "term",
    "horizonYears": "horizon_years",
    "lifeDomain": "life_domain",
    "description": "description",
    "clientWords": "client_words",
    "status": "status",
    "targetDate": "target_date",
}


@declare(Scope.CASE)
class GoalDetailView(JsonAPIView):
    @extend_schema(
        operation_id="workplans_goals_retrieve",
        tags=[TAG],
        summary="Doel",
        responses=s.GoalSerializer,
        parameters=[etag_parameter("goal", [200])],
    )
    def get(self, request: Request, uuid: UUID, goal: UUID) -> Response:
        workplan = workplan_for(request, uuid)
        return goal_response(goal_for(workplan, goal), workplan)

    @extend_schema(
        operation_id="workplans_goals_partial_update",
        tags=[TAG],
        summary="Doel wijzigen",
        description=(
            "Only what is sent changes. `If-Match` with the goal's ETag is required: without it 428, with a "
            "stale one 412 and nothing is changed. A new `owner` must be a current member of the case team."
        ),
        request=s.GoalUpdateSerializer,
        responses={200: s.GoalSerializer, **lock_responses("het doel")},
        parameters=[if_match_parameter("goal"), etag_parameter("goal", [200])],
    )
    def patch(self, request: Request, uuid: UUID, goal: UUID) -> Response:
        workplan = workplan_for(request, uuid, write=True)
        goal_obj = goal_for(workplan, goal)
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
        return goal_response(goal_obj, workplan)


@declare(Scope.CASE)
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
        goal_obj = goal_for(workplan, goal)
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


@declare(Scope.CASE)
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
        goal_obj = goal_for(workplan, goal)
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

"""The coordinator's duties a–g and their records, obstacles (reported to the college, duty d) and client
involvement (duty f)."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from access.declarations import Scope, declare
from api_conventions.views import FieldErrors, JsonAPIView
from cases.selectors import case_clients

from ... import selectors, services
from ...models import ClientInvolvement, Obstacle
from .. import serializers as s
from .common import (
    DUTY_PARAMETER,
    TAG,
    UNKNOWN_CLIENT,
    UNKNOWN_GOAL,
    WorkplanNestedView,
    run_service,
    workplan_for,
)

# --- Duties a–g --------------------------------------------------------------------------


@declare(Scope.CASE)
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
        duties = selectors.duties_of_plan(workplan)
        return Response(s.DutySerializer(duties, many=True).data)


@declare(Scope.CASE)
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
        duty_obj = selectors.duty_of_plan(workplan, duty)
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
        record = selectors.duty_record_of_plan(workplan, record.pk)
        return Response(s.DutyRecordSerializer(record).data, status=status.HTTP_201_CREATED)


# --- Obstacles -----------------------------------------------------------------------------


@declare(Scope.CASE)
class ObstacleCollectionView(WorkplanNestedView):
    serializer_class = s.ObstacleSerializer
    model = Obstacle

    def plan_queryset(self) -> QuerySet:
        return selectors.obstacles_of_plan(self.workplan).order_by("resolved_on", "-raised_on", "-id")

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


@declare(Scope.CASE)
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
        obstacle_obj = selectors.obstacle_of_plan(workplan, obstacle)
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


@declare(Scope.CASE)
class InvolvementCollectionView(WorkplanNestedView):
    serializer_class = s.InvolvementSerializer
    model = ClientInvolvement

    def plan_queryset(self) -> QuerySet:
        return selectors.involvements_of_plan(self.workplan).order_by("-occurred_on", "-id")

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
        goals = selectors.goals_by_uuid(workplan, [item["goal"] for item in data["goalViews"]])
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
        involvement = selectors.involvement_of_plan(workplan, involvement.pk)
        return Response(s.InvolvementSerializer(involvement).data, status=status.HTTP_201_CREATED)

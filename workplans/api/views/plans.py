"""The plan itself (list, create, read, change with If-Match, adopt) and its adopted versions (read-only, diff)."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.urls import reverse
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from access import gate
from access.declarations import Scope, declare
from api_conventions.numbers import query_int
from api_conventions.views import JsonAPIView, etag_parameter, if_match_parameter, is_schema_view, lock_responses
from cases.models import ApprovalRequest

from ... import selectors, services
from ...constants import WorkplanStatus
from ...models import Workplan, WorkplanVersion
from ...snapshot import diff_snapshots
from .. import serializers as s
from .common import (
    FROM_PARAMETER,
    NO_PREVIOUS_VERSION,
    TAG,
    UNKNOWN_CASE,
    WorkplanNestedView,
    expected_version,
    run_service,
    workplan_for,
    workplan_response,
)

# --- The plan ------------------------------------------------------------------------


class WorkplanFilter(filters.FilterSet):
    case = filters.UUIDFilter(field_name="case__uuid", help_text="The case's uuid.")
    status = filters.ChoiceFilter(choices=WorkplanStatus.choices)


@declare(Scope.CASE)
class WorkplanCollectionView(GenericAPIView):
    parser_classes = [JSONParser]
    serializer_class = s.WorkplanSerializer
    filterset_class = WorkplanFilter

    def get_queryset(self) -> QuerySet:
        if is_schema_view(self):
            return Workplan.objects.none()
        return gate.workplans_for_user(self.request).order_by("-created_at", "-id")

    @extend_schema(
        operation_id="workplans_list",
        tags=[TAG],
        summary="Werkplannen die u mag zien",
        description="The plans of the cases you may see. Each plan listed is written to the access log.",
        responses=s.WorkplanSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        # Cost: the page's count and rows, the policy's scope, plus the one access-log INSERT.
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
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
        parameters=[etag_parameter("plan", [201])],
    )
    def post(self, request: Request) -> Response:
        serializer = s.WorkplanCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case_uuid = serializer.validated_data["case"]
        # A case the user may not see is unknown (400); a visible one is decided about writing (403 for a
        # reader) and logged by the access layer.
        case = gate.case_named(request, case_uuid, write=True, detail="workplan create")
        if case is None:
            raise exceptions.ValidationError({"case": [UNKNOWN_CASE]})
        workplan = run_service(services.workplan_create, actor=request.user, case=case)
        workplan.case = case
        return workplan_response(workplan, status_code=status.HTTP_201_CREATED)


@declare(Scope.CASE)
class WorkplanDetailView(JsonAPIView):
    @extend_schema(
        operation_id="workplans_retrieve",
        tags=[TAG],
        summary="Werkplan",
        description="With what the plan misses (`gaps`) and the events that ask for a review (`reviewEvents`).",
        responses=s.WorkplanDetailSerializer,
        parameters=[etag_parameter("plan", [200])],
    )
    def get(self, request: Request, uuid: UUID) -> Response:
        return workplan_response(workplan_for(request, uuid))

    @extend_schema(
        operation_id="workplans_partial_update",
        tags=[TAG],
        summary="Werkplan wijzigen",
        description=(
            "Changes the texts and the review interval; only what is sent changes. `If-Match` with the plan's "
            "ETag is required: without it 428, with a stale one 412 and nothing is changed."
        ),
        request=s.WorkplanUpdateSerializer,
        responses={200: s.WorkplanDetailSerializer, **lock_responses("het werkplan")},
        parameters=[if_match_parameter("plan"), etag_parameter("plan", [200])],
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
        return workplan_response(workplan)


@declare(Scope.CASE)
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
            **lock_responses("het werkplan", required=False),
        },
        parameters=[if_match_parameter("plan", required=False)],
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
        result = selectors.version_of_plan(workplan, result.number)
        result.gaps = gaps
        location = reverse("api-workplan-version-detail", kwargs={"uuid": workplan.uuid, "number": result.number})
        return Response(
            s.AdoptedVersionSerializer(result).data, status=status.HTTP_201_CREATED, headers={"Location": location}
        )


# --- Versions (read-only) -------------------------------------------------------------


@declare(Scope.CASE)
class VersionCollectionView(WorkplanNestedView):
    serializer_class = s.WorkplanVersionSerializer
    model = WorkplanVersion

    def plan_queryset(self) -> QuerySet:
        return selectors.versions_of_plan(self.workplan)

    @extend_schema(
        operation_id="workplans_versions_list",
        tags=[TAG],
        summary="Vastgestelde versies",
        description="Oldest first, without their content. Versions are read-only.",
        responses=s.WorkplanVersionSerializer(many=True),
    )
    def get(self, request: Request, uuid: UUID) -> Response:
        return self.list_response(request, uuid)


def _version_for(workplan: Workplan, number: int):
    version = selectors.version_of_plan(workplan, number)
    if version is None:
        raise exceptions.NotFound()
    return version


@declare(Scope.CASE)
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


@declare(Scope.CASE)
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
        from_number = query_int(request.query_params, "from")
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

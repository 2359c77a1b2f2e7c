"""What the workplan endpoints share: messages, locking, access to the plan and its goals, responses."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from api_conventions.views import if_match_version, is_schema_view, lock_etag
from api_conventions.views import run_service as _run_service

from ... import selectors
from ...constants import Duty
from ...models import Goal, Workplan
from .. import serializers as s

TAG = "werkplannen"

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


def expected_version(request: Request, current: int, *, stale_detail=STALE_WORKPLAN, required: bool = True):
    """The version the client saw, from ``If-Match`` (the shared rule: 428 without it where required, 412 when
    stale)."""
    return if_match_version(request, current, required=required, stale_detail=stale_detail)


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
    """The plan, when the user may see its case (or change it, with ``write``); the access layer logs."""
    return selectors.workplan_by_uuid_for_user(request, uuid, write=write)


def goal_for(workplan: Workplan, uuid: UUID) -> Goal:
    """A goal of a plan the user was handed (404 for another plan's)."""
    goal = selectors.goal_of_plan(workplan, uuid)
    if goal is None:
        raise exceptions.NotFound()
    return goal


def workplan_response(workplan: Workplan, *, status_code: int = status.HTTP_200_OK) -> Response:
    """The plan with its gaps and review events, and its ``ETag``."""
    workplan.gaps = selectors.gaps(workplan)
    workplan.review_events = selectors.review_events(workplan)
    headers = {"ETag": lock_etag(workplan)}
    if status_code == status.HTTP_201_CREATED:
        headers["Location"] = reverse("api-workplan-detail", kwargs={"uuid": workplan.uuid})
    return Response(s.WorkplanDetailSerializer(workplan).data, status=status_code, headers=headers)


def goal_response(goal: Goal, workplan: Workplan, *, status_code: int = status.HTTP_200_OK) -> Response:
    goal = goal_for(workplan, goal.uuid)
    headers = {"ETag": lock_etag(goal)}
    if status_code == status.HTTP_201_CREATED:
        headers["Location"] = reverse("api-workplan-goal-detail", kwargs={"uuid": workplan.uuid, "goal": goal.uuid})
    return Response(s.GoalSerializer(goal).data, status=status_code, headers=headers)


class WorkplanNestedView(GenericAPIView):
    """A list under ``workplans/<uuid>``: the case's access check (and its access-log entry) comes first.

    The case's VIEW entry (written by the access layer) covers what is listed under it.
    Subclasses define ``plan_queryset()``: the rows of ``self.workplan`` they list.
    """

    parser_classes = [JSONParser]
    filter_backends: list = []
    workplan: Workplan
    model = None

    def get_queryset(self) -> QuerySet:
        if is_schema_view(self):
            return self.model._default_manager.none()
        return self.plan_queryset()

    def list_response(self, request: Request, uuid: UUID) -> Response:
        self.workplan = workplan_for(request, uuid)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

"""Households and their members."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from access import gate, policy
from access.declarations import Scope, declare
from api_conventions.views import FieldErrors, JsonAPIView, JsonGenericAPIView, is_schema_view, run_service

from ... import services
from ...models import Client, Household, HouseholdMember
from .. import serializers as s
from .common import TAG_HOUSEHOLDS, UNKNOWN_CLIENT, paginated_list

# --- Households ----------------------------------------------------------------


def _resolve_members(user, members: list[dict], errors: FieldErrors) -> list[tuple[Client, str]]:
    visible = policy.filter_clients(user)
    found = {c.uuid: c for c in visible.filter(uuid__in=[m["client"] for m in members])}
    item_errors: list[dict] = []
    resolved = []
    for member in members:
        client = found.get(member["client"])
        item_errors.append({} if client else {"client": [UNKNOWN_CLIENT]})
        if client:
            resolved.append((client, member["relation"]))
    if any(item_errors):
        errors.errors["members"] = item_errors
    return resolved


@declare(Scope.HOUSEHOLD)
class HouseholdCollectionView(JsonGenericAPIView):
    filter_backends: list = []
    serializer_class = s.HouseholdSerializer

    def get_queryset(self) -> QuerySet:
        if is_schema_view(self):
            return Household.objects.none()
        return gate.households_for_user(self.request).order_by("name", "id")

    @extend_schema(
        operation_id="households_list",
        tags=[TAG_HOUSEHOLDS],
        summary="Huishoudens die u mag zien",
        responses=s.HouseholdSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return paginated_list(self, s.HouseholdSerializer)

    @extend_schema(
        operation_id="households_create",
        tags=[TAG_HOUSEHOLDS],
        summary="Huishouden vastleggen",
        description="The members must be clients you may see.",
        request=s.HouseholdCreateSerializer,
        responses={201: s.HouseholdSerializer},
    )
    def post(self, request: Request) -> Response:
        if not policy.is_casework_professional(request.user):
            raise PermissionDenied(_("Alleen professionals met een casusrol mogen huishoudens vastleggen."))
        serializer = s.HouseholdCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        errors = FieldErrors()
        members = _resolve_members(request.user, serializer.validated_data["members"], errors)
        errors.raise_if_any()
        household = run_service(
            services.household_create,
            actor=request.user,
            team=policy.registering_team(request.user, request.data.get("team")),
            name=serializer.validated_data["name"],
            members=members,
        )
        household = gate.household_for_user(request, household.uuid, write=True)
        return Response(
            s.HouseholdSerializer(household).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api-household-detail", kwargs={"uuid": household.uuid})},
        )


@declare(Scope.HOUSEHOLD)
class HouseholdDetailView(JsonAPIView):
    @extend_schema(operation_id="households_retrieve", tags=[TAG_HOUSEHOLDS], responses=s.HouseholdSerializer)
    def get(self, request: Request, uuid: UUID) -> Response:
        return Response(s.HouseholdSerializer(gate.household_for_user(request, uuid)).data)


@declare(Scope.HOUSEHOLD)
class HouseholdMembersView(JsonGenericAPIView):
    """The membership history of a household (the composition is derived from it)."""

    filter_backends: list = []
    serializer_class = s.HouseholdMemberSerializer

    def get_queryset(self) -> QuerySet:
        if is_schema_view(self):
            return HouseholdMember.objects.none()
        return gate.household_history(self.request, self.household)

    @extend_schema(
        operation_id="households_members_list",
        tags=[TAG_HOUSEHOLDS],
        summary="Leden van het huishouden, met historie",
        responses=s.HouseholdMemberSerializer(many=True),
    )
    def get(self, request: Request, uuid: UUID) -> Response:
        self.household = gate.household_for_user(request, uuid)
        return paginated_list(self, s.HouseholdMemberSerializer)

    @extend_schema(
        operation_id="households_members_create",
        tags=[TAG_HOUSEHOLDS],
        summary="Lid toevoegen aan het huishouden",
        description="A current membership of another household ends the day before `validFrom`.",
        request=s.HouseholdMemberAddSerializer,
        responses={201: s.HouseholdMemberSerializer},
    )
    def post(self, request: Request, uuid: UUID) -> Response:
        household = gate.household_for_user(request, uuid, write=True)
        serializer = s.HouseholdMemberAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        errors = FieldErrors()
        client = errors.lookup(policy.filter_clients(request.user), data["client"], "client", UNKNOWN_CLIENT)
        errors.raise_if_any()
        member = run_service(
            services.household_add_member,
            actor=request.user,
            household=household,
            client=client,
            relation=data["relation"],
            valid_from=data.get("validFrom"),
        )
        gate.household_for_user(request, household.uuid, write=True)  # read back: logged as the change
        return Response(s.HouseholdMemberSerializer(member).data, status=status.HTTP_201_CREATED)

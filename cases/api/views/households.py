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

from access import log as access_log
from access import policy
from api_conventions.views import FieldErrors, JsonAPIView, JsonGenericAPIView, is_schema_view, run_service
from consent.constants import AccessAction

from ... import services
from ...models import Client, HouseholdMember
from .. import serializers as s
from .common import TAG_HOUSEHOLDS, UNKNOWN_CLIENT, household_get_for_user, households_with_members, paginated_list

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


class HouseholdCollectionView(JsonGenericAPIView):
    filter_backends: list = []
    serializer_class = s.HouseholdSerializer

    def get_queryset(self) -> QuerySet:
        return policy.filter_households(self.request.user, households_with_members()).order_by("name", "id")

    @extend_schema(
        operation_id="households_list",
        tags=[TAG_HOUSEHOLDS],
        summary="Huishoudens die u mag zien",
        responses=s.HouseholdSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        def log(page):
            members = [m.client for household in page for m in household.current_members]
            access_log.record(request, AccessAction.LIST, clients=members, detail="household")

        return paginated_list(self, request, s.HouseholdSerializer, log)

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
        household = households_with_members().get(pk=household.pk)
        access_log.record(
            request, AccessAction.CHANGE, clients=[m.client for m in household.current_members], detail="household"
        )
        return Response(
            s.HouseholdSerializer(household).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api-household-detail", kwargs={"uuid": household.uuid})},
        )


class HouseholdDetailView(JsonAPIView):
    @extend_schema(operation_id="households_retrieve", tags=[TAG_HOUSEHOLDS], responses=s.HouseholdSerializer)
    def get(self, request: Request, uuid: UUID) -> Response:
        return Response(s.HouseholdSerializer(household_get_for_user(request, uuid)).data)


class HouseholdMembersView(JsonGenericAPIView):
    """The membership history of a household (the composition is derived from it)."""

    filter_backends: list = []
    serializer_class = s.HouseholdMemberSerializer

    def get_queryset(self) -> QuerySet:
        if is_schema_view(self):
            return HouseholdMember.objects.none()
        return (
            HouseholdMember.objects.filter(household=self.household)
            .select_related("client")
            .order_by("valid_from", "id")
        )

    @extend_schema(
        operation_id="households_members_list",
        tags=[TAG_HOUSEHOLDS],
        summary="Leden van het huishouden, met historie",
        responses=s.HouseholdMemberSerializer(many=True),
    )
    def get(self, request: Request, uuid: UUID) -> Response:
        self.household = household_get_for_user(request, uuid)
        return paginated_list(
            self,
            request,
            s.HouseholdMemberSerializer,
            lambda page: access_log.record(request, AccessAction.LIST, clients=[m.client for m in page]),
        )

    @extend_schema(
        operation_id="households_members_create",
        tags=[TAG_HOUSEHOLDS],
        summary="Lid toevoegen aan het huishouden",
        description="A current membership of another household ends the day before `validFrom`.",
        request=s.HouseholdMemberAddSerializer,
        responses={201: s.HouseholdMemberSerializer},
    )
    def post(self, request: Request, uuid: UUID) -> Response:
        household = household_get_for_user(request, uuid, write=True)
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
        access_log.record(request, AccessAction.CHANGE, client=client, detail="household member")
        return Response(s.HouseholdMemberSerializer(member).data, status=status.HTTP_201_CREATED)

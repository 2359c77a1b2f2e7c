"""Clients: register, list, search (a POST: a BSN never travels in a URL), read and change."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from access import gate, policy
from access.declarations import Scope, declare
from api_conventions.views import JsonAPIView, JsonGenericAPIView, is_schema_view, run_service
from consent.constants import AccessAction

from ... import services
from ...models import Client
from ...validators import normalise_postcode
from .. import serializers as s
from .common import TAG_CLIENTS, paginated_list

# --- Clients --------------------------------------------------------------------


@declare(Scope.CLIENT)
class ClientCollectionView(JsonGenericAPIView):
    filter_backends: list = []
    serializer_class = s.ClientSummarySerializer

    def get_queryset(self) -> QuerySet:
        if is_schema_view(self):
            return Client.objects.none()
        return gate.clients_for_user(self.request).order_by("family_name", "given_names", "id")

    @extend_schema(
        operation_id="clients_list",
        tags=[TAG_CLIENTS],
        summary="Cliënten die u mag zien",
        description="Without the BSN. To find a client by BSN, name or address use `POST /clients/search`.",
        responses=s.ClientSummarySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return paginated_list(self, s.ClientSummarySerializer)

    @extend_schema(
        operation_id="clients_create",
        tags=[TAG_CLIENTS],
        summary="Cliënt registreren",
        request=s.ClientSerializer,
        responses={201: s.ClientSerializer},
    )
    def post(self, request: Request) -> Response:
        if not policy.is_casework_professional(request.user):
            raise PermissionDenied(_("Alleen professionals met een casusrol mogen cliënten registreren."))
        serializer = s.ClientSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        team = policy.registering_team(request.user, request.data.get("team"))
        client = run_service(services.client_create, actor=request.user, team=team, **serializer.validated_data)
        client = gate.client_for_user(request, client.uuid, write=True)  # read back: logged as the change
        return Response(
            s.ClientSerializer(client).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api-client-detail", kwargs={"uuid": client.uuid})},
        )


@declare(Scope.CLIENT)
class ClientSearchView(JsonGenericAPIView):
    """Search with the criteria in the body, so that no BSN or name ends up in a URL or a server log."""

    filter_backends: list = []
    serializer_class = s.ClientSummarySerializer

    @extend_schema(
        operation_id="clients_search",
        tags=[TAG_CLIENTS],
        summary="Cliënt zoeken",
        description=(
            "Exactly one of: `bsn`; `familyName` + `dateOfBirth`; `postcode` (optionally with `houseNumber`). "
            "Only clients you may see are found; each search is written to the access log."
        ),
        request=s.ClientSearchSerializer,
        responses={200: s.ClientSummarySerializer(many=True)},
    )
    def post(self, request: Request) -> Response:
        criteria = s.ClientSearchSerializer(data=request.data)
        criteria.is_valid(raise_exception=True)
        data = criteria.validated_data
        if data.get("bsn"):
            mode = "bsn"
            # An 8-digit BSN is stored left-padded (services._clean_client).
            criteria = Q(bsn=data["bsn"].zfill(9))
        elif data.get("familyName"):
            mode = "name"
            criteria = Q(family_name__iexact=data["familyName"].strip(), date_of_birth=data["dateOfBirth"])
        else:
            mode = "address"
            criteria = Q(postcode=normalise_postcode(data["postcode"]))
            if data.get("houseNumber"):
                criteria &= Q(house_number__iexact=data["houseNumber"].strip())
        # The criteria themselves stay out of the log: only how was searched and who was found.
        found = gate.clients_for_user(request, action=AccessAction.SEARCH, detail=f"search by {mode}").filter(criteria)
        page = self.paginate_queryset(found.order_by("family_name", "given_names", "id"))
        return self.get_paginated_response(s.ClientSummarySerializer(page, many=True).data)


@declare(Scope.CLIENT)
class ClientDetailView(JsonAPIView):
    @extend_schema(operation_id="clients_retrieve", tags=[TAG_CLIENTS], responses=s.ClientSerializer)
    def get(self, request: Request, uuid: UUID) -> Response:
        client = gate.client_for_user(request, uuid)
        return Response(s.ClientSerializer(client).data)

    @extend_schema(
        operation_id="clients_partial_update",
        tags=[TAG_CLIENTS],
        summary="Cliëntgegevens wijzigen",
        request=s.ClientSerializer(partial=True),
        responses=s.ClientSerializer,
    )
    def patch(self, request: Request, uuid: UUID) -> Response:
        client = gate.client_for_user(request, uuid, write=True)
        serializer = s.ClientSerializer(client, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        client = run_service(services.client_update, actor=request.user, client=client, **serializer.validated_data)
        return Response(s.ClientSerializer(client).data)

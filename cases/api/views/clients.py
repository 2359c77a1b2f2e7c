"""Clients: register, list, search (a POST: a BSN never travels in a URL), read and change."""

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
from api_conventions.views import JsonAPIView, JsonGenericAPIView, run_service
from consent.constants import AccessAction

from ... import selectors, services
from ...validators import normalise_postcode
from .. import serializers as s
from .common import TAG_CLIENTS, client_writable, paginated_list

# --- Clients --------------------------------------------------------------------


class ClientCollectionView(JsonGenericAPIView):
    filter_backends: list = []
    serializer_class = s.ClientSummarySerializer

    def get_queryset(self) -> QuerySet:
        return policy.filter_clients(self.request.user).order_by("family_name", "given_names", "id")

    @extend_schema(
        operation_id="clients_list",
        tags=[TAG_CLIENTS],
        summary="Cliënten die u mag zien",
        description="Without the BSN. To find a client by BSN, name or address use `POST /clients/search`.",
        responses=s.ClientSummarySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return paginated_list(
            self,
            request,
            s.ClientSummarySerializer,
            lambda page: access_log.record(request, AccessAction.LIST, clients=page),
        )

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
        access_log.record(request, AccessAction.CHANGE, client=client, detail="create")
        return Response(
            s.ClientSerializer(client).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api-client-detail", kwargs={"uuid": client.uuid})},
        )


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
        queryset = policy.filter_clients(request.user)
        if data.get("bsn"):
            mode = "bsn"
            # An 8-digit BSN is stored left-padded (services._clean_client).
            queryset = queryset.filter(bsn=data["bsn"].zfill(9))
        elif data.get("familyName"):
            mode = "name"
            queryset = queryset.filter(
                family_name__iexact=data["familyName"].strip(), date_of_birth=data["dateOfBirth"]
            )
        else:
            mode = "address"
            queryset = queryset.filter(postcode=normalise_postcode(data["postcode"]))
            if data.get("houseNumber"):
                queryset = queryset.filter(house_number__iexact=data["houseNumber"].strip())
        page = self.paginate_queryset(queryset.order_by("family_name", "given_names", "id"))
        # The criteria themselves stay out of the log: only how was searched and who was found.
        access_log.record(request, AccessAction.SEARCH, clients=page, detail=f"search by {mode}")
        return self.get_paginated_response(s.ClientSummarySerializer(page, many=True).data)


class ClientDetailView(JsonAPIView):
    @extend_schema(operation_id="clients_retrieve", tags=[TAG_CLIENTS], responses=s.ClientSerializer)
    def get(self, request: Request, uuid: UUID) -> Response:
        client = selectors.client_get_for_user(request, uuid)
        return Response(s.ClientSerializer(client).data)

    @extend_schema(
        operation_id="clients_partial_update",
        tags=[TAG_CLIENTS],
        summary="Cliëntgegevens wijzigen",
        request=s.ClientSerializer(partial=True),
        responses=s.ClientSerializer,
    )
    def patch(self, request: Request, uuid: UUID) -> Response:
        client = selectors.client_get_for_user(request, uuid)
        if not client_writable(request.user, client):
            access_log.record(request, AccessAction.DENIED, client=client, detail="client write")
            raise PermissionDenied(_("U mag deze cliënt inzien, maar niet wijzigen."))
        serializer = s.ClientSerializer(client, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        client = run_service(services.client_update, actor=request.user, client=client, **serializer.validated_data)
        access_log.record(request, AccessAction.CHANGE, client=client)
        return Response(s.ClientSerializer(client).data)

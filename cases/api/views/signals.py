"""Signals: register, list, read and triage."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from access import gate, policy
from access.declarations import Scope, declare
from accounts.models import Team
from api_conventions.views import FieldErrors, JsonAPIView, JsonGenericAPIView, is_schema_view, run_service

from ... import services
from ...models import Signal
from .. import serializers as s
from .common import TAG_SIGNALS, UNKNOWN_CASE, UNKNOWN_CLIENT, UNKNOWN_HOUSEHOLD, UNKNOWN_TEAM, paginated_list

# --- Signals ------------------------------------------------------------------


class SignalFilter(filters.FilterSet):
    team = filters.UUIDFilter(field_name="team__uuid", help_text="The team's uuid.")
    open = filters.BooleanFilter(method="filter_open", help_text="Not yet triaged (or only triaged).")
    overdue = filters.BooleanFilter(method="filter_overdue", help_text="Not triaged and past the triage deadline.")

    def filter_open(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(outcome="") if value else queryset.exclude(outcome="")

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        overdue = Q(outcome="", triage_deadline__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


@declare(Scope.SIGNAL)
class SignalCollectionView(JsonGenericAPIView):
    serializer_class = s.SignalSerializer
    filterset_class = SignalFilter

    def get_queryset(self) -> QuerySet:
        if is_schema_view(self):
            return Signal.objects.none()
        # The inbox order of the pages (open first, overdue on top), with the id for stable pages.
        inbox = gate.signals_for_user(self.request, open_only=False)
        return inbox.order_by(*inbox.query.order_by, "id")

    @extend_schema(
        operation_id="signals_list",
        tags=[TAG_SIGNALS],
        summary="Meldingen van uw teams",
        description="Open signals first, ordered by triage deadline (overdue on top), then the triaged ones.",
        responses=s.SignalSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return paginated_list(self, s.SignalSerializer)

    @extend_schema(
        operation_id="signals_create",
        tags=[TAG_SIGNALS],
        summary="Melding vastleggen",
        description="About a client you may see (`client`), or described in `subjectDescription`.",
        request=s.SignalCreateSerializer,
        responses={201: s.SignalSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = s.SignalCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        errors = FieldErrors()
        team = errors.lookup(Team.objects.all(), data["team"], "team", UNKNOWN_TEAM)
        errors.raise_if_any()
        if not policy.may_record_signal(user, team):
            raise PermissionDenied(_("U mag geen melding vastleggen voor dit team."))
        client = errors.lookup(policy.filter_clients(user), data.get("client"), "client", UNKNOWN_CLIENT)
        errors.raise_if_any()
        signal = run_service(
            services.signal_record,
            actor=user,
            team=team,
            source=data["source"],
            what_was_seen=data["whatWasSeen"],
            client=client,
            subject_description=data["subjectDescription"],
            reporter_name=data["reporterName"],
            reporter_contact=data["reporterContact"],
            received_at=data.get("receivedAt"),
        )
        signal = gate.signal_for_user(request, signal.uuid, write=True)
        return Response(
            s.SignalSerializer(signal).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api-signal-detail", kwargs={"uuid": signal.uuid})},
        )


@declare(Scope.SIGNAL)
class SignalDetailView(JsonAPIView):
    @extend_schema(operation_id="signals_retrieve", tags=[TAG_SIGNALS], responses=s.SignalSerializer)
    def get(self, request: Request, uuid: UUID) -> Response:
        return Response(s.SignalSerializer(gate.signal_for_user(request, uuid)).data)


@declare(Scope.SIGNAL)
class SignalTriageView(JsonAPIView):
    @extend_schema(
        operation_id="signals_triage",
        tags=[TAG_SIGNALS],
        summary="Melding trieren",
        description=(
            "`nieuwe_casus` opens a case in the signal's team for `client` or `household` "
            "(default: the signal's client); `bestaande_casus` links the signal to `case`."
        ),
        request=s.SignalTriageSerializer,
        responses={200: s.SignalSerializer},
    )
    def post(self, request: Request, uuid: UUID) -> Response:
        signal = gate.signal_for_user(request, uuid, write=True)
        serializer = s.SignalTriageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        errors = FieldErrors()
        case = errors.lookup(policy.filter_cases(user, write=True), data.get("case"), "case", UNKNOWN_CASE)
        client = errors.lookup(policy.filter_clients(user), data.get("client"), "client", UNKNOWN_CLIENT)
        household = errors.lookup(policy.filter_households(user), data.get("household"), "household", UNKNOWN_HOUSEHOLD)
        errors.raise_if_any()
        signal = run_service(
            services.signal_triage,
            actor=user,
            signal=signal,
            outcome=data["outcome"],
            note=data["note"],
            case=case,
            new_case_household=household,
            new_case_client=client,
            laws=data["laws"],
        )
        signal = gate.signal_for_user(request, signal.uuid, write=True)
        return Response(s.SignalSerializer(signal).data)

"""Cases: list, create, read, change (If-Match), status transitions, and the lists under a case
(team members, ZRM assessments, contacts)."""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from access import gate, policy, registry
from access.declarations import Scope, declare
from accounts.models import Organisation, Team, User
from api_conventions.views import (
    FieldErrors,
    JsonAPIView,
    JsonGenericAPIView,
    etag_parameter,
    if_match_parameter,
    if_match_version,
    is_schema_view,
    lock_etag,
    lock_responses,
    run_service,
)
from consent.constants import DataCategory
from consent.models import Purpose

from ... import services
from ...constants import CaseStatus, Channel, Law, LifeDomain
from ...models import Case, CaseMember, Client, ContactMoment, LifeDomainAssessment
from ...selectors import case_clients
from .. import serializers as s
from .common import (
    TAG_CASES,
    UNKNOWN_CLIENT,
    UNKNOWN_HOUSEHOLD,
    UNKNOWN_TEAM,
    case_response,
    restrict_case,
)

# --- Cases ------------------------------------------------------------------------


class CaseFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=CaseStatus.choices)
    team = filters.UUIDFilter(field_name="team__uuid", help_text="The team's uuid.")
    safetyFlag = filters.BooleanFilter(method="filter_safety_flag", help_text="Cases with a safety concern.")
    law = filters.ChoiceFilter(choices=Law.choices, method="filter_law", help_text="Cases under this law.")

    def filter_safety_flag(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if policy.is_partner(getattr(self.request, "user", None)):
            # Filtering on it would reveal safety data to partners whose purpose does not cover it.
            raise exceptions.ValidationError({"safetyFlag": [_("Dit filter is niet beschikbaar voor partners.")]})
        return queryset.exclude(safety_concern="") if value else queryset.filter(safety_concern="")

    def filter_law(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(**{Case.LAW_FIELDS[Law(value)]: True})


@declare(Scope.CASE)
class CaseCollectionView(JsonGenericAPIView):
    serializer_class = s.CaseSerializer
    filterset_class = CaseFilter

    def get_queryset(self) -> QuerySet:
        if is_schema_view(self):
            return Case.objects.none()
        return gate.cases_for_user(self.request).order_by("-opened_on", "-id")

    @extend_schema(
        operation_id="cases_list",
        tags=[TAG_CASES],
        summary="Casussen die u mag zien",
        responses=s.CaseSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        # Cost: the scope, the page's count and rows (annotations are subqueries), plus the one access-log INSERT;
        # for a partner a few small queries more (purposes, memberships, consents) and one disclosure INSERT.
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = s.CaseSerializer(page, many=True).data
        if policy.is_partner(request.user):
            rows = [restrict_case(row, case.row_access) for row, case in zip(rows, page, strict=True)]
        return self.get_paginated_response(rows)

    @extend_schema(
        operation_id="cases_create",
        tags=[TAG_CASES],
        summary="Casus openen",
        description="Opens a case (status `aangemeld`) for one visible client or household, in a team of yours.",
        request=s.CaseCreateSerializer,
        responses={201: s.CaseDetailSerializer},
        parameters=[etag_parameter("case", [200, 201])],
    )
    def post(self, request: Request) -> Response:
        serializer = s.CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        errors = FieldErrors()
        team = errors.lookup(Team.objects.all(), data["team"], "team", UNKNOWN_TEAM)
        errors.raise_if_any()
        if not policy.may_open_case_in_team(user, team):
            raise PermissionDenied(_("U mag geen casus openen in dit team."))
        client = errors.lookup(policy.filter_clients(user), data.get("client"), "client", UNKNOWN_CLIENT)
        household = errors.lookup(policy.filter_households(user), data.get("household"), "household", UNKNOWN_HOUSEHOLD)
        errors.raise_if_any()
        case = run_service(
            services.case_open,
            actor=user,
            team=team,
            client=client,
            household=household,
            laws=data["laws"],
            safety_concern=data["safetyConcern"],
            summary=data["summary"],
        )
        return case_response(request, case, status_code=status.HTTP_201_CREATED)


@declare(Scope.CASE)
class CaseDetailView(JsonAPIView):
    @extend_schema(
        operation_id="cases_retrieve",
        tags=[TAG_CASES],
        responses=s.CaseDetailSerializer,
        parameters=[etag_parameter("case", [200, 201])],
    )
    def get(self, request: Request, uuid: UUID) -> Response:
        case = gate.case_for_user(request, uuid, needs=())
        data = restrict_case(s.CaseDetailSerializer(case).data, case.access)
        return Response(data, headers={"ETag": lock_etag(case)})

    @extend_schema(
        operation_id="cases_partial_update",
        tags=[TAG_CASES],
        summary="Wetten, veiligheidssignaal of omschrijving wijzigen",
        description=(
            "Send `If-Match` with the ETag you last saw: without it 428, with a stale one 412, and nothing is changed."
        ),
        request=s.CaseUpdateSerializer,
        responses={200: s.CaseDetailSerializer, **lock_responses("de casus")},
        parameters=[if_match_parameter("case"), etag_parameter("case", [200, 201])],
    )
    def patch(self, request: Request, uuid: UUID) -> Response:
        case = gate.case_for_user(request, uuid, write=True)
        expected_version = if_match_version(request, case.lock_version, required=True)
        serializer = s.CaseUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = run_service(
            services.case_update,
            actor=request.user,
            case=case,
            expected_version=expected_version,
            laws=data.get("laws"),
            safety_concern=data.get("safetyConcern"),
            summary=data.get("summary"),
        )
        return case_response(request, case)


@declare(Scope.CASE)
class CaseStatusView(JsonAPIView):
    @extend_schema(
        operation_id="cases_status_create",
        tags=[TAG_CASES],
        summary="Status van de casus wijzigen",
        description=(
            "Applies one transition of the status machine (see `allowedTransitions`). Closing (`afgesloten`) "
            "needs a `closingReason`. `If-Match` is optional here (like adopting a workplan): a stale one is 412."
        ),
        request=s.CaseTransitionSerializer,
        responses={200: s.CaseDetailSerializer, **lock_responses("de casus", required=False)},
        parameters=[if_match_parameter("case", required=False), etag_parameter("case", [200, 201])],
    )
    def post(self, request: Request, uuid: UUID) -> Response:
        case = gate.case_for_user(request, uuid, write=True)
        expected_version = if_match_version(request, case.lock_version, required=False)
        serializer = s.CaseTransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        case = run_service(
            services.case_transition,
            actor=request.user,
            case=case,
            to_status=data["status"],
            reason=data["reason"],
            closing_reason=data["closingReason"],
            expected_version=expected_version,
        )
        return case_response(request, case)


class CaseMemberFilter(filters.FilterSet):
    current = filters.BooleanFilter(method="filter_current", help_text="Only current (or only ended) members.")

    def filter_current(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(valid_to__isnull=value)


class CaseNestedView(JsonGenericAPIView):
    """A list under ``cases/<uuid>``: the case's access check (and its access-log entry) comes first."""

    case: Case
    # A partner may read this list when it leaves out what their purpose does not cover (``partial``)
    # and their purpose covers what the list cannot do without (``needs``).
    partial: bool = False
    needs: tuple[str, ...] = ()

    def load_case(self, request: Request, uuid: UUID, *, write: bool = False) -> Case:
        needs = self.needs if self.partial and not write else None
        self.case = gate.case_for_user(request, uuid, write=write, needs=needs)
        return self.case

    # For a partner's restricted view: the model of the rows and the categories of keys that are no model fields.
    row_model: str = ""
    row_extra_categories: dict[str, str] = {}

    def list_response(self, request: Request, uuid: UUID) -> Response:
        self.load_case(request, uuid)
        # The case's VIEW entry (written by the access layer) covers what is listed under it.
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = self.serializer_class(page, many=True).data
        access = self.case.access
        if access.restricted:
            rows = [
                registry.restrict(
                    row,
                    access,
                    self.row_model,
                    extra=self.row_extra_categories,
                    domain=row.get("domain"),
                    category=row.get("category"),
                )
                for row in rows
            ]
        return self.get_paginated_response(rows)


@declare(Scope.CASE)
class CaseMembersView(CaseNestedView):
    serializer_class = s.CaseMemberSerializer
    filterset_class = CaseMemberFilter
    partial = True  # who is on the case team is registration data
    row_model = "cases.CaseMember"
    row_extra_categories = {
        "user": DataCategory.ADMINISTRATIEF,
        "organisation": DataCategory.ADMINISTRATIEF,
        "name": DataCategory.ADMINISTRATIEF,
    }

    def get_queryset(self) -> QuerySet:
        if is_schema_view(self):
            return CaseMember.objects.none()
        return gate.members_of_case(self.request, self.case).order_by(
            F("valid_to").desc(nulls_first=True), "valid_from", "id"
        )

    @extend_schema(
        operation_id="cases_members_list",
        tags=[TAG_CASES],
        summary="Casusteam",
        responses=s.CaseMemberSerializer(many=True),
    )
    def get(self, request: Request, uuid: UUID) -> Response:
        return self.list_response(request, uuid)

    @extend_schema(
        operation_id="cases_members_create",
        tags=[TAG_CASES],
        summary="Lid toevoegen aan het casusteam",
        description="A professional by `user`, or a partner contact by `organisation` and `contactName`.",
        request=s.CaseMemberCreateSerializer,
        responses={201: s.CaseMemberSerializer},
    )
    def post(self, request: Request, uuid: UUID) -> Response:
        case = self.load_case(request, uuid, write=True)
        serializer = s.CaseMemberCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        errors = FieldErrors()
        user = errors.lookup(
            User.objects.filter(is_active=True), data.get("user"), "user", gettext_lazy("Onbekende gebruiker.")
        )
        organisation = errors.lookup(
            Organisation.objects.all(),
            data.get("organisation"),
            "organisation",
            gettext_lazy("Onbekende organisatie."),
        )
        purpose = None
        if data.get("purpose"):
            purpose = errors.lookup(
                Purpose.objects.active(), data["purpose"], "purpose", gettext_lazy("Onbekend doel."), key="code"
            )
        errors.raise_if_any()
        member = run_service(
            services.case_member_add,
            actor=request.user,
            case=case,
            role=data["role"],
            user=user,
            organisation=organisation,
            contact_name=data["contactName"],
            contact_email=data["contactEmail"],
            contact_phone=data["contactPhone"],
            task=data["task"],
            purpose=purpose,
        )
        return Response(s.CaseMemberSerializer(member).data, status=status.HTTP_201_CREATED)


class AssessmentFilter(filters.FilterSet):
    domain = filters.ChoiceFilter(choices=LifeDomain.choices)


def _case_client(case: Case, uuid: UUID | None, field: str, errors: FieldErrors) -> Client | None:
    """A client of this case (its client or a current household member), else an "unknown" error."""
    if uuid is None:
        return None
    for client in case_clients(case):
        if client.uuid == uuid:
            return client
    errors.errors[field] = [UNKNOWN_CLIENT]
    return None


@declare(Scope.CASE)
class CaseAssessmentsView(CaseNestedView):
    serializer_class = s.AssessmentSerializer
    filterset_class = AssessmentFilter
    partial = True  # a partner gets the scores of the life domains their purpose covers
    row_model = "cases.LifeDomainAssessment"
    row_extra_categories = {"client": DataCategory.IDENTITEIT, "assessor": DataCategory.ADMINISTRATIEF}

    def get_queryset(self) -> QuerySet:
        if is_schema_view(self):
            return LifeDomainAssessment.objects.none()
        return (
            gate.assessments_of_case(self.request, self.case)
            .select_related("assessor", "client")
            .order_by("-assessed_on", "-id")
        )

    @extend_schema(
        operation_id="cases_assessments_list",
        tags=[TAG_CASES],
        summary="ZRM-scores van de casus",
        responses=s.AssessmentSerializer(many=True),
    )
    def get(self, request: Request, uuid: UUID) -> Response:
        return self.list_response(request, uuid)

    @extend_schema(
        operation_id="cases_assessments_create",
        tags=[TAG_CASES],
        summary="ZRM-scores vastleggen",
        description="Scores for the life domains that matter, each domain at most once. Scores are never edited.",
        request=s.AssessmentsCreateSerializer,
        responses={201: s.AssessmentRecordedSerializer},
    )
    def post(self, request: Request, uuid: UUID) -> Response:
        case = self.load_case(request, uuid, write=True)
        serializer = s.AssessmentsCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        errors = FieldErrors()
        client = _case_client(case, data.get("client"), "client", errors)
        errors.raise_if_any()
        scores = [
            services.ScoreInput(
                domain=item["domain"],
                score=item["score"],
                target_score=item["targetScore"],
                rationale=item["rationale"],
            )
            for item in data["scores"]
        ]
        created = run_service(
            services.assessments_record,
            actor=request.user,
            case=case,
            scores=scores,
            assessed_on=data.get("assessedOn"),
            client=client,
        )
        body = {"scores": created}
        return Response(s.AssessmentRecordedSerializer(body).data, status=status.HTTP_201_CREATED)


class ContactFilter(filters.FilterSet):
    channel = filters.ChoiceFilter(choices=Channel.choices)


@declare(Scope.CASE)
class CaseContactsView(CaseNestedView):
    serializer_class = s.ContactSerializer
    filterset_class = ContactFilter
    partial = True
    needs = (DataCategory.NOTITIES,)
    row_model = "cases.ContactMoment"
    row_extra_categories = {"participants": DataCategory.IDENTITEIT, "professional": DataCategory.ADMINISTRATIEF}

    def get_queryset(self) -> QuerySet:
        if is_schema_view(self):
            return ContactMoment.objects.none()
        return gate.contacts_of_case(self.request, self.case)

    @extend_schema(
        operation_id="cases_contacts_list",
        tags=[TAG_CASES],
        summary="Contactmomenten van de casus",
        responses=s.ContactSerializer(many=True),
    )
    def get(self, request: Request, uuid: UUID) -> Response:
        return self.list_response(request, uuid)

    @extend_schema(
        operation_id="cases_contacts_create",
        tags=[TAG_CASES],
        summary="Contactmoment vastleggen",
        description="`participants` are clients of this case (its client or current household members).",
        request=s.ContactCreateSerializer,
        responses={201: s.ContactSerializer},
    )
    def post(self, request: Request, uuid: UUID) -> Response:
        case = self.load_case(request, uuid, write=True)
        serializer = s.ContactCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        errors = FieldErrors()
        participants = [
            _case_client(case, participant, f"participants.{index}", errors)
            for index, participant in enumerate(data["participants"])
        ]
        errors.raise_if_any()
        contact = run_service(
            services.contact_record,
            actor=request.user,
            case=case,
            occurred_at=data["occurredAt"],
            channel=data["channel"],
            summary=data["summary"],
            participants=participants,
            restricted=data.get("restricted", False),
            category=data.get("category") or DataCategory.NOTITIES,
        )
        return Response(s.ContactSerializer(contact).data, status=status.HTTP_201_CREATED)

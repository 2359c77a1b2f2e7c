"""Endpoints of the case file: clients, households, cases (team, ZRM scores, contacts) and signals.

Thin views: a serializer checks the input shape, ``consent.policy`` and the
access helpers of ``cases.selectors`` decide what the user may see or change,
``cases.services`` do every write. Every read of personal data is queued in
the access log (written by the middleware in one INSERT per request).

A reference to an object the user may not see is answered exactly like a
reference to nothing: 404 in a path, "Onbekende ..." (400) in a body.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Organisation, Team, User
from api_conventions.problems import PROBLEM_CONTENT_TYPE
from api_conventions.views import (
    FieldErrors,
    JsonAPIView,
    JsonGenericAPIView,
    if_match_version,
    is_schema_view,
    run_service,
)
from consent import access_log, policy, registry
from consent.constants import AccessAction, DataCategory, DisclosureChannel
from consent.models import Purpose

from .. import selectors, services
from ..constants import CaseStatus, Channel, Law, LifeDomain
from ..models import (
    Case,
    CaseMember,
    Client,
    ContactMoment,
    Household,
    HouseholdMember,
    LifeDomainAssessment,
    Signal,
)
from ..validators import normalise_postcode
from . import serializers as s

T = TypeVar("T")

TAG_CLIENTS = "clients"
TAG_HOUSEHOLDS = "households"
TAG_CASES = "cases"
TAG_SIGNALS = "signals"

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


# --- Errors and service calls --------------------------------------------------------


UNKNOWN_CLIENT = gettext_lazy("Onbekende cliënt.")
UNKNOWN_HOUSEHOLD = gettext_lazy("Onbekend huishouden.")
UNKNOWN_CASE = gettext_lazy("Onbekende casus.")
UNKNOWN_TEAM = gettext_lazy("Onbekend team.")


def _paginated_list(view: GenericAPIView, request: Request, serializer_class, log: Callable[[list], None]):
    """Filter, paginate, log the rows actually returned, answer the page."""
    page = view.paginate_queryset(view.filter_queryset(view.get_queryset()))
    log(page)
    return view.get_paginated_response(serializer_class(page, many=True).data)


# --- Optimistic locking (ETag / If-Match) ------------------------------------------


def _etag(case: Case) -> str:
    return f'"{case.lock_version}"'


def _expected_version(request: Request, case: Case, *, required: bool) -> int | None:
    """The case version the client saw, from ``If-Match`` (the shared rule of ``api_conventions``)."""
    return if_match_version(request, case.lock_version, required=required)


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description='The case\'s ETag as last seen (e.g. `"3"`). Without it: 428. A stale version is refused with 412.',
)
IF_MATCH_OPTIONAL = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description='The case\'s ETag as last seen (e.g. `"3"`). Optional here; a stale version is refused with 412.',
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description="The case's current version (`lockVersion`), for `If-Match`.",
)
STALE_RESPONSE = OpenApiResponse(
    response=PROBLEM_REF,
    description="Voorwaarde niet vervuld: de casus is intussen door iemand anders gewijzigd (If-Match).",
)
PROBLEM_412 = {(412, PROBLEM_CONTENT_TYPE): STALE_RESPONSE}
PROBLEM_428 = {
    (428, PROBLEM_CONTENT_TYPE): OpenApiResponse(
        response=PROBLEM_REF, description="Voorwaarde vereist: stuur If-Match mee met de ETag."
    )
}


# --- Access helpers that the selectors do not have (yet) ------------------------------


def _client_writable(user, client: Client) -> bool:
    """A casework professional who may change a case of the client (or of their household), or whose team
    has a signal about them. Partners and break-the-glass readers may not change a client."""
    if not policy.is_casework_professional(user):
        return False
    households = HouseholdMember.objects.current().filter(client=client).values("household_id")
    writable_cases = policy.filter_cases(user, write=True)
    return (
        writable_cases.filter(Q(client=client) | Q(household_id__in=households)).exists()
        or policy.filter_signals(user).filter(client=client).exists()
    )


def _households_with_members() -> QuerySet:
    current = HouseholdMember.objects.current().select_related("client").order_by("valid_from", "id")
    return Household.objects.prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_members"))


def household_get_for_user(request: Request, household_uuid: UUID, *, write: bool = False) -> Household:
    """The household, when the policy lets the user see it (404 otherwise; 403 for a read-only writer)."""
    user = request.user
    household = _households_with_members().filter(uuid=household_uuid).first()
    if household is None:
        raise exceptions.NotFound()
    if not policy.filter_households(user, Household.objects.filter(pk=household.pk)).exists():
        access_log.record(request, AccessAction.DENIED, detail="household")
        raise exceptions.NotFound()
    if write and not policy.filter_cases(user, write=True).filter(household=household).exists():
        access_log.record(request, AccessAction.DENIED, detail="household write")
        raise PermissionDenied(_("U mag dit huishouden inzien, maar niet wijzigen."))
    action = AccessAction.CHANGE if write else AccessAction.VIEW
    access_log.record(request, action, clients=[m.client for m in household.current_members], detail="household")
    return household


def _case_queryset() -> QuerySet:
    """Cases with what the representation shows: one query, no N+1."""
    last_contact = ContactMoment.objects.filter(case=OuterRef("pk")).order_by("-occurred_at").values("occurred_at")[:1]
    return Case.objects.select_related("team", "coordinator", "household", "client").annotate(
        last_contact_at=Subquery(last_contact)
    )


# Keys of the case representation that are not model fields, with their data category (consent.registry).
CASE_EXTRA_CATEGORIES = {
    "team": DataCategory.ADMINISTRATIEF,
    "coordinator": DataCategory.ADMINISTRATIEF,
    "laws": DataCategory.ADMINISTRATIEF,
    "lastContactAt": DataCategory.ADMINISTRATIEF,
    "allowedTransitions": DataCategory.ADMINISTRATIEF,
    "client": DataCategory.IDENTITEIT,
    "household": DataCategory.HUISHOUDEN,
    "safetyFlag": DataCategory.VEILIGHEID,
}


def _restrict_case(data: dict, decision) -> dict:
    """A partner's view of a case representation: only the categories of their purpose (server-side)."""
    return registry.restrict(data, decision, "cases.Case", extra=CASE_EXTRA_CATEGORIES)


def _case_response(case: Case, *, status_code: int = status.HTTP_200_OK) -> Response:
    case = _case_queryset().get(pk=case.pk)
    headers = {"ETag": _etag(case)}
    if status_code == status.HTTP_201_CREATED:
        headers["Location"] = reverse("api-case-detail", kwargs={"uuid": case.uuid})
    return Response(s.CaseDetailSerializer(case).data, status=status_code, headers=headers)


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
        return _paginated_list(
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
        if not _client_writable(request.user, client):
            access_log.record(request, AccessAction.DENIED, client=client, detail="client write")
            raise PermissionDenied(_("U mag deze cliënt inzien, maar niet wijzigen."))
        serializer = s.ClientSerializer(client, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        client = run_service(services.client_update, actor=request.user, client=client, **serializer.validated_data)
        access_log.record(request, AccessAction.CHANGE, client=client)
        return Response(s.ClientSerializer(client).data)


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
        return policy.filter_households(self.request.user, _households_with_members()).order_by("name", "id")

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

        return _paginated_list(self, request, s.HouseholdSerializer, log)

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
        household = _households_with_members().get(pk=household.pk)
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
        return _paginated_list(
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


class CaseCollectionView(JsonGenericAPIView):
    serializer_class = s.CaseSerializer
    filterset_class = CaseFilter

    def get_queryset(self) -> QuerySet:
        return policy.filter_cases(self.request.user, _case_queryset()).order_by("-opened_on", "-id")

    @extend_schema(
        operation_id="cases_list",
        tags=[TAG_CASES],
        summary="Casussen die u mag zien",
        responses=s.CaseSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        # Cost: the page's count and rows (annotations are subqueries), plus the one access-log INSERT;
        # for a partner two small queries more (their purposes and memberships) and one disclosure INSERT.
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        access_log.record(request, AccessAction.LIST, cases=page)
        rows = s.CaseSerializer(page, many=True).data
        if policy.is_partner(request.user):
            decisions = policy.partner_decisions(request.user, page)
            rows = [_restrict_case(row, decisions[case.pk]) for row, case in zip(rows, page, strict=True)]
            for case in page:
                access_log.disclose(request, decisions[case.pk], channel=DisclosureChannel.API, case=case)
        return self.get_paginated_response(rows)

    @extend_schema(
        operation_id="cases_create",
        tags=[TAG_CASES],
        summary="Casus openen",
        description="Opens a case (status `aangemeld`) for one visible client or household, in a team of yours.",
        request=s.CaseCreateSerializer,
        responses={201: s.CaseDetailSerializer},
        parameters=[ETAG],
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
        access_log.record(request, AccessAction.CHANGE, case=case, client=client, detail="create")
        return _case_response(case, status_code=status.HTTP_201_CREATED)


class CaseDetailView(JsonAPIView):
    @extend_schema(operation_id="cases_retrieve", tags=[TAG_CASES], responses=s.CaseDetailSerializer, parameters=[ETAG])
    def get(self, request: Request, uuid: UUID) -> Response:
        case = selectors.case_get_for_user(request, uuid, queryset=_case_queryset(), partial=True)
        data = _restrict_case(s.CaseDetailSerializer(case).data, case.access)
        return Response(data, headers={"ETag": _etag(case)})

    @extend_schema(
        operation_id="cases_partial_update",
        tags=[TAG_CASES],
        summary="Wetten, veiligheidssignaal of omschrijving wijzigen",
        description=(
            "Send `If-Match` with the ETag you last saw: without it 428, with a stale one 412, and nothing is changed."
        ),
        request=s.CaseUpdateSerializer,
        responses={200: s.CaseDetailSerializer, **PROBLEM_412, **PROBLEM_428},
        parameters=[IF_MATCH, ETAG],
    )
    def patch(self, request: Request, uuid: UUID) -> Response:
        case = selectors.case_get_for_user(request, uuid, write=True)
        expected_version = _expected_version(request, case, required=True)
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
        return _case_response(case)


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
        responses={200: s.CaseDetailSerializer, **PROBLEM_412},
        parameters=[IF_MATCH_OPTIONAL, ETAG],
    )
    def post(self, request: Request, uuid: UUID) -> Response:
        case = selectors.case_get_for_user(request, uuid, write=True)
        expected_version = _expected_version(request, case, required=False)
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
        return _case_response(case)


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
        self.case = selectors.case_get_for_user(
            request, uuid, write=write, partial=self.partial and not write, needs=self.needs
        )
        return self.case

    # For a partner's restricted view: the model of the rows and the categories of keys that are no model fields.
    row_model: str = ""
    row_extra_categories: dict[str, str] = {}

    def list_response(self, request: Request, uuid: UUID) -> Response:
        self.load_case(request, uuid)
        # The case's VIEW entry (written by the access helper) covers what is listed under it.
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = self.serializer_class(page, many=True).data
        access = self.case.access
        if access.restricted:
            rows = [
                registry.restrict(
                    row, access, self.row_model, extra=self.row_extra_categories, domain=row.get("domain")
                )
                for row in rows
            ]
        return self.get_paginated_response(rows)


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
        return (
            CaseMember.objects.filter(case=self.case)
            .select_related("user", "organisation", "purpose")
            .order_by(F("valid_to").desc(nulls_first=True), "valid_from", "id")
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
    for client in selectors.case_clients(case):
        if client.uuid == uuid:
            return client
    errors.errors[field] = [UNKNOWN_CLIENT]
    return None


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
            LifeDomainAssessment.objects.filter(case=self.case, domain__in=selectors.visible_domains(self.case.access))
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
        participants = Client.objects.only("id", "uuid", "given_names", "prefix", "family_name")
        return (
            policy.filter_contact_moments(self.request.user, ContactMoment.objects.filter(case=self.case))
            .select_related("professional")
            .prefetch_related(Prefetch("participants", queryset=participants))
            .order_by("-occurred_at", "-id")
        )

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
        )
        return Response(s.ContactSerializer(contact).data, status=status.HTTP_201_CREATED)


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


def _log_signals(request: Request, signals: Iterable[Signal], action: str) -> None:
    for signal in signals:
        if signal.client_id or signal.case_id:
            access_log.record(request, action, client=signal.client, case=signal.case, detail="signal")


def _signal_queryset() -> QuerySet:
    return Signal.objects.select_related("client", "team", "case")


class SignalCollectionView(JsonGenericAPIView):
    serializer_class = s.SignalSerializer
    filterset_class = SignalFilter

    def get_queryset(self) -> QuerySet:
        # The inbox order of the pages (open first, overdue on top), with the id for stable pages.
        inbox = selectors.signals_inbox(self.request.user, open_only=False)
        return inbox.order_by(*inbox.query.order_by, "id")

    @extend_schema(
        operation_id="signals_list",
        tags=[TAG_SIGNALS],
        summary="Meldingen van uw teams",
        description="Open signals first, ordered by triage deadline (overdue on top), then the triaged ones.",
        responses=s.SignalSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return _paginated_list(
            self, request, s.SignalSerializer, lambda page: _log_signals(request, page, AccessAction.LIST)
        )

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
        signal = _signal_queryset().get(pk=signal.pk)
        _log_signals(request, [signal], AccessAction.CHANGE)
        return Response(
            s.SignalSerializer(signal).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api-signal-detail", kwargs={"uuid": signal.uuid})},
        )


class SignalDetailView(JsonAPIView):
    @extend_schema(operation_id="signals_retrieve", tags=[TAG_SIGNALS], responses=s.SignalSerializer)
    def get(self, request: Request, uuid: UUID) -> Response:
        return Response(s.SignalSerializer(selectors.signal_get_for_user(request, uuid)).data)


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
        signal = selectors.signal_get_for_user(request, uuid)
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
        signal = _signal_queryset().get(pk=signal.pk)
        _log_signals(request, [signal], AccessAction.CHANGE)
        return Response(s.SignalSerializer(signal).data)

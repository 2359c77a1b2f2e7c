"""What the case-file endpoints share: tags, messages, locking, access helpers, the case representation."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from access import log as access_log
from access import policy, registry
from api_conventions.views import lock_etag
from consent.constants import AccessAction, DataCategory

from ...models import Case, Client, ContactMoment, Household, HouseholdMember
from .. import serializers as s

TAG_CLIENTS = "clients"
TAG_HOUSEHOLDS = "households"
TAG_CASES = "cases"
TAG_SIGNALS = "signals"


# --- Errors and service calls --------------------------------------------------------


UNKNOWN_CLIENT = gettext_lazy("Onbekende cliënt.")
UNKNOWN_HOUSEHOLD = gettext_lazy("Onbekend huishouden.")
UNKNOWN_CASE = gettext_lazy("Onbekende casus.")
UNKNOWN_TEAM = gettext_lazy("Onbekend team.")


def paginated_list(view: GenericAPIView, request: Request, serializer_class, log: Callable[[list], None]):
    """Filter, paginate, log the rows actually returned, answer the page."""
    page = view.paginate_queryset(view.filter_queryset(view.get_queryset()))
    log(page)
    return view.get_paginated_response(serializer_class(page, many=True).data)


# --- Optimistic locking (ETag / If-Match) ------------------------------------------


# --- Access helpers that the selectors do not have (yet) ------------------------------


def client_writable(user, client: Client) -> bool:
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


def households_with_members() -> QuerySet:
    current = HouseholdMember.objects.current().select_related("client").order_by("valid_from", "id")
    return Household.objects.prefetch_related(Prefetch("memberships", queryset=current, to_attr="current_members"))


def household_get_for_user(request: Request, household_uuid: UUID, *, write: bool = False) -> Household:
    """The household, when the policy lets the user see it (404 otherwise; 403 for a read-only writer)."""
    user = request.user
    household = households_with_members().filter(uuid=household_uuid).first()
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


def case_queryset() -> QuerySet:
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


def restrict_case(data: dict, decision) -> dict:
    """A partner's view of a case representation: only the categories of their purpose (server-side)."""
    return registry.restrict(data, decision, "cases.Case", extra=CASE_EXTRA_CATEGORIES)


def case_response(case: Case, *, status_code: int = status.HTTP_200_OK) -> Response:
    case = case_queryset().get(pk=case.pk)
    headers = {"ETag": lock_etag(case)}
    if status_code == status.HTTP_201_CREATED:
        headers["Location"] = reverse("api-case-detail", kwargs={"uuid": case.uuid})
    return Response(s.CaseDetailSerializer(case).data, status=status_code, headers=headers)

"""What the case-file endpoints share: tags, messages, the list helper, the case representation."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from access import gate, registry
from api_conventions.views import lock_etag
from consent.constants import DataCategory

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


def paginated_list(view: GenericAPIView, serializer_class):
    """Filter, paginate and answer the page of a list from the access layer (which logs the rows it fetches)."""
    page = view.paginate_queryset(view.filter_queryset(view.get_queryset()))
    return view.get_paginated_response(serializer_class(page, many=True).data)


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


def case_response(request: Request, case, *, status_code: int = status.HTTP_200_OK) -> Response:
    """The case as the API shows it after a write, read back through the access layer (logged as the change)."""
    case = gate.case_for_user(request, case.uuid, write=True)
    headers = {"ETag": lock_etag(case)}
    if status_code == status.HTTP_201_CREATED:
        headers["Location"] = reverse("api-case-detail", kwargs={"uuid": case.uuid})
    return Response(s.CaseDetailSerializer(case).data, status=status_code, headers=headers)

"""Helpers shared by the apps' API views: JSON-only views, service calls that answer
400 or 412, collected reference errors, lowerCamelCase names.

Kept apart from ``api_conventions.problems`` (exception handler, pagination), which
DRF's settings import while ``rest_framework.generics`` is still loading.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from .problems import PROBLEM_CONTENT_TYPE

T = TypeVar("T")


def to_camel(name: str) -> str:
    """``closing_reason`` -> ``closingReason`` (NL GOV: lowerCamelCase field names)."""
    first, *rest = name.split("_")
    return first + "".join(part.capitalize() for part in rest)


class JsonAPIView(APIView):
    """JSON bodies only: nested input has no form encoding, and the schema lists one media type."""

    parser_classes = [JSONParser]


class JsonGenericAPIView(GenericAPIView):
    parser_classes = [JSONParser]


class PreconditionFailed(exceptions.APIException):
    """412: the resource changed since the client read it (optimistic locking)."""

    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = gettext_lazy(
        "Iemand anders heeft dit intussen gewijzigd. Bekijk de nieuwe gegevens en probeer het opnieuw."
    )
    default_code = "stale"


class PreconditionRequired(exceptions.APIException):
    """428: a change of a lockable resource without ``If-Match`` could silently overwrite somebody else's."""

    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = gettext_lazy(
        'Stuur If-Match mee met de ETag die u het laatst hebt opgehaald (bijvoorbeeld "3"), '
        "zodat u niet ongemerkt de wijziging van een ander overschrijft."
    )
    default_code = "precondition_required"


def if_match_version(request, current: int, *, required: bool = True, stale_detail=None) -> int | None:
    """The version the client saw, from ``If-Match``: one rule for every lockable resource.

    ETags are the quoted ``lockVersion`` (``"3"``). A list matches when any tag is current. The
    comparison is strong (RFC 9110, 13.1.1): a weak ``W/"3"`` or an unquoted ``3`` never matches.
    No current tag is 412 before anything is written (the service checks again under a row lock).
    An absent header, or ``*`` (which names no version), is 428 where the header is ``required``
    (changes of a resource's fields) and ``None`` where it is optional (actions such as adoption).
    """
    header = request.headers.get("If-Match", "").strip()
    tags = [tag.strip() for tag in header.split(",") if tag.strip()]
    if not tags or tags == ["*"]:
        if required:
            raise PreconditionRequired()
        return None
    if f'"{current}"' in tags:
        return current
    raise PreconditionFailed(stale_detail) if stale_detail else PreconditionFailed()


# --- Optimistic locking in the OpenAPI schema: the same words for every lockable resource ---------

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def lock_etag(obj) -> str:
    """The ``ETag`` of a resource with optimistic locking: its ``lock_version``, quoted."""
    return f'"{obj.lock_version}"'


def if_match_parameter(what: str, *, required: bool = True) -> OpenApiParameter:
    return OpenApiParameter(
        "If-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        required=required,
        description=(
            f'The {what}\'s `ETag` as last fetched (e.g. `"3"`). '
            + ("Without it: 428. " if required else "")
            + "A stale version is refused with 412."
        ),
    )


def etag_parameter(what: str, codes: list[int]) -> OpenApiParameter:
    return OpenApiParameter(
        "ETag",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=codes,
        description=f"The {what}'s current version (`lockVersion`), quoted; send it back in `If-Match`.",
    )


def lock_responses(what: str, *, required: bool = True) -> dict:
    """The 412 (and, where If-Match is required, 428) answers; ``what`` in Dutch ("het werkplan")."""
    responses = {
        (412, PROBLEM_CONTENT_TYPE): OpenApiResponse(
            response=PROBLEM_REF,
            description=f"Voorwaarde niet vervuld: {what} is intussen door iemand anders gewijzigd (If-Match).",
        )
    }
    if required:
        responses[(428, PROBLEM_CONTENT_TYPE)] = OpenApiResponse(
            response=PROBLEM_REF, description="Voorwaarde vereist: stuur If-Match mee met de ETag."
        )
    return responses


def camel_errors(exc: DjangoValidationError) -> dict:
    """A service's ValidationError with the field names of the API (lowerCamelCase)."""
    errors = as_serializer_error(exc)
    non_field_keys = {api_settings.NON_FIELD_ERRORS_KEY, "__all__"}
    return {("nonFieldErrors" if key in non_field_keys else to_camel(key)): value for key, value in errors.items()}


def run_service(service: Callable[..., T], /, *, stale_detail=None, **kwargs) -> T:
    """Call a write service; its refusals become 400 (invalidParams) or 412 (a stale write, code "stale").

    The services are atomic: a refusal leaves nothing half-written.
    """
    try:
        return service(**kwargs)
    except DjangoValidationError as exc:
        if getattr(exc, "code", None) == "stale":
            raise PreconditionFailed(stale_detail or exc.messages[0]) from exc
        raise exceptions.ValidationError(camel_errors(exc)) from exc


class FieldErrors:
    """Collects "unknown reference" errors so all of them are answered at once."""

    def __init__(self) -> None:
        self.errors: dict = {}

    def lookup(self, queryset: QuerySet, uuid: UUID | None, field: str, message, *, key: str = "uuid"):
        if uuid is None:
            return None
        found = queryset.filter(**{key: uuid}).first()
        if found is None:
            self.errors[field] = [message]
        return found

    def raise_if_any(self) -> None:
        if self.errors:
            raise exceptions.ValidationError(self.errors)


def is_schema_view(view) -> bool:
    """drf-spectacular builds the schema with a fake view, without a request user or URL kwargs."""
    return getattr(view, "swagger_fake_view", False)

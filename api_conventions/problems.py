"""API conventions shared by every endpoint (NL GOV API Design Rules).

- Errors are ``application/problem+json`` (RFC 9457) with ``status``,
  ``title``, ``detail`` and, for validation errors, every invalid field at
  once in ``invalidParams``.
- Pagination with lowerCamelCase query keys: ``page`` and ``pageSize``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"

_TITLES = {
    400: gettext_noop("Ongeldige invoer."),
    401: gettext_noop("Niet ingelogd."),
    403: gettext_noop("Geen toegang."),
    404: gettext_noop("Niet gevonden."),
    405: gettext_noop("Methode niet toegestaan."),
    406: gettext_noop("Niet aanvaardbaar."),
    409: gettext_noop("Conflict."),
    412: gettext_noop("Voorwaarde niet vervuld."),
    415: gettext_noop("Mediatype niet ondersteund."),
    428: gettext_noop("Voorwaarde vereist."),
    429: gettext_noop("Te veel verzoeken."),
    500: gettext_noop("Interne fout."),
}


def problem_title(status_code: int) -> str:
    return _(_TITLES.get(status_code, "Fout."))


def _flatten(errors, prefix: str = "") -> list[dict]:
    """Turn DRF's nested error structure into a flat ``invalidParams`` list."""
    params: list[dict] = []
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = key if not prefix else f"{prefix}.{key}"
            params.extend(_flatten(value, name))
    elif isinstance(errors, list):
        for index, value in enumerate(errors):
            if isinstance(value, dict | list):
                params.extend(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
            else:
                params.extend(_flatten(value, prefix))
    else:
        code = getattr(errors, "code", "invalid")
        params.append({"name": prefix or "nonFieldErrors", "code": code, "reason": str(errors)})
    return params


def problem_exception_handler(exc, context):
    """DRF exception handler that answers every error as problem+json."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)

    response = exception_handler(exc, context)
    if response is None:
        return None

    request = context.get("request")
    body: dict = {
        "type": f"https://datatracker.ietf.org/doc/html/rfc9110#status.{response.status_code}",
        "title": problem_title(response.status_code),
        "status": response.status_code,
        "instance": request.path if request is not None else None,
    }
    if isinstance(exc, exceptions.ValidationError):
        body["detail"] = _("De invoer bevat fouten; zie invalidParams.")
        body["invalidParams"] = _flatten(exc.detail)
        body["code"] = "invalid"
    else:
        detail = getattr(exc, "detail", None)
        body["detail"] = str(detail) if detail is not None else body["title"]
        body["code"] = getattr(detail, "code", None) or getattr(exc, "default_code", "error")

    problem = Response(body, status=response.status_code, headers=dict(response.items()))
    problem.content_type = PROBLEM_CONTENT_TYPE
    return problem


def problem_response(status_code: int, detail: str, *, instance: str | None = None) -> JsonResponse:
    """A problem+json response for code outside DRF (404 and 500 handlers, health)."""
    return JsonResponse(
        {
            "type": f"https://datatracker.ietf.org/doc/html/rfc9110#status.{status_code}",
            "title": problem_title(status_code),
            "status": status_code,
            "detail": detail,
            "instance": instance,
        },
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "pageSize"
    max_page_size = 100
    page_query_param = "page"


# Responses every endpoint may give, for the OpenAPI schema.
PROBLEM_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "code": {"type": "string"},
        "invalidParams": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "code": {"type": "string"},
                    "reason": {"type": "string"},
                },
            },
        },
    },
    "required": ["title", "status"],
}


def add_problem_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: document the problem+json errors.

    Every operation can answer 401, 403 and 404; writes can also answer 400;
    operations on lockable resources document 412/428 themselves.
    """
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = PROBLEM_SCHEMA
    ref = {"$ref": "#/components/schemas/Problem"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            codes = ["401", "403", "404"]
            if method in {"post", "put", "patch"}:
                codes.insert(0, "400")
            for code in codes:
                responses.setdefault(
                    code,
                    {
                        "description": str(problem_title(int(code))),
                        "content": {PROBLEM_CONTENT_TYPE: {"schema": ref}},
                    },
                )
    return result

"""API conventions shared by every endpoint (NL GOV API Design Rules).

- Errors are ``application/problem+json`` (RFC 9457) with ``status``,
  ``title``, ``detail`` and, for validation errors, every invalid field at
  once in ``invalidParams``.
- Pagination with lowerCamelCase query keys: ``page`` and ``pageSize``.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler, set_rollback

from .numbers import InvalidQueryParameter, query_int

request_logger = logging.getLogger("django.request")

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
    """DRF exception handler that answers every error as problem+json, an unexpected one as a bare 500."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, InvalidQueryParameter):
        exc = exceptions.ValidationError({exc.name: [exc.message]}, code="invalid_query_parameter")
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)

    request = context.get("request")
    response = exception_handler(exc, context)
    if response is None:
        return _unexpected_error(exc, request)

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


def _unexpected_error(exc: Exception, request) -> JsonResponse:
    """A bug in an API view: problem+json 500 in every mode, the traceback only in the log.

    DRF would re-raise the exception, and Django would then answer with its HTML debug page when DEBUG
    is on (stack, settings, SQL) instead of ``handler500``. Logged as Django logs an uncaught exception
    (logger ``django.request``, with ``exc_info``), and ``got_request_exception`` is sent as Django
    does, so error reporting and the test client see it the same way. Nothing is half-written: the
    surrounding atomic block, if any, is marked for rollback.
    """
    http_request = getattr(request, "_request", request)
    path = getattr(http_request, "path", None)
    request_logger.error(
        "Internal Server Error: %s",
        path,
        exc_info=(type(exc), exc, exc.__traceback__),
        extra={"status_code": 500, "request": http_request},
    )
    got_request_exception.send(sender=None, request=http_request)
    set_rollback()
    return problem_response(500, _("Er ging iets mis aan onze kant. Probeer het later opnieuw."), instance=path)


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
    """``page`` and ``pageSize``, both whole numbers within bounds (else 400, ``api_conventions.numbers``).

    DRF's own handling silently falls back to the default size for ``pageSize=abc`` or ``pageSize=1000``
    and answers 404 for ``page=abc``; a client is better told what was wrong with its request. A page
    after the last one stays 404: the number is valid, the page does not exist (any more).
    """

    page_size = 20
    page_size_query_param = "pageSize"
    max_page_size = 100
    page_query_param = "page"

    def get_page_size(self, request) -> int:
        return query_int(
            request.query_params, self.page_size_query_param, default=self.page_size, max_value=self.max_page_size
        )

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) in self.last_page_strings:
            return paginator.num_pages
        return query_int(request.query_params, self.page_query_param, default=1)


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

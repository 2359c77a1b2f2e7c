"""Whole numbers from URLs: bounded, so an absurd number is a clear 400 or 404, never a 500.

Python's ``int()`` takes any number of digits, SQLite refuses anything above 2**63 - 1 with an
``OverflowError``, and PostgreSQL compares a huge ``IN (...)`` value as numeric: a database must never
be the one to notice. Every number a URL carries therefore passes through here:

- path parts use the ``<number:…>`` converter: 1 to 9 digits, anything else does not match the route,
  so the answer is the ordinary 404 (problem+json under ``/api/``): a path that names no resource;
- query parameters (``?van=``, ``?pagina=``, ``?from=``, ``?pageSize=``) use :func:`query_int`: a value
  that is not a whole number, or lies outside its bounds, is ``InvalidQueryParameter``, a 400 with a
  Dutch message on pages (``socialdomain.errors.bad_request``) and problem+json naming the parameter
  in ``invalidParams`` in the API (``api_conventions.problems``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.core.exceptions import BadRequest
from django.urls import register_converter
from django.utils.translation import gettext

# Nine digits: every version number, page and count of the product fits, and so does PostgreSQL's integer.
MAX_DIGITS = 9
MAX_NUMBER = 10**MAX_DIGITS - 1
_WHOLE_NUMBER = re.compile(rf"-?[0-9]{{1,{MAX_DIGITS}}}")


class NumberConverter:
    """``<number:name>``: a whole number of 1 to 9 digits (``<int:…>`` takes any length)."""

    regex = f"[0-9]{{1,{MAX_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


# Registered once, when the first URL module that uses it imports this module.
register_converter(NumberConverter, "number")


class InvalidQueryParameter(BadRequest):
    """A query parameter that must be a whole number within bounds, and is not (400)."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


def query_int(
    params: Mapping[str, str], name: str, *, default: int | None = None, min_value: int = 1, max_value: int = MAX_NUMBER
) -> int | None:
    """The whole number in ``params[name]``, or ``default`` when it is absent or empty.

    Raises ``InvalidQueryParameter`` (400) for anything else than a whole number from ``min_value`` to
    ``max_value``, so the caller never sees a value it did not plan for.
    """
    raw = params.get(name)
    if raw is None or not raw.strip():
        return default
    raw = raw.strip()
    value = int(raw) if _WHOLE_NUMBER.fullmatch(raw) else None
    if value is None or not min_value <= value <= max_value:
        raise InvalidQueryParameter(
            name,
            gettext("%(name)s moet een geheel getal zijn van %(min)s tot en met %(max)s.")
            % {"name": name, "min": min_value, "max": max_value},
        )
    return value

"""What every choke point shares: the request's record of which kinds of object the layer handed out, refusals,
and querysets that write the access log for exactly the rows they fetch.

A list is a queryset from the layer (``logged``): filtering, ordering, counting and slicing it works as usual,
and when rows are fetched, one access-log entry per row is queued (``access.log``, one INSERT per request).
Counting or using it as a subquery fetches no person and logs nothing; ``values()`` on it is refused, because the
log needs the rows it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from django.http import Http404
from django.utils.translation import gettext as _

from access import log as access_log
from consent.constants import AccessAction, DisclosureChannel

_CONSULTED = "_access_consulted"


def http_request(request):
    """DRF wraps the Django request; the middleware and the declarations see the inner one."""
    return getattr(request, "_request", request)


def consulted(request, kind: str) -> None:
    """Note that the layer decided about ``kind`` objects in this request (``access.declarations`` checks it)."""
    http_request(request).__dict__.setdefault(_CONSULTED, set()).add(kind)


def consulted_kinds(request) -> set[str]:
    return set(http_request(request).__dict__.get(_CONSULTED, ()))


def is_api(request) -> bool:
    return hasattr(request, "_request")


def channel(request) -> str:
    return DisclosureChannel.API if is_api(request) else DisclosureChannel.PAGE


def not_found(request, kind: str, *, detail: str = "", **log) -> Http404:
    """Log the refusal and give the 404 that hides whether the object exists. Use as ``raise not_found(...)``."""
    consulted(request, kind)
    if log:
        access_log.record(request, AccessAction.DENIED, detail=detail or kind, **log)
    return Http404(_("Niet gevonden."))


def forbidden(request, kind: str, message: str, *, detail: str = "", **log) -> PermissionDenied:
    """Log the refusal of a user who may see the object but not do this with it (403 with a Dutch message)."""
    consulted(request, kind)
    access_log.record(request, AccessAction.DENIED, detail=detail or kind, **log)
    return PermissionDenied(message)


# --- Logged querysets ---------------------------------------------------------------------------


@dataclass
class LogSpec:
    """How the rows of a list are logged: as ``action`` against their case (``case_of``) and/or client."""

    request: Any
    action: str
    detail: str = ""
    case_of: Callable[[Any], Any] | None = None
    client_of: Callable[[Any], Any] | None = None
    # Called with the fetched rows, for what a list needs per row before it is shown (a partner's decisions
    # and disclosures); may set attributes on the rows.
    on_fetch: Callable[[list], None] | None = None
    logged_ids: set = field(default_factory=set)
    logged_empty: bool = False


class _LoggingQuerySet:
    """Mixed into a model's queryset class by ``logged``: logs the rows it fetches (once per row)."""

    _access_spec: LogSpec | None = None

    def _clone(self):
        clone = super()._clone()  # type: ignore[misc]
        clone._access_spec = self._access_spec
        return clone

    def _fetch_all(self):
        fresh = self._result_cache is None  # type: ignore[attr-defined]
        super()._fetch_all()  # type: ignore[misc]
        spec = self._access_spec
        if not fresh or spec is None:
            return
        if self._iterable_class is not ModelIterable:  # type: ignore[attr-defined]
            raise TypeError("A list from the access layer is logged per row: fetch model rows, not values().")
        rows = [row for row in self._result_cache if row.pk not in spec.logged_ids]  # type: ignore[attr-defined]
        if not rows:
            if spec.action in (AccessAction.SEARCH, AccessAction.LOOKUP) and not spec.logged_empty:
                spec.logged_empty = True  # a search that found nobody is still a search
                access_log.record(spec.request, spec.action, detail=spec.detail)
            return
        spec.logged_ids.update(row.pk for row in rows)
        if spec.on_fetch is not None:
            spec.on_fetch(rows)
        cases = [spec.case_of(row) for row in rows] if spec.case_of else []
        clients = [spec.client_of(row) for row in rows] if spec.client_of else []
        if spec.case_of and spec.client_of:
            for case, client in zip(cases, clients, strict=True):
                access_log.record(spec.request, spec.action, case=case, client=client, detail=spec.detail)
        else:
            access_log.record(spec.request, spec.action, cases=cases, clients=clients, detail=spec.detail)


_CLASSES: dict[type, type] = {}


def logged(
    request,
    queryset: QuerySet,
    *,
    kind: str,
    action: str = AccessAction.LIST,
    detail: str = "",
    case_of: Callable[[Any], Any] | None = None,
    client_of: Callable[[Any], Any] | None = None,
    on_fetch: Callable[[list], None] | None = None,
) -> QuerySet:
    """``queryset`` (already filtered by the policy) as a list that logs the rows it fetches."""
    consulted(request, kind)
    base = type(queryset)
    cls = _CLASSES.get(base)
    if cls is None:
        cls = _CLASSES[base] = type(f"Logged{base.__name__}", (_LoggingQuerySet, base), {})
    clone = queryset._chain()
    clone.__class__ = cls
    clone._access_spec = LogSpec(
        request=request,
        action=action,
        detail=detail,
        case_of=case_of,
        client_of=client_of,
        on_fetch=on_fetch,
    )
    return clone


def as_list(queryset: QuerySet) -> list:
    """Fetch a logged list (convenience for views that need a list, not a queryset)."""
    return list(queryset)

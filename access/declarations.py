"""Every URL declares its access: who may open it, and which kind of object the access layer must decide on.

A view is declared with ``@declare(...)`` (a function view or a class-based view). The declaration is both a
label a test can read (``tests/access/test_url_declarations.py`` walks the whole URL configuration) and a check
that runs on every request:

- ``Scope.PUBLIC``: no login (login page, health check, API schema).
- ``Scope.SELF``: the user's own things (inbox, own API keys, ``/me``): a login and nothing more.
- ``Scope.ROLE``: a page for a role, about no particular person (reports, the FG's office, approvals):
  ``allowed`` (a predicate from ``access.policy``) is checked before the view runs.
- an object scope (``Scope.CASE``, ``Scope.CLIENT``, ...): the view must get its objects from ``access.gate``.
  A successful response for which the gate decided on no object of that kind is refused
  (``UndeclaredAccess``): a view cannot forget its access check and still hand out data.

``AccessDeclarationMiddleware`` refuses any request whose view carries no declaration (deny by default), so a
forgotten declaration fails loudly in development and never serves data in production.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.contrib.admin.options import BaseModelAdmin
from django.contrib.admin.sites import AdminSite
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from access import gate, policy
from access import log as access_log
from consent.constants import AccessAction


class Scope(StrEnum):
    PUBLIC = "public"
    SELF = "self"
    ROLE = "role"
    CASE = gate.CASE
    CLIENT = gate.CLIENT
    HOUSEHOLD = gate.HOUSEHOLD
    SIGNAL = gate.SIGNAL
    MEETING = gate.MEETING
    AGREEMENT = gate.AGREEMENT
    HANDOVER = gate.HANDOVER
    APPROVAL = gate.APPROVAL
    PRIVACY = gate.PRIVACY
    REPORT = gate.REPORT


OBJECT_SCOPES = frozenset(Scope) - {Scope.PUBLIC, Scope.SELF, Scope.ROLE}


class UndeclaredAccess(ImproperlyConfigured):
    """A view served data without the access layer deciding on it, or has no declaration at all."""


@dataclass(frozen=True)
class Declaration:
    scope: Scope
    allowed: Callable | None = None
    # What a refused user gets from ``allowed``: 404 hides that the page exists, 403 explains.
    denied: int = 403
    message: Any = ""  # a (lazy) Dutch message

    def describe(self) -> str:
        name = getattr(self.allowed, "__name__", "") if self.allowed else ""
        return f"{self.scope}({name})" if name else str(self.scope)


ATTRIBUTE = "access_declaration"


def declaration_of(view) -> Declaration | None:
    """The declaration of a URL callback: a decorated function, or a class-based view's class."""
    found = getattr(view, ATTRIBUTE, None)
    if found is not None:
        return found
    for attr in ("view_class", "cls"):
        cls = getattr(view, attr, None)
        if cls is not None and getattr(cls, ATTRIBUTE, None) is not None:
            return getattr(cls, ATTRIBUTE)
    return None


def _refuse(request, declaration: Declaration):
    access_log.record(request, AccessAction.DENIED, detail=f"page {declaration.describe()}"[:200])
    if declaration.denied == 404:
        return Http404(_("Niet gevonden."))
    return PermissionDenied(
        str(declaration.message) if declaration.message else _("U heeft geen toegang tot deze pagina.")
    )


def check_before(request, declaration: Declaration) -> None:
    """Raise the refusal when a role predicate says no. Marks the user object as this request's, so the policy
    may resolve its scope once for the whole request."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        setattr(user, policy.REQUEST_CACHE_FLAG, True)
    if declaration.allowed is not None and not declaration.allowed(request.user):
        raise _refuse(request, declaration)


def check_after(request, declaration: Declaration, response) -> None:
    """A successful response of an object scope must have come through the access layer."""
    if declaration.scope not in OBJECT_SCOPES or response.status_code >= 400:
        return
    if not gate.consulted_kinds(request):
        raise UndeclaredAccess(
            f"{request.path} is declared {declaration.scope!s} but answered without asking the access layer."
        )


def declare(scope: Scope, *, allowed: Callable | None = None, denied: int = 403, message: Any = ""):
    """Declare a view's access (see the module docstring); works on function views and view classes.
    ``message`` (lazy) is what a user refused by ``allowed`` reads."""
    declaration = Declaration(Scope(scope), allowed=allowed, denied=denied, message=message)

    def decorate(view):
        if isinstance(view, type):
            return _declare_class(view, declaration)

        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            check_before(request, declaration)
            response = view(request, *args, **kwargs)
            check_after(request, declaration, response)
            return response

        setattr(wrapper, ATTRIBUTE, declaration)
        if declaration.scope == Scope.PUBLIC:
            wrapper = login_not_required(wrapper)
        return wrapper

    return decorate


def _declare_class(cls: type, declaration: Declaration) -> type:
    """Class-based views (DRF and Django): check in ``initial``/``dispatch`` so DRF turns refusals into
    problem+json, and check the response in ``finalize_response``/``dispatch``."""
    setattr(cls, ATTRIBUTE, declaration)
    if hasattr(cls, "finalize_response"):  # Django REST framework
        original_initial = cls.initial
        original_finalize = cls.finalize_response

        def initial(self, request, *args, **kwargs):
            original_initial(self, request, *args, **kwargs)
            check_before(request, declaration)

        def finalize_response(self, request, response, *args, **kwargs):
            response = original_finalize(self, request, response, *args, **kwargs)
            check_after(request, declaration, response)
            return response

        cls.initial = initial  # type: ignore[attr-defined]
        cls.finalize_response = finalize_response  # type: ignore[attr-defined]
        original = cls.dispatch  # type: ignore[attr-defined]

        def dispatch(self, request, *args, **kwargs):
            return original(self, request, *args, **kwargs)

    else:
        original = cls.dispatch  # type: ignore[attr-defined]

        def dispatch(self, request, *args, **kwargs):
            check_before(request, declaration)
            response = original(self, request, *args, **kwargs)
            check_after(request, declaration, response)
            return response

    # ``as_view()`` copies the attributes of ``dispatch`` onto the view function, which is where Django's
    # ``LoginRequiredMiddleware`` looks for ``login_required``.
    functools.update_wrapper(dispatch, original)
    if declaration.scope == Scope.PUBLIC:
        dispatch.login_required = False  # type: ignore[attr-defined]
    cls.dispatch = dispatch  # type: ignore[attr-defined]
    return cls


def is_admin_view(view) -> bool:
    """Views of the Django admin (Beheer) declare their access through the admin site's own permission check
    (``AdminSite.has_permission``: an active staff user)."""
    if getattr(view, "admin_site", None) is not None or getattr(view, "model_admin", None) is not None:
        return True
    while view is not None:  # ``admin_view`` wraps a bound method of the site or of a ModelAdmin
        if isinstance(getattr(view, "__self__", None), AdminSite | BaseModelAdmin):
            return True
        view = getattr(view, "__wrapped__", None)
    return False


class AccessDeclarationMiddleware:
    """Refuses to run a view that has no access declaration (deny by default)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            # The scope the policy cached on the request's user object ends with the request (a test client or
            # a long-lived object may hand the same user object to the next request).
            user = getattr(request, "user", None)
            if user is not None and getattr(user, "is_authenticated", False):
                policy.forget(user)
                if hasattr(user, policy.REQUEST_CACHE_FLAG):
                    delattr(user, policy.REQUEST_CACHE_FLAG)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if declaration_of(view_func) is None and not is_admin_view(view_func):
            raise UndeclaredAccess(f"The view of {request.path} declares no access (access.declarations).")
        return None

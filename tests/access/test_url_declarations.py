"""Every URL declares its access, and the declaration is enforced on every request.

The walk fails when a view is added without a declaration; the middleware refuses to run such a view at all;
and a view declared for an object scope cannot answer without the access layer deciding about that object.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, path

from access import gate
from access.declarations import (
    OBJECT_SCOPES,
    Scope,
    UndeclaredAccess,
    declaration_of,
    declare,
    is_admin_view,
)

pytestmark = pytest.mark.django_db


def _patterns(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            assert isinstance(pattern, URLPattern)
            yield prefix + str(pattern.pattern), pattern


def test_every_url_of_the_product_declares_its_access():
    undeclared = [
        route
        for route, pattern in _patterns()
        if declaration_of(pattern.callback) is None and not is_admin_view(pattern.callback)
    ]
    assert undeclared == []


def test_the_walk_sees_the_whole_product():
    routes = {route for route, _pattern in _patterns()}
    # Pages, the API, the privacy office, reports and Beheer are all walked (a sample of each).
    for expected in (
        "casussen/<uuid:uuid>/",
        "api/v1/cases/<uuid:uuid>",
        "privacy/toegangslog/",
        "rapportages/",
        "beheer/",
        "overleggen/<uuid:uuid>/",
    ):
        assert expected in routes, expected


def test_only_login_health_the_api_schema_and_language_are_public():
    public = {
        route for route, pattern in _patterns() if (d := declaration_of(pattern.callback)) and d.scope == Scope.PUBLIC
    }
    assert public == {
        "inloggen/",
        "uitloggen/",
        "health",
        "api/v1/openapi.json",
        "api/v1/docs",
        "api/v1/^.*$",
        "i18n/setlang/",
    }


def test_pages_with_a_uuid_of_a_person_s_record_declare_an_object_scope():
    """A URL that names a case, client, signal, meeting, agreement or handover is decided by the access layer."""
    for route, pattern in _patterns():
        declaration = declaration_of(pattern.callback)
        # Staff's own things (their inbox, API keys) and the administration of staff roles hold no client data.
        staff = ("beheer/", "berichten/", "rollen/", "api-sleutels/")
        if declaration is None or "<uuid:" not in route or route.startswith(staff):
            continue
        assert declaration.scope in OBJECT_SCOPES, route


def test_the_admin_is_for_staff_only(client, wijkcoach):
    client.force_login(wijkcoach)
    response = client.get("/beheer/")
    assert response.status_code == 302 and "/beheer/login/" in response["Location"]


# --- The declarations are enforced -------------------------------------------------------------------


def forgotten(request):
    return HttpResponse("data")


@declare(Scope.CASE)
def declared_but_not_asking(request):
    return HttpResponse("data")


@declare(Scope.CASE)
def declared_and_asking(request):
    gate.consulted(request, gate.CASE)
    return HttpResponse("data")


urlpatterns = [
    path("forgotten/", forgotten),
    path("declared-but-not-asking/", declared_but_not_asking),
    path("declared-and-asking/", declared_and_asking),
]


@override_settings(ROOT_URLCONF=__name__)
def test_a_view_without_a_declaration_is_never_run(client, wijkcoach):
    client.force_login(wijkcoach)
    client.raise_request_exception = True
    with pytest.raises(UndeclaredAccess):
        client.get("/forgotten/")


@override_settings(ROOT_URLCONF=__name__)
def test_a_view_declared_for_cases_cannot_answer_without_asking_the_access_layer(client, wijkcoach):
    client.force_login(wijkcoach)
    client.raise_request_exception = True
    with pytest.raises(UndeclaredAccess):
        client.get("/declared-but-not-asking/")
    assert client.get("/declared-and-asking/").status_code == 200


def test_a_role_declaration_refuses_before_the_view_runs(rf: RequestFactory, beleid):
    ran = []

    @declare(Scope.ROLE, allowed=lambda user: False, denied=404)
    def page(request):
        ran.append(True)
        return HttpResponse()

    request = rf.get("/")
    request.user = beleid
    from django.http import Http404

    with pytest.raises(Http404):
        page(request)
    assert ran == []
    anonymous = rf.get("/")
    anonymous.user = AnonymousUser()
    with pytest.raises(Http404):
        page(anonymous)

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from access.declarations import Scope, declare
from cases.views.werkvoorraad import werkvoorraad

from . import errors
from .health import health

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("workplans.api.urls")),
    # The schema and its docs describe the API, not a person: public.
    path(
        "openapi.json",
        declare(Scope.PUBLIC)(SpectacularJSONAPIView.as_view(permission_classes=[])),
        name="api-schema",
    ),
    path(
        "docs",
        declare(Scope.PUBLIC)(SpectacularSwaggerSplitView.as_view(url_name="api-schema", permission_classes=[])),
        name="api-docs",
    ),
    # Anything else under /api/v1/ is a problem+json 404, also with DEBUG on.
    re_path(r"^.*$", declare(Scope.PUBLIC)(errors.api_not_found)),
]

urlpatterns = [
    path("", werkvoorraad, name="werkvoorraad"),
    path("", include("cases.urls")),
    path("", include("workplans.urls")),
    path("", include("accounts.urls")),
    path("privacy/", include("consent.urls")),
    path("", include("reports.urls")),
    path("health", health, name="health"),
    path("api/v1/", include(api_v1)),
    path("beheer/", admin.site.urls),
    path("i18n/setlang/", declare(Scope.PUBLIC)(set_language), name="set_language"),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.not_found
handler500 = errors.server_error

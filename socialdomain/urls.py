from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from cases.views.werkvoorraad import werkvoorraad

from . import errors
from .health import health

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("cases.api.urls")),
    path("", include("workplans.api.urls")),
    path("openapi.json", login_not_required(SpectacularJSONAPIView.as_view(permission_classes=[])), name="api-schema"),
    path(
        "docs",
        login_not_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema", permission_classes=[])),
        name="api-docs",
    ),
    # Anything else under /api/v1/ is a problem+json 404, also with DEBUG on.
    re_path(r"^.*$", errors.api_not_found),
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
    path("i18n/", include("django.conf.urls.i18n")),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.not_found
handler500 = errors.server_error

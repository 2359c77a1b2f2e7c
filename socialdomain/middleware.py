"""Cross-cutting request handling: deny by default, privacy headers."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.utils.cache import add_never_cache_headers, patch_cache_control

API_PREFIX = "/api/"


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Every page needs a login unless the view opts out with ``@login_not_required``.

    The API is left to Django REST framework: its default permission is
    ``IsAuthenticated`` and token clients would otherwise be redirected to the
    HTML login page before DRF could authenticate them.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(API_PREFIX):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class PrivacyHeadersMiddleware:
    """Keep personal data out of caches and label API responses with their version.

    Any response to a logged-in user may carry personal data, and so may every
    API response: none of them may be stored by a browser or proxy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        is_api = request.path_info.startswith(API_PREFIX)
        if is_api:
            response["API-Version"] = settings.API_VERSION
        user = getattr(request, "user", None)
        if is_api or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True, private=True)
        return response

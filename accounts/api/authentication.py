"""API authentication with a personal API key: ``Authorization: Token <key>``.

Replaces DRF's ``rest_framework.authtoken``, which stored keys readable and let Beheer make a key for
anyone. Here a key is made by its owner only (``services.api_token_create``), stored as a SHA-256 hash,
and always acts as its owner. A revoked key, an unknown key and the key of an inactive user get a 401
(problem+json through the API's exception handler, with ``WWW-Authenticate: Token``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from ..models import ApiToken
from ..services import api_token_hash, api_token_touch


class ApiTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None  # not ours: the next class (the session) may authenticate
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Ongeldige Authorization-header: gebruik “Token <sleutel>”."))
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Ongeldige of ingetrokken API-sleutel.")) from None
        return self.authenticate_credentials(key)

    def authenticate_credentials(self, key: str):
        token = ApiToken.objects.select_related("user").filter(key_hash=api_token_hash(key)).first()
        if token is None or token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("Ongeldige of ingetrokken API-sleutel."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Het account van deze API-sleutel is niet actief."))
        api_token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # Makes "not logged in" a 401 (with this challenge) instead of a 403.
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Documents the scheme in the OpenAPI schema (drf-spectacular finds extensions when they are imported)."""

    target_class = "accounts.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": str(_("Een persoonlijke API-sleutel (pagina “Mijn API-sleutels”), als “Token <sleutel>”.")),
        }

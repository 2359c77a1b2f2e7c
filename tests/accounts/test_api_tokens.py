"""Personal API keys: made by their owner only, shown once, stored as a hash, revocable.

Replaces DRF's authtoken, whose keys were readable in Beheer and which a beheerder could make for anyone
(so the access log blamed the wrong person).
"""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from accounts import services
from accounts.constants import API_TOKEN_MAX_ACTIVE
from accounts.models import ApiToken

pytestmark = pytest.mark.django_db

URL = reverse("accounts:api-tokens")


def make_key(user, name="Koppeling") -> tuple[ApiToken, str]:
    return services.api_token_create(actor=user, user=user, name=name)


def new_key_on(page: str) -> str:
    match = re.search(r'id="new-key" value="([^"]+)"', page)
    assert match, "the new key is not on the page"
    return match.group(1)


def test_a_new_key_is_shown_once_and_stored_only_as_a_hash(client, wijkcoach):
    client.force_login(wijkcoach)
    response = client.post(URL, {"name": "Rapportagekoppeling"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = new_key_on(response.content.decode())
    assert key.startswith("crg_") and len(key) > 40

    token = ApiToken.objects.get()
    assert token.user == wijkcoach and token.name == "Rapportagekoppeling"
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:12]
    with connection.cursor() as cursor:  # the key is nowhere in the table
        cursor.execute("SELECT * FROM accounts_apitoken")
        assert not any(key in str(value) for row in cursor.fetchall() for value in row)

    page = client.get(URL).content.decode()
    assert key not in page
    assert f"{token.prefix}…" in page


def test_the_key_acts_as_its_owner_and_its_use_is_recorded(api_client, wijkcoach):
    token, key = make_key(wijkcoach)
    response = api_client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["username"] == wijkcoach.username
    token.refresh_from_db()
    assert token.last_used_at is not None


def _assert_401_problem(response):
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["status"] == 401


def test_a_revoked_key_is_refused_with_401_problem_json(client, api_client, wijkcoach):
    token, key = make_key(wijkcoach)
    client.force_login(wijkcoach)
    response = client.post(reverse("accounts:api-token-revoke", args=[token.uuid]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == wijkcoach
    response = api_client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}")
    _assert_401_problem(response)
    assert "ingetrokken" in response.json()["detail"]


def test_the_key_of_an_inactive_user_and_an_unknown_key_are_refused(api_client, wijkcoach):
    _token, key = make_key(wijkcoach)
    _assert_401_problem(api_client.get("/api/v1/me", HTTP_AUTHORIZATION="Token crg_bestaat-niet"))
    _assert_401_problem(api_client.get("/api/v1/me", HTTP_AUTHORIZATION="Token"))
    wijkcoach.is_active = False
    wijkcoach.save(update_fields=["is_active"])
    _assert_401_problem(api_client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}"))


def test_nobody_makes_a_key_for_someone_else_not_even_a_beheerder(client, beheerder, wijkcoach):
    with pytest.raises(ValidationError, match="U kunt alleen voor uzelf een API-sleutel maken"):
        services.api_token_create(actor=beheerder, user=wijkcoach, name="Namens de wijkcoach")
    # The page has no "for whom": a posted user is ignored and the key is the beheerder's own.
    client.force_login(beheerder)
    client.post(URL, {"name": "Beheerkoppeling", "user": str(wijkcoach.uuid)})
    assert list(ApiToken.objects.values_list("user__username", flat=True)) == [beheerder.username]
    assert not ApiToken.objects.filter(user=wijkcoach).exists()


def test_a_user_revokes_only_their_own_keys(client, wijkcoach, colleague):
    theirs, _key = make_key(colleague)
    client.force_login(wijkcoach)
    assert client.post(reverse("accounts:api-token-revoke", args=[theirs.uuid])).status_code == 404
    with pytest.raises(ValidationError, match="alleen uw eigen API-sleutels intrekken"):
        services.api_token_revoke(actor=wijkcoach, token=theirs)
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert client.get(reverse("accounts:api-tokens-all")).status_code == 403


def test_the_beheerder_lists_every_key_and_revokes_any_without_reading_it(client, beheerder, wijkcoach, colleague):
    mine, mine_key = make_key(wijkcoach, name="Wijkcoach-koppeling")
    theirs, theirs_key = make_key(colleague, name="Collega-koppeling")
    client.force_login(beheerder)
    page = client.get(reverse("accounts:api-tokens-all")).content.decode()
    assert "Wijkcoach-koppeling" in page and "Collega-koppeling" in page
    assert mine_key not in page and theirs_key not in page
    assert mine.key_hash not in page

    response = client.post(reverse("accounts:api-token-revoke", args=[theirs.uuid]), {"terug": "alle"})
    assert response["Location"] == reverse("accounts:api-tokens-all")
    theirs.refresh_from_db()
    assert theirs.revoked_by == beheerder
    with pytest.raises(ValidationError, match="al ingetrokken"):
        services.api_token_revoke(actor=beheerder, token=theirs)


def test_names_are_unique_among_active_keys_and_their_number_is_capped(client, wijkcoach):
    make_key(wijkcoach, name="Dubbel")
    client.force_login(wijkcoach)
    response = client.post(URL, {"name": "Dubbel"})
    assert response.status_code == 400
    assert "U heeft al een API-sleutel met deze naam." in response.content.decode()
    for n in range(API_TOKEN_MAX_ACTIVE - 1):
        make_key(wijkcoach, name=f"Sleutel {n}")
    with pytest.raises(ValidationError, match="actieve API-sleutels"):
        make_key(wijkcoach, name="Een te veel")


def test_the_openapi_schema_documents_the_key(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"

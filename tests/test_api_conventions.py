import pytest
from rest_framework.test import APIClient, APIRequestFactory

from accounts.api.views import MeView
from accounts.services import api_token_create
from api_conventions.views import PreconditionFailed, PreconditionRequired, if_match_version

pytestmark = pytest.mark.django_db


def test_me_returns_user_teams_and_roles(api_client, wijkcoach):
    api_client.force_authenticate(wijkcoach)
    response = api_client.get("/api/v1/me")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == wijkcoach.username
    assert body["roles"] == ["wijkcoach"]
    assert body["teams"][0]["name"] == "Wijkteam Noord"
    assert body["teams"][0]["roles"] == ["wijkcoach"]
    assert response["API-Version"] == "1.0.0"
    assert "no-store" in response["Cache-Control"]


def test_me_with_token_authentication(api_client, wijkcoach):
    _token, key = api_token_create(actor=wijkcoach, user=wijkcoach, name="test")
    response = api_client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["username"] == wijkcoach.username


def test_unauthenticated_is_401_problem_json(api_client):
    response = api_client.get("/api/v1/me")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 401
    assert body["title"] == "Niet ingelogd."
    assert body["detail"]


def test_unknown_route_is_404_problem_json(api_client, wijkcoach):
    api_client.force_authenticate(wijkcoach)
    response = api_client.get("/api/v1/bestaat-niet")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_trailing_slash_is_not_served(api_client, wijkcoach):
    api_client.force_authenticate(wijkcoach)
    assert api_client.get("/api/v1/me/").status_code == 404


def test_method_not_allowed_is_problem_json(api_client, wijkcoach):
    api_client.force_authenticate(wijkcoach)
    response = api_client.post("/api/v1/me", {})
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"


def test_validation_errors_are_all_returned_at_once():
    from rest_framework import serializers
    from rest_framework.test import APIRequestFactory
    from rest_framework.views import APIView

    class Input(serializers.Serializer):
        name = serializers.CharField(max_length=5)
        age = serializers.IntegerField()

    class Echo(APIView):
        permission_classes = []

        def post(self, request):
            Input(data=request.data).is_valid(raise_exception=True)

    request = APIRequestFactory().post("/api/v1/echo", {"name": "veel te lang"}, format="json")
    response = Echo.as_view()(request)
    response.render()
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    names = {param["name"] for param in response.data["invalidParams"]}
    assert names == {"name", "age"}


def test_openapi_schema_documents_problem_responses(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    me = schema["paths"]["/api/v1/me"]["get"]
    assert "application/problem+json" in me["responses"]["401"]["content"]
    assert "Problem" in schema["components"]["schemas"]


def test_api_docs_page_is_served(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert "swagger" in response.content.decode().lower()


# --- If-Match: one rule for every lockable resource ------------------------------------


def _request(if_match: str | None):
    headers = {} if if_match is None else {"HTTP_IF_MATCH": if_match}
    return APIRequestFactory().patch("/api/v1/x", {}, format="json", **headers)


@pytest.mark.parametrize("header", ['"3"', '"1", "3"', ' "2" , "3" '])
def test_if_match_with_the_current_version_gives_it(header):
    assert if_match_version(_request(header), 3) == 3


@pytest.mark.parametrize("header", ['"2"', 'W/"3"', "3", '"3', "onzin"])
def test_if_match_without_a_current_strong_tag_is_412(header):
    with pytest.raises(PreconditionFailed):
        if_match_version(_request(header), 3)
    with pytest.raises(PreconditionFailed):
        if_match_version(_request(header), 3, required=False)


@pytest.mark.parametrize("header", [None, "", "*", " , "])
def test_if_match_naming_no_version_is_428_where_required_and_none_where_optional(header):
    with pytest.raises(PreconditionRequired):
        if_match_version(_request(header), 3)
    assert if_match_version(_request(header), 3, required=False) is None


def test_a_stale_if_match_carries_the_resources_own_wording():
    with pytest.raises(PreconditionFailed) as raised:
        if_match_version(_request('"1"'), 3, stale_detail="Het werkplan is gewijzigd.")
    assert str(raised.value.detail) == "Het werkplan is gewijzigd."


# --- An unexpected error in an API view is problem+json too, whatever DEBUG says ------------------


@pytest.mark.parametrize("debug", [False, True])
def test_an_unexpected_error_in_an_api_view_is_a_bare_problem_json_500(monkeypatch, settings, wijkcoach, caplog, debug):

    def broken(self, request):
        raise RuntimeError("kolom geheim_intern ontbreekt in /srv/app/secret.py")

    monkeypatch.setattr(MeView, "get", broken)
    settings.DEBUG = debug
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(wijkcoach)
    with caplog.at_level("ERROR", logger="django.request"):
        response = client.get("/api/v1/me")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body == {
        "type": "https://datatracker.ietf.org/doc/html/rfc9110#status.500",
        "title": "Interne fout.",
        "status": 500,
        "detail": "Er ging iets mis aan onze kant. Probeer het later opnieuw.",
        "instance": "/api/v1/me",
    }
    text = response.content.decode()
    for internal in ("RuntimeError", "geheim_intern", "secret.py", "Traceback", "DEBUG"):
        assert internal not in text
    assert "no-store" in response["Cache-Control"]
    # The traceback goes to the log, as Django logs an uncaught exception.
    record = next(r for r in caplog.records if r.name == "django.request")
    assert record.levelname == "ERROR"
    assert record.exc_info[0] is RuntimeError


def test_an_unexpected_error_still_reaches_the_test_client(monkeypatch, wijkcoach):
    """got_request_exception is sent: tests (and error reporting) see the real exception."""

    def broken(self, request):
        raise RuntimeError("stuk")

    monkeypatch.setattr(MeView, "get", broken)
    client = APIClient()
    client.force_authenticate(wijkcoach)
    with pytest.raises(RuntimeError, match="stuk"):
        client.get("/api/v1/me")

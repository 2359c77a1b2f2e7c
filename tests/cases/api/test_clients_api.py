"""/api/v1/clients: list, retrieve, create, update and the POST search (no BSN in any URL)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import get_resolver
from django.utils import timezone

from cases import services
from cases.models import Client
from consent.constants import AccessAction
from consent.models import AccessLogEntry

from .conftest import count_queries, invalid_names, make_bsn, new_client, problem

pytestmark = pytest.mark.django_db

CLIENTS = "/api/v1/clients"
SEARCH = "/api/v1/clients/search"


def detail(client) -> str:
    return f"{CLIENTS}/{client.uuid}"


def valid_client(**overrides) -> dict:
    return {
        "bsn": "111222333",
        "givenNames": "Jan",
        "prefix": "van",
        "familyName": "Dijk",
        "dateOfBirth": "1970-05-01",
        "gender": "man",
        "email": "jan@example.org",
        "street": "Dorpsstraat",
        "houseNumber": "1",
        "postcode": "1234ab",
        "city": "Testdorp",
        **overrides,
    }


# --- Create ---------------------------------------------------------------------------


def test_create_client(login, wijkcoach):
    response = login(wijkcoach).post(CLIENTS, valid_client())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["fullName"] == "Jan van Dijk"
    assert body["postcode"] == "1234 AB"
    assert body["bsn"] == "111222333"
    assert body["dateOfBirth"] == "1970-05-01"
    assert response["Location"] == f"/api/v1/clients/{body['uuid']}"
    client = Client.objects.get(uuid=body["uuid"])
    assert (client.family_name, client.bsn) == ("Dijk", "111222333")
    assert AccessLogEntry.objects.filter(client=client, action=AccessAction.CHANGE).exists()


def test_bsn_is_optional(login, wijkcoach):
    response = login(wijkcoach).post(CLIENTS, valid_client(bsn=""))
    assert response.status_code == 201, response.content
    assert Client.objects.get().bsn is None


@pytest.mark.parametrize("persona", ["beleid", "partner"])
def test_only_casework_professionals_register_clients(login, request, persona):
    problem(login(request.getfixturevalue(persona)).post(CLIENTS, valid_client()), 403)
    assert not Client.objects.exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"bsn": "123456789"}, "bsn"),
        ({"bsn": "12345"}, "bsn"),
        ({"bsn": "1112223334"}, "bsn"),
        ({"postcode": "12345"}, "postcode"),
        ({"postcode": "0123 AB"}, "postcode"),
        ({"dateOfBirth": "2999-01-01"}, "dateOfBirth"),
        ({"dateOfBirth": "31-12-1990"}, "dateOfBirth"),
        ({"dateOfBirth": "1990-02-30"}, "dateOfBirth"),
        ({"familyName": "x" * 201}, "familyName"),
        ({"city": "x" * 101}, "city"),
        ({"familyName": ""}, "familyName"),
        ({"gender": "onbekend-x"}, "gender"),
        ({"email": "geen-adres"}, "email"),
    ],
)
def test_invalid_client_is_400_and_nothing_stored(login, wijkcoach, overrides, field):
    assert field in invalid_names(login(wijkcoach).post(CLIENTS, valid_client(**overrides)))
    assert not Client.objects.exists()


@pytest.mark.parametrize(
    "field", ["givenNames", "prefix", "familyName", "phone", "street", "houseNumber", "city", "email", "bsn"]
)
def test_nul_characters_are_a_clear_400(login, wijkcoach, field):
    params = problem(login(wijkcoach).post(CLIENTS, valid_client(**{field: "ab\x00c"})), 400)["invalidParams"]
    assert params == [
        {"name": field, "code": "null_characters_not_allowed", "reason": "De tekst bevat een ongeldig teken (NUL)."}
    ]
    assert not Client.objects.exists()


def test_all_errors_are_returned_at_once(login, wijkcoach):
    response = login(wijkcoach).post(
        CLIENTS, valid_client(bsn="123456789", postcode="12", dateOfBirth="2999-01-01", givenNames="a\x00")
    )
    assert invalid_names(response) == {"bsn", "postcode", "dateOfBirth", "givenNames"}
    reasons = {p["name"]: p["reason"] for p in response.json()["invalidParams"]}
    assert "elfproef" in reasons["bsn"]
    assert reasons["postcode"] == "Vul een postcode in als 1234 AB."
    assert reasons["dateOfBirth"] == "Deze datum ligt in de toekomst."


def test_duplicate_bsn_is_400_and_nothing_stored(login, wijkcoach):
    new_client(wijkcoach, bsn="111222333", family_name="Eerste")
    params = problem(login(wijkcoach).post(CLIENTS, valid_client(bsn="111222333")), 400)["invalidParams"]
    assert params == [{"name": "bsn", "code": "unique", "reason": "Er is al een cliënt met dit BSN."}]
    assert list(Client.objects.values_list("family_name", flat=True)) == ["Eerste"]


def test_html_is_stored_and_returned_as_text(login, wijkcoach):
    script = "<script>alert('x')</script>"
    response = login(wijkcoach).post(CLIENTS, valid_client(givenNames=script, city="<b>Testdorp</b>"))
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    assert response.json()["givenNames"] == script
    assert Client.objects.get().given_names == script


# --- Read -------------------------------------------------------------------------


def test_retrieve_logs_a_view(login, wijkcoach, case, client_record):
    response = login(wijkcoach).get(detail(client_record))
    assert response.status_code == 200
    assert response.json()["bsn"] == client_record.bsn
    assert AccessLogEntry.objects.filter(user=wijkcoach, client=client_record, action=AccessAction.VIEW).count() == 1


def test_list_shows_visible_clients_without_bsn_and_logs_them(login, colleague, case, client_record, household):
    response = login(colleague).get(CLIENTS)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert {row["familyName"] for row in body["results"]} == {"El Amrani", "de Vries"}
    assert all("bsn" not in row for row in body["results"])
    logged = set(
        AccessLogEntry.objects.filter(user=colleague, action=AccessAction.LIST).values_list("client", flat=True)
    )
    assert logged == set(Client.objects.values_list("pk", flat=True))


def test_list_query_count_does_not_grow_with_rows(login, wijkcoach, team, case):
    api = login(wijkcoach)
    one = count_queries(api, CLIENTS)
    for _ in range(10):
        services.case_open(actor=wijkcoach, team=team, client=new_client(wijkcoach))
    assert count_queries(api, CLIENTS) == one
    assert api.get(CLIENTS).json()["count"] == 11


def test_outsider_gets_404_and_an_empty_list(login, outsider, case, client_record):
    api = login(outsider)
    problem(api.get(detail(client_record)), 404)
    assert api.get(CLIENTS).json()["count"] == 0
    problem(api.patch(detail(client_record), {"city": "Elders"}), 404)


def test_beleid_sees_no_client(login, beleid, case, client_record):
    api = login(beleid)
    assert api.get(CLIENTS).json()["count"] == 0
    problem(api.get(detail(client_record)), 404)


def test_case_member_from_another_team_sees_the_client(login, member_from_other_team, client_record):
    assert login(member_from_other_team).get(detail(client_record)).status_code == 200


# --- Update -----------------------------------------------------------------------


def test_patch_client(login, colleague, case, client_record):
    response = login(colleague).patch(detail(client_record), {"postcode": "9999zz", "phone": "06-12345678"})
    assert response.status_code == 200, response.content
    client_record.refresh_from_db()
    assert (client_record.postcode, client_record.phone) == ("9999 ZZ", "06-12345678")
    assert client_record.family_name == "El Amrani"
    assert AccessLogEntry.objects.filter(client=client_record, action=AccessAction.CHANGE).exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"bsn": "123456789"}, "bsn"),
        ({"postcode": "ABCD 12"}, "postcode"),
        ({"dateOfBirth": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()}, "dateOfBirth"),
        ({"familyName": "y" * 201}, "familyName"),
        ({"familyName": "Nieuw\x00"}, "familyName"),
    ],
)
def test_invalid_patch_changes_nothing(login, wijkcoach, case, client_record, body, field):
    before = Client.objects.filter(pk=client_record.pk).values().get()
    assert invalid_names(login(wijkcoach).patch(detail(client_record), body)) == {field}
    assert Client.objects.filter(pk=client_record.pk).values().get() == before


def test_patch_to_a_duplicate_bsn_changes_nothing(login, wijkcoach, case, client_record):
    other = new_client(wijkcoach, bsn=make_bsn())
    response = login(wijkcoach).patch(detail(client_record), {"bsn": other.bsn, "city": "Elders"})
    assert invalid_names(response) == {"bsn"}
    client_record.refresh_from_db()
    assert client_record.city == "Testdorp"


def test_partner_member_has_no_client_file_and_cannot_change_the_client(login, partner_member, client_record):
    """A partner reads a client only inside the case, within the categories of their purpose."""
    api = login(partner_member)
    assert api.get(detail(client_record)).status_code == 404
    problem(api.patch(detail(client_record), {"city": "Elders"}), 404)
    client_record.refresh_from_db()
    assert client_record.city == "Testdorp"


# --- Search -----------------------------------------------------------------------


def test_search_by_bsn(login, wijkcoach, case, client_record):
    response = login(wijkcoach).post(SEARCH, {"bsn": client_record.bsn})
    assert response.status_code == 200, response.content
    assert [row["uuid"] for row in response.json()["results"]] == [str(client_record.uuid)]
    entry = AccessLogEntry.objects.get(action=AccessAction.SEARCH)
    assert (entry.user, entry.client) == (wijkcoach, client_record)
    assert client_record.bsn not in entry.detail + entry.route


def test_search_by_an_eight_digit_bsn_finds_the_padded_number(login, wijkcoach, team):
    padded = new_client(wijkcoach, bsn="12345672")
    services.case_open(actor=wijkcoach, team=team, client=padded)
    assert padded.bsn == "012345672"
    api = login(wijkcoach)
    assert api.post(SEARCH, {"bsn": "12345672"}).json()["count"] == 1
    assert api.post(SEARCH, {"bsn": "012345672"}).json()["count"] == 1


def test_search_by_name_and_date_of_birth(login, wijkcoach, case, client_record):
    api = login(wijkcoach)
    found = api.post(SEARCH, {"familyName": "el amrani", "dateOfBirth": "1985-04-12"}).json()
    assert found["count"] == 1
    assert api.post(SEARCH, {"familyName": "el amrani", "dateOfBirth": "1985-04-13"}).json()["count"] == 0


def test_search_by_postcode(login, wijkcoach, case, client_record):
    api = login(wijkcoach)
    assert api.post(SEARCH, {"postcode": "1234ab"}).json()["count"] == 1
    assert api.post(SEARCH, {"postcode": "1234 AB", "houseNumber": "12"}).json()["count"] == 1
    assert api.post(SEARCH, {"postcode": "1234 AB", "houseNumber": "14"}).json()["count"] == 0


def test_search_never_finds_what_the_user_may_not_see(login, outsider, case, client_record):
    response = login(outsider).post(SEARCH, {"bsn": client_record.bsn})
    assert response.status_code == 200
    assert response.json()["count"] == 0
    # A search that found nothing is still logged.
    entry = AccessLogEntry.objects.get(action=AccessAction.SEARCH)
    assert (entry.user, entry.client) == (outsider, None)


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "nonFieldErrors"),
        ({"bsn": "111222333", "postcode": "1234 AB"}, "nonFieldErrors"),
        ({"familyName": "Dijk"}, "dateOfBirth"),
        ({"dateOfBirth": "1970-01-01"}, "familyName"),
        ({"bsn": "123456789"}, "bsn"),
        ({"postcode": "99"}, "postcode"),
        ({"familyName": "Dijk\x00", "dateOfBirth": "1970-01-01"}, "familyName"),
        ({"houseNumber": "1"}, "nonFieldErrors"),
    ],
)
def test_invalid_search_is_400(login, wijkcoach, body, field):
    assert field in invalid_names(login(wijkcoach).post(SEARCH, body))


def test_search_is_post_only(login, wijkcoach):
    response = login(wijkcoach).get(SEARCH, {"bsn": "111222333"})
    problem(response, 405)


def test_no_bsn_in_any_url_of_the_api(client):
    """The schema offers no path or query parameter that carries a BSN or a name; the routes neither."""
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        assert "bsn" not in path.lower()
        for method, operation in operations.items():
            names = {p["name"].lower() for p in operation.get("parameters", [])}
            assert not names & {"bsn", "burgerservicenummer", "familyname", "dateofbirth", "postcode"}, (method, path)
    assert "requestBody" in schema["paths"]["/api/v1/clients/search"]["post"]
    routes = list(_routes(get_resolver().url_patterns))
    assert "api/v1/clients/search" in routes
    assert not any("bsn" in route.lower() for route in routes)


def _routes(patterns, prefix: str = ""):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)

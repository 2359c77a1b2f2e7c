"""/api/v1/households: composition derived from the membership history."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cases import services
from cases.constants import Relation
from cases.models import Household, HouseholdMember
from consent.constants import AccessAction
from consent.models import AccessLogEntry
from tests.factories import shared_purpose

from .conftest import count_queries, invalid_names, new_client, problem

pytestmark = pytest.mark.django_db

HOUSEHOLDS = "/api/v1/households"


def detail(household, suffix: str = "") -> str:
    return f"{HOUSEHOLDS}/{household.uuid}{suffix}"


def test_list_and_retrieve(login, colleague, household):
    api = login(colleague)
    body = api.get(HOUSEHOLDS).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["name"] == "Huishouden De Vries"
    assert {(m["client"]["fullName"], m["relation"]) for m in row["members"]} == {
        ("Sanne de Vries", "ouder"),
        ("Daan de Vries", "kind"),
    }
    assert AccessLogEntry.objects.filter(user=colleague, action=AccessAction.LIST).count() == 2

    response = api.get(detail(household))
    assert response.status_code == 200
    assert len(response.json()["members"]) == 2
    assert AccessLogEntry.objects.filter(user=colleague, action=AccessAction.VIEW).count() == 2


def test_list_query_count_does_not_grow_with_rows(login, wijkcoach, team, household):
    api = login(wijkcoach)
    one = count_queries(api, HOUSEHOLDS)
    for index in range(5):
        members = [(new_client(wijkcoach), Relation.OUDER), (new_client(wijkcoach), Relation.KIND)]
        extra = services.household_create(actor=wijkcoach, name=f"Huishouden {index}", members=members)
        services.case_open(actor=wijkcoach, team=team, household=extra)
    assert count_queries(api, HOUSEHOLDS) == one
    assert count_queries(api, detail(household, "/members")) == count_queries(api, detail(household, "/members"))
    assert api.get(HOUSEHOLDS).json()["count"] == 6


@pytest.mark.parametrize("persona", ["outsider", "beleid", "partner"])
def test_others_get_404_and_an_empty_list(login, request, household, persona):
    api = login(request.getfixturevalue(persona))
    assert api.get(HOUSEHOLDS).json()["count"] == 0
    problem(api.get(detail(household)), 404)
    problem(api.get(detail(household, "/members")), 404)


def test_create_household_with_visible_clients(login, wijkcoach, case, client_record):
    response = login(wijkcoach).post(
        HOUSEHOLDS,
        {"name": "Huishouden El Amrani", "members": [{"client": str(client_record.uuid), "relation": "ouder"}]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["members"][0]["client"]["uuid"] == str(client_record.uuid)
    assert response["Location"] == f"/api/v1/households/{body['uuid']}"
    assert HouseholdMember.objects.get(client=client_record).household.name == "Huishouden El Amrani"


def test_create_household_with_an_invisible_client_stores_nothing(login, outsider, case, client_record):
    other = new_client(outsider)
    response = login(outsider).post(
        HOUSEHOLDS,
        {
            "name": "Huishouden X",
            "members": [
                {"client": str(other.uuid), "relation": "ouder"},
                {"client": str(client_record.uuid), "relation": "kind"},
            ],
        },
    )
    # The first client is not visible either (no case, no signal): both are "unknown".
    assert invalid_names(response) == {"members.0.client", "members.1.client"}
    assert not Household.objects.exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "Fam\x00"}, "name"),
        ({"name": "Fam", "members": [{"client": "geen-uuid", "relation": "ouder"}]}, "members.0.client"),
        ({"name": "Fam", "members": [{"relation": "ouder"}]}, "members.0.client"),
    ],
)
def test_invalid_household_is_400(login, wijkcoach, body, field):
    assert field in invalid_names(login(wijkcoach).post(HOUSEHOLDS, body))
    assert not Household.objects.exists()


def test_partner_cannot_create_a_household(login, partner):
    problem(login(partner).post(HOUSEHOLDS, {"name": "Fam"}), 403)


def test_add_member_moves_the_client(login, wijkcoach, household, case, client_record):
    api = login(wijkcoach)
    response = api.post(detail(household, "/members"), {"client": str(client_record.uuid), "relation": "partner"})
    assert response.status_code == 201, response.content
    assert response.json()["relation"] == "partner"
    assert len(api.get(detail(household)).json()["members"]) == 3
    history = api.get(detail(household, "/members")).json()
    assert history["count"] == 3


def test_add_member_ends_the_previous_membership(login, wijkcoach, team, household):
    api = login(wijkcoach)
    parent = HouseholdMember.objects.get(household=household, relation=Relation.OUDER).client
    elsewhere = services.household_create(actor=wijkcoach, name="Nieuw adres")
    services.case_open(actor=wijkcoach, team=team, household=elsewhere)
    move = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    response = api.post(
        detail(elsewhere, "/members"), {"client": str(parent.uuid), "relation": "ouder", "validFrom": move}
    )
    assert response.status_code == 201, response.content
    ended = HouseholdMember.objects.get(household=household, client=parent)
    assert ended.valid_to == timezone.localdate() + datetime.timedelta(days=9)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"client": "00000000-0000-4000-8000-000000000000", "relation": "kind"}, "client"),
        ({"relation": "kind"}, "client"),
        ({"client": "00000000-0000-4000-8000-000000000000", "relation": "buurman"}, "relation"),
        ({"client": "00000000-0000-4000-8000-000000000000", "relation": "kind", "validFrom": "morgen"}, "validFrom"),
    ],
)
def test_invalid_member_is_400(login, wijkcoach, household, body, field):
    assert field in invalid_names(login(wijkcoach).post(detail(household, "/members"), body))
    assert HouseholdMember.objects.filter(household=household).count() == 2


def test_adding_a_current_member_again_is_400(login, wijkcoach, household):
    child = HouseholdMember.objects.get(household=household, relation=Relation.KIND).client
    response = login(wijkcoach).post(detail(household, "/members"), {"client": str(child.uuid), "relation": "kind"})
    params = problem(response, 400)["invalidParams"]
    assert params[0]["name"] == "nonFieldErrors"
    assert "hoort al bij dit huishouden" in params[0]["reason"]


def test_partner_member_of_the_household_case_cannot_add_members(
    login, wijkcoach, household, partner, case, client_record
):
    household_case = household.cases.get()
    services.case_member_add(
        actor=wijkcoach, case=household_case, user=partner, role="partner", purpose=shared_purpose()
    )
    api = login(partner)
    assert api.get(detail(household)).status_code == 404  # no household file for partners: only the case
    problem(api.post(detail(household, "/members"), {"client": str(client_record.uuid), "relation": "kind"}), 404)
    assert HouseholdMember.objects.filter(household=household).count() == 2

"""The pages "Rolverzoeken" (/rollen/) and "Teamrollen" (/rollen/teamrollen/)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.constants import Role
from accounts.models import Membership, RoleRequest, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("accounts:role-requests")
REASON = "Vervangt een collega met verlof."


@pytest.fixture
def newcomer(team):
    return UserFactory(username="t_nieuw", organisation=team.organisation)


def ask(actor, user, team, role=Role.WIJKCOACH) -> RoleRequest:
    return services.role_request_create(actor=actor, user=user, team=team, role=role, reason=REASON)


def file_request(client, user, team, role=Role.WIJKCOACH, reason=REASON):
    return client.post(URL, {"user": user.uuid, "team": team.uuid, "role": role, "reason": reason})


def decide(client, role_request, decision="goedkeuren", note=""):
    prefix = f"r-{role_request.uuid.hex}"
    return client.post(
        reverse("accounts:role-request-decide", args=[role_request.uuid]),
        {f"{prefix}-decision": decision, f"{prefix}-note": note},
    )


@pytest.mark.parametrize("who", ["beheerder", "teamleider"])
def test_beheerder_and_teamleider_see_the_page_in_their_menu(client, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(URL)
    assert response.status_code == 200
    assert f'href="{URL}"' in response.content.decode()  # the navigation entry


@pytest.mark.parametrize("who", ["wijkcoach", "fg", "beleid"])
def test_others_are_refused(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert f'href="{URL}"' not in client.get(reverse("werkvoorraad")).content.decode()


def test_the_beheerder_asking_a_role_for_themselves_is_refused_with_a_reason(client, beheerder, team):
    client.force_login(beheerder)
    response = file_request(client, beheerder, team, role=Role.WIJKCOACH)
    assert response.status_code == 400
    assert "U kunt geen rol voor uzelf aanvragen" in response.content.decode()
    assert not RoleRequest.objects.exists()


def test_filing_a_request_for_a_colleague(client, beheerder, newcomer, team):
    client.force_login(beheerder)
    response = file_request(client, newcomer, team, role=Role.KLANTMANAGER)
    assert response.status_code == 302
    role_request = RoleRequest.objects.get()
    assert (role_request.user, role_request.team, role_request.role) == (newcomer, team, Role.KLANTMANAGER)
    page = client.get(URL).content.decode()
    assert "Uw verzoek om de rol Klantmanager werk en inkomen" in page
    # The requester can withdraw, not decide.
    assert reverse("accounts:role-request-withdraw", args=[role_request.uuid]) in page
    assert reverse("accounts:role-request-decide", args=[role_request.uuid]) not in page


def test_a_teamleider_is_offered_their_own_teams_and_the_casework_roles(client, teamleider, team, other_team):
    client.force_login(teamleider)
    form = client.get(URL).context["form"]
    assert list(form.fields["team"].queryset) == [team]
    assert {value for value, _label in form.fields["role"].choices if value} == {
        Role.WIJKCOACH,
        Role.KLANTMANAGER,
        Role.WERKCOACH,
        Role.REGISSEUR,
        Role.TEAMLEIDER,
    }
    # A team they do not lead is not a valid choice.
    assert file_request(client, UserFactory(), other_team).status_code == 400
    assert not RoleRequest.objects.exists()


def test_the_requester_posting_a_decision_changes_nothing(client, beheerder, newcomer, team):
    role_request = ask(beheerder, newcomer, team)
    client.force_login(beheerder)
    response = decide(client, role_request)
    assert response.status_code == 302
    assert "vier-ogenprincipe" in client.get(URL).content.decode()
    role_request.refresh_from_db()
    assert role_request.status == RoleRequest.Status.PENDING
    assert not Membership.objects.filter(user=newcomer).exists()


def test_the_teamleider_approves_on_the_page(client, beheerder, teamleider, newcomer, team):
    role_request = ask(beheerder, newcomer, team, role=Role.REGISSEUR)
    client.force_login(teamleider)
    page = client.get(URL).content.decode()
    assert reverse("accounts:role-request-decide", args=[role_request.uuid]) in page
    assert REASON in page
    response = decide(client, role_request)
    assert response.status_code == 302
    assert "U heeft de rol Casusregisseur" in client.get(URL).content.decode()
    assert Membership.objects.current().filter(user=newcomer, team=team, role=Role.REGISSEUR).exists()
    assert User.objects.get(pk=newcomer.pk).groups.filter(name=Role.REGISSEUR).exists()


def test_refusing_without_a_reason_shows_the_error_at_the_request(client, beheerder, second_beheerder, newcomer, team):
    role_request = ask(beheerder, newcomer, team)
    client.force_login(second_beheerder)
    response = decide(client, role_request, decision="afwijzen")
    assert response.status_code == 400
    assert "Geef aan waarom u het verzoek afwijst." in response.content.decode()
    response = decide(client, role_request, decision="afwijzen", note="Niet nodig.")
    assert response.status_code == 302
    role_request.refresh_from_db()
    assert role_request.status == RoleRequest.Status.REFUSED


def test_the_requester_withdraws_on_the_page(client, beheerder, second_beheerder, newcomer, team):
    role_request = ask(beheerder, newcomer, team)
    client.force_login(second_beheerder)
    client.post(reverse("accounts:role-request-withdraw", args=[role_request.uuid]))
    role_request.refresh_from_db()
    assert role_request.status == RoleRequest.Status.PENDING
    client.force_login(beheerder)
    client.post(reverse("accounts:role-request-withdraw", args=[role_request.uuid]))
    role_request.refresh_from_db()
    assert role_request.status == RoleRequest.Status.WITHDRAWN


def test_the_page_costs_the_same_queries_for_one_and_for_many_requests(client, beheerder, second_beheerder, team):
    """Session, user, the user's memberships, the three lists (people and teams joined), the form's users and
    teams, the bell: the same for one open request as for six."""
    client.force_login(second_beheerder)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    ask(beheerder, UserFactory(), team)
    one = count()
    for _ in range(5):
        ask(beheerder, UserFactory(), team)
    assert count() == one


# --- Teamrollen --------------------------------------------------------------------------------------


def test_team_roles_is_for_the_beheerder(client, teamleider, beheerder):
    client.force_login(teamleider)
    assert client.get(reverse("accounts:team-roles")).status_code == 403
    client.force_login(beheerder)
    assert client.get(reverse("accounts:team-roles")).status_code == 200


def test_the_beheerder_ends_a_colleagues_role_but_not_their_own(client, beheerder, wijkcoach, team):
    client.force_login(beheerder)
    page = client.get(reverse("accounts:team-roles"), {"team": team.uuid}).content.decode()
    own = Membership.objects.get(user=beheerder)
    theirs = Membership.objects.get(user=wijkcoach)
    assert reverse("accounts:membership-end", args=[theirs.uuid]) in page
    assert reverse("accounts:membership-end", args=[own.uuid]) not in page
    assert "uw eigen rol" in page

    response = client.post(reverse("accounts:membership-end", args=[own.uuid]), follow=True)
    assert "U kunt uw eigen rol niet beëindigen" in response.content.decode()
    assert Membership.objects.get(pk=own.pk).valid_to is None

    response = client.post(reverse("accounts:membership-end", args=[theirs.uuid]), {"terug": f"team={team.uuid}"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:team-roles')}?team={team.uuid}"
    ended = Membership.objects.get(pk=theirs.pk)
    assert ended.valid_to is not None and ended.ended_by == beheerder

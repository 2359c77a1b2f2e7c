"""Security review, finding 1: in Beheer nobody edits privileges, their own or anyone else's.

The beheerder used to post their own change form with ``is_superuser=on`` (or groups, permissions, or a
membership row) and so get every case and the token admin. Privilege flags, groups and permissions are now
no form fields at all, not even for a superuser; the membership inline only shows.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.constants import Role
from accounts.models import Membership, User
from tests.accounts.test_deactivation import change_form_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PRIVILEGE_FIELDS = {"is_superuser", "is_staff", "groups", "user_permissions"}


@pytest.fixture
def superuser():
    return User.objects.create_superuser("t_root", "root@example.org", "een-lang-wachtwoord-1")


def _change_url(user: User) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def _privileges(user: User) -> tuple:
    user = User.objects.get(pk=user.pk)
    return (
        user.is_superuser,
        user.is_staff,
        sorted(user.groups.values_list("name", flat=True)),
        sorted(user.user_permissions.values_list("codename", flat=True)),
        sorted(Membership.objects.filter(user=user).values_list("team_id", "role", "valid_to")),
    )


@pytest.mark.parametrize("who", ["beheerder", "superuser"])
def test_the_user_form_offers_no_privilege_fields_not_even_to_a_superuser(client, request, who, wijkcoach):
    actor = request.getfixturevalue(who)
    client.force_login(actor)
    for user in (actor, wijkcoach):
        response = client.get(_change_url(user))
        assert response.status_code == 200
        form = response.context["adminform"].form
        assert not PRIVILEGE_FIELDS & set(form.fields)
        page = response.content.decode()
        for name in PRIVILEGE_FIELDS:
            assert f'name="{name}"' not in page
        # The memberships are shown, not editable.
        (inline,) = response.context["inline_admin_formsets"]
        assert not inline.has_add_permission and not inline.has_change_permission
        assert not inline.has_delete_permission
        # Only the hidden keys Django always adds; team, role and dates are text.
        assert all(set(form.fields) <= {"id", "user"} for form in inline.formset.forms)


def test_the_beheerder_posting_is_superuser_on_their_own_form_changes_nothing(client, beheerder, team):
    client.force_login(beheerder)
    before = _privileges(beheerder)
    data = change_form_data(client, beheerder)
    data.update(
        {
            "is_superuser": "on",
            "is_staff": "on",
            "groups": [str(Group.objects.get(name=Role.WIJKCOACH).pk), str(Group.objects.get(name=Role.FG).pk)],
            "user_permissions": [str(Permission.objects.get(codename="view_case").pk)],
            "first_name": "Ingrid",
        }
    )
    response = client.post(_change_url(beheerder), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert User.objects.get(pk=beheerder.pk).first_name == "Ingrid"  # the form did save
    assert _privileges(beheerder) == before
    # And it gives no case access: the API lists no case.
    client.force_login(User.objects.get(pk=beheerder.pk))
    assert client.get("/api/v1/cases").json()["count"] == 0


def test_a_membership_row_posted_in_the_inline_is_not_saved(client, beheerder, team, other_team):
    client.force_login(beheerder)
    before = _privileges(beheerder)
    data = change_form_data(client, beheerder)
    prefix = "memberships"
    existing = Membership.objects.get(user=beheerder)
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "2",
            f"{prefix}-INITIAL_FORMS": "1",
            f"{prefix}-0-id": str(existing.pk),
            f"{prefix}-0-user": str(beheerder.pk),
            f"{prefix}-0-role": Role.WIJKCOACH,
            f"{prefix}-0-DELETE": "on",
            f"{prefix}-1-user": str(beheerder.pk),
            f"{prefix}-1-team": str(other_team.pk),
            f"{prefix}-1-role": Role.WIJKCOACH,
            f"{prefix}-1-valid_from": "2026-01-01",
        }
    )
    response = client.post(_change_url(beheerder), data)
    assert response.status_code in (200, 302)
    assert _privileges(beheerder) == before


def test_the_beheerder_gives_a_colleague_no_role_through_the_admin(client, beheerder, team):
    colleague = UserFactory(username="t_nieuw", organisation=team.organisation)
    client.force_login(beheerder)
    data = change_form_data(client, colleague)
    data.update(
        {
            "is_superuser": "on",
            "is_staff": "on",
            "groups": [str(Group.objects.get(name=Role.WIJKCOACH).pk)],
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-user": str(colleague.pk),
            "memberships-0-team": str(team.pk),
            "memberships-0-role": Role.WIJKCOACH,
            "memberships-0-valid_from": "2026-01-01",
        }
    )
    response = client.post(_change_url(colleague), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _privileges(colleague) == (False, False, [], [], [])


def test_groups_are_not_in_beheer_not_even_for_a_superuser(client, superuser):
    client.force_login(superuser)
    assert client.get("/beheer/auth/group/").status_code == 404
    assert "auth/group" not in client.get(reverse("admin:index")).content.decode()


def test_the_beheerder_sets_only_their_own_password(client, beheerder, wijkcoach):
    client.force_login(beheerder)
    other = reverse("admin:auth_user_password_change", args=[wijkcoach.pk])
    own = reverse("admin:auth_user_password_change", args=[beheerder.pk])
    assert client.get(other).status_code == 403
    response = client.post(other, {"password1": "een-nieuw-wachtwoord-7", "password2": "een-nieuw-wachtwoord-7"})
    assert response.status_code == 403
    assert User.objects.get(pk=wijkcoach.pk).check_password("geheim-wachtwoord-1")
    assert client.get(own).status_code == 200


def test_the_superuser_may_reset_another_password(client, superuser, wijkcoach):
    client.force_login(superuser)
    assert client.get(reverse("admin:auth_user_password_change", args=[wijkcoach.pk])).status_code == 200


def test_memberships_role_requests_and_keys_are_read_only_for_the_beheerder_role():
    codenames = set(Group.objects.get(name=Role.BEHEERDER).permissions.values_list("codename", flat=True))
    assert {"view_membership", "view_rolerequest", "view_apitoken", "change_user", "change_team"} <= codenames
    assert (
        not {
            "add_membership",
            "change_membership",
            "delete_membership",
            "add_rolerequest",
            "change_rolerequest",
            "add_apitoken",
            "change_apitoken",
        }
        & codenames
    )


def test_the_upgrade_clears_privileges_set_by_hand(team, beheerder):
    """Migration 0007: groups and is_staff follow the memberships, raw permissions go, superusers stay."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("accounts.migrations.0007_privileges_follow_memberships")
    escalated = User.objects.get(pk=beheerder.pk)
    escalated.groups.add(Group.objects.get(name=Role.WIJKCOACH))
    escalated.user_permissions.add(Permission.objects.get(codename="view_case"))
    staff_without_role = UserFactory(username="t_staff", is_staff=True)
    root = User.objects.create_superuser("t_root", "root@example.org", "een-lang-wachtwoord-1")

    migration.privileges_follow_memberships(apps, None)

    assert _privileges(escalated)[:4] == (False, True, [Role.BEHEERDER], [])
    assert _privileges(staff_without_role)[:4] == (False, False, [], [])
    assert _privileges(root)[:2] == (True, True)

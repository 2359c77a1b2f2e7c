import pytest
from django.contrib.auth.models import Group, Permission

from accounts.constants import Role
from accounts.roles import ROLE_PERMISSIONS, sync_role_permissions

pytestmark = pytest.mark.django_db


def test_every_role_has_a_group():
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}


def test_beheerder_manages_accounts_but_beleid_does_not():
    beheerder = Group.objects.get(name=Role.BEHEERDER)
    beleid = Group.objects.get(name=Role.BELEID)
    assert beheerder.permissions.filter(codename="change_team").exists()
    assert beheerder.permissions.filter(codename="view_membership").exists()
    # Memberships start through four-eyes role requests only, never through an admin form.
    assert not beheerder.permissions.filter(codename="add_membership").exists()
    assert not beleid.permissions.filter(content_type__app_label="accounts").exists()


def test_casework_roles_may_view_teams():
    for role in (Role.WIJKCOACH, Role.KLANTMANAGER, Role.WERKCOACH, Role.REGISSEUR, Role.TEAMLEIDER):
        assert Group.objects.get(name=role).permissions.filter(codename="view_team").exists()
    assert not Group.objects.get(name=Role.WIJKCOACH).permissions.filter(codename="change_team").exists()


def test_sync_is_idempotent_and_repairs_drift():
    group = Group.objects.get(name=Role.BELEID)
    stray = Permission.objects.get(codename="delete_user")
    group.permissions.add(stray)
    sync_role_permissions(Group, Permission)
    sync_role_permissions(Group, Permission)
    assert not group.permissions.filter(pk=stray.pk).exists()


def test_mapping_covers_every_role():
    assert set(ROLE_PERMISSIONS) == set(Role)


def test_wildcard_in_the_middle_of_a_pattern():
    from django.db.models import Q

    from accounts.roles import _permission_filter

    matched = set(
        Permission.objects.filter(_permission_filter("cases.view_*settings")).values_list("codename", flat=True)
    )
    assert matched == {"view_teamcasesettings"}
    assert isinstance(_permission_filter("cases.*"), Q)

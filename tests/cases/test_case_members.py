"""The case team: memberships grant and revoke django-guardian object permissions in the same transaction."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from guardian.models import UserObjectPermission

from accounts.models import User
from cases import services
from cases.constants import CaseRole
from cases.models import Case, CaseMember, CaseUserObjectPermission
from tests.factories import shared_purpose

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    """A new user object, so no permission or role cache of an earlier check can answer."""
    return User.objects.get(pk=user.pk)


def _perms(user: User, case: Case) -> set[str]:
    return set(
        CaseUserObjectPermission.objects.filter(user=user, content_object=case).values_list(
            "permission__codename", flat=True
        )
    )


def test_opening_a_case_makes_the_actor_a_member_with_both_permissions(wijkcoach, resident_case):
    assert _perms(wijkcoach, resident_case) == {"view_case", "change_case"}
    assert _fresh(wijkcoach).has_perm("cases.change_case", resident_case)


def test_member_add_grants_view_and_change(wijkcoach, outsider, resident_case):
    assert not _fresh(outsider).has_perm("cases.view_case", resident_case)

    member = services.case_member_add(actor=wijkcoach, case=resident_case, user=outsider, role=CaseRole.KLANTMANAGER)

    assert member.organisation == outsider.organisation
    user = _fresh(outsider)
    assert user.has_perm("cases.view_case", resident_case)
    assert user.has_perm("cases.change_case", resident_case)
    assert _perms(outsider, resident_case) == {"view_case", "change_case"}


def test_permissions_are_per_case(wijkcoach, outsider, team, resident_case, make_resident):
    other_case = services.case_open(actor=wijkcoach, team=team, client=make_resident(given_names="Piet"))
    services.case_member_add(actor=wijkcoach, case=resident_case, user=outsider, role=CaseRole.WIJKCOACH)
    assert not _fresh(outsider).has_perm("cases.view_case", other_case)


def test_partner_member_gets_view_only(wijkcoach, partner_user, partner_org, resident_case):
    member = services.case_member_add(
        actor=wijkcoach, case=resident_case, user=partner_user, role=CaseRole.PARTNER, purpose=shared_purpose()
    )

    assert member.organisation == partner_org
    user = _fresh(partner_user)
    assert user.has_perm("cases.view_case", resident_case)
    assert not user.has_perm("cases.change_case", resident_case)
    assert _perms(partner_user, resident_case) == {"view_case"}


def test_partner_contact_without_account_gets_no_permissions(wijkcoach, partner_org, resident_case):
    member = services.case_member_add(
        actor=wijkcoach,
        case=resident_case,
        organisation=partner_org,
        contact_name="M. de Boer",
        purpose=shared_purpose(),
        role=CaseRole.PARTNER,
    )
    assert member.user is None
    assert not CaseUserObjectPermission.objects.exclude(user=wijkcoach).exists()


def test_member_end_revokes_the_permissions(wijkcoach, outsider, resident_case):
    member = services.case_member_add(actor=wijkcoach, case=resident_case, user=outsider, role=CaseRole.WIJKCOACH)

    services.case_member_end(actor=wijkcoach, member=member)

    member.refresh_from_db()
    assert member.valid_to is not None
    user = _fresh(outsider)
    assert not user.has_perm("cases.view_case", resident_case)
    assert not user.has_perm("cases.change_case", resident_case)
    assert _perms(outsider, resident_case) == set()


def test_ending_one_of_two_roles_keeps_the_permissions_of_the_other(wijkcoach, outsider, resident_case):
    services.case_member_add(
        actor=wijkcoach, case=resident_case, user=outsider, role=CaseRole.PARTNER, purpose=shared_purpose()
    )
    werkcoach = services.case_member_add(actor=wijkcoach, case=resident_case, user=outsider, role=CaseRole.WERKCOACH)

    services.case_member_end(actor=wijkcoach, member=werkcoach)

    assert _perms(outsider, resident_case) == {"view_case"}


def test_ending_twice_is_refused(wijkcoach, outsider, resident_case):
    member = services.case_member_add(actor=wijkcoach, case=resident_case, user=outsider, role=CaseRole.WIJKCOACH)
    services.case_member_end(actor=wijkcoach, member=member)
    with pytest.raises(ValidationError, match="al beëindigd"):
        services.case_member_end(actor=wijkcoach, member=member)


def test_same_open_role_twice_is_refused(wijkcoach, outsider, resident_case):
    services.case_member_add(actor=wijkcoach, case=resident_case, user=outsider, role=CaseRole.WIJKCOACH)
    with pytest.raises(ValidationError) as exc:
        services.case_member_add(actor=wijkcoach, case=resident_case, user=outsider, role=CaseRole.WIJKCOACH)
    assert "user" in exc.value.message_dict
    assert CaseMember.objects.filter(case=resident_case, user=outsider).count() == 1


def test_inactive_user_cannot_be_added(wijkcoach, outsider, resident_case):
    outsider.is_active = False
    outsider.save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as exc:
        services.case_member_add(actor=wijkcoach, case=resident_case, user=outsider, role=CaseRole.WIJKCOACH)
    assert "user" in exc.value.message_dict
    assert _perms(outsider, resident_case) == set()


class _Boom(Exception):
    pass


def test_rollback_of_the_surrounding_transaction_leaves_no_permission(wijkcoach, outsider, resident_case):
    with pytest.raises(_Boom), transaction.atomic():
        services.case_member_add(actor=wijkcoach, case=resident_case, user=outsider, role=CaseRole.WIJKCOACH)
        # Granted inside the transaction ...
        assert _fresh(outsider).has_perm("cases.change_case", resident_case)
        raise _Boom

    # ... and gone with it.
    assert not CaseMember.objects.filter(case=resident_case, user=outsider).exists()
    assert not CaseUserObjectPermission.objects.filter(user=outsider).exists()
    assert not UserObjectPermission.objects.filter(user=outsider).exists()
    user = _fresh(outsider)
    assert not user.has_perm("cases.view_case", resident_case)
    assert not user.has_perm("cases.change_case", resident_case)


def test_rollback_of_member_end_keeps_the_permissions(wijkcoach, outsider, resident_case):
    member = services.case_member_add(actor=wijkcoach, case=resident_case, user=outsider, role=CaseRole.WIJKCOACH)

    with pytest.raises(_Boom), transaction.atomic():
        services.case_member_end(actor=wijkcoach, member=member)
        raise _Boom

    assert CaseMember.objects.get(pk=member.pk).valid_to is None
    assert _fresh(outsider).has_perm("cases.change_case", resident_case)


# --- Coordinator -------------------------------------------------------------------


def test_set_coordinator_sets_the_case_field_and_a_member_role(wijkcoach, colleague, resident_case):
    member = services.case_set_coordinator(actor=wijkcoach, case=resident_case, user=colleague)

    resident_case.refresh_from_db()
    assert resident_case.coordinator == colleague
    assert member.role == CaseRole.COORDINATOR
    assert member.valid_to is None
    assert _fresh(colleague).has_perm("cases.change_case", resident_case)


def test_changing_coordinator_ends_the_previous_role(wijkcoach, colleague, outsider, resident_case):
    first = services.case_set_coordinator(actor=wijkcoach, case=resident_case, user=colleague)

    second = services.case_set_coordinator(actor=wijkcoach, case=resident_case, user=outsider)

    resident_case.refresh_from_db()
    assert resident_case.coordinator == outsider
    first.refresh_from_db()
    assert first.valid_to is not None
    open_coordinators = CaseMember.objects.filter(case=resident_case, role=CaseRole.COORDINATOR, valid_to__isnull=True)
    assert list(open_coordinators) == [second]
    # The previous coordinator had no other role in the case, so the permissions went with the role.
    assert _perms(colleague, resident_case) == set()
    assert _fresh(outsider).has_perm("cases.change_case", resident_case)


def test_previous_coordinator_with_another_role_keeps_access(wijkcoach, outsider, resident_case):
    # The wijkcoach opened the case (role wijkcoach) and now also coordinates it.
    services.case_set_coordinator(actor=wijkcoach, case=resident_case, user=wijkcoach)
    services.case_set_coordinator(actor=wijkcoach, case=resident_case, user=outsider)

    assert _perms(wijkcoach, resident_case) == {"view_case", "change_case"}
    assert CaseMember.objects.filter(
        case=resident_case, user=wijkcoach, role=CaseRole.WIJKCOACH, valid_to__isnull=True
    ).exists()


def test_setting_the_same_coordinator_again_changes_nothing(wijkcoach, colleague, resident_case):
    first = services.case_set_coordinator(actor=wijkcoach, case=resident_case, user=colleague)
    again = services.case_set_coordinator(actor=wijkcoach, case=resident_case, user=colleague)
    assert again == first
    assert CaseMember.objects.filter(case=resident_case, role=CaseRole.COORDINATOR).count() == 1


def test_a_second_coordinator_through_member_add_is_refused(wijkcoach, colleague, outsider, resident_case):
    services.case_set_coordinator(actor=wijkcoach, case=resident_case, user=colleague)
    with pytest.raises(ValidationError) as exc:
        services.case_member_add(actor=wijkcoach, case=resident_case, user=outsider, role=CaseRole.COORDINATOR)
    assert "role" in exc.value.message_dict
    resident_case.refresh_from_db()
    assert resident_case.coordinator == colleague


def test_database_allows_only_one_open_coordinator(wijkcoach, colleague, outsider, resident_case):
    services.case_set_coordinator(actor=wijkcoach, case=resident_case, user=colleague)
    with pytest.raises(IntegrityError, match="cases_casemember_one_open_coordinator"), transaction.atomic():
        CaseMember.objects.create(
            case=resident_case, user=outsider, organisation=outsider.organisation, role=CaseRole.COORDINATOR
        )
    assert CaseMember.objects.filter(case=resident_case, role=CaseRole.COORDINATOR).count() == 1


def test_non_casework_roles_cannot_join_a_case_team(wijkcoach, resident_case, beleid):
    from django.core.exceptions import ValidationError

    from cases.constants import CaseRole

    with pytest.raises(ValidationError, match="Alleen professionals"):
        services.case_member_add(actor=wijkcoach, case=resident_case, user=beleid, role=CaseRole.WIJKCOACH)
    assert not beleid.has_perm("cases.view_case", resident_case)

import pytest
from django.core.exceptions import ValidationError

from accounts.constants import Role
from accounts.selectors import user_roles
from accounts.services import membership_add, membership_end
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_membership_add_puts_user_in_role_group(team):
    user = UserFactory()
    membership_add(actor=None, user=user, team=team, role=Role.REGISSEUR)
    assert list(user.groups.values_list("name", flat=True)) == ["regisseur"]
    assert user_roles(user) == {Role.REGISSEUR}


def test_duplicate_open_membership_is_refused(team):
    user = UserFactory()
    membership_add(actor=None, user=user, team=team, role=Role.WIJKCOACH)
    with pytest.raises(ValidationError, match="heeft deze rol al"):
        membership_add(actor=None, user=user, team=team, role=Role.WIJKCOACH)


def test_ending_a_membership_in_the_past_removes_the_role(team):
    import datetime

    user = UserFactory()
    membership = membership_add(
        actor=None, user=user, team=team, role=Role.WIJKCOACH, valid_from=datetime.date(2026, 1, 1)
    )
    membership_end(actor=None, membership=membership, valid_to=datetime.date(2026, 2, 1))
    user.refresh_from_db()
    assert not user.groups.exists()
    assert user_roles(user) == frozenset()


def test_membership_end_before_start_is_refused(team):
    import datetime

    user = UserFactory()
    membership = membership_add(
        actor=None, user=user, team=team, role=Role.WIJKCOACH, valid_from=datetime.date(2026, 3, 1)
    )
    with pytest.raises(ValidationError, match="voor de begindatum"):
        membership_end(actor=None, membership=membership, valid_to=datetime.date(2026, 2, 1))

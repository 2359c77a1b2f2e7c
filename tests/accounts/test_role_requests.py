"""Four eyes on every role grant (``accounts.services.role_request_*``, rules in ``accounts.privileges``).

Nobody asks for a role for themselves; the decider is neither the requester nor the subject, and is a
functioneel beheerder or, for a casework role, a teamleider of the team; an approval starts the membership
and the group in the same transaction. Ending someone else's role is one beheerder's action, never one's own.
"""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import services
from accounts.constants import Role
from accounts.models import Membership, Notification, RoleRequest, User
from accounts.selectors import user_roles
from tests.factories import UserFactory, make_user

pytestmark = pytest.mark.django_db

REASON = "Neemt de regie over van een vertrekkende collega."


@pytest.fixture
def newcomer(team):
    """A professional of the municipality without any role yet."""
    return UserFactory(username="t_nieuw", organisation=team.organisation)


def fresh(user: User) -> User:
    """The user as the next request sees them (no cached roles)."""
    return User.objects.get(pk=user.pk)


def ask(actor, user, team, role=Role.WIJKCOACH, reason=REASON) -> RoleRequest:
    return services.role_request_create(actor=actor, user=user, team=team, role=role, reason=reason)


# --- Asking --------------------------------------------------------------------------------------


def test_a_beheerder_asks_and_everyone_who_may_decide_is_told(beheerder, second_beheerder, teamleider, newcomer, team):
    role_request = ask(beheerder, newcomer, team)
    assert role_request.status == RoleRequest.Status.PENDING
    assert role_request.requested_by == beheerder
    assert not Membership.objects.filter(user=newcomer).exists()  # nothing granted yet
    told = set(Notification.objects.filter(title__startswith="Rolverzoek").values_list("user__username", flat=True))
    assert told == {second_beheerder.username, teamleider.username}


@pytest.mark.parametrize("who", ["beheerder", "teamleider"])
def test_nobody_asks_for_a_role_for_themselves(request, who, team):
    actor = request.getfixturevalue(who)
    with pytest.raises(ValidationError, match="U kunt geen rol voor uzelf aanvragen"):
        ask(actor, actor, team, role=Role.REGISSEUR)
    assert not RoleRequest.objects.exists()


def test_the_database_refuses_a_request_for_oneself(beheerder, team):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleRequest.objects.create(user=beheerder, team=team, role=Role.FG, reason=REASON, requested_by=beheerder)


def test_a_teamleider_asks_casework_roles_for_their_own_team_only(teamleider, newcomer, team, other_team):
    assert ask(teamleider, newcomer, team, role=Role.REGISSEUR).pk
    with pytest.raises(ValidationError, match="alleen rollen voor het casuswerk van uw eigen team"):
        ask(teamleider, newcomer, other_team)
    with pytest.raises(ValidationError, match="alleen rollen voor het casuswerk van uw eigen team"):
        ask(teamleider, newcomer, team, role=Role.BEHEERDER)


@pytest.mark.parametrize("who", ["wijkcoach", "fg", "beleid"])
def test_other_roles_do_not_ask(request, who, newcomer, team):
    actor = request.getfixturevalue(who)
    with pytest.raises(ValidationError, match="Alleen een functioneel beheerder, of een teamleider"):
        ask(actor, newcomer, team)


def test_a_request_needs_a_reason_an_active_user_and_a_role_not_yet_held(beheerder, wijkcoach, newcomer, team):
    with pytest.raises(ValidationError) as refused:
        ask(beheerder, newcomer, team, reason="  ")
    assert refused.value.message_dict == {"reason": ["Geef aan waarom deze rol nodig is."]}
    with pytest.raises(ValidationError, match="heeft deze rol al in dit team"):
        ask(beheerder, wijkcoach, team, role=Role.WIJKCOACH)
    newcomer.is_active = False
    newcomer.save(update_fields=["is_active"])
    with pytest.raises(ValidationError, match="is niet actief"):
        ask(beheerder, newcomer, team)


def test_one_open_request_per_user_team_and_role(beheerder, second_beheerder, newcomer, team):
    ask(beheerder, newcomer, team)
    with pytest.raises(ValidationError, match="Er staat al een verzoek open"):
        ask(second_beheerder, newcomer, team)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleRequest.objects.create(
            user=newcomer, team=team, role=Role.WIJKCOACH, reason=REASON, requested_by=second_beheerder
        )


# --- Deciding (four eyes) ------------------------------------------------------------------------


def test_the_requester_does_not_decide_their_own_request(beheerder, newcomer, team):
    role_request = ask(beheerder, newcomer, team)
    with pytest.raises(ValidationError, match="vier-ogenprincipe"):
        services.role_request_decide(actor=beheerder, role_request=role_request, approve=True)
    role_request.refresh_from_db()
    assert role_request.status == RoleRequest.Status.PENDING
    assert not Membership.objects.filter(user=newcomer).exists()


def test_the_subject_does_not_decide_a_role_for_themselves(teamleider, beheerder, team):
    # The teamleider may decide casework roles of the team, but not this one: it is for them.
    role_request = ask(beheerder, teamleider, team, role=Role.REGISSEUR)
    with pytest.raises(ValidationError, match="U kunt niet besluiten over een rol voor uzelf"):
        services.role_request_decide(actor=teamleider, role_request=role_request, approve=True)
    assert user_roles(fresh(teamleider)) == {Role.TEAMLEIDER}


def test_the_database_refuses_a_decision_by_the_requester_or_the_subject(beheerder, teamleider, newcomer, team):
    role_request = ask(beheerder, newcomer, team)
    for decider in (beheerder, newcomer):
        with pytest.raises(IntegrityError), transaction.atomic():
            RoleRequest.objects.filter(pk=role_request.pk).update(
                status=RoleRequest.Status.REFUSED, decided_by=decider, decided_at=timezone.now(), decision_note="x"
            )


def test_a_teamleider_of_another_team_or_a_colleague_does_not_decide(
    beheerder, newcomer, team, other_team, wijkcoach, fg
):
    other_leader = make_user(Role.TEAMLEIDER, other_team, username="t_andere_leider")
    role_request = ask(beheerder, newcomer, team)
    for actor in (other_leader, wijkcoach, fg):
        with pytest.raises(ValidationError, match="Alleen een andere functioneel beheerder"):
            services.role_request_decide(actor=actor, role_request=role_request, approve=True)
    assert not Membership.objects.filter(user=newcomer).exists()


def test_a_teamleider_does_not_decide_roles_beyond_casework(beheerder, teamleider, newcomer, team):
    role_request = ask(beheerder, newcomer, team, role=Role.FG)
    with pytest.raises(ValidationError, match="Alleen een andere functioneel beheerder"):
        services.role_request_decide(actor=teamleider, role_request=role_request, approve=True)


def test_the_teamleider_approves_and_the_membership_and_group_follow(beheerder, teamleider, newcomer, team):
    role_request = ask(beheerder, newcomer, team, role=Role.REGISSEUR)
    decided = services.role_request_decide(actor=teamleider, role_request=role_request, approve=True)
    assert decided.status == RoleRequest.Status.APPROVED
    assert decided.decided_by == teamleider and decided.decided_at is not None
    membership = Membership.objects.get(user=newcomer)
    assert (membership.team, membership.role, membership.valid_to) == (team, Role.REGISSEUR, None)
    assert decided.membership == membership
    newcomer = fresh(newcomer)
    assert list(newcomer.groups.values_list("name", flat=True)) == [Role.REGISSEUR]
    assert user_roles(newcomer) == {Role.REGISSEUR}
    assert not newcomer.is_staff
    told = Notification.objects.filter(user=beheerder, title__startswith="Rolverzoek goedgekeurd")
    assert told.count() == 1
    assert Notification.objects.filter(user=newcomer, title__contains="U heeft nu de rol").count() == 1


def test_another_beheerder_approves_a_beheerder_role_which_brings_beheer(beheerder, second_beheerder, newcomer, team):
    role_request = ask(beheerder, newcomer, team, role=Role.BEHEERDER)
    services.role_request_decide(actor=second_beheerder, role_request=role_request, approve=True)
    newcomer = fresh(newcomer)
    assert user_roles(newcomer) == {Role.BEHEERDER}
    assert newcomer.is_staff and not newcomer.is_superuser


def test_refusing_needs_a_reason_and_grants_nothing(beheerder, second_beheerder, newcomer, team):
    role_request = ask(beheerder, newcomer, team)
    with pytest.raises(ValidationError) as refused:
        services.role_request_decide(actor=second_beheerder, role_request=role_request, approve=False, note=" ")
    assert refused.value.message_dict == {"decision_note": ["Geef aan waarom u het verzoek afwijst."]}
    decided = services.role_request_decide(
        actor=second_beheerder, role_request=role_request, approve=False, note="Geen vacature in dit team."
    )
    assert decided.status == RoleRequest.Status.REFUSED
    assert decided.membership is None
    assert not Membership.objects.filter(user=newcomer).exists()
    with pytest.raises(ValidationError, match="Over dit verzoek is al besloten"):
        services.role_request_decide(actor=second_beheerder, role_request=role_request, approve=True)


def test_an_approval_that_cannot_grant_leaves_the_request_open(beheerder, second_beheerder, newcomer, team):
    role_request = ask(beheerder, newcomer, team)
    newcomer.is_active = False
    newcomer.save(update_fields=["is_active"])
    with pytest.raises(ValidationError, match="niet meer actief"):
        services.role_request_decide(actor=second_beheerder, role_request=role_request, approve=True)
    role_request.refresh_from_db()
    assert role_request.status == RoleRequest.Status.PENDING


def test_only_the_requester_withdraws(beheerder, second_beheerder, newcomer, team):
    role_request = ask(beheerder, newcomer, team)
    with pytest.raises(ValidationError, match="Alleen wie het verzoek indiende"):
        services.role_request_withdraw(actor=second_beheerder, role_request=role_request)
    withdrawn = services.role_request_withdraw(actor=beheerder, role_request=role_request)
    assert withdrawn.status == RoleRequest.Status.WITHDRAWN
    assert withdrawn.decided_by is None and withdrawn.decided_at is not None
    with pytest.raises(ValidationError, match="Over dit verzoek is al besloten"):
        services.role_request_decide(actor=second_beheerder, role_request=role_request, approve=True)
    ask(beheerder, newcomer, team)  # a new request may follow


# --- Memberships ---------------------------------------------------------------------------------


def test_nobody_gives_themselves_a_membership(beheerder, team):
    with pytest.raises(ValidationError, match="U kunt uzelf geen rol geven"):
        services.membership_add(actor=beheerder, user=beheerder, team=team, role=Role.WIJKCOACH)


def test_a_beheerder_ends_someone_elses_role_alone_but_never_their_own(beheerder, second_beheerder, wijkcoach):
    own = Membership.objects.get(user=beheerder)
    with pytest.raises(ValidationError, match="U kunt uw eigen rol niet beëindigen"):
        services.membership_end(actor=beheerder, membership=own)
    assert Membership.objects.get(pk=own.pk).valid_to is None

    theirs = Membership.objects.get(user=wijkcoach)
    ended = services.membership_end(actor=beheerder, membership=theirs, valid_to=timezone.localdate())
    assert ended.valid_to == timezone.localdate()
    assert ended.ended_by == beheerder and ended.ended_at is not None
    with pytest.raises(ValidationError, match="al beëindigd"):
        services.membership_end(actor=second_beheerder, membership=theirs)


@pytest.mark.parametrize("who", ["teamleider", "wijkcoach", "fg"])
def test_only_a_beheerder_ends_a_role(request, who, colleague):
    actor = request.getfixturevalue(who)
    with pytest.raises(ValidationError, match="Alleen een functioneel beheerder kan een rol beëindigen"):
        services.membership_end(actor=actor, membership=Membership.objects.get(user=colleague))


def test_groups_and_beheer_follow_a_role_that_ends_at_midnight(team):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False):
        beheerder = make_user(Role.BEHEERDER, team, username="t_b1", is_staff=True)
        leaving = make_user(Role.BEHEERDER, team, username="t_b2", is_staff=True)
        services.membership_end(actor=beheerder, membership=Membership.objects.get(user=leaving))
        leaving = fresh(leaving)
        assert leaving.is_staff and leaving.groups.filter(name=Role.BEHEERDER).exists()  # through its last day
    with time_machine.travel(datetime.datetime(2026, 3, 3, 0, 5, tzinfo=datetime.UTC), tick=False):
        from accounts.tasks import sync_role_groups

        # Both changed this week: the leaver's role ended, the other's started (a no-op for them).
        assert sync_role_groups() == 2
        assert sync_role_groups() == 2  # idempotent
        leaving = fresh(leaving)
        assert not leaving.is_staff
        assert not leaving.groups.exists()
        assert user_roles(leaving) == frozenset()


def test_is_staff_follows_the_roles_but_a_superuser_keeps_it(team):
    root = User.objects.create_superuser("t_root", "root@example.org", "een-lang-wachtwoord-1")
    services.user_sync_groups(user=root)
    assert fresh(root).is_staff
    user = UserFactory(is_staff=True)
    services.user_sync_groups(user=user)  # no role that works in Beheer
    assert not fresh(user).is_staff


# --- The first beheerders (command line) ------------------------------------------------------------


def test_the_bootstrap_command_grants_the_first_two_beheerders_only(team):
    first, second, third = (UserFactory(username=f"t_start{n}", organisation=team.organisation) for n in range(3))
    for user in (first, second):
        call_command("bootstrap_beheerder", username=user.username, team=team.name, stdout=io.StringIO())
        assert user_roles(fresh(user)) == {Role.BEHEERDER}
        assert fresh(user).is_staff
    with pytest.raises(CommandError, match="al 2 actieve functioneel beheerders"):
        call_command("bootstrap_beheerder", username=third.username, team=team.name)
    assert not Membership.objects.filter(user=third).exists()

"""The access policy matrix: ``case_decision`` (detail) and ``filter_cases`` (lists) must always agree.

Every role of ``accounts.constants.Role`` is tried in five relations to one case of Wijkteam Noord.
A decoy case of a third team makes sure a list never shows more than the one case it should.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from guardian.shortcuts import assign_perm

from access import gate, policy
from accounts.constants import CASEWORK_ROLES, Role
from accounts.models import User
from cases import services
from cases.constants import CaseRole, Relation, SignalSource
from cases.models import Case, CaseMember
from consent.models import BreakGlassGrant
from tests.factories import TeamFactory, make_user, shared_purpose

pytestmark = pytest.mark.django_db

OWNING_TEAM = "owning-team"
OTHER_TEAM_MEMBER = "other-team-case-member"
OTHER_TEAM_NON_MEMBER = "other-team-not-member"
PARTNER_ORG_MEMBER = "partner-org-case-member"
PARTNER_ORG_NON_MEMBER = "partner-org-not-member"
RELATIONS = [OWNING_TEAM, OTHER_TEAM_MEMBER, OTHER_TEAM_NON_MEMBER, PARTNER_ORG_MEMBER, PARTNER_ORG_NON_MEMBER]
CASE_MEMBER_RELATIONS = {OTHER_TEAM_MEMBER, PARTNER_ORG_MEMBER}
NO_CASE_CONTENT_ROLES = {Role.BELEID, Role.FG, Role.BEHEERDER}
NOTHING, VIEW, VIEW_WRITE = (False, False), (True, False), (True, True)


def expected_access(role: str, relation: str) -> tuple[bool, bool]:
    """(may view, may write) as DESIGN.md describes the policy."""
    if role in NO_CASE_CONTENT_ROLES:
        return NOTHING  # not even in the owning team or as a case member
    if role == Role.PARTNER:
        return VIEW if relation in CASE_MEMBER_RELATIONS else NOTHING
    assert role in CASEWORK_ROLES
    return VIEW_WRITE if relation in {OWNING_TEAM, *CASE_MEMBER_RELATIONS} else NOTHING


MATRIX = [(role.value, relation) for role in Role for relation in RELATIONS]


def _fresh_user(user: User) -> User:
    # Roles and permissions are cached on the user object; each check starts clean.
    return User.objects.get(pk=user.pk)


def _fresh_case(case: Case) -> Case:
    # case_decision caches the memberships on the case object.
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def decoy_case(municipality, make_resident):
    west = TeamFactory(organisation=municipality, name="Wijkteam West")
    west_coach = make_user(Role.WIJKCOACH, west, username="t_west")
    return services.case_open(actor=west_coach, team=west, client=make_resident(given_names="Decoy"))


def _persona(role, relation, *, case, actor, team, other_team, partner_team) -> User:
    home = {
        OWNING_TEAM: team,
        OTHER_TEAM_MEMBER: other_team,
        OTHER_TEAM_NON_MEMBER: other_team,
        PARTNER_ORG_MEMBER: partner_team,
        PARTNER_ORG_NON_MEMBER: partner_team,
    }[relation]
    user = make_user(role, home, username=f"p_{role}_{relation}")
    if relation in CASE_MEMBER_RELATIONS:
        # A partner gets the partner case role; anyone else a working role, so that the policy (and not a
        # missing object permission) has to refuse beleid, fg and beheerder.
        case_role = CaseRole.PARTNER if role == Role.PARTNER else CaseRole.WIJKCOACH
        if role in (Role.BELEID, Role.FG, Role.BEHEERDER):
            # The service refuses these roles on a case team; write the membership and the object
            # permissions directly, as stale or hand-made data would, to prove the policy still refuses.
            CaseMember.objects.create(case=case, user=user, organisation=user.organisation, role=case_role)
            assign_perm("cases.view_case", user, case)
            assign_perm("cases.change_case", user, case)
        else:
            services.case_member_add(actor=actor, case=case, user=user, role=case_role, purpose=shared_purpose())
    return user


def _assert_access(user: User, case: Case, expected: tuple[bool, bool]) -> None:
    may_view, may_write = expected
    view = policy.case_decision(_fresh_user(user), _fresh_case(case))
    write = policy.case_decision(_fresh_user(user), _fresh_case(case), write=True)
    assert (bool(view), bool(write)) == expected

    # List filtering = detail decision, for reading and for writing.
    assert set(policy.filter_cases(_fresh_user(user))) == ({case} if may_view else set())
    assert set(policy.filter_cases(_fresh_user(user), write=True)) == ({case} if may_write else set())
    assert set(gate.with_list_annotations(policy.filter_cases(_fresh_user(user)), user)) == (
        {case} if may_view else set()
    )
    # With a queryset passed in, the filter narrows it and never widens it.
    narrowed = policy.filter_cases(_fresh_user(user), Case.objects.filter(pk=case.pk))
    assert narrowed.exists() == may_view


@pytest.mark.parametrize(("role", "relation"), MATRIX, ids=[f"{r}|{rel}" for r, rel in MATRIX])
def test_policy_matrix(role, relation, wijkcoach, team, other_team, partner_team, resident_case, decoy_case):
    user = _persona(
        role, relation, case=resident_case, actor=wijkcoach, team=team, other_team=other_team, partner_team=partner_team
    )
    _assert_access(user, resident_case, expected_access(role, relation))


@pytest.mark.parametrize(
    ("relation", "basis"),
    [
        (OWNING_TEAM, policy.Basis.TEAM),
        (OTHER_TEAM_MEMBER, policy.Basis.MEMBER),
        (PARTNER_ORG_MEMBER, policy.Basis.MEMBER),
    ],
)
def test_decision_names_its_basis(relation, basis, wijkcoach, team, other_team, partner_team, resident_case):
    user = _persona(
        Role.WIJKCOACH,
        relation,
        case=resident_case,
        actor=wijkcoach,
        team=team,
        other_team=other_team,
        partner_team=partner_team,
    )
    decision = policy.case_decision(_fresh_user(user), _fresh_case(resident_case))
    assert decision.basis == basis


def test_member_decision_carries_the_task(wijkcoach, resident_case):
    # The wijkcoach opened the case, which made them a member with task toeleiding.
    decision = policy.case_decision(_fresh_user(wijkcoach), _fresh_case(resident_case))
    assert decision.basis == policy.Basis.MEMBER
    assert decision.task == "toeleiding"


def test_partner_write_refusal_says_read_only(wijkcoach, partner_user, resident_case):
    services.case_member_add(
        actor=wijkcoach, case=resident_case, user=partner_user, role=CaseRole.PARTNER, purpose=shared_purpose()
    )
    decision = policy.case_decision(_fresh_user(partner_user), _fresh_case(resident_case), write=True)
    assert not decision
    assert decision.message == str(policy.DENIED_READ_ONLY)


def test_ended_membership_gives_nothing(wijkcoach, outsider, resident_case, decoy_case):
    member = services.case_member_add(actor=wijkcoach, case=resident_case, user=outsider, role=CaseRole.WIJKCOACH)
    services.case_member_end(actor=wijkcoach, member=member)
    _assert_access(outsider, resident_case, NOTHING)


# --- Inactive users -----------------------------------------------------------------


def test_inactive_team_member_gets_nothing(team, resident_case, decoy_case):
    user = make_user(Role.WIJKCOACH, team, username="t_inactief", is_active=False)
    _assert_access(user, resident_case, NOTHING)


def test_deactivated_case_member_gets_nothing(wijkcoach, outsider, resident_case, decoy_case):
    services.case_member_add(actor=wijkcoach, case=resident_case, user=outsider, role=CaseRole.WIJKCOACH)
    outsider.is_active = False
    outsider.save(update_fields=["is_active"])
    _assert_access(outsider, resident_case, NOTHING)


def test_deactivated_team_member_gets_nothing(wijkcoach, resident_case, decoy_case):
    # The wijkcoach is both in the owning team and a case member.
    wijkcoach.is_active = False
    wijkcoach.save(update_fields=["is_active"])
    _assert_access(wijkcoach, resident_case, NOTHING)


# --- Break-the-glass -------------------------------------------------------------------

REASON = "Cliënt belt in crisis, de regievoerder is niet bereikbaar."


def test_active_break_glass_grant_gives_view_not_write(outsider, resident_case, decoy_case):
    grant = BreakGlassGrant.objects.create(
        user=outsider, case=resident_case, reason=REASON, expires_at=timezone.now() + datetime.timedelta(hours=1)
    )

    _assert_access(outsider, resident_case, VIEW)
    decision = policy.case_decision(_fresh_user(outsider), _fresh_case(resident_case))
    assert decision.basis == policy.Basis.BREAK_GLASS
    assert decision.break_glass_grant_id == grant.pk
    write = policy.case_decision(_fresh_user(outsider), _fresh_case(resident_case), write=True)
    assert write.message == str(policy.DENIED_READ_ONLY)


def test_expired_break_glass_grant_gives_nothing(outsider, resident_case, decoy_case):
    now = timezone.now()
    BreakGlassGrant.objects.create(
        user=outsider,
        case=resident_case,
        reason=REASON,
        granted_at=now - datetime.timedelta(hours=3),
        expires_at=now - datetime.timedelta(hours=1),
    )
    _assert_access(outsider, resident_case, NOTHING)


def test_grant_on_another_case_gives_nothing_here(outsider, resident_case, decoy_case):
    BreakGlassGrant.objects.create(
        user=outsider, case=decoy_case, reason=REASON, expires_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert not policy.case_decision(_fresh_user(outsider), _fresh_case(resident_case))
    assert set(policy.filter_cases(_fresh_user(outsider))) == {decoy_case}


@pytest.mark.parametrize("role", [Role.BELEID, Role.FG, Role.BEHEERDER, Role.PARTNER])
def test_break_glass_grant_gives_nothing_to_non_casework_roles(role, other_team, resident_case, decoy_case):
    user = make_user(role, other_team, username=f"t_bg_{role}")
    BreakGlassGrant.objects.create(
        user=user, case=resident_case, reason=REASON, expires_at=timezone.now() + datetime.timedelta(hours=1)
    )
    _assert_access(user, resident_case, NOTHING)


# --- Clients -------------------------------------------------------------------------


@pytest.fixture
def household_setting(wijkcoach, team, make_resident):
    """A household case of Wijkteam Noord: one parent still lives there, one moved out on 1 June 2025."""
    stays = make_resident(given_names="Els", family_name="Bakker")
    moved_out = make_resident(given_names="Kees", family_name="Bakker")
    household = services.household_create(actor=wijkcoach, name="Huishouden Bakker")
    elsewhere = services.household_create(actor=wijkcoach, name="Huishouden Kees")
    start = datetime.date(2025, 1, 1)
    for member in (stays, moved_out):
        services.household_add_member(
            actor=wijkcoach, household=household, client=member, relation=Relation.OUDER, valid_from=start
        )
    services.household_add_member(
        actor=wijkcoach,
        household=elsewhere,
        client=moved_out,
        relation=Relation.OUDER,
        valid_from=datetime.date(2025, 6, 1),
    )
    case = services.case_open(actor=wijkcoach, team=team, household=household)
    return {"stays": stays, "moved_out": moved_out, "case": case}


def _visible_clients(user) -> set:
    return set(policy.filter_clients(_fresh_user(user)))


def test_client_of_a_visible_case_is_visible(wijkcoach, colleague, outsider, resident, resident_case):
    assert resident in _visible_clients(wijkcoach)
    assert resident in _visible_clients(colleague)  # team colleague, not a case member
    assert resident not in _visible_clients(outsider)
    assert policy.client_decision(_fresh_user(colleague), resident)
    assert not policy.client_decision(_fresh_user(outsider), resident)


def test_current_household_member_is_visible_and_a_moved_out_one_is_not(wijkcoach, outsider, household_setting):
    visible = _visible_clients(wijkcoach)
    assert household_setting["stays"] in visible
    assert household_setting["moved_out"] not in visible
    assert not policy.client_decision(_fresh_user(wijkcoach), household_setting["moved_out"])
    assert _visible_clients(outsider) == set()


def test_partner_member_sees_clients_only_within_the_case(wijkcoach, partner_user, household_setting):
    """A partner has no client file: the client's data reaches them only through the case page, limited to
    the categories of their purpose (a client file would show every category)."""
    assert _visible_clients(partner_user) == set()
    services.case_member_add(
        actor=wijkcoach,
        case=household_setting["case"],
        user=partner_user,
        role=CaseRole.PARTNER,
        purpose=shared_purpose(),
    )
    assert policy.filter_cases(_fresh_user(partner_user)).filter(pk=household_setting["case"].pk).exists()
    assert _visible_clients(partner_user) == set()


def test_a_signal_names_a_client_without_widening_access_to_them(wijkcoach, colleague, team, make_resident):
    """The team reads the signal (and triages it), but a signal is no way into the client's file: otherwise
    anyone could open a client by recording a signal about them."""
    signalled = make_resident(given_names="Noor", family_name="Visser")
    signal = services.signal_record(
        actor=wijkcoach,
        team=team,
        source=SignalSource.BUREN,
        what_was_seen="De buren horen al dagen niemand.",
        client=signalled,
    )
    assert signal in policy.filter_signals(_fresh_user(colleague))
    assert signalled not in _visible_clients(colleague)
    assert signalled not in _visible_clients(wijkcoach)


@pytest.mark.parametrize("role", [Role.BELEID, Role.FG, Role.BEHEERDER, Role.PARTNER])
def test_non_casework_roles_in_the_team_see_no_clients(role, wijkcoach, team, resident_case, household_setting):
    user = make_user(role, team, username=f"t_clients_{role}")
    assert _visible_clients(user) == set()


def test_other_clients_are_not_visible(wijkcoach, make_resident):
    stranger = make_resident(given_names="Onbekend", family_name="Persoon")
    assert stranger not in _visible_clients(wijkcoach)

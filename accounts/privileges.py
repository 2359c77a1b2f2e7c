"""Separation of duties: who may ask for a role, who may decide, who may end one.

Privilege is never self-service (STYLE.md, "Access"): nobody asks for, decides on or ends their own role,
and granting a role always takes two people. The rules here are plain predicates: the services enforce
them (``accounts.services``), the pages use them to offer only what will be accepted.

- Ask: a functioneel beheerder, for any role in any team; a teamleider, for the casework roles of a team
  they lead (``TEAM_GRANTABLE_ROLES``). Never for themselves.
- Decide: another person than the one who asked AND than the one the role is for, who is a functioneel
  beheerder, or a teamleider of the request's team for a casework role. Every role grant needs this, not
  only the casework, fg and teamleider roles the security review named: one rule is simpler and safer.
- End: a functioneel beheerder, for someone else's membership (it only takes privilege away, so one
  person suffices); never their own.

Cost: the predicates read the actor's memberships once per request (``user_memberships`` caches them).
"""

from __future__ import annotations

from .constants import TEAM_GRANTABLE_ROLES, Role
from .models import Membership, RoleRequest, Team, User
from .selectors import user_has_role, user_team_ids


def _is_active_user(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_beheerder(user: User | None) -> bool:
    return _is_active_user(user) and user_has_role(user, Role.BEHEERDER)


def led_team_ids(user: User | None) -> set[int]:
    """The teams ``user`` leads now (empty for anyone else)."""
    if not _is_active_user(user):
        return set()
    return user_team_ids(user, roles={Role.TEAMLEIDER})


def works_with_role_requests(user: User | None) -> bool:
    """May see the page "Rolverzoeken": a functioneel beheerder or a teamleider."""
    return is_beheerder(user) or bool(led_team_ids(user))


def may_request_role(actor: User | None, *, team: Team, role: str) -> bool:
    """May ``actor`` ask for ``role`` in ``team`` (for someone else)?"""
    if is_beheerder(actor):
        return True
    return role in TEAM_GRANTABLE_ROLES and team.pk in led_team_ids(actor)


def may_decide_role_request(actor: User | None, role_request: RoleRequest) -> bool:
    """May ``actor`` approve or refuse ``role_request``? Four eyes: never the requester, never the subject."""
    if not _is_active_user(actor) or actor.pk in (role_request.requested_by_id, role_request.user_id):
        return False
    if is_beheerder(actor):
        return True
    return role_request.role in TEAM_GRANTABLE_ROLES and role_request.team_id in led_team_ids(actor)


def may_end_membership(actor: User | None, membership: Membership) -> bool:
    """May ``actor`` end ``membership``? A functioneel beheerder, for anyone but themselves."""
    return is_beheerder(actor) and actor.pk != membership.user_id

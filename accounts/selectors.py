"""Read-side helpers for people, teams and roles."""

from __future__ import annotations

from .constants import Role
from .models import Membership, User

_ROLES_CACHE = "_accounts_roles"
_MEMBERSHIPS_CACHE = "_accounts_memberships"


def user_memberships(user: User) -> list[Membership]:
    """The user's current memberships, cached on the user object for the request.

    Cost: one query the first time per request.
    """
    if not user.is_authenticated:
        return []
    cached = getattr(user, _MEMBERSHIPS_CACHE, None)
    if cached is None:
        cached = list(Membership.objects.current().filter(user=user).select_related("team__organisation"))
        setattr(user, _MEMBERSHIPS_CACHE, cached)
    return cached


def user_roles(user: User) -> frozenset[str]:
    """The roles a user holds now, through any current team membership."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, _ROLES_CACHE, None)
    if cached is None:
        cached = frozenset(Role(m.role) for m in user_memberships(user))
        setattr(user, _ROLES_CACHE, cached)
    return cached


def user_has_role(user: User, *roles: str) -> bool:
    return bool(user_roles(user).intersection(roles))


def user_team_ids(user: User, *, roles: frozenset[str] | set[str] | None = None) -> set[int]:
    """Ids of the teams where the user holds one of ``roles`` (any role when None)."""
    return {m.team_id for m in user_memberships(user) if roles is None or m.role in roles}


def forget_cached_roles(user: User) -> None:
    for attr in (_ROLES_CACHE, _MEMBERSHIPS_CACHE):
        if hasattr(user, attr):
            delattr(user, attr)

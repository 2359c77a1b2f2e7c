"""The main navigation per role.

Each entry names a URL and the roles that see it (``None``: every logged-in
user). Later features add their entries here; the template only renders.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .constants import CASEWORK_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str] | None = None
    staff_only: bool = False


# Who works with the API: the documentation and their own API keys.
API_ROLES = frozenset({*CASEWORK_ROLES, Role.BEHEERDER, Role.FG})

NAV_ITEMS: list[NavItem] = [
    NavItem(_("Mijn werkvoorraad"), "werkvoorraad"),
    NavItem(_("Meldingen"), "cases:signal-list", roles=CASEWORK_ROLES),
    NavItem(_("Overleggen"), "workplans:meetings", roles=frozenset({*CASEWORK_ROLES, Role.PARTNER})),
    NavItem(_("Betrokkenheid zoeken"), "cases:lookup", roles=CASEWORK_ROLES),
    NavItem(_("Goedkeuringen"), "workplans:approvals", roles=frozenset({Role.TEAMLEIDER})),
    # Every casework role: the receiver of a handover finds it here; the teamleider also the caseload wizard.
    NavItem(_("Overdrachten"), "cases:handovers", roles=CASEWORK_ROLES),
    NavItem(_("Teamdashboard"), "reports:dashboard", roles=frozenset({Role.TEAMLEIDER})),
    NavItem(_("Rapportages"), "reports:list", roles=frozenset({Role.BELEID, Role.TEAMLEIDER})),
    # Four eyes on every role grant: a beheerder or teamleider files, another one decides.
    NavItem(_("Rolverzoeken"), "accounts:role-requests", roles=frozenset({Role.BEHEERDER, Role.TEAMLEIDER})),
    NavItem(_("API-documentatie"), "api-docs", roles=API_ROLES),
    NavItem(_("API-sleutels"), "accounts:api-tokens", roles=API_ROLES),
    NavItem(_("Privacy"), "consent:index", roles=frozenset({Role.FG})),
    NavItem(_("Beheer"), "admin:index", roles=frozenset({Role.BEHEERDER, Role.FG}), staff_only=True),
]


def items_for(user, roles: frozenset[str], current_path: str) -> list[dict]:
    items = []
    for item in NAV_ITEMS:
        if item.roles is not None and not roles.intersection(item.roles):
            continue
        if item.staff_only and not user.is_staff:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": item.label, "url": url, "current": current_path == url})
    return items
